import type { RequestHandler } from 'express';
import { z } from 'zod';
import { callerOf, type SimulatorContext } from '../context';
import { sendOk } from '../envelope';
import { invoiceForCaller } from './access';
import { invoiceDateTime } from './dates';
import { pagedSubList, pagingRequest } from './paging';
import { identifier, parseRequest } from './request-fields';
import { invoiceAccessRefusal, READ, sendRefusal } from './refusals';
import { historyOf, type InvoiceStore, type StoredInvoice } from './store';

/** The platform's input is `idFacture` (not `identifiantFactureCPP`): a client sending the latter is told so. */
const HistoryRequest = z.object({
  idFacture: identifier,
  paramRechercheHistoStatuts: z.unknown().optional(),
  paramRechercheHistoActionsUtilisateurs: z.unknown().optional(),
  paramRechercheHistoEvenementsComplementaires: z.unknown().optional(),
});

/** Given oldest first; the platform lists newest first unless asked `Ascendant`. */
function ordered<T>(items: T[], triSens: 'Ascendant' | 'Descendant' | undefined): T[] {
  return triSens === 'Ascendant' ? items : [...items].reverse();
}

/** `consulter/historique` (API-FACTS §4.5.6): newest first, 10 per page, like the real service. */
export function invoiceHistory(ctx: SimulatorContext, store: InvoiceStore): RequestHandler {
  return (req, res) => {
    ctx.counters.recordCall('factures/consulter/historique');
    const parsed = parseRequest(HistoryRequest, req.body, READ.CRITERE_INVALIDE);
    if (!parsed.ok) return sendRefusal(res, parsed.refusal);
    const { idFacture } = parsed.value;
    const lookup = invoiceForCaller(store, callerOf(res), idFacture);
    if (!lookup.found) {
      return sendRefusal(
        res,
        invoiceAccessRefusal(lookup.reason, idFacture, {
          unknown: READ.FACTURE_INCONNUE,
          notYours: READ.DROITS,
        }),
      );
    }
    const invoice = lookup.invoice;
    const statuses = pagingRequest(parsed.value.paramRechercheHistoStatuts, ['ListeHistoStatut']);
    const actions = pagingRequest(parsed.value.paramRechercheHistoActionsUtilisateurs, ['ListeHistoAction']);
    const events = pagingRequest(parsed.value.paramRechercheHistoEvenementsComplementaires, [
      'ListeHistoEvenement',
    ]);
    const history = statusEntries(invoice, ctx.clock.now());
    const lastAction = invoice.actions.at(-1);

    sendOk(res, {
      idFacture: invoice.identifiantFactureCPP,
      numeroFacture: invoice.numeroFacture,
      modeDepot: invoice.modeDepot,
      statutCourantCode: history.at(-1)?.histoStatutCode ?? 'DEPOSEE',
      derniereAction: lastAction
        ? { derniereActionCode: lastAction.code, derniereActionId: lastAction.id }
        : null,
      historiquesDesStatuts: pagedSubList(
        ordered(history, statuses.triSens),
        statuses,
        'histoStatut',
        'HistoStatut',
      ),
      historiquesDesActionsUtilisateurs: pagedSubList(
        ordered(
          invoice.actions.map((a) => ({
            histoActionId: a.id,
            histoActionCode: a.code,
            histoActionDateHeure: invoiceDateTime(invoice.routing.buyer, a.at),
            histoActionUtilisateurEmail: a.login,
          })),
          actions.triSens,
        ),
        actions,
        'histoAction',
        'HistoAction',
      ),
      historiquesDesEvenementsComplementaires: pagedSubList(
        ordered(
          invoice.events.map((e) => ({
            evenementId: e.id,
            evenementLibelle: e.libelle,
            evenementDateHeure: invoiceDateTime(invoice.routing.buyer, e.at),
            evenementQui: e.qui,
          })),
          events.triSens,
        ),
        events,
        'evenement',
        'Evenement',
      ),
    });
  };
}

function statusEntries(invoice: StoredInvoice, now: Date) {
  return historyOf(invoice, now).map((change, index) => ({
    histoStatutId: invoice.statusIdBase + index,
    histoStatutCode: change.status,
    histoStatutDatePassage: invoiceDateTime(invoice.routing.buyer, change.at),
    histoStatutCommentaire: change.comment ?? null,
  }));
}
