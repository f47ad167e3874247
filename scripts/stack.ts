/**
 * `npm start`: the whole service on one machine — Temporal dev server (SQLite file, Web UI), the Chorus Pro
 * simulator, the worker and the API — until Ctrl-C. `npm run stop` (or `./run stop`) stops it from elsewhere.
 */
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { apiAccessFromConfig, startApiServer } from '../api/server';
import { loadConfig, type AppConfig } from '../platform/config';
import type { ConnectionStore } from '../platform/connections';
import { createLogger, type Logger } from '../platform/logger';
import { dataConverterFor } from '../platform/payload-codec';
import { databaseUrlFile, payloadCodec, sharedStores, webhookSecrets } from '../platform/services';
import { prepareDatabase } from '../platform/database';
import { WebhookTargetPolicy } from '../platform/webhook-targets';
import { ensureDatabase, runningPostmaster, startPostgres, stopPostgresAt } from './postgres';
import { clientConnectionOptions, workerConnectionOptions } from '../platform/temporal-connection';
import { startSimulator, type RunningSimulator } from '../simulator/app';
import { credentialsByScenario } from '../simulator/dataset';
import { createWorker } from '../worker';
import {
  activityDependencies,
  chorusCallQuota,
  connectionChanges,
  invoiceArchiver,
  webhookDispatcher,
} from '../worker/dependencies';
import { installRuntime } from '../worker/runtime';
import {
  connectionWorkflowId,
  CONNECTION_WORKFLOW_TYPE,
  type ConnectionWorkflow,
  credentialsChangedSignal,
} from '../workflows/contracts/connection';
import {
  isAlive,
  portOf,
  runningDevServer,
  startDevServer,
  stopProcess,
  stopRecordedDevServer,
  temporalAnswers,
  temporalStateDir,
} from './temporal';

const DEFAULT_CLOCK_SPEED = 86_400; // a simulated day per second, so demos show payment within a minute

const stackPidFile = (config: AppConfig) => path.join(config.dataDir, 'stack.pid');

/** Stops in reverse order of start; each step is logged and never blocks the next. */
class Shutdown {
  private readonly steps: { name: string; run: () => Promise<void> }[] = [];
  constructor(private readonly logger: Logger) {}

  add(name: string, run: () => Promise<void>): void {
    this.steps.unshift({ name, run });
  }

  async runAll(): Promise<void> {
    for (const step of this.steps.splice(0)) {
      try {
        await step.run();
        this.logger.info(`${step.name} stopped`);
      } catch (err) {
        this.logger.error({ err }, `${step.name} did not stop cleanly`);
      }
    }
  }
}

function clockSpeed(): number {
  const raw = process.env.SIMULATOR_CLOCK_SPEED;
  const speed = raw === undefined || raw === '' ? DEFAULT_CLOCK_SPEED : Number(raw);
  if (!(speed > 0)) throw new Error(`SIMULATOR_CLOCK_SPEED must be a positive number, got "${raw}"`);
  return speed;
}

function box(title: string, rows: [string, string][], footer: string): string {
  const labelWidth = Math.max(...rows.map(([label]) => label.length));
  const lines = [
    title,
    '',
    ...rows.map(([label, value]) => `${label.padEnd(labelWidth)}  ${value}`),
    '',
    footer,
  ];
  const width = Math.max(...lines.map((line) => line.length));
  const edge = '─'.repeat(width + 2);
  return [`┌${edge}┐`, ...lines.map((line) => `│ ${line.padEnd(width)} │`), `└${edge}┘`].join('\n');
}

