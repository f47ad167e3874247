import { randomBytes } from 'node:crypto';
import type { DataConverter } from '@temporalio/common';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BlobStore } from './blob-store';
import { DatabaseBlobStore, DatabaseConnectionDirectory, importFileStores } from './database-stores';
import { prepareDatabase, type AppDatabase } from './database';
import { WebhookSecrets } from './webhook-secrets';
import type { AppConfig } from './config';
import { connectionsFile, type ConnectionStore } from './connections';
import type { Logger } from './logger';
import { dataConverterFor, loadPayloadCodec, type AesGcmPayloadCodec } from './payload-codec';
import { loadSealer, type SecretSealer } from './secret-sealer';

/** Connection secrets are sealed with keys from `SEALING_KEY_DIR` (default `<DATA_DIR>/sealing-keys`). */
export function connectionSealer(config: AppConfig, logger: Logger): SecretSealer {
  return loadSealer({
    dir: process.env.SEALING_KEY_DIR
      ? path.resolve(process.env.SEALING_KEY_DIR)
      : path.join(config.dataDir, 'sealing-keys'),
    activeKeyId: process.env.SEALING_ACTIVE_KEY_ID,
    production: process.env.NODE_ENV === 'production',
    logger,
  });
}

/** Where releases before the database kept attachments (imported once, see importFileStores). */
export const blobDir = (config: AppConfig) =>
  process.env.BLOB_DIR ? path.resolve(process.env.BLOB_DIR) : path.join(config.dataDir, 'blobs');

/**
 * The stores every host shares through the app database: attachments (content-addressed) and
 * connection records. The API writes attachments and seals connection secrets (it keeps no way to
 * open them); the worker's activities read both and open the secrets. The file-based stores of
 * earlier releases are imported once, on the first start.
 */
export async function sharedStores(
  config: AppConfig,
  db: AppDatabase,
  options: { logger: Logger; role: 'api' | 'worker' },
): Promise<{ blobs: BlobStore; connections: ConnectionStore }> {
  const sealer = connectionSealer(config, options.logger);
  await importFileStores(
    db,
    { connectionsFile: connectionsFile(config.dataDir), blobDir: blobDir(config) },
    options.logger,
  );
  return {
    blobs: new DatabaseBlobStore(db),
    connections: new DatabaseConnectionDirectory(db, options.role === 'api' ? sealer.sealOnly() : sealer),
  };
}

/**
 * The key that signs webhook events: WEBHOOK_SECRET, or in development a random key generated
 * once into the data folder (with a warning, since receivers need to be told it).
 */
export function webhookSecret(config: AppConfig, logger: Logger): string {
  if (process.env.WEBHOOK_SECRET) return process.env.WEBHOOK_SECRET;
  if (process.env.NODE_ENV === 'production') throw new Error('WEBHOOK_SECRET must be set in production');
  const file = path.join(config.dataDir, 'webhook-secret');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
    logger.warn({ file }, 'WEBHOOK_SECRET is not set: generated a development webhook signing key');
  }
  return readFileSync(file, 'utf8').trim();
}

/** The payload codec from PAYLOAD_KEYS / PAYLOAD_ACTIVE_KEY_ID (a development key otherwise). */
export function payloadCodec(config: AppConfig, logger: Logger): AesGcmPayloadCodec {
  return loadPayloadCodec({
    keys: process.env.PAYLOAD_KEYS,
    activeKeyId: process.env.PAYLOAD_ACTIVE_KEY_ID,
    dataDir: config.dataDir,
    production: process.env.NODE_ENV === 'production',
    logger,
  });
}

/** What every Worker and Client of the service encrypts its payloads with. */
export function payloadDataConverter(config: AppConfig, logger: Logger): DataConverter {
  return dataConverterFor(payloadCodec(config, logger));
}

/**
 * Runs each loader and collects every refusal, so a production start that lacks several keys
 * says so once, listing them all, instead of one per attempt.
 */
export function loadAll<T extends Record<string, () => unknown>>(
  loaders: T,
): { [K in keyof T]: ReturnType<T[K]> } {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, load] of Object.entries(loaders)) {
    try {
      out[name] = load();
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (problems.length > 0) {
    // In a compose deployment every one of these comes from ./secrets: say how to make them.
    const hint =
      process.env.NODE_ENV === 'production'
        ? '\nDeployment secrets are missing or incomplete: run `npm run production-secrets` beside ' +
          'docker-compose.yml (it writes ./secrets and .env, keeping what exists), then `docker compose up -d`.'
        : '';
    throw new Error(`Cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}${hint}`);
  }
  return out as { [K in keyof T]: ReturnType<T[K]> };
}

/** Where `./run start` records the URL of the PostgreSQL server it runs, for processes started apart. */
export const databaseUrlFile = (config: AppConfig) => path.join(config.dataDir, 'database-url');

/** DATABASE_URL, else the local server started by `./run start`. */
export function databaseUrl(config: AppConfig): string {
  if (config.databaseUrl) return config.databaseUrl;
  const file = databaseUrlFile(config);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  throw new Error(
    'DATABASE_URL is not set and no local PostgreSQL runs (./run start starts one): set DATABASE_URL=postgres://…',
  );
}

/** The app database, created if missing and migrated (API and worker both do it at start; it is safe). */
export async function appDatabase(
  config: AppConfig,
  logger: Logger,
  applicationName: string,
): Promise<AppDatabase> {
  const { db, applied } = await prepareDatabase(databaseUrl(config), { applicationName });
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  return db;
}

/** Per-connection webhook signing secrets (WEBHOOK_SECRET signs for connections without one of their own). */
export function webhookSecrets(
  config: AppConfig,
  db: AppDatabase,
  options: { logger: Logger; role: 'api' | 'worker' },
): WebhookSecrets {
  const sealer = connectionSealer(config, options.logger);
  return new WebhookSecrets(
    db,
    options.role === 'api' ? sealer.sealOnly() : sealer,
    options.role === 'worker' ? webhookSecret(config, options.logger) : undefined,
  );
}
