import path from 'node:path';
import { z } from 'zod';
import { isDuration } from '../domain/durations';
import { temporalConnectionSettings } from './temporal-connection';

/** Where each Chorus Pro environment lives. URLs are configuration, never logic. */
export type ChorusEnvironment = 'simulator' | 'sandbox' | 'production';

export interface ChorusEndpoints {
  /** OAuth token URL (PISTE). */
  tokenUrl: string;
  /** API gateway base, up to and including `/cpro`. */
  apiBaseUrl: string;
}

const port = z.coerce.number().int().min(1).max(65535);
const duration = z.string().refine(isDuration, 'a duration such as "30 seconds" or "2 days"').optional();

const EnvSchema = z.object({
  DATA_DIR: z.string().default('.data'),
  API_PORT: port.default(3000),
  SIMULATOR_PORT: port.default(3100),
  SIMULATOR_URL: z.string().url().optional(),
  TEMPORAL_UI_PORT: port.default(8233),
  TASK_QUEUE: z.string().default('chorus-pro'),
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  WORKER_HEALTH_HOST: z.string().default('127.0.0.1'),
  TEMPORAL_SDK_METRICS_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d{1,5}$/, 'host:port, e.g. 127.0.0.1:9464')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CHORUS_SANDBOX_TOKEN_URL: z.string().url().default('https://sandbox-oauth.piste.gouv.fr/api/oauth/token'),
  CHORUS_SANDBOX_API_URL: z.string().url().default('https://sandbox-api.piste.gouv.fr/cpro'),
  CHORUS_PRODUCTION_TOKEN_URL: z.string().url().default('https://oauth.piste.gouv.fr/api/oauth/token'),
  CHORUS_PRODUCTION_API_URL: z.string().url().default('https://api.piste.gouv.fr/cpro'),
  CHORUS_HTTP_TIMEOUT_MS: z.coerce.number().int().positive().default(30000),
  CHORUS_CALLS_PER_SECOND: z.coerce.number().min(0).max(100_000).default(20),
  CHORUS_CALLS_PER_SECOND_BY_CLIENT: z
    .string()
    .regex(
      /^\s*([^=,]+=\s*\d+(\.\d+)?\s*(,\s*[^=,]+=\s*\d+(\.\d+)?\s*)*)?$/,
      '<PISTE client id>=<calls a second>, comma-separated, e.g. "client-a=5,client-b=50"',
    )
    .default(''),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(100),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).default(40),
  // The SDK's own sizing rule for the cache of 100 (about 600 cached workflows per GiB, after 200 MiB).
  WORKER_WORKFLOW_HEAP_MIB: z.coerce.number().int().min(0).default(384),
  INVOICE_TASK_REMINDER_AFTER: duration,
  INVOICE_TRACKING_FALLBACK_AFTER: duration,
  INVOICE_PAYMENT_HORIZON: duration,
  INVOICE_CONNECTION_RECHECK_EVERY: duration,
  INVOICE_RESUBMIT_BACKOFF: duration,
  INVOICE_SUBMIT_ATTEMPTS: z.coerce.number().int().min(1).max(100).optional(),
  INVOICE_CHORUS_RETRY_MAX_INTERVAL: duration,
  TRACKER_FASTEST: duration,
  TRACKER_SLOWEST: duration,
  CONNECTION_REVERIFY_EVERY: duration,
  CONNECTION_RECHECK_FAILED_EVERY: duration,
  TRACKER_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).optional(),
  API_KEYS_FILE: z.string().optional(),
  API_KEYS: z.string().optional(),
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  CODEC_CORS_ORIGINS: z.string().default('http://localhost:8233,http://127.0.0.1:8233'),
  NODE_ENV: z.string().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a PostgreSQL URL: postgres://user:password@host:5432/database')
    .optional(),
  WEBHOOK_ALLOWED_TARGETS: z.string().default(''),
  POSTGRES_PORT: port.default(5433),
  ARCHIVE_EVERY: duration,
  TEMPORAL_RETENTION: z.string().refine(isDuration, 'a duration such as "30 days"').default('30 days'),
});

/** `CHORUS_CALLS_PER_SECOND_BY_CLIENT`: `client-a=5,client-b=50`. */
export function parseCallsByClientId(text: string): Record<string, number> {
  const byClientId: Record<string, number> = {};
  for (const item of text.split(',').map((part) => part.trim())) {
    if (item === '') continue;
    const at = item.lastIndexOf('=');
    const clientId = item.slice(0, at).trim();
    const rate = Number(item.slice(at + 1).trim());
    if (at <= 0 || clientId === '' || !Number.isFinite(rate) || rate < 0) {
      throw new Error(`"${item}" is not <PISTE client id>=<calls a second>`);
    }
    byClientId[clientId] = rate;
  }
  return byClientId;
}

const defined = <T extends Record<string, unknown>>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

export type AppConfig = ReturnType<typeof loadConfig>;

