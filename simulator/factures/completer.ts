import type { RequestHandler } from 'express';
import { z } from 'zod';
import { callerOf, type SimulatorContext } from '../context';
import { sendOk } from '../envelope';
import { actionPhase, buyerLifecycle } from '../lifecycle';
import { openSupplierAction } from './access';
import { checkComplementaryAttachments, totalSizeRefusal } from './attachments';
import { invoiceDateTime } from './dates';
import { identifier, listOf, optionalText } from './request-fields';
import { COMPLETE, refusal, sendRefusal } from './refusals';
import type { InvoiceStore } from './store';
import { ComplementaryAttachmentSchema } from './submission-schema';

const CompleteRequest = z.object({
  identifiantFactureCPP: identifier,
  pieceJointeComplementaire: listOf(ComplementaryAttachmentSchema),
  commentaire: optionalText,
});

/**
 * `completer` (API-FACTS §4.5.8): attachments and/or a comment for a SUSPENDUE invoice, which
 * becomes COMPLETEE; then the buyer's afterAction script runs. Codes 20000–20002 as in the spec.
 */
export function completeInvoice(ctx: SimulatorContext, store: InvoiceStore): RequestHandler {
  return (req, res) => {
    const opened = openSupplierAction(ctx, store, req, res, {
      operation: 'factures/completer',
      schema: CompleteRequest,
      codes: {
        missingField: COMPLETE.CHAMP_OBLIGATOIRE,
        unknown: COMPLETE.FACTURE_INCONNUE,
        notYours: COMPLETE.DROITS,
        status: COMPLETE.STATUT,
        length: COMPLETE.LONGUEUR,
      },
      requiredStatus: 'SUSPENDUE',
      wrongStatus: (id, current) =>
        `GDP_MSG_11.033 : la facture ${id} est au statut ${current} ; seule une facture SUSPENDUE peut être complétée`,
    });
    if (!opened) return;
    const { request, invoice, now, commentaire } = opened;
    const caller = callerOf(res);
    if (!commentaire && request.pieceJointeComplementaire.length === 0) {
      return sendRefusal(
        res,
        refusal(
          COMPLETE.CHAMP_OBLIGATOIRE,
          'Pour compléter une facture, joindre au moins une pièce complémentaire ou un commentaire',
        ),
      );
    }
    const checked = checkComplementaryAttachments(
      ctx.files,
      caller.account.login,
      request.pieceJointeComplementaire,
    );
    const attachments = checked.ok
      ? (totalSizeRefusal([...invoice.attachments, ...checked.attachments]) ?? checked)
      : checked;
    if (!attachments.ok) {
      const code = {
        reference: COMPLETE.PIECE_JOINTE,
        type: COMPLETE.TYPE_PIECE_JOINTE,
        'total-size': COMPLETE.TAILLE_TOTALE,
      };
      return sendRefusal(res, refusal(code[attachments.rule], attachments.libelle));
    }

    const { behaviour, reportsPayment } = buyerLifecycle(invoice.routing.buyer);
    invoice.attachments.push(...attachments.attachments);
    if (commentaire) invoice.commentaire = commentaire;
    invoice.phases.push(
      actionPhase(
        now,
        { status: 'COMPLETEE', ...(commentaire ? { comment: commentaire } : {}) },
        behaviour,
        reportsPayment,
        invoice.actions.length,
      ),
    );
    invoice.actions.push({
      id: store.allocateEntryId(),
      code: 'COMPLEMENT',
      at: now,
      login: caller.account.login,
    });
    for (const added of attachments.attachments) {
      invoice.events.push({
        id: store.allocateEntryId(),
        libelle: `Pièce jointe complémentaire ajoutée : ${added.designation}`,
        at: now,
        qui: caller.account.login,
      });
    }

    sendOk(
      res,
      {
        identifiantFactureCPP: invoice.identifiantFactureCPP,
        numeroFacture: invoice.numeroFacture,
        dateTraitement: invoiceDateTime(invoice.routing.buyer, now),
      },
      'GCU_MSG_01_000',
    );
  };
}
