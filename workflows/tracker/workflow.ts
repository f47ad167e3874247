import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { failureMessage, isConnectionProblem, reportConnectionTrouble } from '../failures';
import { msOf } from '../../domain/durations';
import { ACTIVITY_HEARTBEAT_TIMEOUT } from '../activity-options';
import {
  DEFAULT_TRACKER_SCHEDULE,
  TRACKING_END_STATUSES,
  trackerStateQuery,
  trackInvoiceSignal,
  untrackInvoiceSignal,
  type InvoiceNotice,
  type TrackedInvoice,
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

/** Signals to invoice workflows: short, and harmless to repeat (an invoice ignores a status it knows). */
const notify = proxyLocalActivities<TrackerActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** How long to wait before the next poll: fast for young invoices, slower as they age. */
export function nextPollDelayMs(
  tracked: TrackedInvoice[],
  nowMs: number,
  schedule: typeof DEFAULT_TRACKER_SCHEDULE,
): number {
  const fastest = msOf(schedule.fastest);
  const slowest = msOf(schedule.slowest);
  if (tracked.length === 0) return slowest;
  const youngestAge = Math.min(...tracked.map((t) => nowMs - new Date(t.since).getTime()));
  return Math.min(slowest, Math.max(fastest, youngestAge * schedule.ageFactor));
}

/** The per-connection status tracker (`tracker:<connectionId>`), started on first use. */
export async function connectionTrackerWorkflow(input: TrackerInput): Promise<void> {
  const schedule = { ...DEFAULT_TRACKER_SCHEDULE, ...input.schedule };
  const tracked = new Map<string, TrackedInvoice>(Object.entries(input.tracked ?? {}));
  let cursor = input.cursor;
  let polls = input.polls ?? 0;
  let lastPollAt: string | undefined;
  let lastPollPages: number | undefined;
  let nextPollAt: number | undefined;

  setHandler(trackInvoiceSignal, ({ invoiceNumber, workflowId, identifiantFactureCPP }) => {
    if (!tracked.has(invoiceNumber)) {
      tracked.set(invoiceNumber, { workflowId, identifiantFactureCPP, since: new Date().toISOString() });
    }
  });
  setHandler(untrackInvoiceSignal, ({ invoiceNumber }) => {
    tracked.delete(invoiceNumber);
  });
  setHandler(trackerStateQuery, (): TrackerView => ({
    connectionId: input.connectionId,
    tracked: tracked.size,
    cursor,
    polls,
    lastPollAt,
    lastPollPages,
    nextPollInMs: nextPollAt === undefined ? undefined : Math.max(0, nextPollAt - Date.now()),
  }));

  while (!workflowInfo().continueAsNewSuggested) {
    if (tracked.size === 0) {
      nextPollAt = undefined;
      await condition(() => tracked.size > 0 || workflowInfo().continueAsNewSuggested);
      continue;
    }
    const delay = nextPollDelayMs([...tracked.values()], Date.now(), schedule);
    nextPollAt = Date.now() + delay;
    // A newly tracked invoice does not shorten the wait below the fastest interval.
    await condition(() => tracked.size === 0, delay);
    if (tracked.size === 0) continue;

    let result;
    try {
      result = await chorus.pollInvoiceChanges({
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
    if (result.cursor && (!cursor || result.cursor > cursor)) cursor = result.cursor;

    const moved = result.changes.filter((change) => {
      const invoice = tracked.get(change.invoiceNumber);
      return invoice !== undefined && !(invoice.lastStatus === change.status && invoice.lastAt === change.at);
    });
    if (moved.length === 0) continue;
    const notices: InvoiceNotice[] = moved.map((change) => {
      const invoice = tracked.get(change.invoiceNumber)!;
      invoice.lastStatus = change.status;
      invoice.lastAt = change.at;
      return {
        invoiceNumber: change.invoiceNumber,
        workflowId: invoice.workflowId,
        observation: {
          identifiantFactureCPP: change.identifiantFactureCPP,
          status: change.status,
          at: change.at,
          ...(change.comment ? { comment: change.comment } : {}),
        },
      };
    });
    // One local activity signals the whole batch: a marker in this history, not two events per invoice.
    const { gone } = await notify.notifyInvoices({ notices });
    for (const invoiceNumber of gone) {
      // The invoice workflow is gone (ended or terminated): stop tracking it.
      log.info('invoice workflow no longer running; untracked', { invoiceNumber });
      tracked.delete(invoiceNumber);
    }
    // An invoice told its end status needs no more polls: dropped here, so it does not unregister.
    for (const notice of notices) {
      if (TRACKING_END_STATUSES.includes(notice.observation.status)) tracked.delete(notice.invoiceNumber);
    }
  }

  await condition(allHandlersFinished);
  await continueAsNew<typeof connectionTrackerWorkflow>({
    connectionId: input.connectionId,
    tracked: Object.fromEntries(tracked),
    cursor,
    schedule: input.schedule,
    polls,
  });
}
