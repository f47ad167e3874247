import { proxyActivities } from '@temporalio/workflow';
import { WEBHOOK_ACTIVITY_OPTIONS } from '../activity-options';
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

/** Webhooks: retried for a while, never awaited by the lifecycle. */
export const webhooks = proxyActivities<InvoiceActivities>(WEBHOOK_ACTIVITY_OPTIONS);
