import { getHeapStatistics } from 'node:v8';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { collectNodeMetrics } from '../platform/metrics';
import {
  appDatabase,
  connectionSealer,
  databaseUrl,
  loadAll,
  payloadDataConverter,
  sharedStores,
} from '../platform/services';
import {
  clientConnectionOptions,
  describeTemporalConnection,
  workerConnectionOptions,
} from '../platform/temporal-connection';
import {
  activityDependencies,
  chorusCallQuota,
  connectionChanges,
  invoiceArchiver,
  webhookDispatcher,
} from './dependencies';
import { createWorkerHealthApp, startWorkerHealthServer, temporalAnswersThrough } from './health';
import { createWorker } from './index';
import { freeLoopbackAddress, installRuntime, sdkMetricsUrl } from './runtime';
import { prebuiltWorkflowBundle } from './workflow-bundle';

/** Runs one worker until SIGINT/SIGTERM; the Runtime then drains in-flight tasks before run() returns. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ name: 'worker', level: config.logLevel });
  const metricsAddress = config.workerHealth.sdkMetricsAddress ?? (await freeLoopbackAddress());
  try {
    installRuntime(logger, { metricsAddress });
  } catch (err) {
    throw new Error(
      `the Temporal SDK's metrics exporter could not listen on ${metricsAddress} (TEMPORAL_SDK_METRICS_ADDRESS): ${(err as Error).message}`,
    );
  }
  collectNodeMetrics();
  // Every missing production setting is reported at once, before anything connects.
  const { dataConverter, workflowBundle } = loadAll({
    dataConverter: () => payloadDataConverter(config, logger),
    workflowBundle: () => prebuiltWorkflowBundle({ production: config.production, logger }),
    sealer: () => connectionSealer(config, logger),
  });
  const temporal = config.temporal.connection;
  // Activities reach the per-connection tracker workflow through an ordinary client.
  const clientConnection = Connection.lazy(clientConnectionOptions(temporal));
  const client = new Client({
    connection: clientConnection,
    namespace: config.temporal.namespace,
    dataConverter,
  });

  // Up before the worker, so an orchestrator sees "starting" (503) rather than nothing.
  let worker: Worker | undefined;
  const health = await startWorkerHealthServer(
    createWorkerHealthApp(
      {
        status: () => worker?.getStatus(),
        temporalAnswers: temporalAnswersThrough(clientConnection),
        taskQueue: config.temporal.taskQueue,
      },
      { sdkMetricsUrl: sdkMetricsUrl() },
    ),
    { port: config.workerHealth.port, host: config.workerHealth.host },
  ).catch((err: NodeJS.ErrnoException) => {
    throw new Error(
      err.code === 'EADDRINUSE'
        ? `WORKER_HEALTH_PORT ${config.workerHealth.port} is in use: give each worker on this host its own port (0: any free port).`
        : `the health endpoint could not listen: ${err.message}`,
    );
  });

  const db = await appDatabase(config, logger, 'worker');
  const dispatcher = webhookDispatcher(config, { logger, db });
  const callQuota = chorusCallQuota(config, databaseUrl(config));
  const changes = connectionChanges(databaseUrl(config), logger);
  const connection = await NativeConnection.connect(workerConnectionOptions(temporal));
  try {
    worker = await createWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      dataConverter,
      workflowBundle,
      cache: config.workerCache,
      workflowHeapMiB: config.workflowHeapMiB,
      dependencies: activityDependencies(config, {
        logger,
        temporal: () => client,
        db,
        stores: await sharedStores(config, db, { logger, role: 'worker' }),
        callQuota,
        connectionChanges: changes,
      }),
    });
    logger.info(
      {
        temporal: describeTemporalConnection(temporal),
        taskQueue: config.temporal.taskQueue,
        chorusCallsPerSecond: config.chorusCallQuota.callsPerSecond,
        ...config.workerCache,
        // What --max-old-space-size (worker/heap.ts) left the main thread: the operator sees it is applied.
        heapLimitMiB: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20),
        workflowHeapLimitMiB: config.workflowHeapMiB || 'V8 default',
        health: `${health.url}/healthz`,
        metrics: `${health.url}/metrics`,
      },
      'worker started',
    );
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
    await health.close();
    await dispatcher.stop();
    await callQuota.close();
    await changes.close();
    await db.destroy();
    await clientConnection.close();
    await connection.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
