/**
 * The real stack for end-to-end tests, in this process: the simulator over HTTP, the worker with
 * the real activities (Chorus client, blob store, webhooks) on the shared dev server, and the REST
 * API. Only durations are shortened.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import got, { type Got } from 'got';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { RateLimitedCallQuota } from '../../activities/chorus/call-quota';
import { connectionHealthFromWorkflow } from '../../activities/connection';
import { matchRoute } from '../../api/access';
import { ApiKeyRegistry, DEVELOPMENT_KEYS, type ApiKeyEntry } from '../../api/auth';
import { startApiServer, type ApiServer } from '../../api/server';
import type { Role } from '../../domain/actor';
import { AesGcmPayloadCodec, dataConverterFor } from '../../platform/payload-codec';
import { loadConfig } from '../../platform/config';
import { DatabaseBlobStore, DatabaseConnectionDirectory } from '../../platform/database-stores';
import { loadSealer } from '../../platform/secret-sealer';
import { createLogger } from '../../platform/logger';
import { startSimulator, type RunningSimulator } from '../../simulator/app';
import { credentialsByScenario, structureByScenario } from '../../simulator/dataset';
import { createWorker } from '../../worker';
import {
  createWorkerHealthApp,
  startWorkerHealthServer,
  temporalAnswersThrough,
  type WorkerHealthServer,
} from '../../worker/health';
import { freeLoopbackAddress, installRuntime, sdkMetricsUrl } from '../../worker/runtime';
import type { AppDatabase } from '../../platform/database';
import { WebhookSecrets } from '../../platform/webhook-secrets';
import { WebhookDispatcher, type WebhookDispatcherOptions } from '../../activities/webhook-outbox/dispatcher';
import { WebhookTargetPolicy } from '../../platform/webhook-targets';
import { createTestDatabase } from '../helpers/database';
import type { InvoiceTimings, InvoiceView } from '../../workflows/contracts/invoice';
import type { TrackerSchedule } from '../../workflows/contracts/tracker';
import {
  bundleWorkflowsOnce,
  connectTestEnv,
  testServer,
  uniqueTaskQueue,
  type TestServer,
} from '../helpers/temporal';
import { captureHistories, capturing } from '../replay/capture';

export interface Stack {
  env: TestWorkflowEnvironment;
  simulator: RunningSimulator;
  api: ApiServer;
  /** The worker's health server, as a worker process runs it: `/healthz` and `/metrics`. */
  workerHealth: WorkerHealthServer;
  /** A client with the stack's payload codec (the raw `env.client` sees only encrypted payloads). */
  client: Client;
  codec: AesGcmPayloadCodec;
  /** The stack's own database (invoice rows, archives, webhook outbox). */
  db: AppDatabase;
  /** PAYLOAD_KEYS for a tool run apart (replay), and the stack's DATABASE_URL. */
  payloadKeys: string;
  databaseUrl: string;
  /** The task queue of this stack's worker (visibility queries can be scoped to it). */
  taskQueue: string;
  /** The webhook delivery loop (started unless `webhookDelivery: 'manual'`). */
  dispatcher: WebhookDispatcher;
  /** Signing secrets as the worker sees them (opens sealed ones). */
  webhookSecrets: WebhookSecrets;
  /**
   * Calls the API with, for each route, the development key of the first role the route allows
   * (so scenario tests read as before); `as(role)` and `withKey(key)` pick the key explicitly.
   */
  http: Got;
  as(role: Role, actingUser?: string): Got;
  withKey(key: string | undefined): Got;
  connectionId: string;
  dataDir: string;
  /** Every log line written by the worker, the API and the simulator. */
  logLines: string[];
  buyerSiret(scenario: string): string;
  /** Stops the worker (as a deploy or a crash would) and starts a fresh one on the same task queue. */
  restartWorker(): Promise<void>;
  /** POST /v1/invoices (system key), expecting 202; returns the invoice id. */
  submit(body: Record<string, unknown>): Promise<string>;
  /** Polls GET /v1/invoices/:id until `predicate` holds. */
  waitFor(
    id: string,
    predicate: (view: InvoiceView) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<InvoiceView>;
  /** Polls `probe` until it returns a value (reads from the database follow the workflow within moments). */
  waitUntil<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export const FAST_TIMINGS: Partial<InvoiceTimings> = {
  taskReminderAfter: '1 hour',
  trackingFallbackAfter: '20 seconds',
  paymentHorizon: '1 hour',
  connectionRecheckEvery: '1 second',
  resubmitBackoff: '200ms',
};

export const FAST_TRACKER: Partial<TrackerSchedule> = {
  fastest: '300ms',
  slowest: '1 second',
  pageSize: 100,
};

export async function startStack(
  options: {
    credentials?: string;
    timings?: Partial<InvoiceTimings>;
    tracker?: Partial<TrackerSchedule>;
    clockSpeed?: number;
    /** Configured API keys (hashes); the development keys when omitted. */
    apiKeys?: ApiKeyEntry[];
    /** Requests a minute per key (tests default to a limit they never reach). */
    rateLimitPerMinute?: number;
    /** 'manual': the test drives the webhook outbox itself (its own clock); default: a loop on the real clock. */
    webhookDelivery?: 'loop' | 'manual';
    /** A Temporal server of the test's own (one it may stop), instead of the run's shared one. */
    temporal?: TestServer;
    dispatcher?: Partial<WebhookDispatcherOptions>;
    /**
     * Installs this file's Temporal Runtime with its Prometheus exporter on a free loopback port, so
     * the worker's `/metrics` carries the SDK's series (call before anything else installs one).
     */
    sdkMetrics?: boolean;
    /** Chorus calls a second per PISTE application, counted in the stack's database (unset: not paced). */
    callsPerSecond?: number;
    /** Workers on the stack's task queue (default 1); the others log with `worker: <n>`. */
    workers?: number;
  } = {},
): Promise<Stack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'chorus-e2e-'));
  // Every log line is kept so tests can scan them (for secrets); they are echoed only when asked.
  const logLines: string[] = [];
  const logger = createLogger(
    { name: 'e2e', level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        if (process.env.TEST_LOG_LEVEL) process.stdout.write(chunk);
        done();
      },
    }),
  );
  if (options.sdkMetrics) {
    installRuntime(createLogger({ name: 'test', level: process.env.TEST_LOG_LEVEL ?? 'error' }), {
      metricsAddress: await freeLoopbackAddress(),
    });
  }
  const env = await connectTestEnv(options.temporal);
  const simulator = await startSimulator({ port: 0, clockSpeed: options.clockSpeed ?? 1, logger });
  // Every Chorus environment is the simulator here: a connection created by a test reaches no outside host.
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    SIMULATOR_URL: simulator.url,
    CHORUS_SANDBOX_TOKEN_URL: `${simulator.url}/api/oauth/token`,
    CHORUS_SANDBOX_API_URL: `${simulator.url}/cpro`,
    CHORUS_PRODUCTION_TOKEN_URL: `${simulator.url}/api/oauth/token`,
    CHORUS_PRODUCTION_API_URL: `${simulator.url}/cpro`,
  });

  const connectionId = `e2e-${path.basename(dataDir).slice(-6).toLowerCase()}`;
  const credentials = credentialsByScenario(
    simulator.ctx.dataset,
    options.credentials ?? 'credentials.valid',
  );
  // Workers open connection secrets; the API only seals them, as in production.
  const sealer = loadSealer({ dir: path.join(dataDir, 'sealing-keys'), production: false, logger });
  // Connections and attachments live in the stack's own database, as on every deployed host.
  const database = await createTestDatabase('e2e');
  const { db } = database;
  const connections = new DatabaseConnectionDirectory(db, sealer);
  const apiConnections = new DatabaseConnectionDirectory(db, sealer.sealOnly());
  await connections.upsert({
    id: connectionId,
    environment: 'simulator',
    supplierSiret: credentials.supplierSiret,
    piste: credentials.piste,
    technicalAccount: credentials.technicalAccount,
  });
  const blobs = new DatabaseBlobStore(db);
  const webhookTargets = new WebhookTargetPolicy(['127.0.0.1', 'localhost']);
  const workerSecrets = new WebhookSecrets(db, sealer, 'e2e-webhook-secret');
  const dispatcher = new WebhookDispatcher({
    db,
    secrets: workerSecrets,
    targets: webhookTargets,
    logger,
    idleMs: 250,
    timeoutMs: 2000,
    backoff: { initialMs: 300, maxMs: 2_000 },
    ...options.dispatcher,
  });
  if (options.webhookDelivery !== 'manual') dispatcher.start();
  const taskQueue = uniqueTaskQueue('e2e');

  const payloadKey = randomBytes(32);
  const codec = new AesGcmPayloadCodec([{ id: 'e2e', key: payloadKey }]);
  const dataConverter = dataConverterFor(codec);
  const client = new Client({ connection: env.connection, namespace: env.namespace, dataConverter });

  const workflowBundle = await bundleWorkflowsOnce();
  const callQuotas: RateLimitedCallQuota[] = [];
  // Each worker counts through a pool of its own, as worker processes do.
  const callQuota = () => {
    if (options.callsPerSecond === undefined) return undefined;
    const quota = RateLimitedCallQuota.inPostgres({ callsPerSecond: options.callsPerSecond }, database.url);
    callQuotas.push(quota);
    return quota;
  };
  const newWorker = (workerLogger = logger, connection = env.nativeConnection): Promise<Worker> =>
    createWorker({
      connection,
      taskQueue,
      workflowBundle,
      dataConverter,
      dependencies: {
        connections,
        endpoints: config.chorus,
        chorusTimeoutMs: 5000,
        blobs,
        temporal: () => client,
        taskQueue,
        trackerSchedule: { ...FAST_TRACKER, ...options.tracker },
        db,
        logger: workerLogger,
        connectionHealth: connectionHealthFromWorkflow(() => client),
        callQuota: callQuota(),
      },
    });
  let worker = await newWorker();
  let running = worker.run();
  const others = await Promise.all(
    Array.from({ length: (options.workers ?? 1) - 1 }, async (_, i) => {
      // A connection of its own, as another worker process has (the SDK refuses two on one).
      const connection = await NativeConnection.connect({
        address: (options.temporal ?? testServer()).address,
      });
      const other = await newWorker(logger.child({ worker: i + 2 }), connection);
      return { worker: other, running: other.run(), connection };
    }),
  );
  const workerHealth = await startWorkerHealthServer(
    createWorkerHealthApp(
      {
        status: () => worker.getStatus(),
        temporalAnswers: temporalAnswersThrough(env.connection),
        taskQueue,
      },
      { sdkMetricsUrl: sdkMetricsUrl() },
    ),
    { port: 0 },
  );

  const keys = options.apiKeys ? new ApiKeyRegistry(options.apiKeys) : ApiKeyRegistry.development();
  const api = await startApiServer({
    client,
    logger,
    db,
    webhookTargets,
    webhookSecrets: new WebhookSecrets(db, sealer.sealOnly()),
    keys,
    codec,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 1_000_000,
    port: 0,
    blobs,
    connections: apiConnections,
    taskQueue,
    timings: { ...FAST_TIMINGS, ...options.timings },
    connectionRecheckFailedEvery: '2 seconds',
  });
  const base = got.extend({
    prefixUrl: api.url,
    throwHttpErrors: false,
    responseType: 'json',
    retry: { limit: 0 },
  });
  const withKey = (key: string | undefined, actingUser?: string) =>
    base.extend({
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(actingUser ? { 'x-acting-user': actingUser } : {}),
      },
    });
  const as = (role: Role, actingUser?: string) => withKey(DEVELOPMENT_KEYS[role], actingUser);
  const http = base.extend({
    hooks: {
      beforeRequest: [
        (request) => {
          if (request.headers.authorization) return;
          const { route } = matchRoute(request.method, request.url.pathname);
          const role = route?.policy.roles[0] ?? 'system';
          request.headers.authorization = `Bearer ${DEVELOPMENT_KEYS[role]}`;
        },
      ],
    },
  });

  return {
    env,
    simulator,
    api,
    workerHealth,
    client,
    codec,
    db,
    dispatcher,
    taskQueue,
    payloadKeys: `e2e:${payloadKey.toString('base64')}`,
    databaseUrl: database.url,
    webhookSecrets: workerSecrets,
    http,
    as,
    withKey,
    connectionId,
    dataDir,
    logLines,
    buyerSiret: (scenario) => structureByScenario(simulator.ctx.dataset, scenario).siret,
    async restartWorker() {
      worker.shutdown();
      await running;
      worker = await newWorker();
      running = worker.run();
    },
    async submit(body) {
      const response = await as('system').post('v1/invoices', { json: body });
      expect({ status: response.statusCode, body: response.body }).toMatchObject({ status: 202 });
      return (response.body as unknown as { id: string }).id;
    },
    async waitFor(id, predicate, what, timeoutMs = 30000) {
      const deadline = Date.now() + timeoutMs;
      let last: InvoiceView | undefined;
      while (Date.now() < deadline) {
        const response = await http.get(`v1/invoices/${encodeURIComponent(id)}`);
        if (response.statusCode === 200) {
          last = response.body as unknown as InvoiceView;
          if (predicate(last)) return last;
        }
        await new Promise((r) => setTimeout(r, 150));
      }
      throw new Error(
        `${what} not reached for ${id}; last status ${last?.status} / ${last?.chorusStatus} (${last?.statusReason ?? ''})`,
      );
    },
    async waitUntil(probe, what, timeoutMs = 30000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await probe();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs / 1000}s`);
        await new Promise((r) => setTimeout(r, 150));
      }
    },
    async stop() {
      if (capturing()) await captureHistories(client, [codec], { query: `TaskQueue = '${taskQueue}'` });
      await api.close();
      await workerHealth.close();
      worker.shutdown();
      for (const other of others) other.worker.shutdown();
      await Promise.all([running, ...others.map((o) => o.running)]);
      await Promise.all(others.map((o) => o.connection.close()));
      await dispatcher.stop();
      await Promise.all(callQuotas.map((q) => q.close()));
      await database.close();
      await simulator.close();
      await env.teardown();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let invoiceCounter = Math.floor(Math.random() * 1e4);

/** A valid invoice body for the stack's connection and a buyer scenario. */
export function invoiceBody(
  stack: Stack,
  buyerScenario: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    connectionId: stack.connectionId,
    // A counter, not only the clock: invoices built in the same millisecond must not share a number.
    invoiceNumber: `F-${Date.now().toString(36).toUpperCase()}-${(invoiceCounter = (invoiceCounter + 1) % 1e4)}`,
    issueDate: '2026-11-28',
    buyer: { siret: stack.buyerSiret(buyerScenario) },
    billingFrame: 'A1',
    vatRegime: 'TVA_SUR_DEBIT',
    paymentMode: 'VIREMENT',
    lines: [
      {
        description: 'Maintenance chaudière',
        quantity: '2',
        unitPriceExclVat: '150.00',
        vatRatePercent: '20',
      },
      { description: 'Déplacement', quantity: '1', unitPriceExclVat: { cents: 4550 }, vatRatePercent: '20' },
    ],
    ...overrides,
  };
}