/** Reads the process environment once; every value has a documented default (README "Configuration"). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${details}`);
  }
  const e = parsed.data;
  let connection: ReturnType<typeof temporalConnectionSettings>;
  try {
    connection = temporalConnectionSettings(env);
  } catch (err) {
    throw new Error(`Invalid configuration: ${(err as Error).message}`);
  }
  const simulatorUrl = e.SIMULATOR_URL ?? `http://127.0.0.1:${e.SIMULATOR_PORT}`;
  const chorus: Record<ChorusEnvironment, ChorusEndpoints> = {
    simulator: { tokenUrl: `${simulatorUrl}/api/oauth/token`, apiBaseUrl: `${simulatorUrl}/cpro` },
    sandbox: { tokenUrl: e.CHORUS_SANDBOX_TOKEN_URL, apiBaseUrl: e.CHORUS_SANDBOX_API_URL },
    production: { tokenUrl: e.CHORUS_PRODUCTION_TOKEN_URL, apiBaseUrl: e.CHORUS_PRODUCTION_API_URL },
  };
  return {
    dataDir: path.resolve(e.DATA_DIR),
    apiPort: e.API_PORT,
    simulatorPort: e.SIMULATOR_PORT,
    simulatorUrl,
    temporal: {
      address: connection.address,
      namespace: connection.namespace,
      /** Address, namespace, TLS / mTLS and API key for every client and worker connection. */
      connection,
      uiPort: e.TEMPORAL_UI_PORT,
      taskQueue: e.TASK_QUEUE,
      /** Namespace retention the embedded dev server is given. */
      retention: e.TEMPORAL_RETENTION,
    },
    /**
     * The worker's `/healthz` and `/metrics` (port 0: any free port), and where the Temporal SDK's
     * exporter listens (unset: a free loopback port, read through `/metrics` only).
     */
    workerHealth: {
      port: e.WORKER_HEALTH_PORT,
      host: e.WORKER_HEALTH_HOST,
      sdkMetricsAddress: e.TEMPORAL_SDK_METRICS_ADDRESS,
    },
    logLevel: e.LOG_LEVEL,
    chorus,
    chorusHttpTimeoutMs: e.CHORUS_HTTP_TIMEOUT_MS,
    /** Chorus calls a second per PISTE application across every worker (0: not limited), and per client id. */
    chorusCallQuota: {
      callsPerSecond: e.CHORUS_CALLS_PER_SECOND,
      byClientId: parseCallsByClientId(e.CHORUS_CALLS_PER_SECOND_BY_CLIENT),
    },
    /** The worker's sticky cache of workflows and its concurrent workflow tasks (docs/operations.md). */
    workerCache: {
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentWorkflowTaskExecutions: e.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    },
    /** The workflow thread's V8 heap limit in MiB (worker/heap.ts); 0: V8's own. */
    workflowHeapMiB: e.WORKER_WORKFLOW_HEAP_MIB,
    /** Invoice lifecycle durations; unset ones take the workflow's defaults. */
    invoiceTimings: defined({
      taskReminderAfter: e.INVOICE_TASK_REMINDER_AFTER,
      trackingFallbackAfter: e.INVOICE_TRACKING_FALLBACK_AFTER,
      paymentHorizon: e.INVOICE_PAYMENT_HORIZON,
      connectionRecheckEvery: e.INVOICE_CONNECTION_RECHECK_EVERY,
      resubmitBackoff: e.INVOICE_RESUBMIT_BACKOFF,
      submitAttemptsBeforeAsking: e.INVOICE_SUBMIT_ATTEMPTS,
      chorusRetryMaxInterval: e.INVOICE_CHORUS_RETRY_MAX_INTERVAL,
    }),
    connectionReverifyEvery: e.CONNECTION_REVERIFY_EVERY,
    connectionRecheckFailedEvery: e.CONNECTION_RECHECK_FAILED_EVERY,
    production: e.NODE_ENV === 'production',
    /** The app database; unset: the local server `./run start` runs (recorded in the data folder). */
    databaseUrl: e.DATABASE_URL,
    /** Port of the PostgreSQL server `./run start` runs when DATABASE_URL is unset. */
    postgresPort: e.POSTGRES_PORT,
    webhookAllowedTargets: e.WEBHOOK_ALLOWED_TARGETS.split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    archiveEvery: e.ARCHIVE_EVERY ?? '1 minute',
    api: {
      keysFile: e.API_KEYS_FILE ? path.resolve(e.API_KEYS_FILE) : undefined,
      /** Inline JSON array of key entries (hashes only). */
      keysInline: e.API_KEYS,
      rateLimitPerMinute: e.API_RATE_LIMIT_PER_MINUTE,
      codecCorsOrigins: e.CODEC_CORS_ORIGINS.split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    },
    trackerSchedule: defined({
      fastest: e.TRACKER_FASTEST,
      slowest: e.TRACKER_SLOWEST,
      pageSize: e.TRACKER_PAGE_SIZE,
    }),
  };
}
