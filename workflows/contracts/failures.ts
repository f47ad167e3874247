/**
 * The names of the failures workflows tell apart, as activities raise them
 * (`ApplicationFailure.type`). Chorus errors are typed in one place (activities/chorus/errors.ts);
 * these are the names the workflows act on.
 */

/** The connection needs fixing; the invoice is not wrong. The invoice waits, it never fails for these. */
export const CONNECTION_PROBLEM_TYPES = [
  'ChorusPisteCredentialsRejected',
  'ChorusTechnicalAccountRejected',
  'ChorusApiFamilyNotSubscribed',
  // A 403 naming a disabled technical user (activities/chorus/errors.ts): the account must be fixed.
  'ChorusTechnicalUserDisabled',
] as const;

/** No retry helps: the invoice's data, a missing blob, an unknown connection. */
export const NON_RETRYABLE_TYPES = [
  ...CONNECTION_PROBLEM_TYPES,
  'ChorusBusinessError',
  'BlobNotFound',
  'UnknownConnection',
] as const;

/** Why the answer update refused an answer (the API maps them: invalid → 422, others → 409). */
export const TASK_ANSWER_REFUSAL = {
  noOpenTask: 'NoOpenTask',
  staleTask: 'StaleTask',
  invalidAnswer: 'InvalidTaskAnswer',
} as const;

/** Why the cancel update refused (the invoice was already sent, or cancelled): 409. */
export const CANCEL_REFUSED = 'CancelRefused';

/**
 * Local activities (the invoice's look-up and uploads) are retried within the worker for backoffs
 * below this, holding their workflow task, and on a workflow timer from it, releasing the task.
 */
export const LOCAL_RETRY_THRESHOLD_MS = 5_000;

/**
 * The longest a Chorus call of a local activity waits for its turn of the PISTE quota: past it the
 * activity is retried on a timer, so a congested quota never holds workflow task slots for long.
 */
export const LOCAL_QUOTA_WAIT_MS = 3_000;
