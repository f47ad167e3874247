import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { loadAll, payloadDataConverter } from '../platform/services';
import {
  clientConnectionOptions,
  describeTemporalConnection,
  workerConnectionOptions,
} from '../platform/temporal-connection';
import { invoiceActivityDependencies } from './dependencies';
import { createWorkerHealthApp, startWorkerHealthServer, temporalAnswersThrough } from './health';
import { createWorker } from './index';
import { installRuntime } from './runtime';
import { prebuiltWorkflowBundle } from './workflow-bundle';

/** Runs one worker until SIGINT/SIGTERM; the Runtime then drains in-flight tasks before run() returns. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ name: 'worker', level: config.logLevel });
  installRuntime(logger);
  const temporal = config.temporal.connection;
  // Activities reach the per-connection tracker workflow through an ordinary client.
  const clientConnection = Connection.lazy(clientConnectionOptions(temporal));
  // Every missing production setting is reported at once.
  const { dataConverter, workflowBundle, invoice } = loadAll({
    dataConverter: () => payloadDataConverter(config, logger),
    workflowBundle: () => prebuiltWorkflowBundle({ production: config.production, logger }),
    invoice: () => invoiceActivityDependencies(config, { logger, temporal: (): Client => client }),
  });
  const client: Client = new Client({
    connection: clientConnection,
    namespace: config.temporal.namespace,
    dataConverter,
  });

  // Up before the worker, so an orchestrator sees "starting" (503) rather than nothing.
  let worker: Worker | undefined;
  const health = await startWorkerHealthServer(
    createWorkerHealthApp({
      status: () => worker?.getStatus(),
      temporalAnswers: temporalAnswersThrough(clientConnection),
      taskQueue: config.temporal.taskQueue,
    }),
    { port: config.workerHealth.port, host: config.workerHealth.host },
  ).catch((err: NodeJS.ErrnoException) => {
    throw new Error(
      err.code === 'EADDRINUSE'
        ? `WORKER_HEALTH_PORT ${config.workerHealth.port} is in use: give each worker on this host its own port (0: any free port).`
        : `the health endpoint could not listen: ${err.message}`,
    );
  });

  const connection = await NativeConnection.connect(workerConnectionOptions(temporal));
  try {
    worker = await createWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      dataConverter,
      workflowBundle,
      dependencies: {
        httpTimeoutMs: config.chorusHttpTimeoutMs,
        invoice,
      },
    });
    logger.info(
      {
        temporal: describeTemporalConnection(temporal),
        taskQueue: config.temporal.taskQueue,
        health: `${health.url}/healthz`,
      },
      'worker started',
    );
    await worker.run();
    logger.info('worker stopped');
  } finally {
    await health.close();
    await clientConnection.close();
    await connection.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
