import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import { RECORD_ACTIVITY_OPTIONS } from '../activity-options';
import { NON_RETRYABLE_TYPES } from '../contracts/failures';
import type { InvoiceActivities } from '../contracts/invoice';

/** Reads and idempotent writes: Temporal retries them with backoff for as long as Chorus is down. */
export const chorus = proxyActivities<InvoiceActivities>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: [...NON_RETRYABLE_TYPES],
  },
});

/** `soumettre` is never retried blindly: one attempt, then the workflow looks the invoice up. */
export const submission = proxyActivities<InvoiceActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 1 },
});

/**
 * The invoice's row and webhook outbox in the app database: in order, never awaited by the lifecycle.
 * Local activities: nothing in the lifecycle reads the clock after them (workflow time after a local
 * activity differs between the first run and a replay, and the audit's times must not).
 */
export const recorder = proxyLocalActivities<InvoiceActivities>(RECORD_ACTIVITY_OPTIONS);
