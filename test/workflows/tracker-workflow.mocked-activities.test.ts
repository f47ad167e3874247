/**
 * Connection tracker unit tests with MOCKED ACTIVITIES on the real Temporal dev server (the poll is
 * mocked; the signals to invoices go through the real `signalInvoices` with the test's client).
 * The end-to-end cost test (real simulator, 200 invoices) is in test/e2e.
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
  untrackInvoiceSignal,
  type StatusChange,
} from '../../workflows/contracts/tracker';
import { nextPollDelayMs } from '../../workflows/tracker/workflow';
import { signalInvoices } from '../../activities/tracking';
import { connectTestEnv, uniqueTaskQueue } from '../helpers/temporal';

describe('adaptive poll schedule', () => {
  const schedule = { ...DEFAULT_TRACKER_SCHEDULE, fastest: '1 minute', slowest: '6 hours', ageFactor: 0.05 };
  const now = Date.parse('2026-11-28T12:00:00Z');
  const trackedAt = (ageMs: number) => ({
    workflowId: 'w',
    identifiantFactureCPP: 1,
    since: new Date(now - ageMs).toISOString(),
  });

  it('polls at the fastest pace right after a deposit, slower as the youngest invoice ages, never slower than the bound', () => {
    expect(nextPollDelayMs([trackedAt(10_000)], now, schedule)).toBe(60_000);
    expect(nextPollDelayMs([trackedAt(2 * 3_600_000)], now, schedule)).toBe(360_000);
    expect(nextPollDelayMs([trackedAt(30 * 86_400_000)], now, schedule)).toBe(6 * 3_600_000);
    expect(nextPollDelayMs([trackedAt(30 * 86_400_000), trackedAt(5_000)], now, schedule)).toBe(60_000);
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

  it('reads many invoices in one paged poll and signals only the invoices whose status changed', async () => {
    const taskQueue = uniqueTaskQueue('tracker-unit');
    const invoices = Array.from({ length: 30 }, (_, i) => ({
      invoiceNumber: `F-${i}`,
      workflowId: `${taskQueue}-inv-${i}`,
      identifiantFactureCPP: 1000 + i,
    }));
    const polls: Array<{ since?: string }> = [];
    let round = 0;
    const activities: TrackerActivities = {
      notifyInvoices: ({ notices }) => signalInvoices(env.client, notices),
      async pollInvoiceChanges({ since, pageSize }): Promise<PollResult> {
        polls.push({ since });
        round += 1;
        // Round 1: every invoice is made available; round 2: the same again (no change) plus 3 paid.
        const changes: StatusChange[] = invoices.map((inv) => ({
          invoiceNumber: inv.invoiceNumber,
          identifiantFactureCPP: inv.identifiantFactureCPP,
          status: 'MISE_A_DISPOSITION',
          at: '2026-11-28T10:01:00.000Z',
          cursor: '2026-11-28T10:01:00.000Z'.slice(0, 16).replace('T', ' '),
        }));
        if (round >= 2) {
          for (const inv of invoices.slice(0, 3)) {
            changes.push({
              invoiceNumber: inv.invoiceNumber,
              identifiantFactureCPP: inv.identifiantFactureCPP,
              status: 'MISE_EN_PAIEMENT',
              at: '2026-12-20T10:00:00.000Z',
              cursor: '2026-12-20T10:00:00.000Z'.slice(0, 16).replace('T', ' '),
            });
          }
        }
        return {
          changes,
          pages: Math.ceil(changes.length / pageSize),
          cursor: round >= 2 ? '2026-12-20T10:00:00.000Z' : '2026-11-28T10:01:00.000Z',
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
      const receivers = await Promise.all(
        invoices.map((inv, i) =>
          env.client.workflow.start('statusReceiverWorkflow', {
            taskQueue,
            workflowId: inv.workflowId,
            args: [i < 3 ? 2 : 1],
          }),
        ),
      );
      const tracker = await env.client.workflow.start('connectionTrackerWorkflow', {
        taskQueue,
        workflowId: `tracker:${taskQueue}`,
        args: [{ connectionId: 'acme', schedule: { fastest: '300ms', slowest: '300ms', pageSize: 100 } }],
      });
      for (const inv of invoices) await tracker.signal(trackInvoiceSignal, inv);

      const results = await Promise.all(
        receivers.map((r) => r.result() as Promise<Array<{ status: string }>>),
      );
      expect(
        results
          .slice(0, 3)
          .every((r) => r.map((o) => o.status).join() === 'MISE_A_DISPOSITION,MISE_EN_PAIEMENT'),
      ).toBe(true);
      expect(results.slice(3).every((r) => r.length === 1)).toBe(true);

      // The 3 told of their payment are dropped by the tracker itself (they need no more polls).
      const deadline = Date.now() + 10000;
      let state = await tracker.query(trackerStateQuery);
      while (state.tracked !== 27 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        state = await tracker.query(trackerStateQuery);
      }
      expect(state.tracked).toBe(27);
      expect(state.polls).toBeGreaterThanOrEqual(2);
      expect(state.lastPollPages).toBe(1);
      expect(state.cursor).toBe('2026-12-20T10:00:00.000Z');
      // The second poll asked only for what changed since the first one's cursor.
      expect(polls[1].since).toBe('2026-11-28T10:01:00.000Z');

      for (const inv of invoices)
        await tracker.signal(untrackInvoiceSignal, { invoiceNumber: inv.invoiceNumber });
      await new Promise((r) => setTimeout(r, 200));
      expect((await tracker.query(trackerStateQuery)).tracked).toBe(0);
      const pollsWhenIdle = polls.length;
      await new Promise((r) => setTimeout(r, 1000));
      expect(polls.length).toBe(pollsWhenIdle); // nothing tracked, nothing polled
      await tracker.terminate('test done');
    });
  });

  it('stops tracking an invoice whose workflow is gone', async () => {
    const taskQueue = uniqueTaskQueue('tracker-unit');
    const activities: TrackerActivities = {
      notifyInvoices: ({ notices }) => signalInvoices(env.client, notices),
      async pollInvoiceChanges() {
        return {
          changes: [
            {
              invoiceNumber: 'GONE-1',
              identifiantFactureCPP: 1,
              status: 'MANDATEE',
              at: '2026-11-29T00:00:00.000Z',
              cursor: '2026-11-29T00:00:00.000Z'.slice(0, 16).replace('T', ' '),
            },
          ],
          pages: 1,
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
      const tracker = await env.client.workflow.start('connectionTrackerWorkflow', {
        taskQueue,
        workflowId: `tracker:${taskQueue}`,
        args: [{ connectionId: 'acme', schedule: { fastest: '200ms', slowest: '200ms' } }],
      });
      await tracker.signal(trackInvoiceSignal, {
        invoiceNumber: 'GONE-1',
        workflowId: `${taskQueue}-never-started`,
        identifiantFactureCPP: 1,
      });
      const deadline = Date.now() + 10000;
      let tracked = 1;
      while (tracked > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        tracked = (await tracker.query(trackerStateQuery)).tracked;
      }
      expect(tracked).toBe(0);
      await tracker.terminate('test done');
    });
  });
});
