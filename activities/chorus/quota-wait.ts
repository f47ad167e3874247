import { Context } from '@temporalio/activity';
import { LOCAL_QUOTA_WAIT_MS, LOCAL_RETRY_THRESHOLD_MS } from '../../workflows/contracts/failures';

/** What bounds an activity attempt: when it was scheduled and its timeouts (Temporal's activity info). */
export interface ActivityWindow {
  scheduledTimestampMs: number;
  scheduleToCloseTimeoutMs: number;
  currentAttemptScheduledTimestampMs: number;
  startToCloseTimeoutMs: number;
  /** A local activity holds its workflow task while it waits: its wait is kept short. */
  isLocal?: boolean;
}

/** The running activity attempt's window, or undefined outside an activity (scripts, the API). */
export function currentActivityWindow(): ActivityWindow | undefined {
  try {
    return Context.current().info;
  } catch {
    return undefined;
  }
}

/**
 * Until when a Chorus call may wait for its turn of the PISTE quota. In an activity: until its
 * attempt's deadline less a reserve for the call itself (its HTTP timeout, at most half of what is
 * left), so that a call queued behind many others is still sent rather than given up at its HTTP
 * timeout and retried later while the quota stands idle; in a local activity at most
 * LOCAL_QUOTA_WAIT_MS. Outside an activity: the HTTP timeout.
 */
export function quotaWaitDeadline(
  nowMs: number,
  httpTimeoutMs: number,
  activity: ActivityWindow | undefined = currentActivityWindow(),
): number {
  if (!activity) return nowMs + httpTimeoutMs;
  // The attempt's start is not in the info: counting from its scheduling errs on the early side. A
  // local activity's info is its attempt's own too (a backoff in the worker counts in it).
  let deadline = activity.currentAttemptScheduledTimestampMs + activity.startToCloseTimeoutMs;
  if (activity.scheduleToCloseTimeoutMs > 0) {
    deadline = Math.min(deadline, activity.scheduledTimestampMs + activity.scheduleToCloseTimeoutMs);
  }
  const remaining = deadline - nowMs;
  if (!(remaining > 0)) return nowMs;
  const bounded = deadline - Math.min(httpTimeoutMs, remaining / 2);
  return activity.isLocal ? Math.min(bounded, nowMs + LOCAL_QUOTA_WAIT_MS) : bounded;
}

/**
 * How long before an activity whose call found no quota turn is tried again: in a local activity at
 * least the local retry threshold, so that the retry waits on a workflow timer, not in the task.
 */
export function requeueDelayMs(
  retryAfterMs: number,
  activity: ActivityWindow | undefined = currentActivityWindow(),
): number {
  return activity?.isLocal ? Math.max(retryAfterMs, LOCAL_RETRY_THRESHOLD_MS) : retryAfterMs;
}