/** Uses a Temporal server that already answers (e.g. `npm run temporal -- start`), else starts one with the UI. */
async function ensureTemporal(config: AppConfig, shutdown: Shutdown, logger: Logger) {
  const { address, namespace, uiPort } = config.temporal;
  const stateDir = temporalStateDir(config.dataDir);
  const recorded = await runningDevServer(stateDir);
  if (recorded || (await temporalAnswers(address, namespace))) {
    logger.info({ address }, 'using the Temporal server already running (left running on exit)');
    return {
      address: recorded?.address ?? address,
      uiUrl: recorded?.uiUrl ?? `http://127.0.0.1:${uiPort}`,
      embedded: Boolean(recorded),
    };
  }
  logger.info('starting the Temporal dev server…');
  const server = await startDevServer({
    port: portOf(address),
    ui: true,
    uiPort,
    namespace,
    // The Web UI decodes payloads through the API's codec endpoint (development mode allows its origin).
    codecEndpoint: `http://127.0.0.1:${config.apiPort}/v1/codec`,
    dbFile: path.join(stateDir, 'temporal.sqlite'),
    stateDir,
    retention: config.temporal.retention,
    // Own process group: Ctrl-C reaches this script, which stops Temporal last, after the worker has drained.
    detached: true,
    log: (line) => logger.info(line),
  });
  shutdown.add('Temporal dev server', () => server.stop());
  return { address: server.address, uiUrl: server.uiUrl ?? `http://127.0.0.1:${uiPort}`, embedded: true };
}

/** Where the embedded PostgreSQL cluster lives (survives restarts, like Temporal's SQLite file). */
export const postgresDataDir = (config: AppConfig) => path.join(config.dataDir, 'postgres');

/**
 * DATABASE_URL when set; otherwise a real PostgreSQL on `.data/postgres` (started here, stopped last), with the
 * app's database `chorus`, its URL recorded in the data folder for processes started apart (npm run api…).
 */
async function ensureAppDatabase(config: AppConfig, shutdown: Shutdown, logger: Logger): Promise<string> {
  if (config.databaseUrl) return config.databaseUrl;
  const dataDir = postgresDataDir(config);
  const urlFile = databaseUrlFile(config);
  if (runningPostmaster(dataDir) !== undefined && existsSync(urlFile)) {
    logger.info({ dataDir }, 'using the PostgreSQL server already running (left running on exit)');
    return readFileSync(urlFile, 'utf8').trim();
  }
  logger.info({ dataDir }, 'starting PostgreSQL…');
  const server = await startPostgres({
    dataDir,
    port: config.postgresPort,
    // Own process group: Ctrl-C reaches this script, which stops PostgreSQL last.
    detached: true,
    log: (line) => logger.info(line),
  });
  shutdown.add('PostgreSQL', () => server.stop());
  const url = await ensureDatabase(server.url, 'chorus');
  await fs.writeFile(urlFile, `${url}\n`, { mode: 0o600 });
  shutdown.add('database URL file', () => fs.rm(urlFile, { force: true }));
  return url;
}

/** The `demo` connection: the simulator's valid credential set, so the walkthrough works at once. */
async function seedDemoConnection(connections: ConnectionStore, simulator: RunningSimulator, logger: Logger) {
  const valid = credentialsByScenario(simulator.ctx.dataset, 'credentials.valid');
  await connections.upsert({
    id: 'demo',
    environment: 'simulator',
    supplierSiret: valid.supplierSiret,
    piste: valid.piste,
    technicalAccount: valid.technicalAccount,
  });
  logger.info(
    { connectionId: 'demo', supplierSiret: valid.supplierSiret },
    'demo connection ready (simulator)',
  );
}

/**
 * The simulator runs a simulated day per second here, so the service's own durations follow that
 * pace (unless set in the environment): statuses are polled every few seconds and a buyer that
 * never reports payment is let go after 90 seconds instead of 120 days.
 */
export const DEMO_PACE: Record<string, string> = {
  INVOICE_TRACKING_FALLBACK_AFTER: '30 seconds',
  INVOICE_PAYMENT_HORIZON: '90 seconds',
  TRACKER_FASTEST: '2 seconds',
  TRACKER_SLOWEST: '15 seconds',
};

