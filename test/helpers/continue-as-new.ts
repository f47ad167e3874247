/**
 * Continue-as-new, for the tests that need it: a dev server of their own that suggests it after a
 * few dozen events, and an invoice (MOCKED ACTIVITIES: Chorus accepts everything) signalled through
 * enough Chorus statuses to continue as new before it is paid.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { InvoiceInput } from '../../domain/invoice';
import { startDevServer, type DevServer } from '../../scripts/temporal';
import type { InvoiceActivities } from '../../workflows/contracts/invoice';
import {
  chorusStatusSignal,
  invoiceStateQuery,
  type InvoiceView,
  type InvoiceWorkflowInput,
} from '../../workflows/contracts/invoice';
import { captureHistories, capturing } from '../replay/capture';
import { buyerStructure } from './buyer-facts';
import { installTestRuntime, uniqueTaskQueue } from './temporal';

export interface EarlyContinueAsNewServer {
  env: TestWorkflowEnvironment;
  stop(): Promise<void>;
}

/** A dev server of its own (the shared one keeps default limits) suggesting continue-as-new at 60 events. */
export async function startEarlyContinueAsNewServer(): Promise<EarlyContinueAsNewServer> {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'temporal-can-'));
  const server: DevServer = await startDevServer({
    stateDir,
    dynamicConfig: ['limit.historyCount.suggestContinueAsNew=60'],
  });
  installTestRuntime();
  const env = await TestWorkflowEnvironment.createFromExistingServer({ address: server.address });
  return {
    env,
    async stop() {
      await env.teardown();
      await server.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Polls until the run is no longer RUNNING; returns its final status name. */
export async function waitUntilRunEnds(
  client: Client,
  workflowId: string,
  runId: string,
  timeoutMs = 30_000,
): Promise<string> {
  const handle = client.workflow.getHandle(workflowId, runId);
  const deadline = Date.now() + timeoutMs;
  let status = (await handle.describe()).status.name;
  while (status === 'RUNNING' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    status = (await handle.describe()).status.name;
  }
  return status;
}

/** Activities of a buyer with no requirement and a Chorus that accepts the invoice as number 42. */
export function acceptingInvoiceActivities(): Partial<InvoiceActivities> {
  const none = async () => undefined;
  const supplier = { idStructureCPP: 1, siret: '87654321000010', isPublic: false };
  const buyer = {
    structure: buyerStructure({ idStructureCPP: 2 }),
    services: [],
  };
  return {
    connectionHealth: async () => ({ healthy: true }),
    supplierFacts: async () => supplier,
    buyerFacts: async () => buyer,
    readinessFacts: async () => ({
      healthy: true as const,
      supplier,
      buyer,
      lists: {},
      endedAtMs: Date.now(),
    }),
    referenceLists: async () => ({}),
    supplierBankAccounts: async () => [{ id: 11, label: 'Compte principal' }],
    submitInvoice: async () => ({
      kind: 'accepted',
      identifiantFactureCPP: 42,
      statut: 'DEPOSEE',
      dateDepot: '2026-11-28',
      endedAtMs: Date.now(),
    }),
    invoiceStatusHistory: async () => ({ observations: [] }),
    trackInvoice: none,
    recordInvoiceState: async (record) => record.events,
  };
}

export const SIGNALLED_STATUSES = 30;

/**
 * Runs one invoice through SIGNALLED_STATUSES Chorus statuses (one a minute of 2026-12-01, in
 * Chorus time) until its first run continues as new, then pays it. Returns its ids, the first run's
 * final status and the result.
 */
export async function invoiceThroughContinueAsNew(options: {
  env: TestWorkflowEnvironment;
  client: Client;
  workflowBundle: WorkflowBundle;
  dataConverter?: DataConverter;
}): Promise<{
  workflowId: string;
  firstRunId: string;
  firstRunStatus: string;
  result: InvoiceView;
  /** The invoiceState query of the latest run, once paid. */
  latest: InvoiceView;
}> {
  const { env, client } = options;
  const taskQueue = uniqueTaskQueue('can');
  const workflowId = `invoice:acme:${taskQueue}`;
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
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: options.workflowBundle,
    activities: acceptingInvoiceActivities(),
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
  });
  return worker.runUntil(async () => {
    const input: InvoiceWorkflowInput = {
      invoice,
      attachments: [],
      requestHash: 'h',
      timings: { paymentHorizon: '1 hour', trackingFallbackAfter: '1 hour' },
    };
    const handle = await client.workflow.start('invoiceWorkflow', { taskQueue, workflowId, args: [input] });
    const statuses = [
      'MISE_A_DISPOSITION',
      'SERVICE_FAIT',
      'MANDATEE',
      'MISE_A_DISPOSITION_COMPTABLE',
      'COMPTABILISEE',
    ];
    for (let i = 0; i < SIGNALLED_STATUSES; i++) {
      const at = new Date(Date.UTC(2026, 11, 1, 0, i)).toISOString();
      await handle.signal(chorusStatusSignal, [
        { identifiantFactureCPP: 42, status: statuses[i % statuses.length], at },
      ]);
      await new Promise((r) => setTimeout(r, 60));
    }
    const firstRunStatus = await waitUntilRunEnds(client, workflowId, handle.firstExecutionRunId, 20_000);
    await handle.signal(chorusStatusSignal, [
      { identifiantFactureCPP: 42, status: 'MISE_EN_PAIEMENT', at: '2026-12-31T00:00:00.000Z' },
    ]);
    const result = (await client.workflow.getHandle(workflowId).result()) as InvoiceView;
    const latest = await client.workflow.getHandle(workflowId).query(invoiceStateQuery);
    if (capturing()) {
      const codecs = options.dataConverter?.payloadCodecs ?? [];
      await captureHistories(client, codecs, { query: `WorkflowId = '${workflowId}'` });
    }
    return { workflowId, firstRunId: handle.firstExecutionRunId, firstRunStatus, result, latest };
  });
}
