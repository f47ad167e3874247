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
import type { Worker } from '@temporalio/worker';
import { connectionHealthFromWorkflow } from '../../activities/connection';
import { FileSystemBlobStore } from '../../platform/blob-store';
import { matchRoute } from '../../api/access';
import { ApiKeyRegistry, DEVELOPMENT_KEYS, type ApiKeyEntry } from '../../api/auth';
import { startApiServer, type ApiServer } from '../../api/server';
import type { Role } from '../../domain/actor';
import { AesGcmPayloadCodec, dataConverterFor } from '../../platform/payload-codec';
import { loadConfig } from '../../platform/config';
import { FileConnectionDirectory } from '../../platform/connections';
import { loadSealer } from '../../platform/secret-sealer';
import { createLogger } from '../../platform/logger';
import { startSimulator, type RunningSimulator } from '../../simulator/app';
import { credentialsByScenario, structureByScenario } from '../../simulator/dataset';
import { createWorker } from '../../worker';
import type { InvoiceTimings, InvoiceView } from '../../workflows/contracts/invoice';
import type { TrackerSchedule } from '../../workflows/contracts/tracker';
import { bundleWorkflowsOnce, connectTestEnv, uniqueTaskQueue } from '../helpers/temporal';
import { captureHistories, capturing } from '../replay/capture';

export interface Stack {
  env: TestWorkflowEnvironment;
  simulator: RunningSimulator;
  api: ApiServer;
  /** A client with the stack's payload codec (the raw `env.client` sees only encrypted payloads). */
  client: Client;
  codec: AesGcmPayloadCodec;
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
  const env = await connectTestEnv();
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
  const connectionsFilePath = path.join(dataDir, 'connections.json');
  const connections = new FileConnectionDirectory(connectionsFilePath, sealer);
  const apiConnections = new FileConnectionDirectory(connectionsFilePath, sealer.sealOnly());
  await connections.upsert({
    id: connectionId,
    environment: 'simulator',
    supplierSiret: credentials.supplierSiret,
    piste: credentials.piste,
    technicalAccount: credentials.technicalAccount,
  });
  const blobs = new FileSystemBlobStore(path.join(dataDir, 'blobs'));
  const taskQueue = uniqueTaskQueue('e2e');

  const codec = new AesGcmPayloadCodec([{ id: 'e2e', key: randomBytes(32) }]);
  const dataConverter = dataConverterFor(codec);
  const client = new Client({ connection: env.connection, namespace: env.namespace, dataConverter });

  const workflowBundle = await bundleWorkflowsOnce();
  const newWorker = (): Promise<Worker> =>
    createWorker({
      connection: env.nativeConnection,
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
        webhookSecret: 'e2e-webhook-secret',
        webhookTimeoutMs: 2000,
        logger,
        connectionHealth: connectionHealthFromWorkflow(() => client),
      },
    });
  let worker = await newWorker();
  let running = worker.run();

  const keys = options.apiKeys ? new ApiKeyRegistry(options.apiKeys) : ApiKeyRegistry.development();
  const api = await startApiServer({
    client,
    logger,
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
    client,
    codec,
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
    async stop() {
      if (capturing()) await captureHistories(client, [codec], { query: `TaskQueue = '${taskQueue}'` });
      await api.close();
      worker.shutdown();
      await running;
      await simulator.close();
      await env.teardown();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A valid invoice body for the stack's connection and a buyer scenario. */
export function invoiceBody(
  stack: Stack,
  buyerScenario: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    connectionId: stack.connectionId,
    invoiceNumber: `F-${Date.now().toString(36).toUpperCase()}-${Math.floor(Math.random() * 1e4)}`,
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