/** The demo connection gets its workflow too, re-verified at each start (the simulator is new each time). */
async function verifyDemoConnection(
  client: Client,
  taskQueue: string,
  reverifyEvery?: string,
): Promise<void> {
  try {
    await client.workflow.start<ConnectionWorkflow>(CONNECTION_WORKFLOW_TYPE, {
      workflowId: connectionWorkflowId('demo'),
      taskQueue,
      args: [{ connectionId: 'demo', reverifyEvery }],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    await client.workflow
      .getHandle(connectionWorkflowId('demo'))
      .signal(credentialsChangedSignal, { changedBy: { keyId: 'local:npm-start', role: 'admin' } });
  }
}

async function start(): Promise<void> {
  const config = loadConfig(clockSpeed() > 1 ? { ...DEMO_PACE, ...process.env } : process.env);
  const logger = createLogger({ name: 'stack', level: config.logLevel });
  const shutdown = new Shutdown(logger);
  // The stack orchestrates shutdown itself: the Runtime must not stop the worker on its own at Ctrl-C.
  installRuntime(logger, { shutdownSignals: [] });

  let stopping: Promise<void> | undefined;
  const stop = (reason: string) => {
    if (!stopping) {
      logger.info(`${reason}: stopping the stack…`);
      stopping = shutdown.runAll();
    }
    return stopping;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130); // a second Ctrl-C: do not wait any longer
    void stop(signal).then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    await fs.mkdir(config.dataDir, { recursive: true });
    await fs.writeFile(stackPidFile(config), `${process.pid}\n`);
    shutdown.add('stack pid file', () => fs.rm(stackPidFile(config), { force: true }));

    const databaseUrl = await ensureAppDatabase(config, shutdown, logger);
    const { db, applied } = await prepareDatabase(databaseUrl, { applicationName: 'stack' });
    shutdown.add('database pool', () => db.destroy());
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');

    const temporal = await ensureTemporal(config, shutdown, logger);

    const simulator = await startSimulator({
      port: config.simulatorPort,
      clockSpeed: clockSpeed(),
      logger: logger.child({ component: 'simulator' }),
    });
    shutdown.add('simulator', () => simulator.close());

    const stores = await sharedStores(config, db, { logger, role: 'api' });
    // The demo connection is written by the stack itself, which holds the sealing key.
    const workerStores = await sharedStores(config, db, { logger, role: 'worker' });
    await seedDemoConnection(workerStores.connections, simulator, logger);

    // The embedded dev server speaks plain gRPC; the configured TLS / API key apply to a server of your own.
    const temporalConnection = temporal.embedded
      ? { address: temporal.address, namespace: config.temporal.namespace, tls: 'off' as const }
      : config.temporal.connection;
    const connection = await Connection.connect(clientConnectionOptions(temporalConnection));
    shutdown.add('client connection', () => connection.close());
    const codec = payloadCodec(config, logger);
    const dataConverter = dataConverterFor(codec);
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter });

    const nativeConnection = await NativeConnection.connect(workerConnectionOptions(temporalConnection));
    shutdown.add('worker connection', () => nativeConnection.close());
    const callQuota = chorusCallQuota(config, databaseUrl);
    shutdown.add('call quota', () => callQuota.close());
    const changes = connectionChanges(databaseUrl, logger);
    shutdown.add('connection changes', () => changes.close());
    const worker = await createWorker({
      connection: nativeConnection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      dataConverter,
      cache: config.workerCache,
      workflowHeapMiB: config.workflowHeapMiB,
      dependencies: activityDependencies(config, {
        logger: logger.child({ component: 'worker' }),
        temporal: () => client,
        db,
        stores: workerStores,
        callQuota,
        connectionChanges: changes,
      }),
    });
    const dispatcher = webhookDispatcher(config, { logger, db });
    dispatcher.start();
    shutdown.add('webhook outbox', () => dispatcher.stop());
    const archiver = invoiceArchiver(config, { logger, db, client });
    archiver.start();
    shutdown.add('archiver', () => archiver.stop());
    const running = worker.run();
    shutdown.add('worker', async () => {
      worker.shutdown();
      await running;
    });
    running.catch((err: unknown) => {
      logger.error({ err }, 'worker failed');
      void stop('worker failure').then(() => process.exit(1));
    });

    const access = apiAccessFromConfig(config, codec, logger);
    const api = await startApiServer({
      client,
      logger,
      db,
      webhookTargets: new WebhookTargetPolicy(config.webhookAllowedTargets),
      webhookSecrets: webhookSecrets(config, db, { logger, role: 'api' }),
      ...stores,
      ...access,
      taskQueue: config.temporal.taskQueue,
      timings: config.invoiceTimings,
      connectionReverifyEvery: config.connectionReverifyEvery,
      connectionRecheckFailedEvery: config.connectionRecheckFailedEvery,
      port: config.apiPort,
      host: process.env.API_HOST,
    });
    shutdown.add('API', () => api.close());
    await verifyDemoConnection(client, config.temporal.taskQueue, config.connectionReverifyEvery);

    process.stdout.write(
      `${box(
        'Chorus Pro submission service is running',
        [
          ['API', api.url],
          ['API health', `${api.url}/healthz`],
          ['API metrics', `${api.url}/metrics`],
          ['API docs (OpenAPI)', `${api.url}/docs`],
          ['Simulator', simulator.url],
          ['Simulator data set', `${simulator.url}/__admin/dataset`],
          ['Temporal Web UI', temporal.uiUrl],
          ['Temporal gRPC', temporal.address],
          [
            'PostgreSQL',
            config.databaseUrl ? 'DATABASE_URL' : `${postgresDataDir(config)} (port ${config.postgresPort})`,
          ],
          ...(access.keys.development
            ? ([
                ['API keys', 'DEVELOPMENT MODE (no API_KEYS_FILE): use'],
                ['', 'dev-key-system, dev-key-staff, dev-key-auditor, dev-key-admin'],
              ] as [string, string][])
            : ([['API keys', `from configuration (${access.keys.list().length})`]] as [string, string][])),
        ],
        `Task queue ${config.temporal.taskQueue}, data in ${config.dataDir}. Ctrl-C stops everything.`,
      )}\n`,
    );
  } catch (err) {
    logger.error({ err }, 'the stack did not start');
    await stop('start-up failure');
    process.exit(1);
  }
}

