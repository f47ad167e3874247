import { proxyActivities, proxyLocalActivities, type ActivityOptions } from '@temporalio/workflow';
import { msOf } from '../../domain/durations';
import { ACTIVITY_HEARTBEAT_TIMEOUT, RECORD_ACTIVITY_OPTIONS } from '../activity-options';
import { NON_RETRYABLE_TYPES } from '../contracts/failures';
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

// Module state is this workflow's own: the SDK keeps one module cache per workflow execution.
let pacedChorus = proxyActivities<InvoiceActivities>(chorusOptions(DEFAULT_TIMINGS.chorusRetryMaxInterval));

/**
 * Reads and idempotent writes: Temporal retries them with backoff for as long as Chorus is down,
 * at most `chorusRetryMaxInterval` apart (the invoice's timings: see paceChorusRetries).
 */
export const chorus: InvoiceActivities = new Proxy({} as InvoiceActivities, {
  get: (_target, name) => pacedChorus[name as keyof InvoiceActivities],
});

/** Called once at the workflow's start with its timings: the backoff ceiling of every Chorus activity. */
export function paceChorusRetries(maximumInterval: string): void {
  pacedChorus = proxyActivities<InvoiceActivities>(chorusOptions(maximumInterval));
}

/** `soumettre` is never retried blindly: one attempt, then the workflow looks the invoice up. */
export const submission = proxyActivities<InvoiceActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
  retry: { maximumAttempts: 1 },
});

/**
 * The invoice's row and webhook outbox in the app database: in order, never awaited by the lifecycle.
 * Local activities: nothing in the lifecycle reads the clock after them (workflow time after a local
 * activity differs between the first run and a replay, and the audit's times must not).
 */
export const recorder = proxyLocalActivities<InvoiceActivities>(RECORD_ACTIVITY_OPTIONS);
