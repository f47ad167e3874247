import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { createWorker } from './index';
import { installRuntime } from './runtime';

/** Runs one worker until SIGINT/SIGTERM; the Runtime then drains in-flight tasks before run() returns. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ name: 'worker', level: config.logLevel });
  installRuntime(logger);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  try {
    const worker = await createWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      dependencies: { httpTimeoutMs: config.chorusHttpTimeoutMs },
    });
    logger.info({ address: config.temporal.address, taskQueue: config.temporal.taskQueue }, 'worker started');
    await worker.run();
    logger.info('worker stopped');
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
