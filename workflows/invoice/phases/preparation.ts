import { joinLocalized, t } from '../../../domain/messages';
import { toChorusSubmitBody, type ChorusSubmitBody } from '../../../domain/chorus-invoice';
import { applyAnswerValues } from '../../../domain/task-answers';
import type { AttachmentRecord, TaskField } from '../../contracts/invoice';
import { chorus } from '../activities';
import type { InvoiceContext } from '../context';
import { InvoiceCancelled, throwIfCancelled } from '../outcomes';
import { awaitAnswer, mergeAttachments } from '../tasks';
import { closeTask, openTask, record, setStatus } from '../transitions';
import { awaitHealthyConnection, withConnection } from './connection';
import { evaluateReadiness } from './readiness';

/**
 * CHECKING ⇄ AWAITING_DATA → AWAITING_APPROVAL → UPLOADING: asks a person for what the readiness
 * checklist finds missing until it passes, then for approval when the caller wants one, then
 * uploads the attachments.
 */
export async function prepare(ctx: InvoiceContext): Promise<void> {
  await collectMissingData(ctx);
  if (ctx.state.invoice.requireApproval) await askForApproval(ctx);
  setStatus(ctx, 'UPLOADING');
  ctx.state.attachments = await uploadAll(ctx, ctx.state.attachments);
  throwIfCancelled(ctx);
}

async function collectMissingData(ctx: InvoiceContext): Promise<void> {
  const s = ctx.state;
  for (;;) {
    await awaitHealthyConnection(ctx);
    throwIfCancelled(ctx);
    setStatus(ctx, 'CHECKING');
    const ready = await evaluateReadiness(ctx);
    throwIfCancelled(ctx);
    if (ready) return;

    const failing = s.checklist.filter((i) => !i.ok);
    const supplierUnknown = failing.find((i) => i.id === 'supplier-known');
    if (supplierUnknown) {
      // The technical account cannot invoice for this supplier: a connection problem, not invoice data.
      await awaitHealthyConnection(ctx, { en: supplierUnknown.message, fr: supplierUnknown.messageFr ?? '' });
      continue;
    }
    const fields: TaskField[] = failing
      .filter((i) => i.field)
      .map((i) => ({
        field: i.field!,
        why: i.message,
        whyFr: i.messageFr,
        required: true,
        allowedValues: i.allowedValues,
        currentValue: currentValueOf(s.invoice, i.field!),
      }));
    const description = t('task.missingData.description', { count: fields.length });
    const title = t('task.missingData.title');
    openTask(ctx, {
      kind: 'MISSING_DATA',
      title: title.en,
      titleFr: title.fr,
      description: description.en,
      descriptionFr: description.fr,
      fields,
    });
    s.statusReason = joinLocalized(failing.map((i) => ({ en: i.message, fr: i.messageFr ?? i.message })));
    setStatus(ctx, 'AWAITING_DATA', s.statusReason);
    const received = await awaitAnswer(ctx, true);
    s.invoice = applyAnswerValues(s.invoice, received.values ?? {});
    if (received.attachments) s.attachments = mergeAttachments(s.attachments, received.attachments);
    s.statusReason = undefined;
    closeTask(ctx);
  }
}

async function askForApproval(ctx: InvoiceContext): Promise<void> {
  const title = t('task.approval.title');
  const description = t('task.approval.description');
  openTask(ctx, {
    kind: 'APPROVAL',
    title: title.en,
    titleFr: title.fr,
    description: description.en,
    descriptionFr: description.fr,
    fields: [],
    chorusPayload: submitBodyOf(ctx),
  });
  setStatus(ctx, 'AWAITING_APPROVAL');
  const decision = await awaitAnswer(ctx, true);
  closeTask(ctx);
  if (!decision.approve) {
    throw new InvoiceCancelled(
      decision.comment
        ? t('reason.notApprovedWithComment', { comment: decision.comment })
        : t('reason.notApproved'),
    );
  }
}

/** Uploads each attachment once (`ajouter/fichier`) and remembers its `pieceJointeId`. */
export async function uploadAll(ctx: InvoiceContext, list: AttachmentRecord[]): Promise<AttachmentRecord[]> {
  const uploaded: AttachmentRecord[] = [];
  for (const attachment of list) {
    if (attachment.pieceJointeId !== undefined) {
      uploaded.push(attachment);
      continue;
    }
    const { pieceJointeId } = await withConnection(ctx, () =>
      chorus.uploadAttachment({
        connectionId: ctx.connectionId,
        ref: attachment.ref,
        fileName: attachment.fileName,
      }),
    );
    record(ctx, {
      kind: 'attachment.uploaded',
      fileName: attachment.fileName,
      ref: attachment.ref,
      sizeBytes: attachment.sizeBytes,
      type: attachment.type,
      pieceJointeId,
    });
    uploaded.push({ ...attachment, pieceJointeId });
  }
  return uploaded;
}

/** The exact `soumettre` body for the invoice as it stands. */
export function submitBodyOf(ctx: InvoiceContext): ChorusSubmitBody {
  const s = ctx.state;
  return toChorusSubmitBody(
    { ...s.invoice, attachments: [] },
    {
      idFournisseur: s.supplier?.idStructureCPP ?? 0,
      attachments: s.attachments.map((a) => ({
        fileName: a.fileName,
        type: a.type,
        main: a.main,
        pieceJointeId: a.pieceJointeId ?? 0,
      })),
    },
  );
}

function currentValueOf(invoice: object, field: string): string | undefined {
  const value = field
    .split('.')
    .reduce<unknown>(
      (obj, key) => (obj && typeof obj === 'object' ? (obj as Record<string, unknown>)[key] : undefined),
      invoice,
    );
  return typeof value === 'string' ? value : undefined;
}
