/**
 * Connection tracker unit tests with MOCKED ACTIVITIES on the real Temporal dev server (the poll is
 * mocked: it returns what a poll of Chorus and the app database would). The poll against the real
 * simulator and PostgreSQL is in test/chorus/tracked-invoices.test.ts; the end-to-end cost test
 * (200 invoices) in test/e2e.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import type { PollResult, TrackerActivities } from '../../workflows/contracts/tracker';
import {
  DEFAULT_TRACKER_SCHEDULE,
  trackerStateQuery,
  trackInvoiceSignal,
} from '../../workflows/contracts/tracker';
import { nextPollDelayMs } from '../../workflows/tracker/workflow';
import { connectTestEnv, uniqueTaskQueue } from '../helpers/temporal';

describe('adaptive poll schedule', () => {
  const schedule = { ...DEFAULT_TRACKER_SCHEDULE, fastest: '1 minute', slowest: '6 hours', ageFactor: 0.05 };
  const now = Date.parse('2026-11-28T12:00:00Z');
  const since = (ageMs: number) => new Date(now - ageMs).toISOString();

  it('polls at the fastest pace right after a deposit, slower as the last deposit ages, never slower than the bound', () => {
    expect(nextPollDelayMs(since(10_000), now, schedule)).toBe(60_000);
    expect(nextPollDelayMs(since(2 * 3_600_000), now, schedule)).toBe(360_000);
    expect(nextPollDelayMs(since(30 * 86_400_000), now, schedule)).toBe(6 * 3_600_000);
    expect(nextPollDelayMs(undefined, now, schedule)).toBe(6 * 3_600_000);
  });
});

describe('connection tracker workflow (mocked activities)', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    env = await connectTestEnv();
    bundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('./fixtures/tracker-bundle'),
      logger: new DefaultLogger('WARN'),
    });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  const wake = { invoiceNumber: 'F-1', workflowId: 'invoice:acme:F-1', identifiantFactureCPP: 1 };
  const waitFor = async (check: () => boolean | Promise<boolean>, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return check();
  };

  it('polls from its cursor while the database says invoices are tracked, then waits for a deposit to wake it', async () => {
    const taskQueue = uniqueTaskQueue('tracker-unit');
    const polls: Array<{ since?: string }> = [];
    // What the database says is tracked, as the test changes it.
    let trackedNow = 30;
    const activities: TrackerActivities = {
      async pollAndNotify({ since }): Promise<PollResult> {
        polls.push({ since });
        const n = polls.length;
        return {
          pages: 1,
          cursor: `2026-11-28 10:${String(n).padStart(2, '0')}`,
          changes: 30,
          notified: n === 1 ? 30 : 0,
          gone: [],
          tracked: trackedNow,
        };
      },
    };
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      activities,
    });
    await worker.runUntil(async () => {
      const tracker = await env.client.workflow.signalWithStart('connectionTrackerWorkflow', {
        taskQueue,
        workflowId: `tracker:${taskQueue}`,
        args: [{ connectionId: 'acme', schedule: { fastest: '200ms', slowest: '200ms', pageSize: 100 } }],
        signal: trackInvoiceSignal,
        signalArgs: [wake],
      });
      expect(await waitFor(() => polls.length >= 3)).toBe(true);
      // Each poll asks only for what changed since the one before.
      expect(polls[0].since).toBeUndefined();
      expect(polls[1].since).toBe('2026-11-28 10:01');
      expect(polls[2].since).toBe('2026-11-28 10:02');
      const state = await tracker.query(trackerStateQuery);
      expect(state.tracked).toBe(30);
      expect(state.lastPollPages).toBe(1);

      // Every invoice ended (their records say so): one more poll finds none, then no more polls.
      trackedNow = 0;
      expect(await waitFor(async () => (await tracker.query(trackerStateQuery)).tracked === 0)).toBe(true);
      const pollsWhenIdle = polls.length;
      await new Promise((r) => setTimeout(r, 1000));
      expect(polls.length).toBe(pollsWhenIdle);
      expect((await tracker.query(trackerStateQuery)).nextPollInMs).toBeUndefined();

      // A deposit wakes it.
      trackedNow = 1;
      await tracker.signal(trackInvoiceSignal, wake);
      expect(await waitFor(() => polls.length > pollsWhenIdle)).toBe(true);
      expect(polls[pollsWhenIdle].since).toBe(`2026-11-28 10:${String(pollsWhenIdle).padStart(2, '0')}`);
      await tracker.terminate('test done');
    });
  });

  it('a deposit during a long wait brings the next poll forward to the pace of a young invoice', async () => {
    const taskQueue = uniqueTaskQueue('tracker-unit');
    let polls = 0;
    const activities: TrackerActivities = {
      async pollAndNotify(): Promise<PollResult> {
        polls += 1;
        return { pages: 1, changes: 0, notified: 0, gone: [], tracked: 5 };
      },
    };
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      activities,
    });
    await worker.runUntil(async () => {
      // Its last deposit was 30 days ago: the next poll is 6 hours away.
      const tracker = await env.client.workflow.start('connectionTrackerWorkflow', {
        taskQueue,
        workflowId: `tracker:${taskQueue}`,
        args: [
          {
            connectionId: 'acme',
            tracked: 5,
            youngestSince: new Date(Date.now() - 30 * 86_400_000).toISOString(),
            schedule: { fastest: '500ms', slowest: '6 hours', ageFactor: 0.05 },
          },
        ],
      });
      expect(
        await waitFor(async () => ((await tracker.query(trackerStateQuery)).nextPollInMs ?? 0) > 3_600_000),
      ).toBe(true);
      expect(polls).toBe(0);
      await tracker.signal(trackInvoiceSignal, wake);
      expect(await waitFor(() => polls >= 1, 5_000)).toBe(true);
      await tracker.terminate('test done');
    });
  });
});
