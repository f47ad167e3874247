import { Router, type Response } from 'express';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { archivedHistory, archivedRuns, type AppDatabase } from '../platform/database';
import { temporal } from '@temporalio/proto';
import { z } from 'zod';
import { decodeHistory } from '../platform/history-codec';
import { ApiError, validationError } from './errors';
import { AUDIT_ENTRY_KINDS, buildTimeline, redact, redactText, type RunHistory } from './timeline';

/**
 * `GET /v1/invoices/:id/history` — the audit trail of an invoice.
 *
 * - Default (`format=timeline`): `{ invoiceId, runs, entries }`, the readable timeline of every
 *   run of the workflow (continue-as-new is followed back to the first run), entries in time
 *   order, each `{ at, kind, summary, details, runId, eventId }`. Payloads are decoded with the
 *   client's data converter and every value is redacted (see api/timeline.ts).
 * - `format=temporal`: the raw history of ONE run in Temporal's JSON form (`{ "events": [...] }`,
 *   as `temporal workflow show --output json` writes it) — the input of replay. The latest run by
 *   default; `runId=<uuid>` chooses another (the `runs` list of the timeline names them). For the
 *   auditor role payloads are decoded to plain JSON payloads and redacted; for other roles they are left as stored (encrypted).
 *
 * Roles and tenants are checked by the authorization middleware before this router runs.
 */

export interface HistoryRoutesDependencies {
  client: Client;
  /** The archive answers once Temporal has deleted the workflow (retention). */
  db: AppDatabase;
}

const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const HistoryQuery = z
  .object({
    format: z.enum(['timeline', 'temporal'], { error: 'timeline or temporal' }).default('timeline'),
    runId: z.string().regex(RUN_ID, 'a run id (UUID) of this invoice workflow').optional(),
  })
  .strict()
  .refine((q) => q.runId === undefined || q.format === 'temporal', {
    path: ['runId'],
    message: 'runId applies to format=temporal (the timeline always covers every run)',
  });

/** The most runs the timeline follows back (each continue-as-new adds one). */
export const MAX_RUNS = 200;

type History = temporal.api.history.v1.IHistory;

export function historyRoutes(deps: HistoryRoutesDependencies): Router {
  const router = Router({ caseSensitive: true, strict: false });
  const { client } = deps;

  router.get('/invoices/:id/history', async (req, res) => {
    const id = String(req.params.id);
    const parsed = HistoryQuery.safeParse(req.query);
    if (!parsed.success) throw validationError(parsed.error);
    if (!id.startsWith('invoice:')) throw new ApiError(404, 'not_found', 'No such invoice.');
    const { format, runId } = parsed.data;

    if (format === 'temporal') {
      const { chosen, history, archived } = await oneRun(client, deps.db, id, runId);
      const decode = shouldDecode(res);
      const shown = decode ? await decodedAndRedacted(history, client) : withRedactedFailures(history);
      res
        .status(200)
        .type('application/json')
        .set('x-temporal-run-id', chosen)
        .set('x-payloads', decode ? 'decoded' : 'encoded')
        .set('x-history-source', archived ? 'archive' : 'temporal')
        .send(temporalJson(shown));
      return;
    }

    const { runs, truncated, archived } = await allRuns(client, deps.db, id);
    const entries = await buildTimeline(runs, client.options.loadedDataConverter);
    res.json({
      invoiceId: id,
      source: archived ? 'archive' : 'temporal',
      runs: runs.map((r) => ({
        runId: r.runId,
        startedAt: eventTime(r.events[0]),
        ...(closed(r) ? { closedAt: eventTime(r.events[r.events.length - 1]) } : {}),
        events: r.events.length,
      })),
      ...(truncated ? { truncated: true } : {}),
      entries,
    });
  });

  return router;
}

const isNotFound = (err: unknown) =>
  err instanceof WorkflowNotFoundError || (err instanceof ApiError && err.status === 404);

/** Every run from Temporal, or from the archive once Temporal has deleted the workflow. */
export async function allRuns(client: Client, db: AppDatabase, workflowId: string) {
  try {
    return { ...(await fetchAllRuns(client, workflowId)), archived: false };
  } catch (err) {
    if (!isNotFound(err)) throw err;
    const archived = await archivedRuns(db, workflowId);
    if (archived.length === 0) throw new ApiError(404, 'not_found', 'No such invoice.');
    const runs: RunHistory[] = archived.map((r) => ({
      runId: r.runId,
      events: archivedHistory(r).events ?? [],
    }));
    return { runs, truncated: false, archived: true };
  }
}

