import { Router } from 'express';
import { z } from 'zod';
import type { AppDatabase, WebhookEventRow } from '../platform/database';
import type { WebhookSecrets } from '../platform/webhook-secrets';
import { maySee, principalOf } from './auth';
import { ApiError, validationError } from './errors';

/**
 * The webhook outbox seen from the API: what was sent, what is failing or given up, a redelivery on
 * request, and each connection's signing secret (made here, shown once, rotated with an overlap).
 */
export interface WebhookRoutesDependencies {
  db: AppDatabase;
  secrets: WebhookSecrets;
}

export const WEBHOOK_EVENT_STATUSES = ['pending', 'delivered', 'failed'] as const;

export const WebhookEventsQuery = z
  .object({
    status: z
      .enum(WEBHOOK_EVENT_STATUSES, { error: `one of ${WEBHOOK_EVENT_STATUSES.join(', ')}` })
      .optional(),
    connectionId: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a connection id')
      .optional(),
    invoiceId: z
      .string()
      .max(200)
      .regex(/^invoice:/, 'an invoice id (invoice:<connection>:<number>)')
      .optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

export const WebhookEvent = z.object({
  id: z.string(),
  stream: z.string().describe('the invoice (or connection) whose events are delivered in order'),
  sequence: z.number(),
  connectionId: z.string(),
  type: z.string(),
  url: z.string(),
  status: z.enum(WEBHOOK_EVENT_STATUSES),
  attempts: z.number(),
  nextAttemptAt: z.string().optional(),
  lastError: z.string().optional(),
  createdAt: z.string(),
  deliveredAt: z.string().optional(),
  payload: z.unknown(),
});
export type WebhookEvent = z.infer<typeof WebhookEvent>;

export const WebhookEventList = z.object({ events: z.array(WebhookEvent), count: z.number() });

export const RotateSecretBody = z
  .object({
    overlapHours: z
      .number()
      .int()
      .min(0)
      .max(24 * 30)
      .default(24),
  })
  .strict();

export const RotatedSecretResponse = z.object({
  connectionId: z.string(),
  secret: z.string().describe('shown once: store it in the receiver'),
  createdAt: z.string(),
  previousRetireAt: z.string().optional(),
});

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : undefined);

function eventOf(row: WebhookEventRow): WebhookEvent {
  return {
    id: row.id,
    stream: row.stream,
    sequence: row.sequence,
    connectionId: row.connection_id,
    type: row.type,
    // The receiver's query string may hold its own token.
    url: row.url.replace(/\?.*$/, '?[redacted]'),
    status: row.status,
    attempts: row.attempts,
    ...(row.status === 'pending' ? { nextAttemptAt: iso(row.next_attempt_at) } : {}),
    ...(row.last_error ? { lastError: row.last_error } : {}),
    createdAt: iso(row.created_at)!,
    ...(row.delivered_at ? { deliveredAt: iso(row.delivered_at) } : {}),
    payload: row.payload,
  };
}

export function webhookRoutes(deps: WebhookRoutesDependencies): Router {
  const router = Router({ caseSensitive: true, strict: false });

  router.get('/webhooks/events', async (req, res) => {
    const parsed = WebhookEventsQuery.safeParse(req.query);
    if (!parsed.success) throw validationError(parsed.error);
    const q = parsed.data;
    const principal = principalOf(res);
    let query = deps.db.selectFrom('webhook_events').selectAll();
    if (q.status) query = query.where('status', '=', q.status);
    if (q.connectionId) query = query.where('connection_id', '=', q.connectionId);
    if (q.invoiceId) query = query.where('stream', '=', q.invoiceId);
    if (principal && principal.connections !== '*') {
      const allowed = [...principal.connections];
      if (allowed.length === 0) return res.json({ events: [], count: 0 });
      query = query.where('connection_id', 'in', allowed);
    }
    const rows = await query.orderBy('created_at', 'desc').orderBy('id').limit(q.limit).execute();
    res.json({ events: rows.map(eventOf), count: rows.length });
  });

  router.post('/webhooks/events/:id/redeliver', async (req, res) => {
    const id = String(req.params.id);
    const row = await deps.db
      .selectFrom('webhook_events')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    // Another tenant's event is as unknown as one that does not exist.
    if (!row || !maySee(principalOf(res), row.connection_id))
      throw new ApiError(404, 'not_found', 'No such webhook event.');
    const updated = await deps.db
      .updateTable('webhook_events')
      .set({ status: 'pending', next_attempt_at: new Date(), locked_until: null })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    res.status(202).json(eventOf(updated));
  });

  router.post('/connections/:id/webhook-secret', async (req, res) => {
    const parsed = RotateSecretBody.safeParse(req.body ?? {});
    if (!parsed.success) throw validationError(parsed.error);
    const connectionId = String(req.params.id);
    const exists = await deps.db
      .selectFrom('connections')
      .select('id')
      .where('id', '=', connectionId)
      .executeTakeFirst();
    if (!exists) throw new ApiError(404, 'not_found', 'No such connection.');
    const rotated = await deps.secrets.rotate(connectionId, parsed.data.overlapHours * 3_600_000);
    res.status(201).json(rotated);
  });

  return router;
}
