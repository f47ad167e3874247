import { joinLocalized, t } from '../../../domain/messages';
import { toChorusSubmitBody, type ChorusSubmitBody } from '../../../domain/chorus-invoice';
import { bankAccountToSend } from '../../../domain/readiness';
import type { ReadinessItem } from '../../../domain/readiness';
import { answerRules } from '../answer-rules';
import type { AttachmentRecord, TaskField } from '../../contracts/invoice';
import { localChorus, localChorusOnce } from '../activity-proxies';
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
  const early = ctx.state.invoice.requireApproval ? undefined : uploadEarly(ctx);
  await collectMissingData(ctx, early);
  if (ctx.state.invoice.requireApproval) await askForApproval(ctx);
  setStatus(ctx, 'UPLOADING');
  ctx.state.attachments = await uploadAll(ctx, ctx.state.attachments, await early);
  throwIfCancelled(ctx);
}

/**
 * The attachments not uploaded yet, uploaded beside the first readiness look-up when nothing but the
 * checks stands between them and the deposit (no approval asked: nothing leaves before a person
 * approves). An invoice that passes its checks then finds its files uploaded: the look-up's time is
 * off every deposit's path. One attempt each, never a failure: what is not uploaded here is uploaded
 * after the checks, with retries and the connection's care. An invoice that then waits for data has
 * cost one call: Chorus keeps a piece that no invoice uses. The first look-up's outcome is acted on
 * once these have ended too (evaluateReadiness).
 */
async function uploadEarly(ctx: InvoiceContext): Promise<Map<string, number>> {
  const uploaded = new Map<string, number>();
  await Promise.all(
    ctx.state.attachments
      .filter((a) => a.pieceJointeId === undefined)
      .map(async (attachment) => {
        try {
          const { pieceJointeId } = await localChorusOnce.uploadAttachment({
            connectionId: ctx.connectionId,
            ref: attachment.ref,
            fileName: attachment.fileName,
          });
          uploaded.set(attachment.ref, pieceJointeId);
        } catch {
          // Uploaded again after the checks.
        }
      }),
  );
  return uploaded;
}

async function collectMissingData(ctx: InvoiceContext, early?: Promise<unknown>): Promise<void> {
  const s = ctx.state;
  let alongside = early;
  for (;;) {
    throwIfCancelled(ctx);
    setStatus(ctx, 'CHECKING');
    // The look-up first asks whether the connection may be used: if not, the invoice waits for it.
    // The first one ends with the uploads ahead (see evaluateReadiness).
    const checked = await evaluateReadiness(ctx, alongside);
    alongside = undefined;
    throwIfCancelled(ctx);
    if ('connectionDown' in checked) {
      await awaitHealthyConnection(ctx, checked.connectionDown);
      continue;
    }
    if (checked.ready) {
      s.lastAnswerValues = {};
      return;
    }

    const failing = s.checklist.filter((i) => !i.ok);
    const supplierUnknown = failing.find((i) => i.id === 'supplier-known');
    if (supplierUnknown) {
      // The technical account cannot invoice for this supplier: a connection problem, not invoice data.
      await awaitHealthyConnection(ctx, {
        healthy: false,
        reason: { en: supplierUnknown.message, fr: supplierUnknown.messageFr ?? '' },
      });
      continue;
    }
    const fields: TaskField[] = failing.filter((i) => i.field).flatMap((i) => fieldsOf(ctx, i));
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
    applyDataAnswer(ctx, received.values ?? {});
    if (received.attachments) s.attachments = mergeAttachments(s.attachments, received.attachments);
    s.statusReason = undefined;
    closeTask(ctx);
  }
}

/** The task fields a failing checklist item asks for: its field, and its confirmation when it has one. */
function fieldsOf(ctx: InvoiceContext, item: ReadinessItem): TaskField[] {
  const s = ctx.state;
  const field = item.field!;
  const asked: TaskField = {
    field,
    why: item.message,
    whyFr: item.messageFr,
    required: !item.oneOf,
    ...(item.oneOf ? { oneOf: item.oneOf } : {}),
    allowedValues: item.allowedValues,
    currentValue: currentValueOf(s.invoice, field),
    ...(s.lastAnswerValues[field] !== undefined ? { refusedAnswer: s.lastAnswerValues[field] } : {}),
  };
  if (!item.confirmField) return [asked];
  const why = t('readiness.engagement.confirmWhy');
  return [
    asked,
    {
      field: item.confirmField,
      why: why.en,
      whyFr: why.fr,
      required: false,
      ...(item.oneOf ? { oneOf: item.oneOf } : {}),
      allowedValues: [{ value: 'true', label: why.fr }],
    },
  ];
}

/** Applies answered values to the invoice, and remembers them in case they are refused again. */
export function applyDataAnswer(ctx: InvoiceContext, values: Record<string, string>): void {
  ctx.state.invoice = answerRules().applyAnswerValues(ctx.state.invoice, values);
  ctx.state.lastAnswerValues = { ...values };
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

/**
 * Uploads each attachment once (`ajouter/fichier`) and remembers its `pieceJointeId`; one uploaded
 * ahead (`early`, by its content's ref) is not sent again.
 */
export async function uploadAll(
  ctx: InvoiceContext,
  list: AttachmentRecord[],
  early?: Map<string, number>,
): Promise<AttachmentRecord[]> {
  const uploaded: AttachmentRecord[] = [];
  for (const attachment of list) {
    if (attachment.pieceJointeId !== undefined) {
      uploaded.push(attachment);
      continue;
    }
    const ahead = early?.get(attachment.ref);
    const { pieceJointeId } =
      ahead !== undefined
        ? { pieceJointeId: ahead }
        : await withConnection(ctx, () =>
            localChorus.uploadAttachment({
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
      bankAccountId: bankAccountToSend(s.invoice.bankAccountId, s.bankAccounts),
      attachments: s.attachments.map((a) => ({
        fileName: a.fileName,
        type: a.type,
        main: a.main,
        pieceJointeId: a.pieceJointeId ?? 0,
      })),
    },
  );
}

/** The string value at a dotted path of the invoice, if any. */
export function currentValueOf(invoice: object, field: string): string | undefined {
  const value = field
    .split('.')
    .reduce<unknown>(
      (obj, key) => (obj && typeof obj === 'object' ? (obj as Record<string, unknown>)[key] : undefined),
      invoice,
    );
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' ? value : undefined;
}