/** One run (the latest by default) from Temporal, else from the archive. */
async function oneRun(client: Client, db: AppDatabase, workflowId: string, runId: string | undefined) {
  try {
    const chosen = runId ?? (await latestRunId(client, workflowId));
    return { chosen, history: await fetchRun(client, workflowId, chosen), archived: false };
  } catch (err) {
    if (!isNotFound(err)) throw err;
    const archived = await archivedRuns(db, workflowId);
    const run = runId ? archived.find((r) => r.runId === runId) : archived[archived.length - 1];
    if (!run) throw err instanceof ApiError ? err : new ApiError(404, 'not_found', 'No such invoice.');
    return { chosen: run.runId, history: archivedHistory(run), archived: true };
  }
}

/** Only auditors see decoded payloads. */
function shouldDecode(res: Response): boolean {
  const principal = res.locals.principal as { role?: string } | undefined;
  return principal?.role === 'auditor';
}

async function latestRunId(client: Client, workflowId: string): Promise<string> {
  const description = await client.workflow.getHandle(workflowId).describe();
  if (description.type !== 'invoiceWorkflow') throw new ApiError(404, 'not_found', 'No such invoice.');
  return description.runId;
}

async function fetchRun(client: Client, workflowId: string, runId: string): Promise<History> {
  try {
    return await client.workflow.getHandle(workflowId, runId).fetchHistory();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError || /not found/i.test((err as Error).message ?? '')) {
      throw new ApiError(404, 'not_found', `No run ${runId} of this invoice.`);
    }
    throw err;
  }
}

