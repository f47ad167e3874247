import type { LoadedDataConverter, Payload } from '@temporalio/common';
import { searchAttributePayloadConverter } from '@temporalio/common/lib/converter/payload-search-attributes';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import { google, temporal } from '@temporalio/proto';
import {
  PUBLIC_INVOICES_SERVICE,
  readinessChecklist,
  type BuyerFacts,
  type ReadinessItem,
  type ReferenceLists,
  type SupplierFacts,
} from '../domain/readiness';
import { applyAnswerValues } from '../domain/task-answers';
import type { FoundInvoice, InvoiceEvent, SubmitOutcome } from '../workflows/invoice/activity-types';
import type {
  AttachmentRecord,
  ChorusStatusObservation,
  InvoiceView,
  InvoiceWorkflowInput,
  TaskAnswer,
} from '../workflows/invoice/definitions';

/**
 * The audit timeline of an invoice: its workflow history (every run, when it continued as new)
 * read back as a list of plain-English entries — checks and their results, tasks and who answered
 * them with what, the exact `soumettre` request and Chorus's answer, retries and their causes,
 * Chorus statuses with Chorus's own timestamps, webhooks, reminders and the final result.
 *
 * Pure: it reads events and decodes their payloads with the data converter it is given (payload
 * codecs first, then the payload converter), so it works on encrypted and on plain histories.
 * Every decoded value goes through `redact()` and every sentence through `redactText()`: no
 * secret, token, sealed string or file content can come out, even if one ever got in.
 */

export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface RunHistory {
  runId: string;
  events: HistoryEvent[];
}

export const AUDIT_ENTRY_KINDS = [
  'run.started',
  'run.continued_as_new',
  'result',
  'workflow_task.failed',
  'check',
  'checklist',
  'status',
  'chorus.status',
  'task.opened',
  'task.answered',
  'task.refused',
  'task.reminder',
  'cancel.requested',
  'attachment.uploaded',
  'chorus.submitted',
  'chorus.lookup',
  'chorus.recycled',
  'chorus.completed',
  'tracking',
  'activity.retried',
  'activity.failed',
  'webhook.delivered',
  'webhook.failed',
  'webhook.queued',
  'timer.fired',
  'signal',
  'update',
] as const;

export type AuditEntryKind = (typeof AUDIT_ENTRY_KINDS)[number];

export interface AuditEntry {
  /** When it happened (the history event's time), ISO 8601. */
  at: string;
  kind: AuditEntryKind;
  /** One sentence a person can read. */
  summary: string;
  /** The same facts, structured (decoded and redacted). */
  details: Record<string, unknown>;
  runId: string;
  eventId: number;
}

// ---- redaction ------------------------------------------------------------------------------

/** Keys whose values are never shown, whatever they hold. */
export const SECRET_KEY =
  /secret|password|passwd|token|authorization|motDePasse|contentBase64|pieceJointeFichier|cpro-?account|api-?key|private-?key|credentials/i;

export const REDACTED = '[redacted]';

const LONG_BASE64_RUN = /[A-Za-z0-9+/_-]{40,}={0,2}/g;
const WHOLE_BASE64 = /^[A-Za-z0-9+/_-]{40,}={0,2}$/;

/** Base64 content or an opaque token: long, and mixing upper case, lower case and digits (hex digests are kept). */
function looksLikeBase64(text: string): boolean {
  return text.length >= 40 && /[A-Z]/.test(text) && /[a-z]/.test(text) && /[0-9]/.test(text);
}

