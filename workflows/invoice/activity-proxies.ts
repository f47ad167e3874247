import {
  proxyActivities,
  proxyLocalActivities,
  type ActivityOptions,
  type LocalActivityOptions,
} from '@temporalio/workflow';
import { msOf } from '../../domain/durations';
import { ACTIVITY_HEARTBEAT_TIMEOUT, RECORD_ACTIVITY_OPTIONS } from '../activity-options';
import { holdClockAt } from './clock';
import { LOCAL_RETRY_THRESHOLD_MS, NON_RETRYABLE_TYPES } from '../contracts/failures';
import { DEFAULT_TIMINGS, type InvoiceActivities } from '../contracts/invoice';

function chorusOptions(maximumInterval: string): ActivityOptions {
  return {
    startToCloseTimeout: '2 minutes',
    heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
    retry: {
      initialInterval: '2 seconds',
      backoffCoefficient: 2,
      maximumInterval: msOf(maximumInterval),
      nonRetryableErrorTypes: [...NON_RETRYABLE_TYPES],
    },
  };
}

/** The Chorus steps before the deposit that run as local activities (see `localChorus`). */
type LocalChorusSteps = Pick<InvoiceActivities, 'readinessFacts' | 'uploadAttachment'>;

function localChorusOptions(maximumInterval: string): LocalActivityOptions {
  const { heartbeatTimeout: _none, ...options } = chorusOptions(maximumInterval);
  return {
    // The same 2 minutes: an upload may wait that long for its turn of the PISTE quota (quota-wait.ts).
    ...options,
    // Backoffs of 2 and 4 s are waited in the worker; from 8 s on, on a workflow timer, so that a
    // Chorus outage does not hold the workflow task (signals, updates, queries) for minutes.
    localRetryThreshold: LOCAL_RETRY_THRESHOLD_MS,
  };
}

// Module state is this workflow's own: the SDK keeps one module cache per workflow execution.
let pacedChorus = proxyActivities<InvoiceActivities>(chorusOptions(DEFAULT_TIMINGS.chorusRetryMaxInterval));
let pacedLocalChorus = proxyLocalActivities<LocalChorusSteps>(
  localChorusOptions(DEFAULT_TIMINGS.chorusRetryMaxInterval),
);

/**
 * Reads and idempotent writes: Temporal retries them with backoff for as long as Chorus is down,
 * at most `chorusRetryMaxInterval` apart (the invoice's timings: see paceChorusRetries).
 */
export const chorus: InvoiceActivities = new Proxy({} as InvoiceActivities, {
  get: (_target, name) => pacedChorus[name as keyof InvoiceActivities],
});

/**
 * The readiness look-up and the attachment uploads, as local activities: run by the worker that
 * runs the workflow task, recorded as one marker each, with no activity task to queue and no
 * workflow task after them (5 events fewer each, and two server round trips). Both are reads or
 * idempotent writes, retried like `chorus`. What it costs: while one runs the workflow task stays
 * open, so a signal, an update (a cancel) or a query waits for it, or for the task's heartbeat (at
 * 80 % of the workflow task timeout, 8 s by default) when it runs longer, and it holds one of
 * the worker's workflow task slots (WORKER_MAX_CONCURRENT_WORKFLOW_TASKS) as long.
 */
export const localChorus: LocalChorusSteps = {
  readinessFacts: (request) => stampedByItsEnd(() => pacedLocalChorus.readinessFacts(request)),
  uploadAttachment: (request) => stampedByItsEnd(() => pacedLocalChorus.uploadAttachment(request)),
};

/**
 * The rest of the step after a local activity is stamped with its end by the worker's clock (never
 * before the step that started it), or with that step's time when it failed: see clock.ts.
 */
async function stampedByItsEnd<T extends { endedAtMs: number }>(run: () => Promise<T>): Promise<T> {
  const startedAtMs = Date.now();
  try {
    const result = await run();
    // A result recorded before it carried its end (a replay of such a run) keeps workflow time.
    if (Number.isFinite(result.endedAtMs)) holdClockAt(Math.max(startedAtMs, result.endedAtMs));
    return result;
  } catch (err) {
    holdClockAt(startedAtMs);
    throw err;
  }
}

const uploadOnce = proxyLocalActivities<Pick<LocalChorusSteps, 'uploadAttachment'>>({
  ...localChorusOptions(DEFAULT_TIMINGS.chorusRetryMaxInterval),
  retry: { maximumAttempts: 1 },
});

/**
 * An upload made ahead of need (beside the readiness look-up): one attempt, a local activity like
 * `localChorus`'s; what fails is uploaded again when needed, with `localChorus`'s retries.
 */
export const localChorusOnce: Pick<LocalChorusSteps, 'uploadAttachment'> = {
  uploadAttachment: (request) => stampedByItsEnd(() => uploadOnce.uploadAttachment(request)),
};

/** Called once at the workflow's start with its timings: the backoff ceiling of every Chorus activity. */
export function paceChorusRetries(maximumInterval: string): void {
  pacedChorus = proxyActivities<InvoiceActivities>(chorusOptions(maximumInterval));
  pacedLocalChorus = proxyLocalActivities<LocalChorusSteps>(localChorusOptions(maximumInterval));
}

const depositOnce = proxyLocalActivities<Pick<InvoiceActivities, 'submitInvoice'>>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 1 },
});

/**
 * `soumettre`, never retried blindly: one attempt, then the workflow looks the invoice up. A local
 * activity, run in the workflow task that the uploads ended in (no workflow task to complete and no
 * activity task to dispatch between the last upload and the deposit). A worker that stops while it
 * runs leaves no marker: the next worker runs the step again, and the activity, finding the attempt
 * claimed (`claim`), sends nothing and fails as an unknown outcome does, so the invoice is looked up.
 */
export const submission: Pick<InvoiceActivities, 'submitInvoice'> = {
  submitInvoice: (request) => stampedByItsEnd(() => depositOnce.submitInvoice(request)),
};

/**
 * The invoice's row and webhook outbox in the app database: in order, never awaited by the lifecycle.
 * Local activities, never awaited by a step: a slow database holds no step (see `localChorus` for
 * what a local activity costs).
 */
export const recorder = proxyLocalActivities<InvoiceActivities>(RECORD_ACTIVITY_OPTIONS);

/**
 * The same record as an activity: the step in which the deposit ended sends its record this way, so
 * that its workflow task, which stores Chorus's answer in the history, completes without waiting for
 * the database (a local activity holds its task open until it ends; a slow or unreachable database
 * would hold the deposit's outcome back with it).
 */
export const recordingActivity = proxyActivities<Pick<InvoiceActivities, 'recordInvoiceState'>>({
  startToCloseTimeout: RECORD_ACTIVITY_OPTIONS.startToCloseTimeout,
  retry: RECORD_ACTIVITY_OPTIONS.retry,
});
