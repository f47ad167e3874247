import { Router, type Response } from 'express';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { z } from 'zod';
import { decodeHistory } from '../platform/history-codec';
import { ApiError, validationError } from './errors';
import { factsFromHistories } from '../audit/history';
import { buildTimeline, type RunHistory } from '../audit/timeline';
import { redact, redactText } from '../platform/redaction';
import type { AuditFact } from '../workflows/contracts/audit';
import { INVOICE_WORKFLOW_TYPE, invoiceStateQuery } from '../workflows/contracts/invoice';

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
}

const RUN_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const HistoryQuery = z
  .object({
    format: z.enum(['timeline', 'temporal'], { error: 'timeline or temporal' }).default('timeline').meta({
      description: '`timeline` (readable entries of every run) or `temporal` (the raw history of one run).',
    }),
    runId: z.string().regex(RUN_ID, 'a run id (UUID) of this invoice workflow').optional().meta({
      description:
        'With format=temporal only: the run to return (see `runs` in the timeline); the latest by default.',
    }),
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
      const chosen = runId ?? (await latestRunId(client, id));
      const history = await fetchRun(client, id, chosen);
      const decode = shouldDecode(res);
      const shown = decode ? await decodedAndRedacted(history, client) : withRedactedFailures(history);
      res
        .status(200)
        .type('application/json')
        .set('x-temporal-run-id', chosen)
        .set('x-payloads', decode ? 'decoded' : 'encoded')
        .send(temporalJson(shown));
      return;
    }

    const { runs, truncated } = await fetchAllRuns(client, id);
    const facts = await recordedFacts(client, id, runs);
    const entries = await buildTimeline(runs, facts, client.options.loadedDataConverter);
    res.json({
      invoiceId: id,
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

/** How long the timeline waits for the workflow's own answer before reading its facts from the histories. */
const FACTS_QUERY_DEADLINE_MS = 5_000;

/**
 * The facts the workflow recorded: asked of the workflow (works for closed runs too, by replay),
 * else read from what the histories hold (the last run's result, or what it was started with).
 */
async function recordedFacts(client: Client, workflowId: string, runs: RunHistory[]): Promise<AuditFact[]> {
  // A gRPC deadline, not a timer race: the query must not outlive the request (nor the client).
  const facts = await client
    .withDeadline(Date.now() + FACTS_QUERY_DEADLINE_MS, () =>
      client.workflow.getHandle(workflowId).query(invoiceStateQuery),
    )
    .then((view) => view.audit)
    .catch(() => undefined);
  return facts ?? factsFromHistories(runs, client.options.loadedDataConverter);
}

/** Only auditors see decoded payloads. */
function shouldDecode(res: Response): boolean {
  const principal = res.locals.principal as { role?: string } | undefined;
  return principal?.role === 'auditor';
}

async function latestRunId(client: Client, workflowId: string): Promise<string> {
  const description = await client.workflow.getHandle(workflowId).describe();
  if (description.type !== INVOICE_WORKFLOW_TYPE) throw new ApiError(404, 'not_found', 'No such invoice.');
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
