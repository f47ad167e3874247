import { readFileSync, rmSync } from 'node:fs';
import { TEST_SERVER_RECORD, type TestServerRecord } from '../helpers/test-server-record';

function recordIsOurs(): boolean {
  try {
    return (
      (JSON.parse(readFileSync(TEST_SERVER_RECORD, 'utf8')) as TestServerRecord).ownerPid === process.pid
    );
  } catch {
    return false;
  }
}

export default async function globalTeardown(): Promise<void> {
  const started = globalThis.__temporalTestServer;
  if (!started) return;
  await Promise.all([started.server.stop(), started.postgres?.stop()]);
  rmSync(started.stateDir, { recursive: true, force: true });
  // Another run in this checkout may have recorded its own server since.
  if (recordIsOurs()) rmSync(TEST_SERVER_RECORD, { force: true });
  globalThis.__temporalTestServer = undefined;
}
