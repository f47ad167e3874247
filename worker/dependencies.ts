import type { Client } from '@temporalio/client';
import { connectionHealthFromWorkflow } from '../activities/connection';
import type { ActivityDependencies } from '../activities';
import type { AppConfig } from '../platform/config';
import type { Logger } from '../platform/logger';
import { loadAll, sharedStores, webhookSecret } from '../platform/services';

/** The activities' dependencies, from configuration (worker process and `npm start`). */
export function activityDependencies(
  config: AppConfig,
  options: { logger: Logger; temporal: () => Client },
): ActivityDependencies {
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
