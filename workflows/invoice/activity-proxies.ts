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

/**
 * The same reads and idempotent writes, as local activities: short steps (the connection's health,
 * the readiness facts — mostly cached —, registering with the tracker, the status history) cost one
 * marker event each instead of three events and a workflow task. Run again after a worker crash
 * before their marker is recorded, which they allow.
 */
export const local = proxyLocalActivities<InvoiceActivities>({
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

/** The invoice's row and webhook outbox in the app database: in order, never awaited by the lifecycle. */
export const recorder = proxyLocalActivities<InvoiceActivities>(RECORD_ACTIVITY_OPTIONS);
