/**
 * The tracker's poll against the real parts: the simulator's `rechercher/fournisseur` pages, the
 * app database (PostgreSQL) saying which invoices the connection tracks, and signals through a real
 * Temporal dev server to stand-in invoice workflows that record what they are told.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { createTrackingActivities } from '../../activities/tracking';
import type { ChorusStatusObservation } from '../../workflows/contracts/invoice';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { connectTestEnv, uniqueTaskQueue } from '../helpers/temporal';
import { exactAmountsInvoice, SimulatorHarness } from './simulator-harness';

let harness: SimulatorHarness;
let database: TestDatabase;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  [harness, database, env] = await Promise.all([
    SimulatorHarness.start(),
    createTestDatabase('tracked'),
    connectTestEnv(),
  ]);
});

afterAll(async () => {
  await Promise.all([harness?.close(), database?.close(), env?.teardown()]);
});

/** An invoice row as the invoice workflow's record writes it, with what the test needs set. */
function row(
  workflowId: string,
  invoiceNumber: string,
  status: string,
  chorus?: { id: number; status?: string; timeline?: Array<{ status: string; at: string }> },
) {
  const now = new Date().toISOString();
  return {
    workflow_id: workflowId,
    sequence: 1,
    connection_id: 'acme',
    invoice_number: invoiceNumber,
    buyer_siret: harness.structure('buyer.no-requirement').siret,
    status,
    chorus_status: chorus?.status ?? null,
    chorus_invoice_id: chorus?.id ?? null,
    issue_date: '2026-11-02',
    currency: 'EUR',
    total_excl_vat_cents: 37067,
    total_incl_vat_cents: 44480,
    has_open_task: false,
    view: JSON.stringify({ workflowId, chorusTimeline: chorus?.timeline ?? [] }),
    run_id: 'run',
    created_at: now,
    updated_at: now,
  };
}

it('tells the invoices the database says are tracked what is news to them, and counts them', async () => {
  const { chorus } = harness.chorusAccess();
  const taskQueue = uniqueTaskQueue('tracked-invoices');
  const activities = createTrackingActivities(chorus, {
    temporal: () => env.client,
    taskQueue,
    db: database.db,
    logger: harness.logger,
  });

  // Four deposits in Chorus: A and B tracked, C paid already, D tracked but its workflow is gone.
  const client = harness.client('credentials.valid');
  const deposited: Record<string, number> = {};
  for (const name of ['A', 'B', 'C', 'D']) {
    const number = `TRK-${name}-${taskQueue.slice(-6)}`;
    deposited[name] = (
      await client.submitInvoice(exactAmountsInvoice(harness, number))
    ).identifiantFactureCPP;
  }
  const numberOf = (name: string) => `TRK-${name}-${taskQueue.slice(-6)}`;
  const workflowOf = (name: string) => `${taskQueue}-${name}`;
  await database.db
    .insertInto('invoices')
    .values([
      row(workflowOf('A'), numberOf('A'), 'TRACKING', { id: deposited.A }),
      row(workflowOf('B'), numberOf('B'), 'TRACKING', { id: deposited.B }),
      row(workflowOf('C'), numberOf('C'), 'PAID', { id: deposited.C, status: 'MISE_EN_PAIEMENT' }),
      row(workflowOf('D'), numberOf('D'), 'TRACKING', { id: deposited.D }),
      // Being deposited: counted (the tracker stays awake for it), not matched (no Chorus id yet).
      row(workflowOf('E'), numberOf('E'), 'SUBMITTING'),
      // Another connection's invoice: neither.
      {
        ...row(`${taskQueue}-other`, numberOf('A'), 'TRACKING', { id: deposited.A }),
        connection_id: 'other',
      },
    ])
    .execute();

  const bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows/fixtures/tracker-bundle'),
    logger: new DefaultLogger('WARN'),
  });
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle });
  await worker.runUntil(async () => {
    // A and B each wait for one signal, then end.
    const [a, b] = await Promise.all(
      ['A', 'B'].map((name) =>
        env.client.workflow.start('statusReceiverWorkflow', {
          taskQueue,
          workflowId: workflowOf(name),
          args: [1],
        }),
      ),
    );

    const first = await activities.pollAndNotify({ connectionId: 'acme', pageSize: 100 });
    expect(first.changes).toBeGreaterThanOrEqual(4);
    expect(first.notified).toBe(2);
    expect(first.gone).toEqual([numberOf('D')]);
    expect(first.tracked).toBe(4); // A, B, D and E
    expect(first.cursor).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    const [told] = (await a.result()) as ChorusStatusObservation[];
    expect(told).toMatchObject({ identifiantFactureCPP: deposited.A, status: 'DEPOSEE' });
    await b.result();

    // A records what it was told; B does not. The same pages again: A is not told twice, B is
    // (its stand-in has ended, so it shows among the gone), and B's end takes it out of the count.
    await database.db
      .updateTable('invoices')
      .set({
        chorus_status: told.status,
        view: JSON.stringify({ chorusTimeline: [{ status: told.status, at: told.at }] }),
      })
      .where('workflow_id', '=', workflowOf('A'))
      .execute();
    const second = await activities.pollAndNotify({ connectionId: 'acme', pageSize: 100 });
    expect(second.notified).toBe(0);
    expect([...second.gone].sort()).toEqual([numberOf('B'), numberOf('D')]);
    await database.db
      .updateTable('invoices')
      .set({ status: 'PAID' })
      .where('workflow_id', '=', workflowOf('B'))
      .execute();
    const third = await activities.pollAndNotify({
      connectionId: 'acme',
      pageSize: 100,
      since: second.cursor,
    });
    expect(third.tracked).toBe(3);
    expect(third.gone).not.toContain(numberOf('B'));
  });
}, 60_000);
