import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ensureDatabase } from '../../scripts/postgres';
import { migrateToLatest, openDatabase, type AppDatabase } from '../../platform/database';
import { TEST_SERVER_RECORD, type TestServerRecord } from './test-server-record';

/** The run's PostgreSQL server (test/setup/global-setup.ts): from POSTGRES_TEST_URL or the record file. */
export function testPostgresUrl(): string {
  if (process.env.POSTGRES_TEST_URL) return process.env.POSTGRES_TEST_URL;
  try {
    const record = JSON.parse(readFileSync(TEST_SERVER_RECORD, 'utf8')) as TestServerRecord;
    if (record.postgres) return record.postgres.url;
  } catch {
    // fall through
  }
  throw new Error('No PostgreSQL test server: run tests through jest (its global setup starts one).');
}

export interface TestDatabase {
  url: string;
  db: AppDatabase;
  close(): Promise<void>;
}

/** A fresh database of its own (one per test file or harness), migrated to the latest schema. */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const name = `${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const url = await ensureDatabase(testPostgresUrl(), name);
  const db = openDatabase(url, { max: 5 });
  await migrateToLatest(db);
  return { url, db, close: () => db.destroy() };
}

/** What the API needs from the records side, on a fresh test database (loopback webhook targets allowed). */
export async function createTestRecords(label = 'records') {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const { loadSealer } = await import('../../platform/secret-sealer');
  const { createLogger } = await import('../../platform/logger');
  const { WebhookSecrets } = await import('../../platform/webhook-secrets');
  const { WebhookTargetPolicy } = await import('../../activities/webhook-outbox/targets');
  const database = await createTestDatabase(label);
  const sealer = loadSealer({
    dir: path.join(mkdtempSync(path.join(tmpdir(), `${label}-keys-`)), 'sealing-keys'),
    production: false,
    logger: createLogger({ name: label, level: 'silent' }),
  });
  return {
    ...database,
    sealer,
    webhookTargets: new WebhookTargetPolicy(['127.0.0.1', 'localhost', '::1']),
    webhookSecrets: new WebhookSecrets(database.db, sealer, 'test-webhook-secret'),
  };
}
