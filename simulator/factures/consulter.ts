import type { RequestHandler } from 'express';
import { z } from 'zod';
import { callerOf, type SimulatorContext } from '../context';
import { sendOk } from '../envelope';
import { invoiceForCaller } from './access';
import { invoiceDetail } from './invoice-views';
import { pagingRequest } from './paging';
import { identifier, parseRequest } from './request-fields';
import { invoiceAccessRefusal, READ, sendRefusal } from './refusals';
import type { InvoiceStore } from './store';

const ConsultRequest = z.object({
  identifiantFactureCPP: identifier,
  pLignesPoste: z.unknown().optional(),
  pListePiecesJointes: z.unknown().optional(),
  pLigneRecapTva: z.unknown().optional(),
});

/** `consulter/fournisseur` (API-FACTS §4.5.4). */
export function consultInvoice(ctx: SimulatorContext, store: InvoiceStore): RequestHandler {
  return (req, res) => {
    ctx.counters.recordCall('factures/consulter/fournisseur');
    const parsed = parseRequest(ConsultRequest, req.body, READ.CRITERE_INVALIDE);
    if (!parsed.ok) return sendRefusal(res, parsed.refusal);
    const id = parsed.value.identifiantFactureCPP;
    const lookup = invoiceForCaller(store, callerOf(res), id);
    if (!lookup.found) {
      return sendRefusal(
        res,
        invoiceAccessRefusal(lookup.reason, id, { unknown: READ.FACTURE_INCONNUE, notYours: READ.DROITS }),
      );
    }

    sendOk(res, {
      facture: invoiceDetail(lookup.invoice, ctx.clock.now(), {
        lines: pagingRequest(parsed.value.pLignesPoste, ['LignesPoste']),
        attachments: pagingRequest(parsed.value.pListePiecesJointes, [
          'ListePieceJointe',
          'ListePiecesJointes',
        ]),
        vatLines: pagingRequest(parsed.value.pLigneRecapTva, [
          'ListeListeRecapitulatifTVA',
          'ListeRecapitulatifTVA',
        ]),
      }),
    });
  };
}
