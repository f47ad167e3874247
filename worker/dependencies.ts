import type { Client } from '@temporalio/client';
import { connectionHealthFromWorkflow } from '../activities/connection';
import type { InvoiceActivityDependencies } from '../activities/invoice';
import type { AppConfig } from '../platform/config';
import type { Logger } from '../platform/logger';
import { loadAll, sharedStores, webhookSecret } from '../platform/services';

/** The invoice activities' dependencies, from configuration (worker process and `npm start`). */
export function invoiceActivityDependencies(
  config: AppConfig,
  options: { logger: Logger; temporal: () => Client },
): InvoiceActivityDependencies {
  const { stores, secret } = loadAll({
    stores: () => sharedStores(config, { logger: options.logger, role: 'worker' }),
    secret: () => webhookSecret(config, options.logger),
  });
  const { blobs, connections } = stores;
  return {
    connections,
    blobs,
    endpoints: config.chorus,
    chorusTimeoutMs: config.chorusHttpTimeoutMs,
    temporal: options.temporal,
    taskQueue: config.temporal.taskQueue,
    trackerSchedule: config.trackerSchedule,
    webhookSecret: secret,
    logger: options.logger,
    connectionHealth: connectionHealthFromWorkflow(options.temporal),
  };
}