/** Every run, oldest first: from the latest back through `continuedExecutionRunId`. */
async function fetchAllRuns(
  client: Client,
  workflowId: string,
): Promise<{ runs: RunHistory[]; truncated: boolean }> {
  const runs: RunHistory[] = [];
  const seen = new Set<string>();
  let runId: string | undefined = await latestRunId(client, workflowId);
  while (runId && !seen.has(runId) && runs.length < MAX_RUNS) {
    seen.add(runId);
    const history = await fetchRun(client, workflowId, runId);
    const events = history.events ?? [];
    runs.unshift({ runId, events });
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return { runs, truncated: Boolean(runId) && runs.length >= MAX_RUNS };
}

function eventTime(event: temporal.api.history.v1.IHistoryEvent | undefined): string | undefined {
  const t = event?.eventTime;
  if (!t) return undefined;
  return new Date(Number(String(t.seconds ?? 0)) * 1000 + Math.round((t.nanos ?? 0) / 1e6)).toISOString();
}

function closed(run: RunHistory): boolean {
  const last = run.events[run.events.length - 1];
  return Boolean(
    last &&
    (last.workflowExecutionCompletedEventAttributes ||
      last.workflowExecutionFailedEventAttributes ||
      last.workflowExecutionTerminatedEventAttributes ||
      last.workflowExecutionCanceledEventAttributes ||
      last.workflowExecutionTimedOutEventAttributes ||
      last.workflowExecutionContinuedAsNewEventAttributes),
  );
}

// ---- OpenAPI -------------------------------------------------------------------------------------

/** Schemas of the answers, for the OpenAPI document's `components.schemas`. */
export const HISTORY_SCHEMAS = {
  AuditTimeline: {
    type: 'object',
    required: ['invoiceId', 'runs', 'entries'],
    properties: {
      invoiceId: { type: 'string' },
      runs: {
        type: 'array',
        description: 'Every run of the workflow, oldest first (one more each time it continued as new).',
        items: {
          type: 'object',
          required: ['runId', 'events'],
          properties: {
            runId: { type: 'string' },
            startedAt: { type: 'string', format: 'date-time' },
            closedAt: { type: 'string', format: 'date-time' },
            events: { type: 'integer' },
          },
        },
      },
      truncated: {
        type: 'boolean',
        description: `Present when more than ${MAX_RUNS} runs exist: the oldest are left out.`,
      },
      entries: { type: 'array', items: { $ref: '#/components/schemas/AuditEntry' } },
    },
  },
  AuditEntry: {
    type: 'object',
    required: ['at', 'kind', 'summary', 'details', 'runId', 'eventId'],
    properties: {
      at: { type: 'string', format: 'date-time', description: 'When the history event was recorded.' },
      kind: { type: 'string', enum: [...AUDIT_ENTRY_KINDS] },
      summary: { type: 'string', description: 'One sentence in plain English.' },
      details: {
        type: 'object',
        description:
          'The same facts, structured: decoded payload values, redacted (secrets, tokens, sealed strings and file contents never appear).',
      },
      runId: { type: 'string' },
      eventId: { type: 'integer' },
    },
  },
  TemporalHistory: {
    type: 'object',
    required: ['events'],
    description: "One run's history in Temporal's JSON form (`historyToJSON`), the input of replay.",
    properties: { events: { type: 'array', items: { type: 'object' } } },
  },
} as const;

/** The OpenAPI path item of the route (`paths['/v1/invoices/{id}/history']`), a fresh object each call. */
export function historyOpenApiPath(): Record<string, Record<string, unknown>> {
  return {
    get: {
      summary: 'Audit trail of an invoice: a readable timeline, or the raw Temporal history',
      description:
        'Without `format` (or with `format=timeline`): every run of the invoice workflow read back as dated entries — ' +
        'checks and the readiness checklist, tasks and who answered them with what, the exact `soumettre` request and ' +
        "Chorus Pro's answer, lookups, retries and their causes, Chorus Pro statuses with Chorus Pro's own timestamps, " +
        'status changes, webhooks, reminders, continue-as-new and the final result. Values are decoded and redacted.\n\n' +
        "With `format=temporal`: one run's raw history in Temporal's JSON form, the latest run unless `runId` names " +
        'another. Payloads are decoded (plain JSON, redacted) for the auditor role and left as stored (encrypted) for ' +
        'other roles; the `x-payloads` header says which (`decoded` or `encoded`), `x-temporal-run-id` which run.',
      parameters: [
        {
          name: 'id',
          in: 'path',
          required: true,
          description: 'The invoice id (`invoice:<connectionId>:<invoiceNumber>`), URL-encoded.',
          schema: { type: 'string' },
        },
        {
          name: 'format',
          in: 'query',
          required: false,
          schema: { type: 'string', enum: ['timeline', 'temporal'], default: 'timeline' },
        },
        {
          name: 'runId',
          in: 'query',
          required: false,
          description: 'With format=temporal: the run to return (see `runs` in the timeline).',
          schema: { type: 'string', format: 'uuid' },
        },
      ],
      responses: {
        200: {
          description: 'The timeline (default) or the raw history of one run (format=temporal)',
          headers: {
            'x-temporal-run-id': {
              description: 'format=temporal: the run returned',
              schema: { type: 'string' },
            },
            'x-payloads': {
              description: 'format=temporal: `decoded` or `encoded`',
              schema: { type: 'string', enum: ['decoded', 'encoded'] },
            },
          },
          content: {
            'application/json': {
              schema: {
                oneOf: [
                  { $ref: '#/components/schemas/AuditTimeline' },
                  { $ref: '#/components/schemas/TemporalHistory' },
                ],
              },
            },
          },
        },
        400: {
          description: 'Invalid query, with a message per field',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        404: {
          description: 'No such invoice (or no such run of it)',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    },
  };
}

// ---- the raw form -------------------------------------------------------------------------------

const JSON_ENCODING = 'json/plain';

/**
 * Payloads decoded by the client's codecs, then JSON payloads redacted in place (re-encoded only
 * when something had to go, so everything else stays byte-identical for replay).
 */
async function decodedAndRedacted(history: History, client: Client): Promise<History> {
  const decoded = await decodeHistory(history, client.options.loadedDataConverter.payloadCodecs).catch(
    (err: Error) => {
      throw new ApiError(500, 'undecodable_history', `The history could not be decoded: ${err.message}`);
    },
  );
  visitPayloads(decoded, (payload) => {
    if (Buffer.from(payload.metadata?.encoding ?? []).toString('utf8') !== JSON_ENCODING) return;
    const text = Buffer.from(payload.data ?? []).toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return;
    }
    const clean = redact(value);
    if (JSON.stringify(clean) !== JSON.stringify(value)) payload.data = Buffer.from(JSON.stringify(clean));
  });
  return withRedactedFailures(decoded);
}

/** Failure messages and stack traces are plain text in any history: cleaned the same way. */
function withRedactedFailures(history: History): History {
  const walk = (value: unknown, key: string): void => {
    if (!value || typeof value !== 'object' || value instanceof Uint8Array) return;
    if (/failure$/i.test(key) || key === 'cause') {
      const failure = value as temporal.api.failure.v1.IFailure;
      if (typeof failure.message === 'string') failure.message = redactText(failure.message);
      if (typeof failure.stackTrace === 'string') failure.stackTrace = redactText(failure.stackTrace);
    }
    for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  walk(history, '');
  return history;
}

function visitPayloads(value: unknown, visit: (payload: Payload) => void, key = ''): void {
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return;
  if (key === 'searchAttributes') return;
  const metadata = (value as Payload).metadata;
  if (metadata && typeof metadata === 'object' && metadata.encoding instanceof Uint8Array) {
    visit(value as Payload);
    return;
  }
  for (const [k, v] of Object.entries(value)) visitPayloads(v, visit, k);
}

/**
 * Temporal's JSON form of a history (`historyToJSON`), as `temporal workflow show --output json`
 * writes it. (protobufjs 8 is a direct dependency so that @temporalio/common, /proto and /worker
 * share one copy: with several, these conversions refuse each other's types.)
 */
export function temporalJson(history: History): string {
  return historyToJSON(history);
}
