import {
  CancellationScope,
  condition,
  log,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { Localized } from '../../domain/messages';
import type { NewAuditFact } from '../contracts/audit';
import type { InvoiceEvent, InvoiceStateRecord, InvoiceStatus, OpenTask } from '../contracts/invoice';
import * as sa from '../contracts/search-attributes';
import { failureMessage } from '../failures';
import { recorder, recordingActivity } from './activity-proxies';
import { nowIso } from './clock';
import { viewOf, type InvoiceContext } from './context';

/**
 * The only ways an invoice's state changes: a status, a task opened or closed, a journey note, an
 * audit fact. Each publishes what others see (search attributes, the database row and its webhook
 * events).
 */

/** Records an audit fact, stamped with the workflow's time (clock.ts). */
export function record(ctx: InvoiceContext, fact: NewAuditFact): void {
  ctx.state.audit.push({ ...fact, at: nowIso() } as (typeof ctx.state.audit)[number]);
}

/** A line of the invoice's journey (what the invoice page shows). */
export function note(ctx: InvoiceContext, text: Localized): void {
  const s = ctx.state;
  s.journey.push({ at: nowIso(), status: s.status, note: text.en, noteFr: text.fr });
}

export function setStatus(ctx: InvoiceContext, next: InvoiceStatus, noteText?: Localized): void {
  const s = ctx.state;
  const previous = s.status;
  const changed = next !== previous;
  s.status = next;
  if (changed || noteText) {
    s.journey.push({
      at: nowIso(),
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
  publish(ctx, changed ? event(ctx, 'invoice.status_changed', previous) : []);
}

/** Search attributes (visibility lists), only those that changed, and the database record of the new state. */
export function publish(ctx: InvoiceContext, events: InvoiceEvent[] = []): void {
  upsertSearchAttributesAtStepEnd(ctx);
  recordState(ctx, events);
}

/**
 * Upserts the search attributes once the current workflow task has nothing left to run, so that
 * statuses following each other in one step (READY then SUBMITTING, SUBMITTED then TRACKING) cost
 * one upsert, of the last one; a status the workflow then waits in (an activity, a timer, a person)
 * is the one published. A condition that is always true is checked by the SDK only after the
 * step's other code has run, still within the step: the upsert stays in the lifecycle's own step,
 * never after a local activity's result (which a replay would not place at the same point).
 */
function upsertSearchAttributesAtStepEnd(ctx: InvoiceContext): void {
  if (ctx.searchAttributes.pending) return;
  ctx.searchAttributes.pending = true;
  void stepEnd().then(() => {
    ctx.searchAttributes.pending = false;
    upsertChangedSearchAttributes(ctx);
  });
}

/** Resolves once the current workflow task has run all it can (see upsertSearchAttributesAtStepEnd). */
function stepEnd(): Promise<void> {
  return CancellationScope.nonCancellable(() => condition(() => true));
}

/** Upserts the search attributes whose value changed, in one command, none when nothing visible changed. */
function upsertChangedSearchAttributes(ctx: InvoiceContext): void {
  const s = ctx.state;
  const wanted: SearchAttributeUpdatePair[] = [
    { key: sa.InvoiceStatus, value: s.status },
    { key: sa.ChorusStatus, value: s.chorusStatus ?? null },
    { key: sa.ConnectionId, value: ctx.connectionId },
    { key: sa.BuyerSiret, value: s.invoice.buyer.siret },
    { key: sa.InvoiceNumber, value: s.invoice.invoiceNumber },
    { key: sa.HasOpenTask, value: s.task !== undefined },
    ...(s.supplier ? [{ key: sa.SupplierSiret, value: s.supplier.siret }] : []),
  ];
  const current = workflowInfo().typedSearchAttributes;
  const changed = wanted.filter(({ key, value }) => (current.get(key) ?? null) !== value);
  if (changed.length > 0) upsertSearchAttributes(changed);
}

/** A webhook event for the invoice's webhook, if it has one (its id is stable: `<workflowId>#<n>`). */
export function event(
  ctx: InvoiceContext,
  type: InvoiceEvent['type'],
  previousStatus?: InvoiceStatus,
): InvoiceEvent[] {
  const s = ctx.state;
  if (!s.invoice.webhookUrl) return [];
  s.eventSequence += 1;
  return [
    {
      id: `${ctx.workflowId}#${s.eventSequence}`,
      type,
      occurredAt: nowIso(),
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
    },
  ];
}

/**
 * The state and its webhook events, recorded in the app database one record after another (a later
 * state never lands before an earlier one), each retried until stored, never awaited by the
 * lifecycle. A record leaves at the end of the step, and changes made until then or while it is on
 * its way merge into it or the next one: the latest state and every event, so a step with several
 * changes (or a burst, or a slow database) costs one activity, not one per change.
 */
export function recordState(ctx: InvoiceContext, events: InvoiceEvent[] = []): void {
  const s = ctx.state;
  s.recordSequence += 1;
  const { audit: _facts, ...view } = viewOf(ctx);
  const url = s.invoice.webhookUrl;
  const entry: InvoiceStateRecord = JSON.parse(
    JSON.stringify({
      sequence: s.recordSequence,
      runId: workflowInfo().runId,
      recordedAt: nowIso(),
      view,
      supplierSiret: s.supplier?.siret,
      events: url ? events.map((e) => ({ url, event: e })) : [],
    }),
  ) as InvoiceStateRecord;
  const records = ctx.records;
  if (records.next) {
    records.next = { ...entry, events: [...records.next.events, ...entry.events] };
    return;
  }
  records.next = entry;
  records.chain = records.chain
    .then(stepEnd)
    .then(() => {
      const sending = records.next;
      records.next = undefined;
      // Taken to be stored by a step's own activity meanwhile (takePendingRecord).
      if (!sending) return undefined;
      return recorder.recordInvoiceState(sending).then(() => undefined);
    })
    .catch((err: unknown) => {
      log.warn('invoice record not stored', { error: failureMessage(err) });
    });
}

/**
 * The record waiting to leave at the end of this step, taken out of the chain for an activity the
 * step starts to store beside its own work (the deposit: see submitExactlyOnce), so that the step's
 * workflow task does not wait for a record of its own; `recordAgain` puts it back if it was not stored.
 */
export function takePendingRecord(ctx: InvoiceContext): InvoiceStateRecord | undefined {
  const taken = ctx.records.next;
  ctx.records.next = undefined;
  return taken;
}

/**
 * The record of this step leaves as an activity when the step ends, not as a local activity: the
 * step's workflow task then completes without waiting for the database (see `recordingActivity`).
 * Registered before any record of the step is (conditions are checked in their order), it takes the
 * step's record before the chain does; the chain's later records wait for it.
 */
export function recordStepAsActivity(ctx: InvoiceContext): void {
  const sent = stepEnd().then(() => {
    const sending = takePendingRecord(ctx);
    if (!sending) return undefined;
    return recordingActivity.recordInvoiceState(sending).then(
      () => undefined,
      (err: unknown) => log.warn('invoice record not stored', { error: failureMessage(err) }),
    );
  });
  const records = ctx.records;
  records.chain = Promise.all([records.chain, sent]).then(() => undefined);
}

/** A taken record that was not stored: the current state is recorded, with the taken record's webhook events. */
export function recordAgain(ctx: InvoiceContext, taken: InvoiceStateRecord): void {
  recordState(
    ctx,
    taken.events.map((e) => e.event),
  );
}

export type TaskSpec = Omit<OpenTask, 'id' | 'openedAt' | 'remindersSent'>;

/** Opens a task for a person; its id is unique within the invoice's journey. */
export function openTask(ctx: InvoiceContext, spec: TaskSpec, buyerComment?: string): OpenTask {
  const s = ctx.state;
  const task: OpenTask = {
    ...spec,
    id: `${spec.kind.toLowerCase()}-${s.journey.length + 1}`,
    openedAt: nowIso(),
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
  publish(ctx, event(ctx, 'invoice.task_opened'));
  return task;
}

export function closeTask(ctx: InvoiceContext): void {
  const s = ctx.state;
  if (s.task) record(ctx, { kind: 'task.closed', taskId: s.task.id, taskKind: s.task.kind });
  s.task = undefined;
  s.answer = undefined;
  publish(ctx);
}
