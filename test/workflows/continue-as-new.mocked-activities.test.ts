/**
 * History stays bounded: on a dev server that suggests continue-as-new after a few dozen events,
 * the invoice and tracker workflows (MOCKED ACTIVITIES) continue as new and carry their state.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { InvoiceInput } from '../../domain/invoice';
import { startDevServer, type DevServer } from '../../scripts/temporal';
import { connectionStateQuery, type ConnectionActivities } from '../../workflows/connection/definitions';
import type { InvoiceActivities } from '../../workflows/invoice/activity-types';
import {
  chorusStatusSignal,
  invoiceStateQuery,
  type InvoiceWorkflowInput,
} from '../../workflows/invoice/definitions';
import type { TrackerActivities } from '../../workflows/tracker/activity-types';
import { trackerStateQuery, trackInvoiceSignal } from '../../workflows/tracker/definitions';
import { installTestRuntime, uniqueTaskQueue } from '../helpers/temporal';

const { attachments: _none, ...invoice } = InvoiceInput.parse({
  connectionId: 'acme',
  invoiceNumber: 'F-CAN-1',
  issueDate: '2026-11-28',
  buyer: { siret: '11000000000015' },
  billingFrame: 'A1',
  vatRegime: 'TVA_SUR_DEBIT',
  paymentMode: 'VIREMENT',
  lines: [{ description: 'x', quantity: '1', unitPriceExclVat: '10', vatRatePercent: '20' }],
});

describe('continue-as-new keeps history bounded (mocked activities)', () => {
  let server: DevServer;
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  const stateDir = mkdtempSync(path.join(tmpdir(), 'temporal-can-'));

  beforeAll(async () => {
    server = await startDevServer({
      stateDir,
      dynamicConfig: ['limit.historyCount.suggestContinueAsNew=60'],
    });
    installTestRuntime();
    env = await TestWorkflowEnvironment.createFromExistingServer({ address: server.address });
    bundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('../../workflows'),
      logger: new DefaultLogger('WARN'),
    });
  });
  afterAll(async () => {
    await env?.teardown();
    await server?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('an invoice tracked through many status changes continues as new and still ends PAID with its whole timeline', async () => {
    const taskQueue = uniqueTaskQueue('can');
    const none = async () => undefined;
    const activities: Partial<InvoiceActivities> = {
      connectionHealth: async () => ({ healthy: true }),
      supplierFacts: async () => ({ idStructureCPP: 1, siret: '87654321000010', isPublic: false }),
      buyerFacts: async () => ({
        structure: {
          idStructureCPP: 2,
          designation: 'X',
          active: true,
          serviceCodeRequired: false,
          engagementRequired: false,
          serviceOrEngagementRequired: false,
          paymentNotReported: false,
        },
        services: [],
      }),
      referenceLists: async () => ({}),
      submitInvoice: async () => ({
        kind: 'accepted',
        identifiantFactureCPP: 42,
        statut: 'DEPOSEE',
        dateDepot: '2026-11-28',
      }),
      invoiceStatusHistory: async () => [],
      trackInvoice: none,
      untrackInvoice: none,
      deliverWebhook: none,
    };
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      activities,
    });
    await worker.runUntil(async () => {
      const input: InvoiceWorkflowInput = {
        invoice,
        attachments: [],
        requestHash: 'h',
        timings: { paymentHorizon: '1 hour', trackingFallbackAfter: '1 hour' },
      };
      const handle = await env.client.workflow.start('invoiceWorkflow', {
        taskQueue,
        workflowId: `invoice:acme:${taskQueue}`,
        args: [input],
      });
      const firstRunId = handle.firstExecutionRunId;
      const statuses = [
        'MISE_A_DISPOSITION',
        'SERVICE_FAIT',
        'MANDATEE',
        'MISE_A_DISPOSITION_COMPTABLE',
        'COMPTABILISEE',
      ];
      for (let i = 0; i < 30; i++) {
        const at = new Date(Date.UTC(2026, 11, 1, 0, i)).toISOString();
        await handle.signal(chorusStatusSignal, [
          { identifiantFactureCPP: 42, status: statuses[i % statuses.length], at },
        ]);
        await new Promise((r) => setTimeout(r, 60));
      }
      const deadline = Date.now() + 20000;
      while (
        (await env.client.workflow.getHandle(handle.workflowId, firstRunId).describe()).status.name ===
          'RUNNING' &&
        Date.now() < deadline
      ) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(
        (await env.client.workflow.getHandle(handle.workflowId, firstRunId).describe()).status.name,
      ).toBe('CONTINUED_AS_NEW');
      await handle.signal(chorusStatusSignal, [
        { identifiantFactureCPP: 42, status: 'MISE_EN_PAIEMENT', at: '2026-12-31T00:00:00.000Z' },
      ]);
      const result = await env.client.workflow.getHandle(handle.workflowId).result();
      expect(result.status).toBe('PAID');
      expect(result.chorusInvoiceId).toBe(42);
      expect(result.chorusTimeline.length).toBe(31);
      expect(result.timeline[0].status).toBe('RECEIVED');
      const latest = await env.client.workflow.getHandle(handle.workflowId).query(invoiceStateQuery);
      expect(latest.status).toBe('PAID');
    });
  });

  it('the connection tracker continues as new and keeps the invoices it tracks and its cursor', async () => {
    const taskQueue = uniqueTaskQueue('can-tracker');
    let poll = 0;
    const activities: TrackerActivities = {
      async pollInvoiceChanges() {
        poll += 1;
        return { changes: [], pages: 1, cursor: `2026-12-01 10:${String(poll % 60).padStart(2, '0')}` };
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
      const deadline = Date.now() + 30000;
      while (
        (await env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe()).status
          .name === 'RUNNING' &&
        Date.now() < deadline
      ) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(
        (await env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe()).status
          .name,
      ).toBe('CONTINUED_AS_NEW');
      const state = await env.client.workflow.getHandle(handle.workflowId).query(trackerStateQuery);
      expect(state.tracked).toBe(1);
      // The count is carried across runs: it matches every poll made, not only the new run's.
      expect(poll).toBeGreaterThanOrEqual(3);
      expect(Math.abs(state.polls - poll)).toBeLessThanOrEqual(1);
      expect(state.cursor).toMatch(/^2026-12-01 10:/);
      await env.client.workflow.getHandle(handle.workflowId).terminate('test done');
    });
  });

  it('the connection workflow re-verifies on its schedule, continues as new and keeps its state', async () => {
    const taskQueue = uniqueTaskQueue('can-connection');
    let verifications = 0;
    const activities: ConnectionActivities = {
      async verifyConnection() {
        verifications += 1;
        return { status: 'CONNECTED', checks: [], passwordExpiresOn: '2027-12-31' };
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
      const first = env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
      const deadline = Date.now() + 30000;
      while ((await first.describe()).status.name === 'RUNNING' && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect((await first.describe()).status.name).toBe('CONTINUED_AS_NEW');
      const view = await env.client.workflow.getHandle(handle.workflowId).query(connectionStateQuery);
      expect(view.status).toBe('CONNECTED');
      expect(view.passwordExpiresOn).toBe('2027-12-31');
      expect(Math.abs(view.verifications - verifications)).toBeLessThanOrEqual(1);
      await env.client.workflow.getHandle(handle.workflowId).terminate('test done');
    });
  });
});
