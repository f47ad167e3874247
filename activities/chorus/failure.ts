import { ApplicationFailure } from '@temporalio/common';
import { isChorusError, NON_RETRYABLE_CHORUS_ERROR_TYPES } from './errors';

/** Give this to `nonRetryableErrorTypes` in the retry policies of Chorus activities. */
export const NON_RETRYABLE_CHORUS_FAILURE_TYPES: string[] = [...NON_RETRYABLE_CHORUS_ERROR_TYPES];

/**
 * What a Chorus activity throws: the error's `type` and retryability, Retry-After as the next
 * retry delay, and secret-free details. Workflows match on `failure.cause.type` (NOTES C10).
 */
export function toApplicationFailure(error: unknown): ApplicationFailure {
  if (error instanceof ApplicationFailure) return error;
  if (!isChorusError(error)) {
    // Not a Chorus outcome (a bug, a bad argument): retried like any unknown failure.
    return ApplicationFailure.fromError(error);
  }
  return ApplicationFailure.create({
    message: error.message,
    type: error.type,
    nonRetryable: !error.retryable,
    details: [error.toDetails()],
    nextRetryDelay: error.retryAfterSeconds !== undefined ? `${error.retryAfterSeconds}s` : undefined,
  });
}
