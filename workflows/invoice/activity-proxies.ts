import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import { WEBHOOK_ACTIVITY_OPTIONS } from '../activity-options';
import { CONNECTION_PROBLEM_TYPES, NON_RETRYABLE_TYPES } from '../contracts/failures';
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

/** The `ApplicationFailure.type` an activity failed with, if any. */
export function failureType(err: unknown): string | undefined {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure)
    return err.cause.type ?? undefined;
  return undefined;
}

export function failureMessage(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}

/** A failure that means "the connection needs fixing", never "the invoice is wrong". */
export function isConnectionProblem(err: unknown): boolean {
  const type = failureType(err);
  return type !== undefined && (CONNECTION_PROBLEM_TYPES as readonly string[]).includes(type);
}
