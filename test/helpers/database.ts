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
