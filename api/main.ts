import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { collectNodeMetrics } from '../platform/metrics';
import {
  appDatabase,
  connectionSealer,
  loadAll,
  payloadCodec,
  sharedStores,
  webhookSecrets,
} from '../platform/services';
import { WebhookTargetPolicy } from '../platform/webhook-targets';
import { loadApiKeys } from './auth';
import { dataConverterFor } from '../platform/payload-codec';
import { apiAccessFromConfig, startApiServer } from './server';
import { clientConnectionOptions, describeTemporalConnection } from '../platform/temporal-connection';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ name: 'api', level: config.logLevel });
  collectNodeMetrics();
  // Lazy: the API starts (and /healthz says 503) even while Temporal is still coming up.
  const connection = Connection.lazy(clientConnectionOptions(config.temporal.connection));
  // Every missing production setting is reported at once.
  const { codec } = loadAll({
    codec: () => payloadCodec(config, logger),
    sealer: () => connectionSealer(config, logger),
    keys: () =>
      loadApiKeys({
        inline: config.api.keysInline,
        file: config.api.keysFile,
        production: config.production,
      }),
  });
  const db = await appDatabase(config, logger, 'api');
  const stores = await sharedStores(config, db, { logger, role: 'api' });
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter: dataConverterFor(codec),
  });
  const server = await startApiServer({
    client,
    logger,
    db,
    webhookTargets: new WebhookTargetPolicy(config.webhookAllowedTargets),
    webhookSecrets: webhookSecrets(config, db, { logger, role: 'api' }),
    ...stores,
    ...apiAccessFromConfig(config, codec, logger),
    taskQueue: config.temporal.taskQueue,
    timings: config.invoiceTimings,
    connectionReverifyEvery: config.connectionReverifyEvery,
    connectionRecheckFailedEvery: config.connectionRecheckFailedEvery,
    port: config.apiPort,
    host: process.env.API_HOST,
  });
  logger.info(
    { url: server.url, temporal: describeTemporalConnection(config.temporal.connection) },
    'API listening',
  );

  const shutdown = async () => {
    await server.close();
    await connection.close();
    await db.destroy();
    logger.info('API stopped');
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
