import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isAlive, startDevServer, stopRecordedDevServer, type DevServer } from '../../scripts/temporal';
import { TEST_SERVER_RECORD, type TestServerRecord } from '../helpers/test-server-record';

declare global {
  // Shared with global-teardown.ts: jest runs both in the same process and context.
  var __temporalTestServer: { server: DevServer; stateDir: string } | undefined;
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
  rmSync(previous.stateDir, { recursive: true, force: true });
}

/** One real Temporal dev server for the whole jest run: headless, free port, fresh SQLite file, all search attributes. */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEMPORAL_TEST_ADDRESS) return; // pointed at a server someone else runs
  await stopLeftoverServer();
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'chorus-temporal-test-'));
  const server = await startDevServer({
    dbFile: path.join(stateDir, 'temporal.sqlite'),
    stateDir,
    readyTimeoutMs: 90_000,
  });
  globalThis.__temporalTestServer = { server, stateDir };
  process.env.TEMPORAL_TEST_ADDRESS = server.address;
  const record: TestServerRecord = {
    address: server.address,
    namespace: server.namespace,
    pid: server.pid,
    stateDir,
    ownerPid: process.pid,
  };
  mkdirSync(path.dirname(TEST_SERVER_RECORD), { recursive: true });
  writeFileSync(TEST_SERVER_RECORD, `${JSON.stringify(record, null, 2)}\n`);
}
