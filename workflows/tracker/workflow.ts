import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { failureMessage, isConnectionProblem, reportConnectionTrouble } from '../failures';
import { msOf } from '../../domain/durations';
import { ACTIVITY_HEARTBEAT_TIMEOUT } from '../activity-options';
import {
  DEFAULT_TRACKER_SCHEDULE,
  trackerStateQuery,
  trackInvoiceSignal,
  type TrackerInput,
  type TrackerActivities,
  type TrackerView,
} from '../contracts/tracker';

const chorus = proxyActivities<TrackerActivities>({
  startToCloseTimeout: '5 minutes',
  // A poll on a worker that died is taken over after this, not after its 5 minutes.
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    nonRetryableErrorTypes: ['UnknownConnection'],
  },
});

/** How long to wait before the next poll: fast after a deposit, slower as the youngest invoice ages. */
export function nextPollDelayMs(
  youngestSince: string | undefined,
  nowMs: number,
  schedule: typeof DEFAULT_TRACKER_SCHEDULE,
): number {
  const fastest = msOf(schedule.fastest);
  const slowest = msOf(schedule.slowest);
  if (youngestSince === undefined) return slowest;
  const youngestAge = nowMs - new Date(youngestSince).getTime();
  return Math.min(slowest, Math.max(fastest, youngestAge * schedule.ageFactor));
}

/**
 * The per-connection status tracker (`tracker:<connectionId>`), started on first use. Its state is a
 * cursor and a few counters: which invoices it follows is read by each poll from the app database,
 * which also tells whether any is left (none: it waits for the next deposit's signal).
 */
export async function connectionTrackerWorkflow(input: TrackerInput): Promise<void> {
  const schedule = { ...DEFAULT_TRACKER_SCHEDULE, ...input.schedule };
  let cursor = input.cursor;
  let polls = input.polls ?? 0;
  let youngestSince = input.youngestSince;
  // What the last poll counted; a new tracker polls to find out.
  let tracked = input.tracked;
  let woken = false;
  let lastPollAt: string | undefined;
  let lastPollPages: number | undefined;
  let nextPollAt: number | undefined;

  setHandler(trackInvoiceSignal, () => {
    youngestSince = new Date().toISOString();
    woken = true;
  });
  setHandler(trackerStateQuery, (): TrackerView => ({
    connectionId: input.connectionId,
    tracked,
    cursor,
    polls,
    lastPollAt,
    lastPollPages,
    nextPollInMs: nextPollAt === undefined ? undefined : Math.max(0, nextPollAt - Date.now()),
  }));

  while (!workflowInfo().continueAsNewSuggested) {
    if (tracked === 0 && !woken) {
      nextPollAt = undefined;
      await condition(() => woken || workflowInfo().continueAsNewSuggested);
      continue;
    }
    // A deposit while waiting brings the poll forward to the pace of a young invoice.
    woken = false;
    let delay = nextPollDelayMs(youngestSince, Date.now(), schedule);
    nextPollAt = Date.now() + delay;
    while (await condition(() => woken, delay)) {
      woken = false;
      delay = Math.min(nextPollAt - Date.now(), nextPollDelayMs(youngestSince, Date.now(), schedule));
      nextPollAt = Date.now() + delay;
      if (delay <= 0) break;
    }

    let result;
    try {
      result = await chorus.pollAndNotify({
        connectionId: input.connectionId,
        since: cursor,
        pageSize: schedule.pageSize,
      });
    } catch (err) {
      if (!isConnectionProblem(err)) throw err;
      // The credentials fail: the connection re-verifies and tells its invoices; polls resume later.
      await reportConnectionTrouble(input.connectionId, failureMessage(err), workflowInfo().workflowId);
      await sleep(msOf(schedule.slowest));
      continue;
    }
    polls += 1;
    lastPollAt = new Date().toISOString();
    lastPollPages = result.pages;
    tracked = result.tracked;
    if (result.cursor && (!cursor || result.cursor > cursor)) cursor = result.cursor;
    for (const invoiceNumber of result.gone) {
      log.warn('tracked invoice has no running workflow: its record says it is still followed', {
        invoiceNumber,
      });
    }
  }

  await condition(allHandlersFinished);
  await continueAsNew<typeof connectionTrackerWorkflow>({
    connectionId: input.connectionId,
    cursor,
    schedule: input.schedule,
    polls,
    ...(tracked !== undefined ? { tracked } : {}),
    ...(youngestSince ? { youngestSince } : {}),
  });
}
