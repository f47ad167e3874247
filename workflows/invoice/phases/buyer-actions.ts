import { joinLocalized, t, type Localized } from '../../../domain/messages';
import { PUBLIC_INVOICES_SERVICE } from '../../../domain/readiness';
import { answerRules } from '../answer-rules';
import type { ChorusStatusObservation } from '../../contracts/invoice';
import { chorus } from '../activity-proxies';
import { nowIso } from '../clock';
import type { InvoiceContext } from '../context';
import { awaitAnswer, mergeAttachments } from '../tasks';
import { closeTask, note, openTask, record, setStatus } from '../transitions';
import { withConnection } from './connection';
import { uploadAll } from './preparation';

/** What the buyer wrote with its return, as a sentence (none when it wrote nothing). */
function buyerSays(observation: ChorusStatusObservation): Localized[] {
  return observation.comment ? [t('task.buyerSays', { comment: observation.comment })] : [];
}

/**
 * A_RECYCLER: asks a person for new routing data, then `recycler` (the invoice keeps its number).
 * Returns false when Chorus says the invoice had already left A_RECYCLER (a resend after a lost
 * answer meets that): tracking then reads the history to learn where it is.
 */
export async function recycle(ctx: InvoiceContext, observation: ChorusStatusObservation): Promise<boolean> {
  const s = ctx.state;
  const buyer = await withConnection(ctx, () =>
    chorus.buyerFacts({
      connectionId: ctx.connectionId,
      buyerSiret: s.invoice.buyer.siret,
      idFournisseur: s.supplier?.idStructureCPP ?? undefined,
    }),
  );
  const services = buyer.services
    .filter((x) => x.active && x.code !== PUBLIC_INVOICES_SERVICE)
    .map((x) => ({ value: x.code, label: x.label }));
  const title = t('task.recycle.title');
  const description = joinLocalized([
    t('task.recycle.description'),
    ...buyerSays(observation),
    t('task.recycle.ask'),
  ]);
  const why = {
    service: t('task.field.serviceCode.recycle'),
    engagement: t('task.field.engagementNumber.recycle'),
    comment: t('task.field.comment.forBuyer'),
  };
  openTask(
    ctx,
    {
      kind: 'RECYCLE',
      title: title.en,
      titleFr: title.fr,
      description: description.en,
      descriptionFr: description.fr,
      fields: [
        {
          field: 'buyer.serviceCode',
          why: why.service.en,
          whyFr: why.service.fr,
          required: false,
          allowedValues: services,
          currentValue: s.invoice.buyer.serviceCode,
        },
        {
          field: 'references.engagementNumber',
          why: why.engagement.en,
          whyFr: why.engagement.fr,
          required: false,
          currentValue: s.invoice.references.engagementNumber,
        },
        { field: 'comment', why: why.comment.en, whyFr: why.comment.fr, required: false },
      ],
    },
    observation.comment,
  );
  s.statusReason = joinLocalized([t('reason.actionRecycle'), ...buyerSays(observation)]);
  setStatus(ctx, 'ACTION_REQUIRED', s.statusReason);
  const received = await awaitAnswer(ctx, false);
  s.invoice = answerRules().applyAnswerValues(s.invoice, received.values ?? {});
  s.statusReason = undefined;
  closeTask(ctx);
  const request = {
    connectionId: ctx.connectionId,
    identifiantFactureCPP: s.chorusInvoiceId!,
    buyerSiret: s.invoice.buyer.siret,
    serviceCode: s.invoice.buyer.serviceCode,
    engagementNumber: s.invoice.references.engagementNumber,
    comment: received.values?.comment,
  };
  const outcome = await withConnection(ctx, () => chorus.recycleInvoice(request));
  const { connectionId: _c, ...recorded } = request;
  record(ctx, {
    kind: 'chorus.recycled',
    ...withoutUndefined(recorded),
    ...(outcome?.sent === false ? { noLongerPending: outcome.chorusSays } : {}),
  });
  // The payment horizon counts from this change, not from the return: the time the task waited
  // for a person never ends tracking.
  s.lastChorusChangeAt = nowIso();
  return settledReturn(ctx, outcome, 'DEPOSEE', observation.status);
}

