import type { Client } from '@temporalio/client';
import { RateLimitedCallQuota, type ChorusCallQuota } from '../activities/chorus/call-quota';
import { connectionHealthFromWorkflow } from '../activities/connection';
import type { ActivityDependencies } from '../activities';
import { InvoiceArchiver } from './archiver';
import { WebhookDispatcher } from '../activities/webhook-outbox/dispatcher';
import { msOf } from '../domain/durations';
import { WebhookTargetPolicy } from '../platform/webhook-targets';
import type { AppConfig } from '../platform/config';
import type { AppDatabase } from '../platform/database';
import type { Logger } from '../platform/logger';
import type { BlobStore } from '../platform/blob-store';
import type { ConnectionDirectory } from '../platform/connections';
import { PostgresConnectionChanges, type ConnectionChanges } from '../platform/connection-changes';
import { webhookSecrets } from '../platform/services';

/** The activities' dependencies, from configuration (worker process and `npm start`). */
export function activityDependencies(
  config: AppConfig,
  options: {
    logger: Logger;
    temporal: () => Client;
    db: AppDatabase;
    stores: { blobs: BlobStore; connections: ConnectionDirectory };
    /** Paces Chorus calls per PISTE application (chorusCallQuota); absent: not paced. */
    callQuota?: ChorusCallQuota;
    /** Connection records changing (connectionChanges); absent: records are read at every call. */
    connectionChanges?: ConnectionChanges;
  },
): ActivityDependencies {
  const { blobs, connections } = options.stores;
  return {
    connections,
    blobs,
    endpoints: config.chorus,
    chorusTimeoutMs: config.chorusHttpTimeoutMs,
    temporal: options.temporal,
    taskQueue: config.temporal.taskQueue,
    trackerSchedule: config.trackerSchedule,
    db: options.db,
    logger: options.logger,
    connectionHealth: connectionHealthFromWorkflow(options.temporal),
    callQuota: options.callQuota,
    connectionChanges: options.connectionChanges,
  };
}

/**
 * Connection changes heard from the app database, so that a worker keeps connection records between
 * Chorus calls (close it when the worker stops).
 */
export function connectionChanges(databaseUrl: string, logger: Logger): ConnectionChanges {
  return PostgresConnectionChanges.start(databaseUrl, logger.child({ component: 'connections' }));
}

/**
 * The PISTE call quota shared by every worker: counted in the app database, the one store all
 * workers already share (close it when the worker stops).
 */
export function chorusCallQuota(config: AppConfig, databaseUrl: string): ChorusCallQuota {
  return RateLimitedCallQuota.inPostgres(config.chorusCallQuota, databaseUrl);
}

/** The webhook outbox's delivery loop of this worker process. */
export function webhookDispatcher(config: AppConfig, options: { logger: Logger; db: AppDatabase }) {
  return new WebhookDispatcher({
    db: options.db,
    secrets: webhookSecrets(config, options.db, { logger: options.logger, role: 'worker' }),
    targets: new WebhookTargetPolicy(config.webhookAllowedTargets),
    logger: options.logger.child({ component: 'webhooks' }),
  });
}

/** The archiver of closed invoice runs in this worker process (every ARCHIVE_EVERY, default a minute). */
export function invoiceArchiver(
  config: AppConfig,
  options: { logger: Logger; db: AppDatabase; client: Client },
) {
  return new InvoiceArchiver({
    client: options.client,
    db: options.db,
    logger: options.logger.child({ component: 'archive' }),
    everyMs: msOf(config.archiveEvery),
  });
}
