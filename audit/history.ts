import type { LoadedDataConverter } from '@temporalio/common';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { t, type Localized, type MessageKey } from '../domain/messages';
import { redactUrl } from '../platform/redaction';
import type { AuditFact } from '../workflows/contracts/audit';
import type {
  InvoiceActivities,
  InvoiceEvent,
  InvoiceView,
  InvoiceWorkflowInput,
} from '../workflows/contracts/invoice';
import { enumName, failureText, PayloadReader, type FailureSummary } from './payloads';

export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface RunHistory {
  runId: string;
  events: HistoryEvent[];
}

/** What Temporal itself did, as read from a run's history (the facts say what the workflow decided). */
export interface TemporalEntry {
  at: string;
  kind:
    | 'run.started'
    | 'run.continued_as_new'
    | 'result'
    | 'workflow_task.failed'
    | 'activity.retried'
    | 'activity.failed'
    | 'webhook.queued';
  summary: Localized;
  details: Record<string, unknown>;
  runId: string;
  eventId: number;
}

/** The name of every activity the invoice workflow calls: adding one without a label fails to compile. */
const ACTIVITY_LABELS: Record<keyof InvoiceActivities, MessageKey> = {
  connectionHealth: 'audit.activity.connectionHealth',
  supplierFacts: 'audit.activity.supplierFacts',
  readinessFacts: 'audit.activity.readinessFacts',
  buyerFacts: 'audit.activity.buyerFacts',
  referenceLists: 'audit.activity.referenceLists',
  supplierBankAccounts: 'audit.activity.supplierBankAccounts',
  uploadAttachment: 'audit.activity.uploadAttachment',
  submitInvoice: 'audit.activity.submitInvoice',
  findSubmittedInvoice: 'audit.activity.findSubmittedInvoice',
  invoiceStatusHistory: 'audit.activity.invoiceStatusHistory',
  recycleInvoice: 'audit.activity.recycleInvoice',
  completeInvoice: 'audit.activity.completeInvoice',
  trackInvoice: 'audit.activity.trackInvoice',
  recordInvoiceState: 'audit.activity.recordInvoiceState',
};

const RECORD: keyof InvoiceActivities = 'recordInvoiceState';
const DEPOSIT: keyof InvoiceActivities = 'submitInvoice';

/** The marker the SDK records for a completed local activity (its type in `data`, its result in `result`). */
export const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/** What a local activity's marker says of it in `data`: its type and attempt (JSON written by the SDK). */
export function localActivityOf(data: Uint8Array | null | undefined): { type?: string; attempt: number } {
  if (!data) return { attempt: 1 };
  try {
    const parsed = JSON.parse(new TextDecoder().decode(data)) as {
      activity_type?: unknown;
      attempt?: unknown;
    };
    return {
      ...(typeof parsed.activity_type === 'string' ? { type: parsed.activity_type } : {}),
      attempt: typeof parsed.attempt === 'number' ? parsed.attempt : 1,
    };
  } catch {
    return { attempt: 1 };
  }
}

/** One `webhook.queued` entry per event a record queued (`{ url, event }` items). */
function queueWebhooks(
  queued: unknown[],
  add: (kind: TemporalEntry['kind'], summary: Localized, details?: Record<string, unknown>) => void,
): void {
  for (const item of queued.map(asRecord)) {
    const webhook = asRecord(item.event) as Partial<InvoiceEvent>;
    add(
      'webhook.queued',
      t('audit.webhook.queued', {
        event: describeEvent(webhook),
        url: redactUrl(String(item.url ?? '')),
      }),
      {
        eventId: webhook.id,
        type: webhook.type,
        status: webhook.invoice?.status,
        url: item.url,
        outcome: 'queued',
      },
    );
  }
}

function activityLabel(type: string): Localized {
  const key = (ACTIVITY_LABELS as Record<string, MessageKey | undefined>)[type];
  return key ? (t as (k: MessageKey) => Localized)(key) : { en: `activity ${type}`, fr: `Activité ${type}` };
}

const numberOf = (value: unknown): number =>
  value === null || value === undefined ? 0 : Number(typeof value === 'object' ? String(value) : value);

