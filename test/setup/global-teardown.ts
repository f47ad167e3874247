import { rmSync } from 'node:fs';
import { TEST_SERVER_RECORD } from '../helpers/test-server-record';

export default async function globalTeardown(): Promise<void> {
  const started = globalThis.__temporalTestServer;
  if (!started) return;
  await started.server.stop();
  rmSync(started.stateDir, { recursive: true, force: true });
  rmSync(TEST_SERVER_RECORD, { force: true });
  globalThis.__temporalTestServer = undefined;
}
