import { log, upsertSearchAttributes } from '@temporalio/workflow';
import type { Localized } from '../../domain/messages';
import type { NewAuditFact } from '../contracts/audit';
import type { InvoiceEvent, InvoiceStatus, OpenTask } from '../contracts/invoice';
import * as sa from '../contracts/search-attributes';
import { failureMessage } from '../failures';
import { webhooks } from './activity-proxies';
import type { InvoiceContext } from './context';

/**
 * The only ways an invoice's state changes: a status, a task opened or closed, a journey note, an
 * audit fact. Each publishes what others see (search attributes, webhook events).
 */

/** Records an audit fact, stamped with the workflow's time. */
export function record(ctx: InvoiceContext, fact: NewAuditFact): void {
  ctx.state.audit.push({ ...fact, at: new Date().toISOString() } as (typeof ctx.state.audit)[number]);
}

/** A line of the invoice's journey (what the invoice page shows). */
export function note(ctx: InvoiceContext, text: Localized): void {
  const s = ctx.state;
  s.journey.push({ at: new Date().toISOString(), status: s.status, note: text.en, noteFr: text.fr });
}

export function setStatus(ctx: InvoiceContext, next: InvoiceStatus, noteText?: Localized): void {
  const s = ctx.state;
  const previous = s.status;
  const changed = next !== previous;
  s.status = next;
  if (changed || noteText) {
    s.journey.push({
      at: new Date().toISOString(),
      status: next,
      chorusStatus: s.chorusStatus,
      ...(noteText ? { note: noteText.en, noteFr: noteText.fr } : {}),
    });
  }
  if (changed) {
    record(ctx, {
      kind: 'status.changed',
      from: previous,
      to: next,
      ...(s.chorusStatus ? { chorusStatus: s.chorusStatus } : {}),
      ...(s.statusReason ? { reason: s.statusReason.en, reasonFr: s.statusReason.fr } : {}),
    });
  }
  publish(ctx);
  if (changed) emit(ctx, 'invoice.status_changed', previous);
}

/** Search attributes: lists and task inboxes are visibility queries on them. */
export function publish(ctx: InvoiceContext): void {
  const s = ctx.state;
  upsertSearchAttributes([
    { key: sa.InvoiceStatus, value: s.status },
    { key: sa.ChorusStatus, value: s.chorusStatus ?? null },
    { key: sa.ConnectionId, value: ctx.connectionId },
    { key: sa.BuyerSiret, value: s.invoice.buyer.siret },
    { key: sa.InvoiceNumber, value: s.invoice.invoiceNumber },
    { key: sa.HasOpenTask, value: s.task !== undefined },
    ...(s.supplier ? [{ key: sa.SupplierSiret, value: s.supplier.siret }] : []),
  ]);
}

/** Queues a webhook event when the invoice has a webhook; delivery never blocks the lifecycle. */
export function emit(ctx: InvoiceContext, type: InvoiceEvent['type'], previousStatus?: InvoiceStatus): void {
  const s = ctx.state;
  const url = s.invoice.webhookUrl;
  if (!url) return;
  s.eventSequence += 1;
  const event: InvoiceEvent = {
    id: `${ctx.workflowId}#${s.eventSequence}`,
    type,
    occurredAt: new Date().toISOString(),
    invoice: {
      workflowId: ctx.workflowId,
      connectionId: ctx.connectionId,
      invoiceNumber: s.invoice.invoiceNumber,
      status: s.status,
      previousStatus,
      chorusStatus: s.chorusStatus,
      chorusInvoiceId: s.chorusInvoiceId,
      statusReason: s.statusReason?.en,
    },
    ...(s.task && type !== 'invoice.status_changed'
      ? { task: { id: s.task.id, kind: s.task.kind, title: s.task.title } }
      : {}),
  };
  ctx.deliveries.push(
    webhooks.deliverWebhook({ url, event }).catch((err: unknown) => {
      log.warn('webhook delivery gave up', { eventId: event.id, error: failureMessage(err) });
    }),
  );
}

export type TaskSpec = Omit<OpenTask, 'id' | 'openedAt' | 'remindersSent'>;

/** Opens a task for a person; its id is unique within the invoice's journey. */
export function openTask(ctx: InvoiceContext, spec: TaskSpec, buyerComment?: string): OpenTask {
  const s = ctx.state;
  const task: OpenTask = {
    ...spec,
    id: `${spec.kind.toLowerCase()}-${s.journey.length + 1}`,
    openedAt: new Date().toISOString(),
    remindersSent: 0,
  };
  s.task = task;
  s.answer = undefined;
  record(ctx, {
    kind: 'task.opened',
    taskId: task.id,
    taskKind: task.kind,
    fields: task.fields.map((f) => ({
      field: f.field,
      why: f.why,
      required: f.required,
      ...(f.allowedValues ? { allowedValues: f.allowedValues.map((v) => v.value) } : {}),
    })),
    ...(buyerComment ? { buyerComment } : {}),
  });
  publish(ctx);
  emit(ctx, 'invoice.task_opened');
  return task;
}

export function closeTask(ctx: InvoiceContext): void {
  const s = ctx.state;
  if (s.task) record(ctx, { kind: 'task.closed', taskId: s.task.id, taskKind: s.task.kind });
  s.task = undefined;
  s.answer = undefined;
  publish(ctx);
}