const asRecord = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** The entries of one run that come from Temporal's own events: runs, retries, failures, webhooks, results. */
export async function temporalEntries(
  run: RunHistory,
  converter: LoadedDataConverter,
): Promise<TemporalEntry[]> {
  const reader = new PayloadReader(converter);
  const entries: TemporalEntry[] = [];
  const activities = new Map<
    number,
    { type: string; input: Record<string, unknown>; attempt: number; lastFailure?: FailureSummary }
  >();
  for (const event of run.events) {
    const eventId = numberOf(event.eventId);
    const at = (optionalTsToDate(event.eventTime) ?? new Date(0)).toISOString();
    const add = (kind: TemporalEntry['kind'], summary: Localized, details: Record<string, unknown> = {}) =>
      entries.push({ at, kind, summary, details, runId: run.runId, eventId });

    if (event.workflowExecutionStartedEventAttributes) {
      const a = event.workflowExecutionStartedEventAttributes;
      add('run.started', t('audit.run.started', { runId: run.runId }), {
        workflowType: a.workflowType?.name,
        startedBy: a.identity,
        ...(a.continuedExecutionRunId ? { previousRunId: a.continuedExecutionRunId } : {}),
      });
    } else if (event.activityTaskScheduledEventAttributes) {
      const a = event.activityTaskScheduledEventAttributes;
      activities.set(eventId, {
        type: a.activityType?.name ?? 'unknown',
        input: asRecord(await reader.first(a.input?.payloads)),
        attempt: 1,
      });
    } else if (event.activityTaskStartedEventAttributes) {
      const a = event.activityTaskStartedEventAttributes;
      const activity = activities.get(numberOf(a.scheduledEventId));
      if (!activity) continue;
      activity.attempt = a.attempt ?? 1;
      activity.lastFailure = await reader.failure(a.lastFailure);
      if (activity.attempt > 1) {
        add(
          'activity.retried',
          t('audit.activity.retried', {
            activity: activityLabel(activity.type),
            attempt: activity.attempt,
            error: failureText(activity.lastFailure),
          }),
          { activity: activity.type, attempt: activity.attempt, lastFailure: activity.lastFailure },
        );
      }
    } else if (event.activityTaskCompletedEventAttributes) {
      const completed = event.activityTaskCompletedEventAttributes;
      const activity = activities.get(numberOf(completed.scheduledEventId));
      if (activity?.type !== RECORD) continue;
      // The state was recorded in the database; its webhook events leave through the outbox from here.
      const queued = Array.isArray(activity.input.events) ? activity.input.events : [];
      queueWebhooks(queued, add);
    } else if (event.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER) {
      // A local activity: its type and attempt in `data`, then its result or its failure.
      const marker = event.markerRecordedEventAttributes;
      const details = marker.details ?? {};
      const { type, attempt } = localActivityOf(details.data?.payloads?.[0]?.data);
      if (!type) continue;
      if (marker.failure) {
        const failure = await reader.failure(marker.failure);
        add(
          'activity.failed',
          t('audit.activity.failed', {
            activity: activityLabel(type),
            attempts: attempt,
            error: failureText(failure),
          }),
          { activity: type, attempts: attempt, failure },
        );
        continue;
      }
      const result = await reader.first(details.result?.payloads);
      // A record's result lists the webhook events it queued; the deposit's lists those of the
      // SUBMITTING state it stored beside its call (`recorded`).
      if (type === RECORD) queueWebhooks(Array.isArray(result) ? result : [], add);
      if (type === DEPOSIT) {
        const { recorded } = asRecord(result);
        if (Array.isArray(recorded)) queueWebhooks(recorded, add);
      }
    } else if (
      event.activityTaskFailedEventAttributes ??
      event.activityTaskTimedOutEventAttributes ??
      event.activityTaskCanceledEventAttributes
    ) {
      const failed = (event.activityTaskFailedEventAttributes ??
        event.activityTaskTimedOutEventAttributes ??
        event.activityTaskCanceledEventAttributes)!;
      const activity = activities.get(numberOf(failed.scheduledEventId));
      if (!activity) continue;
      const failure =
        'failure' in failed ? await reader.failure(failed.failure) : { message: 'cancelled by the workflow' };
      add(
        'activity.failed',
        t('audit.activity.failed', {
          activity: activityLabel(activity.type),
          attempts: activity.attempt,
          error: failureText(failure),
        }),
        { activity: activity.type, attempts: activity.attempt, failure },
      );
    } else if (event.workflowTaskFailedEventAttributes) {
      const a = event.workflowTaskFailedEventAttributes;
      const failure = await reader.failure(a.failure);
      const cause = enumName(
        temporal.api.enums.v1.WorkflowTaskFailedCause,
        a.cause,
        'WORKFLOW_TASK_FAILED_CAUSE_',
      );
      add('workflow_task.failed', t('audit.workflowTask.failed', { cause, error: failureText(failure) }), {
        cause,
        failure,
        identity: a.identity,
      });
    } else if (event.workflowExecutionContinuedAsNewEventAttributes) {
      const runId = event.workflowExecutionContinuedAsNewEventAttributes.newExecutionRunId ?? '';
      add('run.continued_as_new', t('audit.run.continued', { runId }), { newRunId: runId });
    } else if (event.workflowExecutionCompletedEventAttributes) {
      const view = asRecord(
        await reader.first(event.workflowExecutionCompletedEventAttributes.result?.payloads),
      ) as Partial<InvoiceView>;
      add('result', t('audit.result.completed', { status: view.status ?? '—' }), {
        status: view.status,
        chorusStatus: view.chorusStatus,
        chorusInvoiceId: view.chorusInvoiceId,
        statusReason: view.statusReason,
      });
    } else if (event.workflowExecutionFailedEventAttributes) {
      const failure = await reader.failure(event.workflowExecutionFailedEventAttributes.failure);
      add('result', t('audit.result.failed', { error: failureText(failure) }), {
        outcome: 'failed',
        failure,
      });
    } else if (event.workflowExecutionTerminatedEventAttributes) {
      const a = event.workflowExecutionTerminatedEventAttributes;
      add(
        'result',
        t('audit.result.terminated', { who: a.identity || 'an operator', reason: a.reason || '—' }),
        {
          outcome: 'terminated',
          reason: a.reason,
          identity: a.identity,
        },
      );
    } else if (event.workflowExecutionCanceledEventAttributes) {
      add('result', t('audit.result.cancelled'), { outcome: 'cancelled' });
    } else if (event.workflowExecutionTimedOutEventAttributes) {
      add('result', t('audit.result.timedOut'), { outcome: 'timed out' });
    }
  }
  return entries;
}