/** Removes secrets from free text: bearer/basic credentials, sealed strings, `secret=…` pairs, base64 runs. */
export function redactText(text: string): string {
  return text
    .replace(/sealed:v\d+:[^\s"',;)]*/gi, REDACTED)
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`)
    .replace(
      /\b([\w-]*(?:secret|password|passwd|token|authorization|motDePasse)[\w-]*)(["']?\s*[=:]\s*["']?)(?!(?:Bearer|Basic)\s|\[redacted\])([^\s"'&,;]+)/gi,
      `$1$2${REDACTED}`,
    )
    .replace(LONG_BASE64_RUN, (run) =>
      looksLikeBase64(run) ? `[dropped: ${run.length} base64 characters]` : run,
    );
}

/**
 * A deep copy of `value` that is safe to show: values under secret-looking keys become
 * "[redacted]", long base64 strings and binary data are dropped, strings are cleaned by
 * `redactText`, webhook URLs lose their query strings and credentials.
 */
export function redact(value: unknown, key = ''): unknown {
  if (key && SECRET_KEY.test(key)) return REDACTED;
  if (value === null || value === undefined) return value;
  if (typeof value === 'string') {
    if (WHOLE_BASE64.test(value) && looksLikeBase64(value))
      return `[dropped: ${value.length} base64 characters]`;
    if (/url$/i.test(key)) return redactUrl(value);
    return redactText(value);
  }
  if (typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return `[dropped: ${value.length} bytes]`;
  if (Array.isArray(value)) return value.map((v) => redact(v));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redact(v, k);
  return out;
}

/** A URL without user info and without its query string (which may carry a token). */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    const query = url.search ? `?${REDACTED}` : '';
    return redactText(`${url.protocol}//${url.host}${url.pathname}${query}`);
  } catch {
    return redactText(text);
  }
}

// ---- decoding -----------------------------------------------------------------------------

const UNDECODABLE = '[undecodable]';

/** Payloads → values, through the codecs (last first) then the payload converter. */
class PayloadReader {
  constructor(private readonly converter: LoadedDataConverter) {}

  async values(payloads: Payload[] | null | undefined): Promise<unknown[]> {
    if (!payloads || payloads.length === 0) return [];
    let decoded: Payload[] = payloads;
    try {
      for (const codec of [...this.converter.payloadCodecs].reverse()) decoded = await codec.decode(decoded);
    } catch (err) {
      return payloads.map(() => ({ [UNDECODABLE]: (err as Error).message }));
    }
    return decoded.map((payload) => {
      try {
        return this.converter.payloadConverter.fromPayload(payload);
      } catch (err) {
        return { [UNDECODABLE]: (err as Error).message };
      }
    });
  }

  async first(payloads: Payload[] | null | undefined): Promise<unknown> {
    return (await this.values(payloads))[0];
  }

  async failure(
    failure: temporal.api.failure.v1.IFailure | null | undefined,
  ): Promise<FailureSummary | undefined> {
    if (!failure) return undefined;
    let message = failure.message ?? '';
    if (failure.encodedAttributes) {
      const attributes = await this.first([failure.encodedAttributes]);
      if (attributes && typeof attributes === 'object' && 'message' in attributes)
        message = String((attributes as { message: unknown }).message);
    }
    const info = failure.applicationFailureInfo;
    const details = info?.details?.payloads?.length ? await this.values(info.details.payloads) : undefined;
    const timeout = failure.timeoutFailureInfo?.timeoutType;
    const cause = await this.failure(failure.cause);
    return {
      message: redactText(message),
      ...(info?.type ? { type: info.type } : {}),
      ...(info?.nonRetryable ? { nonRetryable: true } : {}),
      ...(timeout ? { timeout: enumName(temporal.api.enums.v1.TimeoutType, timeout, 'TIMEOUT_TYPE_') } : {}),
      ...(details ? { details: redact(details) } : {}),
      ...(cause ? { cause } : {}),
    };
  }
}

export interface FailureSummary {
  message: string;
  type?: string;
  nonRetryable?: boolean;
  timeout?: string;
  details?: unknown;
  cause?: FailureSummary;
}

function enumName(enumeration: Record<string, unknown>, value: unknown, prefix: string): string {
  const name = typeof value === 'number' ? enumeration[value] : value;
  return typeof name === 'string' ? name.replace(prefix, '') : String(value);
}

function numberOf(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return Number(typeof value === 'object' ? String(value) : value);
}

function durationMs(duration: google.protobuf.IDuration | null | undefined): number {
  if (!duration) return 0;
  return numberOf(duration.seconds) * 1000 + Math.round((duration.nanos ?? 0) / 1e6);
}

/** 3600000 → "1 hour", 200 → "200 ms". */
export function humanDuration(ms: number): string {
  const units: Array<[number, string]> = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${name}${ms / size === 1 ? '' : 's'}`;
  }
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} seconds`;
  return `${ms} ms`;
}

/** One sentence: a single final full stop. */
function sentence(text: string): string {
  const t = text.trim().replace(/\.{2,}(\s|$)/g, '.$1');
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

function failureText(failure: FailureSummary | undefined): string {
  if (!failure) return 'no reason given';
  const own = `${failure.type ? `${failure.type}: ` : ''}${failure.message.replace(/[.\s]+$/, '')}`.trim();
  const cause = failure.cause ? failureText(failure.cause) : '';
  return [own, cause].filter(Boolean).join(' — caused by ') || 'no reason given';
}

/** "key dev-staff (staff, user claire)"; accepts the older string form too. */
export function describeWho(actor: unknown): string {
  if (typeof actor === 'string' && actor.trim()) return redactText(actor.trim());
  if (actor && typeof actor === 'object') {
    const a = actor as { keyId?: unknown; role?: unknown; user?: unknown };
    const parts = [
      typeof a.role === 'string' ? a.role : undefined,
      typeof a.user === 'string' ? `user ${a.user}` : undefined,
    ].filter(Boolean);
    const key = typeof a.keyId === 'string' ? `key ${a.keyId}` : 'an unknown key';
    return redactText(parts.length ? `${key} (${parts.join(', ')})` : key);
  }
  return 'someone (no identity recorded)';
}

function quoted(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `"${text.length > 120 ? `${text.slice(0, 117)}…` : text}"`;
}

/** Chorus timestamps: `YYYY-MM-DD HH:MM` or a date; compared to the minute. */
function chorusMoment(text: string | undefined): string {
  return (text ?? '').replace('T', ' ').slice(0, 16);
}

// ---- the builder ------------------------------------------------------------------------------

type Invoice = InvoiceWorkflowInput['invoice'];
type TaskKind = 'MISSING_DATA' | 'APPROVAL' | 'RECYCLE' | 'COMPLETE' | 'DUPLICATE_NUMBER';

interface AskedField {
  field: string;
  why?: string;
  allowedValues?: string[];
}

interface PendingTask {
  entry: AuditEntry;
  kind?: TaskKind;
  fields: AskedField[];
  reason?: string;
  taskId?: string;
}

interface ScheduledActivity {
  type: string;
  input: unknown;
  attempt: number;
  lastFailure?: FailureSummary;
}

type TimerPurpose =
  'task-reminder' | 'tracking-fallback' | 'resubmit-backoff' | 'connection-recheck' | 'other';

const ACTIVITY_LABELS: Record<string, string> = {
  connectionHealth: 'connection health check',
  supplierFacts: 'supplier check',
  buyerFacts: 'buyer check in Chorus Pro',
  referenceLists: 'reading of the Chorus Pro reference lists',
  uploadAttachment: 'attachment upload (ajouter/fichier)',
  submitInvoice: 'submission (factures/soumettre)',
  findSubmittedInvoice: 'lookup by invoice number (rechercher/fournisseur)',
  invoiceStatusHistory: 'reading of the Chorus Pro status history (consulter/historique)',
  recycleInvoice: 'recycling (factures/recycler)',
  completeInvoice: 'completion (factures/completer)',
  trackInvoice: 'registration with the connection tracker',
  untrackInvoice: 'removal from the connection tracker',
  deliverWebhook: 'webhook delivery',
  recordInvoiceState: 'database record',
};

const labelOf = (type: string) => ACTIVITY_LABELS[type] ?? `activity ${type}`;

const TASK_KIND_BY_ID_PREFIX: Record<string, TaskKind> = {
  missing_data: 'MISSING_DATA',
  approval: 'APPROVAL',
  recycle: 'RECYCLE',
  complete: 'COMPLETE',
  duplicate_number: 'DUPLICATE_NUMBER',
};

function taskKindOfId(taskId: unknown): TaskKind | undefined {
  if (typeof taskId !== 'string') return undefined;
  return TASK_KIND_BY_ID_PREFIX[taskId.replace(/-\d+$/, '')];
}

const asRecord = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** Everything the builder remembers across events and runs. */
class TimelineState {
  readonly entries: AuditEntry[] = [];
  invoice?: Invoice;
  webhookUrl?: string;
  attachments = new Map<string, AttachmentRecord>();
  status?: string;
  chorusStatus?: string | null;
  hasOpenTask = false;
  round?: { supplier?: SupplierFacts; buyer?: BuyerFacts; lists?: ReferenceLists };
  lastChecklist?: ReadinessItem[];
  lastBuyer?: BuyerFacts;
  lastChorusComment?: string;
  task?: PendingTask;
  tasks: PendingTask[] = [];
  chorusSeen = new Map<string, string[]>();
}

/**
 * The timeline of an invoice from its runs' histories, oldest run first. Entries are in time
 * order (ties keep history order).
 */
export async function buildTimeline(
  runs: RunHistory[],
  converter: LoadedDataConverter,
): Promise<AuditEntry[]> {
  const reader = new PayloadReader(converter);
  const state = new TimelineState();
  for (const run of runs) await readRun(run, reader, state);

  for (const task of state.tasks) task.entry.summary = taskOpenedSummary(task);
  return state.entries
    .map((entry, i) => ({
      entry: {
        ...entry,
        summary: sentence(redactText(entry.summary)),
        details: asRecord(redact(entry.details)),
      },
      i,
    }))
    .sort((a, b) => (a.entry.at < b.entry.at ? -1 : a.entry.at > b.entry.at ? 1 : a.i - b.i))
    .map(({ entry }) => entry);
}

async function readRun(run: RunHistory, reader: PayloadReader, state: TimelineState): Promise<void> {
  const activities = new Map<number, ScheduledActivity>();
  const timers = new Map<string, { purpose: TimerPurpose; ms: number }>();
  const updates = new Map<number, { name: string; args: unknown[] }>();

  for (const event of run.events) {
    const eventId = numberOf(event.eventId);
    const at = (optionalTsToDate(event.eventTime) ?? new Date(0)).toISOString();
    const add = (
      kind: AuditEntryKind,
      summary: string,
      details: Record<string, unknown> = {},
    ): AuditEntry => {
      const entry: AuditEntry = { at, kind, summary, details, runId: run.runId, eventId };
      state.entries.push(entry);
      return entry;
    };

    if (event.workflowExecutionStartedEventAttributes) {
      const a = event.workflowExecutionStartedEventAttributes;
      const input = asRecord(await reader.first(a.input?.payloads)) as Partial<InvoiceWorkflowInput>;
      if (input.invoice) state.invoice = input.invoice;
      if (input.invoice?.webhookUrl) state.webhookUrl = input.invoice.webhookUrl;
      for (const attachment of input.attachments ?? []) state.attachments.set(attachment.ref, attachment);
      readSearchAttributes(a.searchAttributes?.indexedFields, state, add, true);
      if (a.continuedExecutionRunId) {
        const carried = input.carried;
        if (carried?.status) state.status = carried.status;
        add(
          'run.started',
          `The workflow continued in a new run (continued from run ${a.continuedExecutionRunId}${carried ? `, carrying status ${carried.status} and ${carried.chorusTimeline?.length ?? 0} Chorus Pro status(es)` : ''}).`,
          {
            previousRunId: a.continuedExecutionRunId,
            ...(carried
              ? {
                  carried: {
                    status: carried.status,
                    chorusStatus: carried.chorusStatus,
                    chorusInvoiceId: carried.chorusInvoiceId,
                    pendingObservations: carried.pendingObservations?.length ?? 0,
                  },
                }
              : {}),
          },
        );
      } else {
        const invoice = input.invoice;
        add(
          'run.started',
          invoice
            ? `Invoice ${invoice.invoiceNumber} was received for buyer ${invoice.buyer?.siret} on connection ${invoice.connectionId}, with ${invoice.lines?.length ?? 0} line(s) and ${input.attachments?.length ?? 0} attachment(s).`
            : `The workflow ${a.workflowType?.name ?? ''} started.`,
          {
            workflowType: a.workflowType?.name,
            startedBy: a.identity,
            ...(invoice
              ? {
                  invoiceNumber: invoice.invoiceNumber,
                  connectionId: invoice.connectionId,
                  type: invoice.type,
                  issueDate: invoice.issueDate,
                  buyer: invoice.buyer,
                  references: invoice.references,
                  billingFrame: invoice.billingFrame,
                  vatRegime: invoice.vatRegime,
                  paymentMode: invoice.paymentMode,
                  lines: invoice.lines,
                  requireApproval: invoice.requireApproval,
                  webhookUrl: invoice.webhookUrl,
                }
              : {}),
            attachments: (input.attachments ?? []).map(attachmentFacts),
            requestHash: input.requestHash,
            timings: input.timings,
          },
        );
      }
      continue;
    }

    if (event.upsertWorkflowSearchAttributesEventAttributes) {
      readSearchAttributes(
        event.upsertWorkflowSearchAttributesEventAttributes.searchAttributes?.indexedFields,
        state,
        add,
        false,
      );
      continue;
    }

    if (event.activityTaskScheduledEventAttributes) {
      const a = event.activityTaskScheduledEventAttributes;
      activities.set(eventId, {
        type: a.activityType?.name ?? 'unknown',
        input: await reader.first(a.input?.payloads),
        attempt: 1,
      });
      continue;
    }

    if (event.activityTaskStartedEventAttributes) {
      const a = event.activityTaskStartedEventAttributes;
      const activity = activities.get(numberOf(a.scheduledEventId));
      if (!activity) continue;
      activity.attempt = a.attempt ?? 1;
      activity.lastFailure = await reader.failure(a.lastFailure);
      if (activity.attempt > 1) {
        add(
          'activity.retried',
          `The ${labelOf(activity.type)} started attempt ${activity.attempt}; the previous attempt failed: ${failureText(activity.lastFailure)}.`,
          { activity: activity.type, attempt: activity.attempt, lastFailure: activity.lastFailure },
        );
      }
      continue;
    }

    if (event.activityTaskCompletedEventAttributes) {
      const a = event.activityTaskCompletedEventAttributes;
      const activity = activities.get(numberOf(a.scheduledEventId));
      if (!activity) continue;
      const result = await reader.first(a.result?.payloads);
      readActivityResult(activity, result, state, add);
      continue;
    }

    const failed =
      event.activityTaskFailedEventAttributes ??
      event.activityTaskTimedOutEventAttributes ??
      event.activityTaskCanceledEventAttributes;
    if (failed) {
      const activity = activities.get(numberOf(failed.scheduledEventId));
      if (!activity) continue;
      const failure =
        'failure' in failed ? await reader.failure(failed.failure) : { message: 'cancelled by the workflow' };
      const retryState =
        'retryState' in failed && failed.retryState
          ? enumName(temporal.api.enums.v1.RetryState, failed.retryState, 'RETRY_STATE_')
          : undefined;
      readActivityFailure(activity, failure, retryState, add);
      continue;
    }

    if (event.timerStartedEventAttributes) {
      const a = event.timerStartedEventAttributes;
      timers.set(a.timerId ?? '', { purpose: timerPurpose(state), ms: durationMs(a.startToFireTimeout) });
      continue;
    }

    if (event.timerFiredEventAttributes) {
      const timer = timers.get(event.timerFiredEventAttributes.timerId ?? '');
      if (!timer) continue;
      const after = humanDuration(timer.ms);
      if (timer.purpose === 'task-reminder') {
        const task = state.task;
        add(
          'task.reminder',
          `Reminder: the ${task?.kind ? `${task.kind} ` : ''}task was still unanswered after ${after}.`,
          { taskKind: task?.kind, taskId: task?.taskId, after },
        );
      } else if (timer.purpose === 'tracking-fallback') {
        add(
          'timer.fired',
          `No status news from the connection tracker for ${after}: the invoice read its Chorus Pro status history itself.`,
          { purpose: timer.purpose, after },
        );
      } else if (timer.purpose === 'resubmit-backoff') {
        add(
          'timer.fired',
          `Waited ${after} after the unanswered submission; the invoice is looked up in Chorus Pro before anything is sent again.`,
          { purpose: timer.purpose, after },
        );
      }
      continue;
    }

    if (event.workflowExecutionSignaledEventAttributes) {
      const a = event.workflowExecutionSignaledEventAttributes;
      const args = await reader.values(a.input?.payloads);
      readSignal(a.signalName ?? '', args, a.identity ?? undefined, state, add);
      continue;
    }

    if (event.workflowExecutionUpdateAcceptedEventAttributes) {
      const request = event.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest;
      const name = request?.input?.name ?? '';
      const args = await reader.values(request?.input?.args?.payloads);
      updates.set(eventId, { name, args });
      readUpdate(
        name,
        args,
        request?.meta?.identity ?? undefined,
        request?.meta?.updateId ?? undefined,
        state,
        add,
      );
      continue;
    }

    if (event.workflowExecutionUpdateCompletedEventAttributes) {
      const a = event.workflowExecutionUpdateCompletedEventAttributes;
      const update = updates.get(numberOf(a.acceptedEventId));
      if (a.outcome?.failure) {
        const failure = await reader.failure(a.outcome.failure);
        add(
          'update',
          `The ${update?.name ?? 'update'} request failed after it was accepted: ${failureText(failure)}.`,
          {
            update: update?.name,
            failure,
          },
        );
      }
      continue;
    }

    if (event.workflowExecutionUpdateRejectedEventAttributes) {
      const a = event.workflowExecutionUpdateRejectedEventAttributes;
      const args = await reader.values(a.rejectedRequest?.input?.args?.payloads);
      const failure = await reader.failure(a.failure);
      const answer = asRecord(args[0]);
      add(
        'task.refused',
        `An answer${answer.taskId ? ` to task ${String(answer.taskId)}` : ''} by ${describeWho(answer.answeredBy)} was refused: ${failureText(failure)}.`,
        { update: a.rejectedRequest?.input?.name, answer: args[0], failure },
      );
      continue;
    }

    if (event.workflowTaskFailedEventAttributes) {
      const a = event.workflowTaskFailedEventAttributes;
      const failure = await reader.failure(a.failure);
      const cause = enumName(
        temporal.api.enums.v1.WorkflowTaskFailedCause,
        a.cause,
        'WORKFLOW_TASK_FAILED_CAUSE_',
      );
      add(
        'workflow_task.failed',
        `A workflow task failed (${cause}): ${failureText(failure)}; Temporal retries it.`,
        { cause, failure, identity: a.identity },
      );
      continue;
    }

    if (event.workflowExecutionContinuedAsNewEventAttributes) {
      const a = event.workflowExecutionContinuedAsNewEventAttributes;
      add(
        'run.continued_as_new',
        `The workflow continued as new in run ${a.newExecutionRunId} to keep its history short.`,
        { newRunId: a.newExecutionRunId },
      );
      continue;
    }

    if (event.workflowExecutionCompletedEventAttributes) {
      const view = asRecord(
        await reader.first(event.workflowExecutionCompletedEventAttributes.result?.payloads),
      ) as Partial<InvoiceView>;
      const extra = [
        view.chorusStatus ? `Chorus Pro status ${view.chorusStatus}` : undefined,
        view.chorusInvoiceId !== undefined ? `Chorus Pro invoice ${view.chorusInvoiceId}` : undefined,
      ].filter(Boolean);
      add(
        'result',
        `The invoice workflow ended with status ${view.status ?? 'unknown'}${extra.length ? ` (${extra.join(', ')})` : ''}${view.statusReason ? `: ${view.statusReason}` : ''}.`.replace(
          /\.\.$/,
          '.',
        ),
        {
          status: view.status,
          chorusStatus: view.chorusStatus,
          chorusInvoiceId: view.chorusInvoiceId,
          statusReason: view.statusReason,
          chorusTimeline: view.chorusTimeline,
        },
      );
      continue;
    }

    if (event.workflowExecutionFailedEventAttributes) {
      const failure = await reader.failure(event.workflowExecutionFailedEventAttributes.failure);
      add('result', `The invoice workflow failed: ${failureText(failure)}.`, { outcome: 'failed', failure });
      continue;
    }

    if (event.workflowExecutionTerminatedEventAttributes) {
      const a = event.workflowExecutionTerminatedEventAttributes;
      add(
        'result',
        `The invoice workflow was terminated by ${a.identity || 'an operator'}${a.reason ? `: ${a.reason}` : ''}.`,
        { outcome: 'terminated', reason: a.reason, identity: a.identity },
      );
      continue;
    }

    if (event.workflowExecutionCancelRequestedEventAttributes) {
      const a = event.workflowExecutionCancelRequestedEventAttributes;
      add(
        'cancel.requested',
        `Temporal cancellation of the workflow was requested by ${a.identity || 'an operator'}${a.cause ? `: ${a.cause}` : ''}.`,
        { via: 'temporal', identity: a.identity, cause: a.cause },
      );
      continue;
    }

    if (event.workflowExecutionCanceledEventAttributes) {
      add('result', 'The invoice workflow was cancelled through Temporal.', { outcome: 'cancelled' });
      continue;
    }

    if (event.workflowExecutionTimedOutEventAttributes) {
      add('result', 'The invoice workflow timed out.', { outcome: 'timed out' });
    }
  }
}

type Add = (kind: AuditEntryKind, summary: string, details?: Record<string, unknown>) => AuditEntry;

function attachmentFacts(a: AttachmentRecord): Record<string, unknown> {
  return {
    fileName: a.fileName,
    sizeBytes: a.sizeBytes,
    ref: a.ref,
    type: a.type,
    main: a.main,
    ...(a.pieceJointeId !== undefined ? { pieceJointeId: a.pieceJointeId } : {}),
  };
}

function readSearchAttributes(
  fields: Record<string, Payload> | null | undefined,
  state: TimelineState,
  add: Add,
  initial: boolean,
): void {
  if (!fields) return;
  const value = (name: string): unknown => {
    const payload = fields[name];
    if (!payload) return undefined;
    try {
      const decoded = searchAttributePayloadConverter.fromPayload(payload) as unknown;
      return Array.isArray(decoded) ? (decoded.length === 0 ? null : decoded[0]) : decoded;
    } catch {
      return undefined;
    }
  };
  const status = value('InvoiceStatus');
  const chorus = 'ChorusStatus' in fields ? value('ChorusStatus') : undefined;
  const hasOpenTask = value('HasOpenTask');

  const previousStatus = state.status;
  const previousChorus = state.chorusStatus;
  const statusChanged = typeof status === 'string' && status !== previousStatus;
  const chorusChanged = chorus !== undefined && (chorus ?? null) !== (previousChorus ?? null);
  if (typeof status === 'string') state.status = status;
  if (chorus !== undefined) state.chorusStatus = (chorus as string | null) ?? null;

  if (!initial && (statusChanged || chorusChanged) && previousStatus !== undefined) {
    const parts = [
      statusChanged ? `Status ${previousStatus} → ${String(status)}` : undefined,
      chorusChanged
        ? `${statusChanged ? 'Chorus Pro status' : "The invoice's Chorus Pro status changed"} ${previousChorus ?? 'none'} → ${String(chorus ?? 'none')}`
        : undefined,
    ].filter(Boolean);
    add('status', `${parts.join('; ')} (search attributes updated).`, {
      ...(statusChanged ? { from: previousStatus, to: status } : { status: state.status }),
      ...(chorusChanged ? { chorusStatusFrom: previousChorus ?? null, chorusStatusTo: chorus ?? null } : {}),
    });
  }

  // A new readiness round, unless the same round resumes after waiting for the connection.
  if (statusChanged && status === 'CHECKING' && (!state.round || previousStatus !== 'WAITING_FOR_CONNECTION'))
    state.round = {};

  if (typeof hasOpenTask === 'boolean') {
    if (hasOpenTask && !state.hasOpenTask && !initial) openTask(state, add);
    if (!hasOpenTask) state.task = undefined;
    state.hasOpenTask = hasOpenTask;
  }
  // The status set just after a task opens says which kind of task it is.
  if (statusChanged && state.task && !state.task.kind) {
    if (status === 'AWAITING_DATA') setTaskKind(state, state.task, 'MISSING_DATA');
    if (status === 'AWAITING_APPROVAL') setTaskKind(state, state.task, 'APPROVAL');
  }
}

function openTask(state: TimelineState, add: Add): void {
  const entry = add('task.opened', '', {});
  const task: PendingTask = { entry, fields: [] };
  state.task = task;
  state.tasks.push(task);
  if (state.status === 'SUBMITTING') setTaskKind(state, task, 'DUPLICATE_NUMBER');
  else if (state.chorusStatus === 'A_RECYCLER') setTaskKind(state, task, 'RECYCLE');
  else if (state.chorusStatus === 'SUSPENDUE') setTaskKind(state, task, 'COMPLETE');
  else if (state.lastChecklist?.some((i) => !i.ok)) setTaskKind(state, task, 'MISSING_DATA');
}

function setTaskKind(state: TimelineState, task: PendingTask, kind: TaskKind): void {
  task.kind = kind;
  switch (kind) {
    case 'MISSING_DATA':
      task.fields = (state.lastChecklist ?? [])
        .filter((i) => !i.ok && i.field)
        .map((i) => ({
          field: i.field!,
          why: i.message,
          ...(i.allowedValues ? { allowedValues: i.allowedValues.map((v) => v.value) } : {}),
        }));
      break;
    case 'RECYCLE':
      task.reason = state.lastChorusComment;
      task.fields = [
        {
          field: 'buyer.serviceCode',
          why: 'The buyer service that must receive the invoice.',
          allowedValues: (state.lastBuyer?.services ?? [])
            .filter((s) => s.active && s.code !== PUBLIC_INVOICES_SERVICE)
            .map((s) => s.code),
        },
        { field: 'references.engagementNumber', why: 'The engagement number, if the buyer asks for one.' },
        { field: 'comment', why: 'A message for the buyer.' },
      ];
      break;
    case 'COMPLETE':
      task.reason = state.lastChorusComment;
      task.fields = [
        { field: 'attachments', why: 'The missing supporting documents.' },
        { field: 'comment', why: 'A message for the buyer.' },
      ];
      break;
    default:
      task.fields = [{ field: 'approve', why: 'Approve (true) or refuse (false).' }];
  }
  task.entry.details = {
    taskKind: kind,
    ...(task.taskId ? { taskId: task.taskId } : {}),
    fields: task.fields,
    ...(task.reason ? { buyerComment: task.reason } : {}),
  };
}

function taskOpenedSummary(task: PendingTask): string {
  const kind = task.kind ?? 'a';
  const id = task.taskId ? ` ${task.taskId}` : '';
  switch (task.kind) {
    case 'MISSING_DATA':
      return `Task${id} opened: MISSING_DATA, asking for ${task.fields.map((f) => f.field).join(', ') || 'data'} — ${task.fields
        .map((f) => f.why)
        .filter(Boolean)
        .join(' ')}`.replace(/\s*—\s*$/, '.');
    case 'RECYCLE':
      return `Task${id} opened: RECYCLE, asking for a new buyer.serviceCode and/or references.engagementNumber because the buyer sent the invoice back (A_RECYCLER)${task.reason ? ` saying ${quoted(task.reason)}` : ''}.`;
    case 'COMPLETE':
      return `Task${id} opened: COMPLETE, asking for attachments and/or a comment because the buyer suspended the invoice (SUSPENDUE)${task.reason ? ` saying ${quoted(task.reason)}` : ''}.`;
    case 'APPROVAL':
      return `Task${id} opened: APPROVAL, asking a person to approve or refuse the exact data before it is sent.`;
    case 'DUPLICATE_NUMBER':
      return `Task${id} opened: DUPLICATE_NUMBER, asking whether the invoice Chorus Pro already has under this number is this one.`;
    default:
      return `Task${id} opened (${kind} task).`;
  }
}

function timerPurpose(state: TimelineState): TimerPurpose {
  if (state.hasOpenTask) return 'task-reminder';
  if (state.status === 'TRACKING' || state.status === 'SUBMITTED') return 'tracking-fallback';
  if (state.status === 'SUBMITTING') return 'resubmit-backoff';
  if (state.status === 'WAITING_FOR_CONNECTION') return 'connection-recheck';
  return 'other';
}

function recordChorusStatuses(
  observations: Array<Partial<ChorusStatusObservation>>,
  source: string,
  state: TimelineState,
  add: Add,
): void {
  const fresh = observations
    .filter((o) => typeof o.status === 'string')
    .filter((o) => {
      // The same status at the same moment; a date alone (soumettre's dateDepot) matches any time that day.
      const moment = chorusMoment(o.at);
      const seen = state.chorusSeen.get(o.status!) ?? [];
      const same = seen.findIndex(
        (s) => s === moment || (s && moment && (s.startsWith(moment) || moment.startsWith(s))),
      );
      if (same >= 0) {
        if (moment.length > seen[same].length) seen[same] = moment;
        return false;
      }
      state.chorusSeen.set(o.status!, [...seen, moment]);
      return true;
    })
    .sort((a, b) =>
      chorusMoment(a.at) < chorusMoment(b.at) ? -1 : chorusMoment(a.at) > chorusMoment(b.at) ? 1 : 0,
    );
  for (const o of fresh) {
    if (o.comment) state.lastChorusComment = o.comment;
    add(
      'chorus.status',
      `Chorus Pro status ${o.status}${o.at ? ` at ${o.at} (Chorus Pro time)` : ''}${o.comment ? `, with the comment ${quoted(o.comment)}` : ''}, ${source}.`,
      {
        status: o.status,
        chorusAt: o.at,
        ...(o.comment ? { comment: o.comment } : {}),
        ...(o.identifiantFactureCPP !== undefined ? { identifiantFactureCPP: o.identifiantFactureCPP } : {}),
        source,
      },
    );
  }
}

function readActivityResult(
  activity: ScheduledActivity,
  result: unknown,
  state: TimelineState,
  add: Add,
): void {
  const input = asRecord(activity.input);
  const attempts = activity.attempt > 1 ? ` (on attempt ${activity.attempt})` : '';
  const retry = activity.attempt > 1 ? { attempts: activity.attempt, lastFailure: activity.lastFailure } : {};
  switch (activity.type) {
    case 'connectionHealth': {
      const health = asRecord(result);
      add(
        'check',
        health.healthy
          ? `Connection ${String(input.connectionId ?? activity.input)} is healthy${attempts}.`
          : `Connection ${String(input.connectionId ?? activity.input)} cannot be used: ${String(health.reason ?? 'no reason given')}.`,
        { check: 'connection', ok: Boolean(health.healthy), reason: health.reason, ...retry },
      );
      return;
    }
    case 'supplierFacts': {
      const supplier = asRecord(result) as Partial<SupplierFacts>;
      if (state.round) state.round.supplier = supplier as SupplierFacts;
      const ok = supplier.idStructureCPP !== null && supplier.idStructureCPP !== undefined;
      add(
        'check',
        ok
          ? `Supplier ${supplier.siret} is known to the connection's technical account (Chorus Pro structure ${supplier.idStructureCPP}, ${supplier.isPublic ? 'public' : 'private'})${attempts}.`
          : `Supplier ${supplier.siret} is not among the structures the connection's technical account may invoice for${attempts}.`,
        { check: 'supplier', ok, ...supplier, ...retry },
      );
      break;
    }
    case 'buyerFacts': {
      const buyer = asRecord(result) as Partial<BuyerFacts>;
      state.lastBuyer = buyer as BuyerFacts;
      if (state.round && state.status === 'CHECKING') state.round.buyer = buyer as BuyerFacts;
      const s = buyer.structure;
      const active = (buyer.services ?? []).filter((x) => x.active).map((x) => x.code);
      const needs = s
        ? [
            s.serviceCodeRequired ? 'a service code' : undefined,
            s.engagementRequired ? 'an engagement number' : undefined,
            s.serviceOrEngagementRequired ? 'a service code or an engagement number' : undefined,
          ].filter(Boolean)
        : [];
      const engagement =
        buyer.engagementFound === undefined
          ? ''
          : buyer.engagementFound
            ? `; engagement ${String(input.engagementNumber)} found`
            : `; engagement ${String(input.engagementNumber)} NOT found`;
      add(
        'check',
        s
          ? `Buyer ${String(input.buyerSiret)} checked in Chorus Pro: ${s.designation}, ${s.active ? 'active' : 'NOT active'}, ${needs.length ? `requires ${needs.join(' and ')}` : 'no service code or engagement required'}; active services: ${active.join(', ') || 'none'}${engagement}${attempts}.`
          : `Buyer ${String(input.buyerSiret)} was NOT found in Chorus Pro${attempts}.`,
        {
          check: 'buyer',
          ok: Boolean(s?.active) && buyer.engagementFound !== false,
          request: {
            buyerSiret: input.buyerSiret,
            serviceCode: input.serviceCode,
            engagementNumber: input.engagementNumber,
          },
          structure: s,
          services: buyer.services,
          ...(buyer.engagementFound !== undefined ? { engagementFound: buyer.engagementFound } : {}),
          ...retry,
        },
      );
      break;
    }
    case 'referenceLists': {
      const lists = asRecord(result) as ReferenceLists;
      if (state.round) state.round.lists = lists;
      add(
        'check',
        `Chorus Pro reference lists read: ${lists.billingFrames?.length ?? 0} billing frame(s), ${lists.vatExemptionReasons?.length ?? 0} VAT exemption reason(s), ${lists.paymentModes?.length ?? 0} payment mode(s)${attempts}.`,
        {
          check: 'reference-lists',
          ok: true,
          billingFrames: lists.billingFrames?.map((v) => v.value),
          vatExemptionReasons: lists.vatExemptionReasons?.map((v) => v.value),
          paymentModes: lists.paymentModes?.map((v) => v.value),
          ...retry,
        },
      );
      break;
    }
    case 'uploadAttachment': {
      const ref = String(input.ref ?? '');
      const known = state.attachments.get(ref);
      const pieceJointeId = asRecord(result).pieceJointeId;
      if (known && typeof pieceJointeId === 'number') state.attachments.set(ref, { ...known, pieceJointeId });
      add(
        'attachment.uploaded',
        `Attachment ${String(input.fileName)}${known ? ` (${known.sizeBytes} bytes, ${ref})` : ` (${ref})`} was uploaded to Chorus Pro as piece ${String(pieceJointeId)}${attempts}.`,
        {
          fileName: input.fileName,
          sizeBytes: known?.sizeBytes,
          ref,
          type: known?.type,
          pieceJointeId,
          ...retry,
        },
      );
      return;
    }
    case 'submitInvoice': {
      const outcome = asRecord(result) as Partial<SubmitOutcome> & Record<string, unknown>;
      const body = input.body;
      if (outcome.kind === 'accepted') {
        add(
          'chorus.submitted',
          `The invoice was sent to Chorus Pro (factures/soumettre) and accepted as Chorus Pro invoice ${String(outcome.identifiantFactureCPP)}, status ${String(outcome.statut)}${outcome.dateDepot ? `, deposited ${String(outcome.dateDepot)}` : ''}.`,
          { request: body, response: outcome, ...retry },
        );
        recordChorusStatuses(
          [
            {
              status: String(outcome.statut),
              at: outcome.dateDepot ? String(outcome.dateDepot) : undefined,
              identifiantFactureCPP: outcome.identifiantFactureCPP as number,
            },
          ],
          'answered by soumettre',
          state,
          add,
        );
      } else if (outcome.kind === 'duplicate-number') {
        add(
          'chorus.submitted',
          `The invoice was sent to Chorus Pro (factures/soumettre), which refused the number as already used: ${String(outcome.libelle)} (code ${String(outcome.codeRetour)}).`,
          { request: body, response: outcome, ...retry },
        );
      } else {
        add(
          'chorus.submitted',
          `The invoice was sent to Chorus Pro (factures/soumettre), which refused it: ${String(outcome.libelle)} (code ${String(outcome.codeRetour)}).`,
          { request: body, response: outcome, ...retry },
        );
      }
      return;
    }
    case 'findSubmittedInvoice': {
      const found = result as FoundInvoice | null;
      add(
        'chorus.lookup',
        found
          ? `Invoice ${String(input.invoiceNumber)} was looked up in Chorus Pro and found: Chorus Pro invoice ${found.identifiantFactureCPP}, status ${found.statut}, buyer ${found.buyerSiret}${found.amountInclVat ? `, ${found.amountInclVat} incl. VAT` : ''}${found.dateDepot ? `, deposited ${found.dateDepot}` : ''}${attempts}.`
          : `Invoice ${String(input.invoiceNumber)} was looked up in Chorus Pro and not found${attempts}.`,
        { invoiceNumber: input.invoiceNumber, found: found ?? null, ...retry },
      );
      return;
    }
    case 'invoiceStatusHistory': {
      const list = Array.isArray(result) ? (result as ChorusStatusObservation[]) : [];
      recordChorusStatuses(list, 'read from the Chorus Pro status history', state, add);
      return;
    }
    case 'recycleInvoice':
      add(
        'chorus.recycled',
        `Chorus Pro invoice ${String(input.identifiantFactureCPP)} was recycled (factures/recycler) to buyer ${String(input.buyerSiret)}${input.serviceCode ? `, service ${String(input.serviceCode)}` : ''}${input.engagementNumber ? `, engagement ${String(input.engagementNumber)}` : ''}${input.comment ? `, comment ${quoted(input.comment)}` : ''}${attempts}.`,
        { request: input, ...retry },
      );
      return;
    case 'completeInvoice': {
      const files = Array.isArray(input.attachments)
        ? (input.attachments as Array<Record<string, unknown>>)
        : [];
      add(
        'chorus.completed',
        `Chorus Pro invoice ${String(input.identifiantFactureCPP)} was completed (factures/completer) with ${files.length} attachment(s)${files.length ? ` (${files.map((f) => String(f.fileName)).join(', ')})` : ''}${input.comment ? ` and the comment ${quoted(input.comment)}` : ''}${attempts}.`,
        { request: input, ...retry },
      );
      return;
    }
    case 'trackInvoice':
      add(
        'tracking',
        `Chorus Pro invoice ${String(input.identifiantFactureCPP)} was handed to the connection's tracker, which polls statuses in batches.`,
        { action: 'track', identifiantFactureCPP: input.identifiantFactureCPP },
      );
      return;
    case 'untrackInvoice':
      add(
        'tracking',
        'The invoice was removed from the connection tracker: it needs no more status polling.',
        {
          action: 'untrack',
        },
      );
      return;
    case 'recordInvoiceState': {
      // The row is the state already shown; its webhook events leave through the outbox from here.
      const events = Array.isArray(input.events) ? input.events.map(asRecord) : [];
      for (const queued of events) {
        const event = asRecord(queued.event) as Partial<InvoiceEvent>;
        add(
          'webhook.queued',
          `Webhook ${describeEvent(event)} was queued for ${redactUrl(String(queued.url ?? ''))}; the outbox delivers it (GET /v1/webhooks/events).`,
          {
            eventId: event.id,
            type: event.type,
            status: event.invoice?.status,
            previousStatus: event.invoice?.previousStatus,
            url: queued.url,
            outcome: 'queued',
          },
        );
      }
      return;
    }
    case 'deliverWebhook': {
      const event = asRecord(input.event) as Partial<InvoiceEvent>;
      add(
        'webhook.delivered',
        `Webhook ${describeEvent(event)} was delivered to ${redactUrl(String(input.url ?? ''))} on attempt ${activity.attempt}${activity.lastFailure ? ` (the previous attempt failed: ${failureText(activity.lastFailure)})` : ''}.`,
        {
          eventId: event.id,
          type: event.type,
          status: event.invoice?.status,
          previousStatus: event.invoice?.previousStatus,
          url: input.url,
          attempts: activity.attempt,
          outcome: 'delivered',
          ...(activity.lastFailure ? { lastFailure: activity.lastFailure } : {}),
        },
      );
      return;
    }
    default:
      add('check', `The ${labelOf(activity.type)} completed${attempts}.`, {
        activity: activity.type,
        ...retry,
      });
      return;
  }
  maybeChecklist(state, add);
}

function describeEvent(event: Partial<InvoiceEvent>): string {
  const type = event.type ?? 'event';
  if (type === 'invoice.status_changed')
    return `${type} (${event.invoice?.previousStatus ?? '?'} → ${event.invoice?.status ?? '?'})`;
  if (event.task) return `${type} (task ${event.task.id}, ${event.task.kind})`;
  return type;
}

/** Once the three facts of a CHECKING round are in, the readiness checklist they gave. */
function maybeChecklist(state: TimelineState, add: Add): void {
  const round = state.round;
  if (!round?.supplier || !round.buyer || !round.lists || !state.invoice) return;
  state.round = undefined;
  let items: ReadinessItem[];
  try {
    items = readinessChecklist({
      invoice: { ...state.invoice, attachments: [] } as Parameters<typeof readinessChecklist>[0]['invoice'],
      supplier: round.supplier,
      buyer: round.buyer,
      attachments: [...state.attachments.values()].map((a) => ({
        fileName: a.fileName,
        sizeBytes: a.sizeBytes,
      })),
      lists: round.lists,
    });
  } catch {
    return;
  }
  state.lastChecklist = items;
  const failed = items.filter((i) => !i.ok);
  add(
    'checklist',
    failed.length === 0
      ? `Readiness checklist: all ${items.length} checks passed.`
      : `Readiness checklist: ${items.length - failed.length} of ${items.length} checks passed; failed: ${failed.map((i) => `${i.id} (${i.message.replace(/\.$/, '')})`).join('; ')}.`,
    {
      ok: failed.length === 0,
      items: items.map((i) => ({
        id: i.id,
        ok: i.ok,
        message: i.message,
        ...(i.field ? { field: i.field } : {}),
      })),
      evaluatedWith: 'the readiness rules applied to the facts recorded in this history',
    },
  );
}

function readActivityFailure(
  activity: ScheduledActivity,
  failure: FailureSummary | undefined,
  retryState: string | undefined,
  add: Add,
): void {
  const input = asRecord(activity.input);
  const details = {
    activity: activity.type,
    attempts: activity.attempt,
    failure,
    ...(retryState ? { retryState } : {}),
  };
  if (activity.type === 'deliverWebhook') {
    const event = asRecord(input.event) as Partial<InvoiceEvent>;
    add(
      'webhook.failed',
      `Webhook ${describeEvent(event)} to ${redactUrl(String(input.url ?? ''))} was given up after ${activity.attempt} attempt(s): ${failureText(failure)}.`,
      { ...details, eventId: event.id, type: event.type, url: input.url, outcome: 'gave up' },
    );
    return;
  }
  if (activity.type === 'submitInvoice') {
    add(
      'activity.failed',
      `The submission (factures/soumettre) got no usable answer: ${failureText(failure)}. The outcome is unknown, so the invoice is looked up in Chorus Pro before anything is sent again.`,
      { ...details, request: input.body },
    );
    return;
  }
  add(
    'activity.failed',
    `The ${labelOf(activity.type)} failed after ${activity.attempt} attempt(s): ${failureText(failure)}.`,
    details,
  );
}

function readSignal(
  name: string,
  args: unknown[],
  identity: string | undefined,
  state: TimelineState,
  add: Add,
): void {
  if (name === 'chorusStatus') {
    const observations = Array.isArray(args[0]) ? (args[0] as ChorusStatusObservation[]) : [];
    recordChorusStatuses(observations, 'reported by the connection tracker', state, add);
    return;
  }
  if (name === 'connectionHealthy') {
    add('signal', 'The connection said it is healthy again; the waiting invoice re-checks it.', {
      signal: name,
      identity,
    });
    return;
  }
  if (name === 'taskAnswerRefused') {
    const refusal = asRecord(args[0]);
    const fields = asRecord(refusal.fields);
    add(
      'task.refused',
      `An answer to task ${String(refusal.taskId ?? '?')} by ${describeWho(refusal.answeredBy)} was refused: ${
        Object.entries(fields)
          .map(([field, message]) => `${field}: ${String(message)}`)
          .join('; ') || String(refusal.message ?? 'no reason given')
      }.`,
      { ...refusal, identity },
    );
    return;
  }
  add('signal', `Signal ${name} received.`, { signal: name, args, identity });
}

function readUpdate(
  name: string,
  args: unknown[],
  identity: string | undefined,
  updateId: string | undefined,
  state: TimelineState,
  add: Add,
): void {
  if (name === 'answerTask') {
    const answer = asRecord(args[0]) as Partial<TaskAnswer>;
    const task = state.task;
    const kind = taskKindOfId(answer.taskId) ?? task?.kind;
    if (task) {
      task.taskId = answer.taskId;
      if (!task.kind && kind) setTaskKind(state, task, kind);
      else task.entry.details = { ...task.entry.details, taskId: answer.taskId };
    }
    const values = answer.values ?? {};
    const parts = [
      ...Object.entries(values).map(([field, value]) => `${field} = ${quoted(value)}`),
      ...(answer.approve !== undefined ? [answer.approve ? 'approved' : 'refused'] : []),
      ...(answer.comment ? [`comment ${quoted(answer.comment)}`] : []),
      ...(answer.attachments?.length
        ? [
            `${answer.attachments.length} attachment(s): ${answer.attachments.map((a) => a.fileName).join(', ')}`,
          ]
        : []),
    ];
    add(
      'task.answered',
      `Task ${String(answer.taskId)}${kind ? ` (${kind})` : ''} was answered by ${describeWho(answer.answeredBy)}: ${parts.join(', ') || 'no values'}.`,
      {
        taskId: answer.taskId,
        taskKind: kind,
        answeredBy: answer.answeredBy ?? null,
        values,
        ...(answer.approve !== undefined ? { approve: answer.approve } : {}),
        ...(answer.comment ? { comment: answer.comment } : {}),
        attachments: (answer.attachments ?? []).map(attachmentFacts),
        clientIdentity: identity,
        updateId,
      },
    );
    if (state.invoice && Object.keys(values).length > 0) {
      try {
        state.invoice = applyAnswerValues(state.invoice, values);
      } catch {
        // The workflow validated these values; a rule change since then must not break the timeline.
      }
    }
    for (const a of answer.attachments ?? [])
      if (!state.attachments.has(a.ref)) state.attachments.set(a.ref, a);
    return;
  }
  if (name === 'cancelInvoice') {
    const request = asRecord(args[0]);
    add(
      'cancel.requested',
      `Cancellation was requested by ${describeWho(request.requestedBy)}${request.reason ? `, reason ${quoted(request.reason)}` : ''}.`,
      {
        requestedBy: request.requestedBy ?? null,
        reason: request.reason,
        clientIdentity: identity,
        updateId,
      },
    );
    return;
  }
  add('update', `Update ${name} accepted.`, { update: name, args, clientIdentity: identity, updateId });
}
