/**
 * The deposit's activity registers the invoice with its tracker, and a registration that fails never
 * fails the deposit: `submitInvoice` against the real simulator, with a Temporal client that cannot
 * reach any server (a closed port), answers `accepted` with `registered: false`, once.
 */
import { Client, Connection } from '@temporalio/client';
import { createServer } from 'node:net';
import { createSubmissionActivities } from '../../activities/submission';
import type { AppDatabase } from '../../platform/database';
import type { BlobStore } from '../../platform/blob-store';
import { exactAmountsInvoice, SimulatorHarness } from './simulator-harness';

let harness: SimulatorHarness;

beforeAll(async () => {
  harness = await SimulatorHarness.start();
});

afterAll(async () => {
  await harness.close();
});

/** A port nothing listens on: taken from the system, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

it('returns the deposit with registered: false when the tracker cannot be reached, never a failure', async () => {
  const { chorus } = harness.chorusAccess();
  const logger = harness.logger;
  const unreachable = new Client({
    connection: Connection.lazy({ address: `127.0.0.1:${await closedPort()}`, connectTimeout: 1000 }),
  });
  const activities = createSubmissionActivities(chorus, {
    // Not read by submitInvoice.
    blobs: {} as BlobStore,
    db: {} as AppDatabase,
    temporal: () => unreachable,
    taskQueue: 'registration-test',
    logger,
  });

  await harness.resetCounters();
  const started = Date.now();
  const outcome = await activities.submitInvoice({
    connectionId: 'acme',
    body: exactAmountsInvoice(harness, 'REG-2026-001'),
    track: { workflowId: 'invoice:acme:REG-2026-001', invoiceNumber: 'REG-2026-001' },
  });
  expect(outcome).toMatchObject({ kind: 'accepted', statut: 'DEPOSEE', registered: false });
  // The registration gives up at its 10 s deadline (REGISTER_WITHIN_MS); the margin is for a loaded
  // machine (15 s was passed by 0.3 s in a CI run), the bound for a registration that would go on.
  expect(Date.now() - started).toBeLessThan(30_000);
  expect(await harness.calls('factures/soumettre')).toBe(1);
  expect(harness.logLines.join('\n')).toMatch(/tracker not woken after a deposit/);
  await unreachable.connection.close();
}, 60_000);
