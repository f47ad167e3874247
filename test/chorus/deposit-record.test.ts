/**
 * The deposit stores the invoice's SUBMITTING state beside its `soumettre` call (the workflow task
 * that schedules it no longer waits for a record of its own), and claims its attempt before sending
 * it (a second run of a claimed attempt sends nothing): `submitInvoice` against the real simulator
 * and a real PostgreSQL, answered, refused by Chorus, and failed with an unknown outcome.
 */
import { createSubmissionActivities } from '../../activities/submission';
import type { BlobStore } from '../../platform/blob-store';
import type { InvoiceStateRecord } from '../../workflows/contracts/invoice';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { exactAmountsInvoice, SimulatorHarness } from './simulator-harness';

let harness: SimulatorHarness;
let database: TestDatabase;
let activities: ReturnType<typeof createSubmissionActivities>;

beforeAll(async () => {
  [harness, database] = await Promise.all([SimulatorHarness.start(), createTestDatabase('deposit-record')]);
  const { chorus } = harness.chorusAccess();
  activities = createSubmissionActivities(chorus, {
    // Not read by submitInvoice.
    blobs: {} as BlobStore,
    db: database.db,
    temporal: () => {
      throw new Error('no tracker in this test');
    },
    taskQueue: 'deposit-record-test',
    logger: harness.logger,
  });
});

afterAll(async () => {
  await Promise.all([harness?.close(), database?.close()]);
});

afterEach(async () => {
  await harness.clearFaults();
});

/** The SUBMITTING state of invoice `number` as the workflow hands it over, with one webhook event. */
function submittingRecord(number: string, sequence = 3): InvoiceStateRecord {
  const workflowId = `invoice:acme:${number}`;
  const at = new Date().toISOString();
  const url = 'https://erp.example.fr/hooks/chorus';
  return {
    sequence,
    runId: 'run-1',
    recordedAt: at,
    supplierSiret: harness.structure('supplier.default').siret,
    events: [
      {
        url,
        event: {
          id: `${workflowId}#2`,
          type: 'invoice.status_changed',
          occurredAt: at,
          invoice: { workflowId, connectionId: 'acme', invoiceNumber: number, status: 'SUBMITTING' },
        },
      },
    ],
    view: {
      workflowId,
      invoiceNumber: number,
      connectionId: 'acme',
      status: 'SUBMITTING',
      checklist: [],
      attachments: [],
      timeline: [],
      chorusTimeline: [],
      invoice: {
        connectionId: 'acme',
        invoiceNumber: number,
        issueDate: '2026-11-02',
        currency: 'EUR',
        buyer: { siret: harness.structure('buyer.no-requirement').siret },
        lines: [{ description: 'x', quantity: '1', unitPriceExclVat: '10', vatRatePercent: '20' }],
      },
      requestHash: 'h',
    } as unknown as InvoiceStateRecord['view'],
  };
}

async function rowOf(workflowId: string) {
  return database.db
    .selectFrom('invoices')
    .select(['status', 'sequence'])
    .where('workflow_id', '=', workflowId)
    .executeTakeFirst();
}

async function outboxOf(workflowId: string) {
  return database.db
    .selectFrom('webhook_events')
    .select(['id', 'type'])
    .where('stream', '=', workflowId)
    .execute();
}

it('stores the SUBMITTING state and its webhook event beside an accepted deposit, and says so', async () => {
  const record = submittingRecord('REC-2026-001');
  const outcome = await activities.submitInvoice({
    connectionId: 'acme',
    body: exactAmountsInvoice(harness, 'REC-2026-001'),
    record,
  });
  expect(outcome).toMatchObject({ kind: 'accepted', statut: 'DEPOSEE' });
  expect(outcome.recorded).toEqual(record.events);
  expect(await rowOf(record.view.workflowId)).toMatchObject({ status: 'SUBMITTING' });
  expect(await outboxOf(record.view.workflowId)).toEqual([
    { id: `${record.view.workflowId}#2`, type: 'invoice.status_changed' },
  ]);
});

it('never lets its record overwrite a later one the workflow already stored', async () => {
  const later = submittingRecord('REC-2026-002', 9);
  const laterView = { ...later, view: { ...later.view, status: 'TRACKING' as const }, events: [] };
  await activities.submitInvoice({
    connectionId: 'acme',
    body: exactAmountsInvoice(harness, 'REC-2026-002'),
    record: laterView,
  });
  await activities.submitInvoice({
    connectionId: 'acme',
    body: exactAmountsInvoice(harness, 'REC-2026-002B'),
    record: submittingRecord('REC-2026-002', 4),
  });
  expect(await rowOf(later.view.workflowId)).toMatchObject({ status: 'TRACKING', sequence: '9' });
});