function describeEvent(event: Partial<InvoiceEvent>): string {
  const type = event.type ?? 'event';
  if (type === 'invoice.status_changed')
    return `${type} (${event.invoice?.previousStatus ?? '?'} → ${event.invoice?.status ?? '?'})`;
  if (event.task) return `${type} (task ${event.task.id}, ${event.task.kind})`;
  return type;
}

/**
 * The audit facts as the histories hold them, for when the workflow cannot be asked: the result of
 * the last run when it completed, else what the last run was started with (facts carried across
 * continue-as-new). The live query gives more: the facts of a run still going.
 */
export async function factsFromHistories(
  runs: RunHistory[],
  converter: LoadedDataConverter,
): Promise<AuditFact[]> {
  const reader = new PayloadReader(converter);
  const last = runs[runs.length - 1];
  if (!last) return [];
  for (const event of [...last.events].reverse()) {
    if (event.workflowExecutionCompletedEventAttributes) {
      const view = asRecord(
        await reader.first(event.workflowExecutionCompletedEventAttributes.result?.payloads),
      );
      if (Array.isArray(view.audit)) return view.audit as AuditFact[];
    }
    if (event.workflowExecutionStartedEventAttributes) {
      const input = asRecord(
        await reader.first(event.workflowExecutionStartedEventAttributes.input?.payloads),
      ) as Partial<InvoiceWorkflowInput>;
      return input.carried?.audit ?? [];
    }
  }
  return [];
}