/** Guards against a recycled pid: only this script's process is ours to signal. */
function isStackProcess(pid: number): boolean {
  if (!isAlive(pid)) return false;
  const cmdline = `/proc/${pid}/cmdline`;
  return !existsSync(cmdline) || /stack\.[jt]s/.test(readFileSync(cmdline, 'utf8'));
}

/** `npm run stop`: asks a running stack to stop (it stops its own Temporal), then any detached dev server. */
async function stopFromOutside(): Promise<void> {
  const config = loadConfig();
  const pidFile = stackPidFile(config);
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : undefined;
  if (pid && isStackProcess(pid)) {
    process.stdout.write(`Stopping the stack (pid ${pid})…\n`);
    await stopProcess(pid, 60_000);
    await sleep(100);
  }
  await fs.rm(pidFile, { force: true });
  const stopped = await stopRecordedDevServer(temporalStateDir(config.dataDir));
  if (stopped) process.stdout.write(`Temporal dev server (pid ${stopped.pid}) stopped.\n`);
  if (await stopPostgresAt(postgresDataDir(config))) process.stdout.write('PostgreSQL stopped.\n');
  await fs.rm(databaseUrlFile(config), { force: true });
  process.stdout.write('Stopped.\n');
}

if (require.main === module) {
  (process.argv[2] === 'stop' ? stopFromOutside() : start()).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