it('stores the state when Chorus refuses the invoice, and when the outcome is unknown', async () => {
  await harness.addFault({ route: 'factures/soumettre', failNext: 1, errorStatus: 503 });
  const unknown = submittingRecord('REC-2026-003');
  await expect(
    activities.submitInvoice({
      connectionId: 'acme',
      body: exactAmountsInvoice(harness, 'REC-2026-003'),
      record: unknown,
    }),
  ).rejects.toThrow();
  expect(await rowOf(unknown.view.workflowId)).toMatchObject({ status: 'SUBMITTING' });

  // The same number again: Chorus refuses it as already used.
  await activities.submitInvoice({
    connectionId: 'acme',
    body: exactAmountsInvoice(harness, 'REC-2026-004'),
  });
  const refused = submittingRecord('REC-2026-004-again');
  const outcome = await activities.submitInvoice({
    connectionId: 'acme',
    body: exactAmountsInvoice(harness, 'REC-2026-004'),
    record: refused,
  });
  expect(outcome.kind).toBe('duplicate-number');
  expect(outcome.recorded).toEqual(refused.events);
  expect(await rowOf(refused.view.workflowId)).toMatchObject({ status: 'SUBMITTING' });
});

it('answers the deposit without `recorded` when its record cannot be stored', async () => {
  // A record that cannot be stored (an event id without a sequence number).
  const bad = submittingRecord('REC-2026-005');
  bad.events[0].event.id = 'no-sequence';
  const outcome = await activities.submitInvoice({
    connectionId: 'acme',
    body: exactAmountsInvoice(harness, 'REC-2026-005'),
    record: bad,
  });
  expect(outcome).toMatchObject({ kind: 'accepted' });
  expect(outcome.recorded).toBeUndefined();
  expect(harness.logLines.join('\n')).toMatch(/invoice record not stored beside the deposit/);
});

it('sends a claimed attempt once: a second run of it sends nothing and says why, the next attempt is sent', async () => {
  const body = exactAmountsInvoice(harness, 'CLAIM-2026-001');
  const claim = { workflowId: 'invoice:acme:CLAIM-2026-001', runId: 'run-1', attempt: 1 };
  const before = await harness.calls('factures/soumettre');
  // The first run deposits the invoice (its worker then stops before the outcome is in the history).
  await expect(activities.submitInvoice({ connectionId: 'acme', body, claim })).resolves.toMatchObject({
    kind: 'accepted',
  });
  expect(await harness.calls('factures/soumettre')).toBe(before + 1);

  // The same attempt run again (a new worker replaying the step): nothing leaves.
  const again = await activities
    .submitInvoice({ connectionId: 'acme', body, claim })
    .catch((err: unknown) => err);
  expect(again).toMatchObject({ type: 'DepositAttemptRepeated', nonRetryable: true });
  expect((again as Error).message).toMatch(/looked up before anything is sent again/);
  expect(await harness.calls('factures/soumettre')).toBe(before + 1);

  // The workflow's next attempt has its own number (here Chorus answers that the number is used:
  // the workflow looked it up first), and the same attempt of another run is its own.
  await expect(
    activities.submitInvoice({ connectionId: 'acme', body, claim: { ...claim, attempt: 2 } }),
  ).resolves.toMatchObject({ kind: 'duplicate-number' });
  const other = exactAmountsInvoice(harness, 'CLAIM-2026-002');
  await expect(
    activities.submitInvoice({ connectionId: 'acme', body: other, claim: { ...claim, runId: 'run-2' } }),
  ).resolves.toMatchObject({ kind: 'accepted' });
  expect(await harness.calls('factures/soumettre')).toBe(before + 3);
  const claims = await database.db
    .selectFrom('deposit_attempts')
    .select(['run_id', 'attempt'])
    .where('workflow_id', '=', claim.workflowId)
    .orderBy('run_id')
    .orderBy('attempt')
    .execute();
  expect(claims).toEqual([
    { run_id: 'run-1', attempt: 1 },
    { run_id: 'run-1', attempt: 2 },
    { run_id: 'run-2', attempt: 1 },
  ]);
});
