import path from 'node:path';

/**
 * Where jest's global setup records the dev server it started: the address reaches test files through
 * TEMPORAL_TEST_ADDRESS, and through this file when a runner does not pass the environment on.
 */
export const TEST_SERVER_RECORD = path.resolve(
  __dirname,
  '..',
  '..',
  'test-output',
  'temporal-test-server.json',
);

export interface TestServerRecord {
  address: string;
  namespace: string;
  pid: number;
  /** Temp folder with the SQLite file, pid file and log. */
  stateDir: string;
  /** The jest process that owns the server; a later run stops the server only once this one is gone. */
  ownerPid: number;
  /** The run's PostgreSQL server: maintenance URL, postmaster pid, cluster folder (inside stateDir). */
  postgres?: { url: string; pid: number; dataDir: string };
}
