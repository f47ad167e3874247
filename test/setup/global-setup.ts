import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPostgres, stopPostgresAt, type PostgresServer } from '../../scripts/postgres';
import { isAlive, startDevServer, stopRecordedDevServer, type DevServer } from '../../scripts/temporal';
import { TEST_SERVER_RECORD, type TestServerRecord } from '../helpers/test-server-record';

declare global {
  // Shared with global-teardown.ts: jest runs both in the same process and context.
  var __temporalTestServer: { server: DevServer; stateDir: string; postgres?: PostgresServer } | undefined;
}

/** A server left behind by a run that was killed (its jest process is gone) is stopped before starting anew. */
async function stopLeftoverServer(): Promise<void> {
  let previous: TestServerRecord;
  try {
    previous = JSON.parse(readFileSync(TEST_SERVER_RECORD, 'utf8')) as TestServerRecord;
  } catch {
    return;
  }
  if (isAlive(previous.ownerPid)) return; // another run in this checkout still uses it
  await stopRecordedDevServer(previous.stateDir, 5_000);
  if (previous.postgres) await stopPostgresAt(previous.postgres.dataDir, 5_000);
  rmSync(previous.stateDir, { recursive: true, force: true });
}

/**
 * One real Temporal dev server (headless, free port, fresh SQLite file, all search attributes) and one real
 * PostgreSQL server (fresh cluster, free port) for the whole jest run; test files make their own databases.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEMPORAL_TEST_ADDRESS) return; // pointed at servers someone else runs
  await stopLeftoverServer();
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'chorus-temporal-test-'));
  // PostgreSQL's own account (when the tests run as root) must be able to enter the folder.
  chmodSync(stateDir, 0o755);
  const [server, postgres] = await Promise.all([
    startDevServer({ dbFile: path.join(stateDir, 'temporal.sqlite'), stateDir, readyTimeoutMs: 90_000 }),
    startPostgres({
      dataDir: path.join(stateDir, 'postgres'),
      port: 0,
      readyTimeoutMs: 90_000,
      log: () => {},
    }),
  ]);
  globalThis.__temporalTestServer = { server, stateDir, postgres };
  process.env.TEMPORAL_TEST_ADDRESS = server.address;
  process.env.POSTGRES_TEST_URL = postgres.url;
  const record: TestServerRecord = {
    address: server.address,
    namespace: server.namespace,
    pid: server.pid,
    stateDir,
    ownerPid: process.pid,
    postgres: { url: postgres.url, pid: postgres.pid, dataDir: postgres.dataDir },
  };
  mkdirSync(path.dirname(TEST_SERVER_RECORD), { recursive: true });
  writeFileSync(TEST_SERVER_RECORD, `${JSON.stringify(record, null, 2)}\n`);
}
