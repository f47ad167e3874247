import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { appDatabase, payloadDataConverter, sharedStores } from '../platform/services';
import { activityDependencies, invoiceArchiver, webhookDispatcher } from './dependencies';
import { createWorker } from './index';
import { installRuntime } from './runtime';

/** Runs one worker until SIGINT/SIGTERM; the Runtime then drains in-flight tasks before run() returns. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ name: 'worker', level: config.logLevel });
  installRuntime(logger);
  const dataConverter = payloadDataConverter(config, logger);
  const db = await appDatabase(config, logger, 'worker');
  const dispatcher = webhookDispatcher(config, { logger, db });
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  // Activities reach the per-connection tracker workflow through an ordinary client.
  const clientConnection = Connection.lazy({ address: config.temporal.address });
  const client = new Client({
    connection: clientConnection,
    namespace: config.temporal.namespace,
    dataConverter,
  });
  try {
    const worker = await createWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      dataConverter,
      dependencies: activityDependencies(config, {
        logger,
        temporal: () => client,
        db,
        stores: await sharedStores(config, db, { logger, role: 'worker' }),
      }),
    });
    logger.info({ address: config.temporal.address, taskQueue: config.temporal.taskQueue }, 'worker started');
    const archiver = invoiceArchiver(config, { logger, db, client });
    dispatcher.start();
    archiver.start();
    try {
      await worker.run();
    } finally {
      await archiver.stop();
    }
    logger.info('worker stopped');
  } finally {
    await dispatcher.stop();
    await db.destroy();
    await clientConnection.close();
    await connection.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
