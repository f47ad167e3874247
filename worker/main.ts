import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { payloadDataConverter } from '../platform/services';
import { activityDependencies } from './dependencies';
import { createWorker } from './index';
import { installRuntime } from './runtime';

/** Runs one worker until SIGINT/SIGTERM; the Runtime then drains in-flight tasks before run() returns. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ name: 'worker', level: config.logLevel });
  installRuntime(logger);
  const dataConverter = payloadDataConverter(config, logger);
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
      dependencies: activityDependencies(config, { logger, temporal: () => client }),
    });
    logger.info({ address: config.temporal.address, taskQueue: config.temporal.taskQueue }, 'worker started');
    await worker.run();
    logger.info('worker stopped');
  } finally {
    await clientConnection.close();
    await connection.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
