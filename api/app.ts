import path from 'node:path';
import express, { type Express } from 'express';
import type { Client } from '@temporalio/client';
import type { BlobStore } from '../platform/blob-store';
import type { ConnectionStore } from '../platform/connections';
import type { Logger } from '../platform/logger';
import { databaseAnswers, storableText, type AppDatabase } from '../platform/database';
import type { WebhookSecrets } from '../platform/webhook-secrets';
import type { WebhookTargetPolicy } from '../platform/webhook-targets';
import type { AesGcmPayloadCodec } from '../platform/payload-codec';
import { MAX_ATTACHMENT_BYTES } from '../domain/invoice';
import type { InvoiceTimings } from '../workflows/contracts/invoice';
import { ApiError, errorHandler, sendError } from './errors';
import { allowHeader, authorize, principalOf, RateLimiter, type ApiKeyRegistry } from './auth';
import { codecRoutes } from './codec';
import { historyRoutes } from './history';
import { evidenceRoutes } from './evidence';
import { webhookRoutes } from './webhooks';
import { codecCors, securityHeaders } from './hardening';
import { connectionRoutes } from './connections';
import { invoiceRoutes } from './invoices';
import { lookupRoutes } from './lookups';
import { BatchStarter, invoiceBatchRoutes } from './invoice-batches';
import { PageTokens } from './page-tokens';
import { webRoutes } from './web';
import { openApiDocument } from './openapi';
import { apiMetrics } from './metrics';
import { metricsHandler } from '../platform/metrics';
import { requestLog } from './request-log';

export interface AppDependencies {
  client: Client;
  /** The app database: invoice rows, archives, webhook outbox and secrets. */
  db: AppDatabase;
  webhookTargets: WebhookTargetPolicy;
  /** Per-connection webhook signing secrets (the API makes and seals them). */
  webhookSecrets: WebhookSecrets;
  logger: Logger;
  blobs: BlobStore;
  connections: ConnectionStore;
  /** Re-verification interval of new connection workflows (default 1 day). */
  connectionReverifyEvery?: string;
  /** Re-verification of a FAILED connection (default '5 minutes'). */
  connectionRecheckFailedEvery?: string;
  /** Task queue the worker polls; new invoice workflows start there. */
  taskQueue: string;
  /** Lifecycle durations for new invoices (tests shorten them). */
  timings?: Partial<InvoiceTimings>;
  /** How long /healthz waits for Temporal before answering 503. */
  healthTimeoutMs?: number;
  /** The API keys (`loadApiKeys`). */
  keys: ApiKeyRegistry;
  /** The payload codec, for the codec endpoints (the client's data converter uses the same keys). */
  codec: AesGcmPayloadCodec;
  /** Requests a minute per key (default 600). */
  rateLimitPerMinute?: number;
  /** Origins allowed to call the codec endpoints from a browser (the Temporal Web UI). */
  codecCorsOrigins?: readonly string[];
  /** Starts the invoices of batches (the server makes one and stops it on close; else one without sweeping). */
  batchStarter?: BatchStarter;
}

/** Ordinary JSON bodies are small; only the routes that carry attachments accept more. */
const JSON_BODY_LIMIT = '256kb';
/** Attachments travel base64 in JSON (4/3 of 10 MB each): this leaves room for a few. */
const ATTACHMENT_JSON_LIMIT = '60mb';
/** Codec requests carry whole payload lists (a history page). */
const CODEC_JSON_LIMIT = '8mb';
const ATTACHMENT_ROUTES = [/^\/v1\/invoices\/?$/, /^\/v1\/invoices\/[^/]+\/task\/?$/];
/** A batch of 1,000 invoices is a few MB of JSON; attachments in batches are best sent by upload reference. */
const BATCH_JSON_LIMIT = '16mb';
const BATCH_ROUTE = /^\/v1\/invoice-batches\/?$/;

/** `__proto__` keys are refused outright rather than silently dropped by the validation. */
function refuseProtoKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new SyntaxError('the key "__proto__" is not allowed');
  return value;
}

