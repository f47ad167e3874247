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

/** How long the run may linger once every test is done and reported. */
const EXIT_GRACE_MS = 20_000;

export default async function globalTeardown(): Promise<void> {
  // A test that failed in its setup can leave a worker or a connection open, which would keep the
  // process alive after the results are written: the run must still end, with jest's exit code
  // (jest sets it when the process exits). The timer does not itself keep the process alive.
  setTimeout(() => {
    process.stderr.write(`Handles were still open ${EXIT_GRACE_MS / 1000}s after the run ended: exiting.\n`);
    process.exit();
  }, EXIT_GRACE_MS).unref();
  const started = globalThis.__temporalTestServer;
  if (!started) return;
  await started.server.stop();
  rmSync(started.stateDir, { recursive: true, force: true });
  // Another run in this checkout may have recorded its own server since.
  if (recordIsOurs()) rmSync(TEST_SERVER_RECORD, { force: true });
  globalThis.__temporalTestServer = undefined;
}