/** SUSPENDUE: asks a person for the missing documents, uploads them, then `completer` (false: as `recycle`). */
export async function complete(ctx: InvoiceContext, observation: ChorusStatusObservation): Promise<boolean> {
  const s = ctx.state;
  const title = t('task.complete.title');
  const description = joinLocalized([
    t('task.complete.description'),
    ...buyerSays(observation),
    t('task.complete.ask'),
  ]);
  const why = {
    attachments: t('task.field.attachments.complete'),
    comment: t('task.field.comment.complete'),
  };
  openTask(
    ctx,
    {
      kind: 'COMPLETE',
      title: title.en,
      titleFr: title.fr,
      description: description.en,
      descriptionFr: description.fr,
      fields: [
        { field: 'attachments', why: why.attachments.en, whyFr: why.attachments.fr, required: false },
        { field: 'comment', why: why.comment.en, whyFr: why.comment.fr, required: false },
      ],
    },
    observation.comment,
  );
  s.statusReason = joinLocalized([t('reason.actionComplete'), ...buyerSays(observation)]);
  setStatus(ctx, 'ACTION_REQUIRED', s.statusReason);
  const received = await awaitAnswer(ctx, false);
  s.statusReason = undefined;
  closeTask(ctx);
  const added = await uploadAll(ctx, received.attachments ?? []);
  s.attachments = mergeAttachments(s.attachments, added);
  const attachments = added.map((a) => ({
    pieceJointeId: a.pieceJointeId!,
    fileName: a.fileName,
    type: a.type,
  }));
  const comment = received.values?.comment;
  const outcome = await withConnection(ctx, () =>
    chorus.completeInvoice({
      connectionId: ctx.connectionId,
      identifiantFactureCPP: s.chorusInvoiceId!,
      attachments,
      comment,
    }),
  );
  record(ctx, {
    kind: 'chorus.completed',
    identifiantFactureCPP: s.chorusInvoiceId!,
    attachments,
    ...(comment ? { comment } : {}),
    ...(outcome?.sent === false ? { noLongerPending: outcome.chorusSays } : {}),
  });
  s.lastChorusChangeAt = nowIso();
  return settledReturn(ctx, outcome, 'COMPLETEE', observation.status);
}

/**
 * The Chorus status an answered return leads to; or, when it was no longer pending, a journey note.
 * No outcome at all is a send: the activity of a worker from before outcomes were returned.
 */
function settledReturn(
  ctx: InvoiceContext,
  outcome: { sent: true } | { sent: false; chorusSays: string } | undefined,
  next: string,
  returned: string,
): boolean {
  if (outcome?.sent !== false) {
    ctx.state.chorusStatus = next;
    return true;
  }
  note(ctx, t('journey.returnNoLongerPending', { status: returned, chorusSays: outcome.chorusSays }));
  return false;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Validator statuses that wait for the supplier to name the right validator (sub- and co-contractors). */
export const VALIDATOR_ERROR_STATUSES = ['ERREUR_FOURNISSEUR_SUR_VALIDEUR', 'ERREUR_COTRAITANT_SUR_VALIDEUR'];

/**
 * ERREUR_…_SUR_VALIDEUR: the validator must be corrected. Chorus Pro's API route for it is not
 * documented, so a person corrects it in the portal and confirms here (tracking goes on), or refuses
 * (tracking stops, the invoice stays in Chorus Pro as it is). Returns whether to keep tracking.
 */
export async function correctValidator(
  ctx: InvoiceContext,
  observation: ChorusStatusObservation,
): Promise<boolean> {
  const s = ctx.state;
  const title = t('task.validatorError.title');
  const description = joinLocalized([
    t('task.validatorError.description', { status: observation.status }),
    ...buyerSays(observation),
    t('task.validatorError.ask'),
  ]);
  openTask(
    ctx,
    {
      kind: 'VALIDATOR_ERROR',
      title: title.en,
      titleFr: title.fr,
      description: description.en,
      descriptionFr: description.fr,
      fields: [],
    },
    observation.comment,
  );
  s.statusReason = joinLocalized([
    t('reason.actionValidator', { status: observation.status }),
    ...buyerSays(observation),
  ]);
  setStatus(ctx, 'ACTION_REQUIRED', s.statusReason);
  const decision = await awaitAnswer(ctx, false);
  s.statusReason = undefined;
  closeTask(ctx);
  // The horizon counts from the person's answer: the time the task waited never ends tracking.
  s.lastChorusChangeAt = nowIso();
  return decision.approve === true;
}
