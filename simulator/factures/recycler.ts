import type { RequestHandler } from 'express';
import { z } from 'zod';
import { callerOf, type SimulatorContext } from '../context';
import { sendOk } from '../envelope';
import { actionPhase, buyerLifecycle } from '../lifecycle';
import { openSupplierAction } from './access';
import { invoiceDateTime } from './dates';
import { identifier, optionalText } from './request-fields';
import { RECYCLE, refusal, sendRefusal } from './refusals';
import { checkRouting, type RoutingRule } from './routing-rules';
import type { InvoiceStore } from './store';

const EngagementReference = z.object({ numeroBonCommande: optionalText }).nullish();

/** `references` as in soumettre, or `reference` as the Go client spells it. */
const RecycleRequest = z.object({
  identifiantFactureCPP: identifier,
  destinataire: z.object({
    codeDestinataire: z.string().trim().min(1),
    codeServiceExecutant: optionalText,
  }),
  references: EngagementReference,
  reference: EngagementReference,
  commentaire: optionalText,
});

const CODE_FOR_RULE: Record<RoutingRule, number> = {
  DESTINATAIRE_INCONNU: RECYCLE.DESTINATAIRE,
  DESTINATAIRE_INACTIF: RECYCLE.DESTINATAIRE,
  SERVICE_OBLIGATOIRE: RECYCLE.SERVICE,
  SERVICE_INCONNU: RECYCLE.SERVICE,
  SERVICE_INACTIF: RECYCLE.SERVICE,
  SERVICE_FACTURES_PUBLIQUES: RECYCLE.SERVICE,
  LONGUEUR: RECYCLE.SERVICE,
  ENGAGEMENT_OBLIGATOIRE: RECYCLE.ENGAGEMENT,
  SERVICE_OU_ENGAGEMENT: RECYCLE.ENGAGEMENT,
  ENGAGEMENT_TROP_LONG: RECYCLE.ENGAGEMENT,
  ENGAGEMENT_INCONNU: RECYCLE.ENGAGEMENT,
};

/**
 * `recycler` (API-FACTS §4.5.7): new routing data for an invoice the buyer put in A_RECYCLER.
 * Same number; back to DEPOSEE; the (possibly new) buyer's afterAction script runs.
 */
export function recycleInvoice(ctx: SimulatorContext, store: InvoiceStore): RequestHandler {
  return (req, res) => {
    const opened = openSupplierAction(ctx, store, req, res, {
      operation: 'factures/recycler',
      schema: RecycleRequest,
      codes: {
        missingField: RECYCLE.CHAMP_OBLIGATOIRE,
        unknown: RECYCLE.FACTURE_INCONNUE,
        notYours: RECYCLE.DROITS,
        status: RECYCLE.STATUT,
        length: RECYCLE.LONGUEUR,
      },
      requiredStatus: 'A_RECYCLER',
      wrongStatus: (id, current) =>
        `GDP_MSG_11.001 : la facture ${id} est au statut ${current} ; seule une facture au statut A_RECYCLER peut être recyclée`,
    });
    if (!opened) return;
    const { request, invoice, now, commentaire } = opened;
    const caller = callerOf(res);

    // Without a new engagement number the one already on the invoice still applies.
    const engagement =
      request.references?.numeroBonCommande ??
      request.reference?.numeroBonCommande ??
      invoice.routing.numeroBonCommande;
    const routing = checkRouting(ctx.dataset, invoice.supplier, {
      codeDestinataire: request.destinataire.codeDestinataire,
      codeServiceExecutant: request.destinataire.codeServiceExecutant,
      numeroBonCommande: engagement,
    });
    if (!routing.ok) return sendRefusal(res, refusal(CODE_FOR_RULE[routing.rule], routing.libelle));

    const { behaviour, reportsPayment } = buyerLifecycle(routing.routing.buyer);
    invoice.routing = routing.routing;
    invoice.phases.push(
      actionPhase(
        now,
        { status: 'DEPOSEE', ...(commentaire ? { comment: commentaire } : {}) },
        behaviour,
        reportsPayment,
        invoice.actions.length,
      ),
    );
    invoice.actions.push({
      id: store.allocateEntryId(),
      code: 'RECYCLAGE',
      at: now,
      login: caller.account.login,
    });
    const service = routing.routing.service ? `, service ${routing.routing.service.codeService}` : '';
    invoice.events.push({
      id: store.allocateEntryId(),
      libelle: `Facture recyclée vers ${routing.routing.buyer.siret}${service}${commentaire ? ` : ${commentaire}` : ''}`,
      at: now,
      qui: caller.account.login,
    });

    sendOk(
      res,
      {
        identifiantFactureCPP: invoice.identifiantFactureCPP,
        numeroFacture: invoice.numeroFacture,
        dateDepot: invoiceDateTime(invoice.routing.buyer, now),
        statutFacture: 'DEPOSEE',
      },
      'GCU_MSG_01_000',
    );
  };
}
