import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';
import { migrationProvider } from './migrations';

export type AppDatabase = Kysely<Database>;

/** PostgreSQL text cannot hold NUL: a key containing one names nothing stored (and must not reach a query). */
export const storable = (key: string): boolean => !key.includes('\u0000');

const DATE_OID = 1082;
/** Calendar dates stay "YYYY-MM-DD" strings (node-postgres would make them local-midnight Dates). */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === DATE_OID && format !== 'binary'
      ? (value: string) => value
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

export interface OpenDatabaseOptions {
  /** Pool size (default 10). */
  max?: number;
  /** Label in pg_stat_activity. */
  applicationName?: string;
}

/** A pooled, typed connection to the app database at `url` (DATABASE_URL). */
export function openDatabase(url: string, options: OpenDatabaseOptions = {}): AppDatabase {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'chorus-pro-submission',
    connectionTimeoutMillis: 10_000,
    types,
  });
  // An idle client losing its server (restart, network) must not crash the process: the pool replaces it.
  pool.on('error', () => undefined);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

export interface MigrationOutcome {
  applied: string[];
}

/**
 * Brings the schema to the latest version. Kysely's Migrator runs them in one transaction under a
 * PostgreSQL advisory lock, so API and worker processes starting together apply each migration once.
 */
export async function migrateToLatest(db: AppDatabase): Promise<MigrationOutcome> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(
      `database migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/** For /healthz: the database answers a trivial query within the deadline. */
export async function databaseAnswers(db: AppDatabase, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      sql`select 1`.execute(db).then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Creates the database named in `url` when it is missing, connecting to the server's `postgres`
 * database with the same credentials (a fresh compose volume, a new embedded cluster).
 */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database (…/<database>)');
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount !== 0) return;
    try {
      await client.query(`create database ${pg.escapeIdentifier(name)}`);
    } catch (err) {
      // 42P04 duplicate_database, 23505 when two creators race on the catalog's unique index.
      const code = (err as { code?: string }).code;
      if (code !== '42P04' && code !== '23505') throw err;
    }
  } finally {
    await client.end();
  }
}

/** Opens the database, creating it if needed, and migrates it: what the API and worker do at start. */
export async function prepareDatabase(url: string, options: OpenDatabaseOptions = {}) {
  await ensureDatabaseExists(url);
  const db = openDatabase(url, options);
  try {
    return { db, ...(await migrateToLatest(db)) };
  } catch (err) {
    await db.destroy();
    throw err;
  }
}

/**
 * A value as JSON text PostgreSQL accepts: its JSON type cannot hold U+0000, which a value from
 * outside (a Chorus Pro comment, say) might carry; it becomes U+FFFD rather than failing the write.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'string' ? storableText(inner) : inner,
  );
}

/** A lone UTF-16 surrogate (half of a character): PostgreSQL's JSON refuses it like U+0000. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text PostgreSQL can store: U+0000 and lone surrogates replaced by U+FFFD. */
export function storableText(text: string): string {
  return text.replaceAll('\u0000', '\ufffd').replace(LONE_SURROGATE, '\ufffd');
}