/**
 * Every U+0000 (and lone surrogate) in the body's strings replaced by U+FFFD: JSON allows it, PostgreSQL's text and JSON
 * cannot store it, and it means nothing in an invoice. Keys are left alone (unknown keys are refused).
 */
export function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(withoutNul);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withoutNul(inner)]));
}

export const DEFAULT_CODEC_CORS_ORIGINS = ['http://localhost:8233', 'http://127.0.0.1:8233'];

/** Temporal answers when a cheap frontend call succeeds within the deadline. */
async function temporalAnswers(client: Client, timeoutMs: number): Promise<boolean> {
  try {
    await client.connection.withDeadline(Date.now() + timeoutMs, () =>
      client.workflowService.getSystemInfo({}),
    );
    return true;
  } catch {
    return false;
  }
}

export function createApp(deps: AppDependencies): Express {
  const { client, logger, healthTimeoutMs = 2_000 } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // Paths are matched exactly as the policy table spells them (the authorization relies on it).
  app.set('case sensitive routing', true);
  const metrics = apiMetrics({
    db: deps.db,
    client,
    taskQueue: deps.taskQueue,
    logger,
    timeoutMs: healthTimeoutMs,
  });
  // First, so every answer (refusals included) carries a request id and is logged and measured once.
  app.use(requestLog({ logger, httpSeconds: metrics.httpSeconds }));
  app.use(securityHeaders());
  app.use(codecCors(deps.codecCorsOrigins ?? DEFAULT_CODEC_CORS_ORIGINS));

  app.get('/healthz', async (_req, res) => {
    const [temporal, database] = await Promise.all([
      temporalAnswers(client, healthTimeoutMs),
      databaseAnswers(deps.db, healthTimeoutMs),
    ]);
    const body = { temporal: temporal ? 'ok' : 'unreachable', database: database ? 'ok' : 'unreachable' };
    if (temporal && database) res.json({ status: 'ok', ...body });
    else res.status(503).json({ status: 'unavailable', ...body });
  });

  // Keyless like /healthz: aggregate counts only (no ids, names or amounts); see docs/operations.md.
  app.get('/metrics', metricsHandler(metrics.render));

  const document = openApiDocument();
  app.get('/v1/openapi.json', (_req, res) => {
    res.json(document);
  });
  const swaggerUi = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  app.get('/docs', (_req, res) => {
    res.type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Chorus Pro submission service — API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`);
  });
  app.get('/docs/init.js', (_req, res) => {
    res.type('js').send(`window.ui = SwaggerUIBundle({ url: '/v1/openapi.json', dom_id: '#ui' });`);
  });
  app.use('/docs/assets', express.static(swaggerUi, { index: false }));

  // The public paths answer GET (and HEAD) only; other methods are told so.
  app.all(['/healthz', '/metrics', '/v1/openapi.json', '/docs'], (req, res) => {
    res.setHeader('Allow', allowHeader(['GET']));
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    sendError(res, 405, 'method_not_allowed', `${req.method} is not allowed on ${req.path}; use GET.`);
  });

  // The back-office pages (their data calls carry a key like any other client).
  app.use('/app', webRoutes());

  // Everything under /v1 but the OpenAPI document needs a key whose role and tenant allow the route.
  app.use(
    authorize({
      keys: deps.keys,
      limiter: new RateLimiter(deps.rateLimitPerMinute ?? 600),
      failedAttempts: new RateLimiter(Math.max(60, deps.rateLimitPerMinute ?? 600)),
      keylessCodecOrigins: deps.codecCorsOrigins ?? DEFAULT_CODEC_CORS_ORIGINS,
    }),
  );

  app.get('/v1/me', (_req, res) => {
    res.json(principalOf(res));
  });
  app.get('/v1/keys', (_req, res) => {
    const me = principalOf(res)!;
    const keys = deps.keys
      .list()
      .filter(
        (k) =>
          me.connections === '*' ||
          (!k.connections.includes('*') && k.connections.every((c) => me.connections.includes(c))),
      );
    res.json({ development: deps.keys.development, keys });
  });

  // Attachments may be uploaded once as raw bytes and referenced by hash in invoices and answers.
  app.post(
    '/v1/uploads',
    express.raw({ type: () => true, limit: MAX_ATTACHMENT_BYTES }),
    async (req, res) => {
      const content = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (content.length === 0)
        throw new ApiError(400, 'validation_failed', 'The upload is empty.', {
          body: 'send the file bytes as the body',
        });
      const stored = await deps.blobs.put(content);
      res.status(201).json({ uploadRef: stored.ref, sizeBytes: stored.sizeBytes });
    },
  );

  const smallJson = express.json({ limit: JSON_BODY_LIMIT, reviver: refuseProtoKeys });
  const attachmentJson = express.json({ limit: ATTACHMENT_JSON_LIMIT, reviver: refuseProtoKeys });
  const codecJson = express.json({ limit: CODEC_JSON_LIMIT, reviver: refuseProtoKeys });
  const batchJson = express.json({ limit: BATCH_JSON_LIMIT, reviver: refuseProtoKeys });
  app.use('/v1', (req, res, next) => {
    // A body the API would not read is refused, never ignored (a cancel with a text body, say).
    const hasBody =
      req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    const full = req.originalUrl.split('?')[0];
    if (hasBody && full !== '/v1/uploads' && !req.is('application/json')) {
      return sendError(
        res,
        415,
        'unsupported_media_type',
        'Send the body as JSON (Content-Type: application/json).',
      );
    }
    next();
  });
  app.use('/v1', (req, res, next) => {
    const full = req.originalUrl.split('?')[0];
    if (ATTACHMENT_ROUTES.some((r) => r.test(full))) return attachmentJson(req, res, next);
    if (full.startsWith('/v1/codec/')) return codecJson(req, res, next);
    if (BATCH_ROUTE.test(full)) return batchJson(req, res, next);
    return smallJson(req, res, next);
  });
  app.use('/v1', (req, _res, next) => {
    if (req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body))
      req.body = withoutNul(req.body);
    next();
  });
  app.use('/v1', codecRoutes(deps.codec));
  app.use(
    '/v1',
    connectionRoutes({
      client,
      connections: deps.connections,
      taskQueue: deps.taskQueue,
      reverifyEvery: deps.connectionReverifyEvery,
      recheckFailedEvery: deps.connectionRecheckFailedEvery,
      webhookSecrets: deps.webhookSecrets,
      webhookTargets: deps.webhookTargets,
    }),
  );
  app.use(
    '/v1',
    lookupRoutes({
      client,
      connections: deps.connections,
      blobs: deps.blobs,
      taskQueue: deps.taskQueue,
      reverifyEvery: deps.connectionReverifyEvery,
      recheckFailedEvery: deps.connectionRecheckFailedEvery,
    }),
  );
  app.use('/v1', historyRoutes({ client, db: deps.db }));
  app.use('/v1', evidenceRoutes({ client, db: deps.db }));
  app.use('/v1', webhookRoutes({ db: deps.db, secrets: deps.webhookSecrets }));
  const invoiceDeps = {
    client,
    pageTokens: new PageTokens(deps.codec.deriveKey('visibility page tokens')),
    blobs: deps.blobs,
    connections: deps.connections,
    taskQueue: deps.taskQueue,
    timings: deps.timings,
    db: deps.db,
    webhookTargets: deps.webhookTargets,
  };
  app.use('/v1', invoiceRoutes(invoiceDeps));
  app.use(
    '/v1',
    invoiceBatchRoutes({
      ...invoiceDeps,
      starter:
        deps.batchStarter ??
        new BatchStarter({ client, db: deps.db, taskQueue: deps.taskQueue, timings: deps.timings, logger }),
    }),
  );

  app.use((req, res) => {
    sendError(res, 404, 'not_found', `No route for ${req.method} ${req.path}`);
  });
  app.use(errorHandler(logger));
  return app;
}
