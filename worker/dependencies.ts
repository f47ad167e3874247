import type { Client } from '@temporalio/client';
import { connectionHealthFromWorkflow } from '../activities/connection';
import type { InvoiceActivityDependencies } from '../activities/invoice';
import { InvoiceArchiver } from '../activities/archive/archiver';
import { WebhookDispatcher } from '../activities/webhook-outbox/dispatcher';
import { msOf } from '../domain/durations';
import { WebhookTargetPolicy } from '../activities/webhook-outbox/targets';
import type { AppConfig } from '../platform/config';
import type { AppDatabase } from '../platform/database';
import type { Logger } from '../platform/logger';
import type { BlobStore } from '../platform/blob-store';
import type { ConnectionDirectory } from '../platform/connections';
import { webhookSecrets } from '../platform/services';

/** The invoice activities' dependencies, from configuration (worker process and `npm start`). */
export function invoiceActivityDependencies(
  config: AppConfig,
  options: {
    logger: Logger;
    temporal: () => Client;
    db: AppDatabase;
    stores: { blobs: BlobStore; connections: ConnectionDirectory };
  },
): InvoiceActivityDependencies {
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
  };
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
