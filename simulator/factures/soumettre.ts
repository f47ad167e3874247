import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { callerOf, type SimulatorContext } from '../context';
import { sendOk } from '../envelope';
import { buyerLifecycle, depositPhase } from '../lifecycle';
import { chorusDate } from './dates';
import { sendRefusal } from './refusals';
import { buyerBySiret } from './routing-rules';
import type { InvoiceStore, StoredInvoice } from './store';
import { VALIDATOR_FRAMES, validateSubmission, type AcceptedSubmission } from './submission-rules';

/** `soumettre` (API-FACTS §4.5.1): validates, refuses a reused number, stores and starts the buyer's script. */
export function submitInvoice(ctx: SimulatorContext, store: InvoiceStore): RequestHandler {
  return (req, res) => {
    ctx.counters.recordCall('factures/soumettre');
    const failure = alwaysFailingBuyer(ctx, req.body);
    if (failure !== undefined) {
      // Like a fault: the platform did not run the call, nothing is committed.
      res.status(failure).type('text/plain').send(`Service Unavailable (${failure})`);
      return;
    }
    const caller = callerOf(res);
    const check = validateSubmission(ctx, caller, store, req.body);
    if (!check.ok) {
      if (check.duplicateOf) ctx.counters.duplicatesRefused += 1;
      sendRefusal(res, check.refusal);
      return;
    }

    const invoice = deposit(store, check.accepted, caller.account.login, ctx.clock.now());
    store.add(invoice);
    // Counted under the number the supplier sent (Chorus may give its own): one deposit per sent number.
    ctx.counters.recordInvoice(
      invoice.supplier.siret,
      check.accepted.submission.numeroFactureSaisi?.trim() || invoice.numeroFacture,
    );
    sendOk(
      res,
      {
        identifiantFactureCPP: invoice.identifiantFactureCPP,
        numeroFacture: invoice.numeroFacture,
        identifiantStructure: invoice.supplier.siret,
        dateDepot: chorusDate(invoice.depositedAt),
        statutFacture: 'DEPOSEE',
        empreinteCertificatDepot: invoice.empreinteCertificatDepot,
      },
      'GCU_MSG_01_000',
    );
  };
}

/** `buyer.unavailable-on-submit`: the status its soumettre always answers. */
function alwaysFailingBuyer(ctx: SimulatorContext, body: unknown): number | undefined {
  const destinataire = (body as { destinataire?: { codeDestinataire?: unknown } } | null)?.destinataire;
  const siret =
    typeof destinataire?.codeDestinataire === 'string' ? destinataire.codeDestinataire.trim() : '';
  return buyerBySiret(ctx.dataset, siret)?.soumettreAlwaysFails;
}

function deposit(store: InvoiceStore, accepted: AcceptedSubmission, login: string, now: Date): StoredInvoice {
  const identifiantFactureCPP = store.allocateIdentifier();
  const { behaviour, reportsPayment } = buyerLifecycle(accepted.routing.buyer);
  const commentaire = accepted.submission.commentaire?.trim() || undefined;
  return {
    identifiantFactureCPP,
    numeroFacture: accepted.numeroFacture,
    modeDepot: accepted.modeDepot,
    supplier: accepted.supplier,
    depositedBy: login,
    depositedAt: now,
    dateFacture: accepted.dateFacture ?? chorusDate(now),
    submission: accepted.submission,
    empreinteCertificatDepot: createHash('sha256')
      .update(
        `${identifiantFactureCPP}|${accepted.supplier.siret}|${accepted.numeroFacture}|${now.toISOString()}`,
      )
      .digest('hex'),
    routing: accepted.routing,
    ...(commentaire ? { commentaire } : {}),
    attachments: accepted.attachments,
    phases: [
      depositPhase(
        now,
        behaviour,
        reportsPayment,
        VALIDATOR_FRAMES.includes(accepted.submission.cadreDeFacturation.codeCadreFacturation),
      ),
    ],
    statusIdBase: store.allocateStatusIdBase(),
    actions: [],
    events: [
      {
        id: store.allocateEntryId(),
        libelle: `Dépôt de la facture par API (${accepted.modeDepot})`,
        at: now,
        qui: login,
      },
    ],
  };
}
