/**
 * History stays bounded: on a dev server that suggests continue-as-new after a few dozen events,
 * the invoice and tracker workflows (MOCKED ACTIVITIES) continue as new and carry their state.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { connectionStateQuery, type ConnectionActivities } from '../../workflows/contracts/connection';
import type { TrackerActivities } from '../../workflows/contracts/tracker';
import { trackerStateQuery, trackInvoiceSignal } from '../../workflows/contracts/tracker';
import {
  invoiceThroughContinueAsNew,
  SIGNALLED_STATUSES,
  startEarlyContinueAsNewServer,
  waitUntilRunEnds,
  type EarlyContinueAsNewServer,
} from '../helpers/continue-as-new';
import { bundleWorkflowsOnce, uniqueTaskQueue } from '../helpers/temporal';
import { captureHistories, capturing } from '../replay/capture';

describe('continue-as-new keeps history bounded (mocked activities)', () => {
  let server: EarlyContinueAsNewServer;
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    server = await startEarlyContinueAsNewServer();
    env = server.env;
    bundle = await bundleWorkflowsOnce();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('an invoice tracked through many status changes continues as new and still ends PAID with its whole timeline', async () => {
    const { firstRunStatus, result, latest } = await invoiceThroughContinueAsNew({
      env,
      client: env.client,
      workflowBundle: bundle,
    });
    expect(firstRunStatus).toBe('CONTINUED_AS_NEW');
    expect(result.status).toBe('PAID');
    expect(result.chorusInvoiceId).toBe(42);
    expect(result.chorusTimeline.length).toBe(SIGNALLED_STATUSES + 1);
    expect(result.timeline[0].status).toBe('RECEIVED');
    expect(latest.status).toBe('PAID');
  });

  it('the connection tracker continues as new and keeps its cursor, its count and its pace, not a list of invoices', async () => {
    const taskQueue = uniqueTaskQueue('can-tracker');
    let poll = 0;
    const activities: TrackerActivities = {
      async pollAndNotify() {
        poll += 1;
        return {
          pages: 1,
          cursor: `2026-12-01 10:${String(poll % 60).padStart(2, '0')}`,
          changes: 0,
          notified: 0,
          gone: [],
          tracked: 1,
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
      const handle = await env.client.workflow.start('connectionTrackerWorkflow', {
        taskQueue,
        workflowId: `tracker:${taskQueue}`,
        args: [{ connectionId: 'acme', schedule: { fastest: '50ms', slowest: '50ms' } }],
      });
      await handle.signal(trackInvoiceSignal, {
        invoiceNumber: 'F-1',
        workflowId: 'invoice:acme:F-1',
        identifiantFactureCPP: 1,
      });
      expect(await waitUntilRunEnds(env.client, handle.workflowId, handle.firstExecutionRunId)).toBe(
        'CONTINUED_AS_NEW',
      );
      const state = await env.client.workflow.getHandle(handle.workflowId).query(trackerStateQuery);
      expect(state.tracked).toBe(1);
      // The count is carried across runs: it matches every poll made, not only the new run's.
      expect(poll).toBeGreaterThanOrEqual(3);
      expect(Math.abs(state.polls - poll)).toBeLessThanOrEqual(1);
      expect(state.cursor).toMatch(/^2026-12-01 10:/);
      // What it carries is its cursor, counters and pace: no list that grows with the invoices.
      const first = await env.client.workflow
        .getHandle(handle.workflowId, handle.firstExecutionRunId)
        .fetchHistory();
      const carried = first.events?.find((e) => e.workflowExecutionContinuedAsNewEventAttributes)
        ?.workflowExecutionContinuedAsNewEventAttributes?.input?.payloads?.[0]?.data;
      expect(Object.keys(JSON.parse(Buffer.from(carried!).toString('utf8'))).sort()).toEqual([
        'connectionId',
        'cursor',
        'polls',
        'schedule',
        'tracked',
        'youngestSince',
      ]);
      if (capturing())
        await captureHistories(env.client, [], { query: `WorkflowId = '${handle.workflowId}'` });
      await env.client.workflow.getHandle(handle.workflowId).terminate('test done');
    });
  });

  it('the connection workflow re-verifies on its schedule, continues as new and keeps its state', async () => {
    const taskQueue = uniqueTaskQueue('can-connection');
    let verifications = 0;
    const activities: ConnectionActivities = {
      async verifyConnection() {
        verifications += 1;
        return {
          status: 'CONNECTED',
          checks: [],
          passwordExpiresOn: '2027-12-31',
          daysUntilPasswordExpiry: 412,
          chorusTime: '2026-11-14T09:00:00.000Z',
        };
      },
      wakeWaitingInvoices: async () => 0,
      notifyConnectionStatus: async () => undefined,
    };
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      activities,
    });
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start('connectionWorkflow', {
        taskQueue,
        workflowId: `connection:${taskQueue}`,
        args: [{ connectionId: taskQueue, reverifyEvery: '50ms' }],
      });
      expect(await waitUntilRunEnds(env.client, handle.workflowId, handle.firstExecutionRunId)).toBe(
        'CONTINUED_AS_NEW',
      );
      const view = await env.client.workflow.getHandle(handle.workflowId).query(connectionStateQuery);
      expect(view.status).toBe('CONNECTED');
      expect(view.passwordExpiresOn).toBe('2027-12-31');
      // The countdown and the Chorus time it was counted at cross continue-as-new too.
      expect(view).toMatchObject({ daysUntilPasswordExpiry: 412, chorusTime: '2026-11-14T09:00:00.000Z' });
      expect(Math.abs(view.verifications - verifications)).toBeLessThanOrEqual(1);
      if (capturing())
        await captureHistories(env.client, [], { query: `WorkflowId = '${handle.workflowId}'` });
      await env.client.workflow.getHandle(handle.workflowId).terminate('test done');
    });
  });
});
