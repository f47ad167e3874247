// Long by nature: the invoice routes and the submission they share with batches (prepare, start, read).
import { createHash } from 'node:crypto';
import { Router } from 'express';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { z } from 'zod';
import type { BlobStore } from '../platform/blob-store';
import {
  AttachmentInput,
  InvoiceInput,
  MAX_ATTACHMENT_BYTES,
  MAX_INVOICE_ATTACHMENTS_BYTES,
  type Attachment,
  type Invoice,
} from '../domain/invoice';
import type { ConnectionDirectory } from '../platform/connections';
import * as sa from '../workflows/contracts/search-attributes';
import {
  answerTaskUpdate,
  cancelInvoiceUpdate,
  invoiceStateQuery,
  invoiceWorkflowId,
  INVOICE_WORKFLOW_TYPE,
  type InvoiceWorkflow,
  TERMINAL_STATUSES,
  type AttachmentRecord,
  type InvoiceStatus,
  type InvoiceTimings,
  type InvoiceView,
  type InvoiceWorkflowInput,
} from '../workflows/contracts/invoice';
import { actorOf, maySee, principalOf, type Principal } from './auth';
import { ApiError, validationError } from './errors';
import type { PageTokens } from './page-tokens';
import { noteWorkflow, requestIdOf } from './request-log';
import type { AppDatabase } from '../platform/database';
import type { WebhookTargetPolicy } from '../platform/webhook-targets';
import {
  InvoiceListQuery,
  listInvoiceRows,
  notFound,
  openTasks,
  recordedInvoice,
  TasksQuery,
} from './invoice-records';

export { TasksQuery };

export interface InvoiceRoutesDependencies {
  client: Client;
  blobs: BlobStore;
  connections: ConnectionDirectory;
  taskQueue: string;
  /** Lifecycle durations given to every new invoice workflow (tests shorten them). */
  timings?: Partial<InvoiceTimings>;
  pageTokens: PageTokens;
  /** Invoice rows (reads, lists, tasks) and the webhook target policy. */
  db: AppDatabase;
  webhookTargets: WebhookTargetPolicy;
}

/** How long a read waits for the live workflow before answering from the database row. */
const LIVE_QUERY_DEADLINE_MS = 2_000;

/** Where an invoice read came from: the workflow itself, or its last database record (possibly stale). */
export interface ReadSource {
  source: 'workflow' | 'database';
  possiblyStale: boolean;
  recordedAt?: string;
  archived?: true;
}

export const TaskAnswerBody = z
  .object({
    taskId: z.string().min(1, 'required').max(100, 'a task id from the open task'),
    values: z
      .record(
        z.string().regex(/^[A-Za-z][A-Za-z0-9_.]{0,99}$/, 'a field path such as references.engagementNumber'),
        z.string().max(2000),
      )
      .refine((v) => Object.keys(v).length <= 50, 'at most 50 fields')
      .optional(),
    approve: z.boolean().optional(),
    comment: z.string().max(2000).optional(),
    attachments: z.array(AttachmentInput).max(20).optional(),
  })
  .strict();

export const CancelBody = z.object({ reason: z.string().max(500).optional() }).strict();

export const ListQuery = InvoiceListQuery;

/** Stable JSON (sorted keys) so the same invoice always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Puts base64 contents into the blob store and returns references only; with `store: false` (a dry
 * run) the contents are measured, not stored. Either way each file and the total are checked
 * against Chorus Pro's limits, field by field.
 */
export async function storeAttachments(
  blobs: BlobStore,
  attachments: Attachment[],
  field = 'attachments',
  store = true,
): Promise<AttachmentRecord[]> {
  const records: AttachmentRecord[] = [];
  for (const [i, a] of attachments.entries()) {
    let stored: { ref: string; sizeBytes: number } | null;
    if (a.contentBase64 !== undefined) {
      const content = Buffer.from(a.contentBase64, 'base64');
      if (content.length === 0)
        throw new ApiError(400, 'validation_failed', 'An attachment is empty.', {
          [`${field}.${i}.contentBase64`]: 'empty file',
        });
      stored = store ? await blobs.put(content) : { ref: '', sizeBytes: content.length };
    } else {
      stored = await blobs.stat(a.uploadRef!);
      if (!stored) {
        throw new ApiError(400, 'validation_failed', 'Unknown upload reference.', {
          [`${field}.${i}.uploadRef`]: 'no uploaded file has this reference: upload it with POST /v1/uploads',
        });
      }
    }
    if (stored.sizeBytes > MAX_ATTACHMENT_BYTES) {
      throw new ApiError(400, 'validation_failed', 'An attachment is over the Chorus Pro limit.', {
        [`${field}.${i}`]: `${stored.sizeBytes} bytes: Chorus Pro accepts at most 10 MB per file`,
      });
    }
    records.push({
      ref: stored.ref,
      fileName: a.fileName,
      sizeBytes: stored.sizeBytes,
      type: a.type,
      main: a.main,
    });
  }
  const total = records.reduce((sum, r) => sum + r.sizeBytes, 0);
  if (total > MAX_INVOICE_ATTACHMENTS_BYTES) {
    throw new ApiError(
      400,
      'validation_failed',
      'The attachments are over the Chorus Pro limit for one invoice.',
      {
        [field]: `${total} bytes in all: Chorus Pro accepts at most 120 MB of attachments per invoice`,
      },
    );
  }
  return records;
}

export function invoiceRoutes(deps: InvoiceRoutesDependencies): Router {
  const router = Router({ caseSensitive: true, strict: false });
  const { client, blobs } = deps;

  async function viewOf(id: string): Promise<InvoiceView> {
    if (!id.startsWith('invoice:')) throw new ApiError(404, 'not_found', 'No such invoice.');
    return client.workflow.getHandle(id).query(invoiceStateQuery);
  }

  /** The live state when the workflow answers in time, else the database row (flagged possibly stale). */
  async function readInvoice(id: string): Promise<InvoiceView & { read: ReadSource }> {
    if (!id.startsWith('invoice:')) throw notFound();
    // Both settle before anything is answered: no call is left running behind the response.
    const [stored, live] = await Promise.all([
      recordedInvoice(deps.db, id)
        .then((found) => ({ found }))
        .catch((err: unknown) => ({ err })),
      client.connection
        .withDeadline(Date.now() + LIVE_QUERY_DEADLINE_MS, () => viewOf(id))
        .then((view) => ({ view }))
        .catch((err: unknown) => ({ err })),
    ]);
    const recorded = 'found' in stored ? stored.found : undefined;
    if ('view' in live) {
      return {
        ...live.view,
        read: {
          source: 'workflow',
          possiblyStale: false,
          ...(recorded ? { recordedAt: recorded.recordedAt } : {}),
        },
      };
    }
    if (recorded) {
      return {
        ...recorded.view,
        read: {
          source: 'database',
          // A closed run's last record is its final state; otherwise the workflow may have moved on.
          possiblyStale: !(live.err instanceof WorkflowNotFoundError) && !recorded.closedAt,
          recordedAt: recorded.recordedAt,
          ...(live.err instanceof WorkflowNotFoundError ? { archived: true } : {}),
        },
      };
    }
    // Neither answered: Temporal's refusal, unless it only said "not found" while the database failed.
    if ('err' in stored && live.err instanceof WorkflowNotFoundError) throw stored.err;
    throw live.err;
  }

  router.post('/invoices', async (req, res) => {
    const prepared = await prepareSubmission(submissionChecks(deps), principalOf(res), req.body);
    noteWorkflow(res, prepared.workflowId);
    const outcome = await startSubmission(deps, prepared, requestIdOf(res));
    if (outcome.outcome === 'conflict') throw new ApiError(409, 'conflict', outcome.message);
    if (outcome.outcome === 'existing') {
      res.status(200).json({ id: outcome.id, status: outcome.status, existing: true });
      return;
    }
    res
      .status(202)
      .location(`/v1/invoices/${encodeURIComponent(outcome.id)}`)
      .json({ id: outcome.id, status: outcome.status });
  });

  router.get('/invoices', async (req, res) => {
    const parsed = InvoiceListQuery.safeParse(req.query);
    if (!parsed.success) throw validationError(parsed.error);
    res.json(await listInvoiceRows(deps.db, parsed.data, principalOf(res), deps.pageTokens));
  });

  router.get('/invoices/:id', async (req, res) => {
    res.json(await readInvoice(String(req.params.id)));
  });

  router.get('/tasks', async (req, res) => {
    const parsed = TasksQuery.safeParse(req.query);
    if (!parsed.success) throw validationError(parsed.error);
    const tasks = await openTasks(deps.db, parsed.data, principalOf(res));
    res.json({ tasks, count: tasks.length });
  });

  router.post('/invoices/:id/task', async (req, res) => {
    const id = String(req.params.id);
    const parsed = TaskAnswerBody.safeParse(req.body);
    if (!parsed.success) throw validationError(parsed.error);
    const view = await viewOf(id);
    const attachments = parsed.data.attachments
      ? await storeAttachments(blobs, parsed.data.attachments)
      : undefined;
    const result = await whileRunning(view, () =>
      client.workflow.getHandle(id).executeUpdate(answerTaskUpdate, {
        args: [{ ...parsed.data, attachments, answeredBy: actorOf(res) }],
      }),
    );
    res.json(result);
  });

  router.post('/invoices/:id/cancel', async (req, res) => {
    const id = String(req.params.id);
    const parsed = CancelBody.safeParse(req.body ?? {});
    if (!parsed.success) throw validationError(parsed.error);
    const view = await viewOf(id);
    const result = await whileRunning(view, () =>
      client.workflow.getHandle(id).executeUpdate(cancelInvoiceUpdate, {
        args: [{ reason: parsed.data.reason, requestedBy: actorOf(res) }],
      }),
    );
    res.json({ id, ...result });
  });

  return router;
}

/** What a submission is checked against besides its own fields (a batch remembers the answers). */
export interface SubmissionChecks {
  blobs: BlobStore;
  connectionExists(connectionId: string): Promise<boolean>;
  webhookVerdict(url: string): Promise<{ allowed: boolean; reason?: string }>;
}

export function submissionChecks(deps: InvoiceRoutesDependencies): SubmissionChecks {
  return {
    blobs: deps.blobs,
    connectionExists: async (id) => Boolean(await deps.connections.describe(id)),
    webhookVerdict: (url) => deps.webhookTargets.check(url),
  };
}

/** An invoice checked, its attachments stored and its content hashed: ready to start. */
export interface PreparedSubmission {
  invoice: Omit<Invoice, 'attachments'>;
  attachments: AttachmentRecord[];
  requestHash: string;
  workflowId: string;
}

/** What starting a prepared invoice came to: started, the same invoice again, or a number taken. */
export type SubmissionOutcome =
  | { outcome: 'started' | 'existing'; id: string; status: InvoiceStatus | 'UNKNOWN' }
  | { outcome: 'conflict'; id: string; message: string };

/** The same ApiError with its field paths under `prefix` (`invoices.3.buyer.siret` in a batch). */
function underPrefix(err: ApiError, prefix: string): ApiError {
  if (!prefix || !err.fields) return err;
  const fields = Object.fromEntries(
    Object.entries(err.fields).map(([k, v]) => [k === '(body)' ? prefix : `${prefix}.${k}`, v]),
  );
  return new ApiError(err.status, err.code, err.message, fields);
}

/**
 * Validates one invoice body exactly as POST /v1/invoices does (fields, webhook target, the key's
 * connections, attachments) and hashes its content; refusals are 400s with field paths under `prefix`.
 */
export async function prepareSubmission(
  checks: SubmissionChecks,
  principal: Principal | undefined,
  body: unknown,
  prefix = '',
): Promise<PreparedSubmission> {
  const parsed = InvoiceInput.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error, prefix);
  const { attachments, ...invoice } = parsed.data;
  try {
    if (invoice.webhookUrl) {
      const verdict = await checks.webhookVerdict(invoice.webhookUrl);
      if (!verdict.allowed) {
        throw new ApiError(400, 'validation_failed', 'The webhook URL is not allowed.', {
          webhookUrl: verdict.reason ?? 'not allowed',
        });
      }
    }
    // Another tenant's connection is as unknown as a connection that does not exist.
    if (!maySee(principal, invoice.connectionId) || !(await checks.connectionExists(invoice.connectionId))) {
      throw new ApiError(400, 'validation_failed', 'Unknown connection.', {
        connectionId: `no connection "${invoice.connectionId}" is configured`,
      });
    }
    const records = await storeAttachments(checks.blobs, attachments);
    const requestHash = createHash('sha256')
      .update(canonical({ invoice, attachments: records }))
      .digest('hex');
    const workflowId = invoiceWorkflowId(invoice.connectionId, invoice.invoiceNumber);
    return { invoice, attachments: records, requestHash, workflowId };
  } catch (err) {
    throw err instanceof ApiError ? underPrefix(err, prefix) : err;
  }
}

/**
 * Starts the invoice workflow of a prepared submission, idempotent per invoice number: the same
 * content again is the same invoice, other content under a number in use is a conflict.
 */
export async function startSubmission(
  deps: Pick<InvoiceRoutesDependencies, 'client' | 'db' | 'taskQueue' | 'timings'>,
  prepared: PreparedSubmission,
  /** The API request that asked for it: an operator goes from its log line to this workflow. */
  requestId?: string,
): Promise<SubmissionOutcome> {
  const { client } = deps;
  const { invoice, attachments: records, requestHash, workflowId } = prepared;
  const existing = await existingSubmission(client, workflowId, deps.db);
  // An earlier submission that ended without reaching Chorus (failed or cancelled) may be sent
  // again under the same number; otherwise the same content is the same submission.
  if (existing && !existing.reusable) {
    if (existing.requestHash === requestHash)
      return { outcome: 'existing', id: workflowId, status: existing.status };
    return {
      outcome: 'conflict',
      id: workflowId,
      message:
        `Invoice ${invoice.invoiceNumber} was already submitted on connection ${invoice.connectionId} with different content. ` +
        'An invoice number can be used once; use a new number, or cancel the first submission before it is sent.',
    };
  }
  const input: InvoiceWorkflowInput = { invoice, attachments: records, requestHash, timings: deps.timings };
  try {
    await client.workflow.start<InvoiceWorkflow>(INVOICE_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      memo: { requestHash, ...(requestId ? { requestId } : {}) },
      typedSearchAttributes: [
        { key: sa.InvoiceStatus, value: 'RECEIVED' },
        { key: sa.ConnectionId, value: invoice.connectionId },
        { key: sa.InvoiceNumber, value: invoice.invoiceNumber },
        { key: sa.BuyerSiret, value: invoice.buyer.siret },
        { key: sa.HasOpenTask, value: false },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    // A concurrent request won the race: answer as if it had come first.
    const winner = await existingSubmission(client, workflowId, deps.db);
    if (winner?.requestHash === requestHash)
      return { outcome: 'existing', id: workflowId, status: winner.status };
    return {
      outcome: 'conflict',
      id: workflowId,
      message: `Invoice ${invoice.invoiceNumber} is already being submitted with different content.`,
    };
  }
  return { outcome: 'started', id: workflowId, status: 'RECEIVED' };
}

/** An update to an invoice whose workflow has ended is a conflict with its state, not a missing invoice. */
async function whileRunning<T>(view: InvoiceView, update: () => Promise<T>): Promise<T> {
  try {
    return await update();
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    throw new ApiError(
      409,
      'invoice_ended',
      `Invoice ${view.invoiceNumber} has ended (${view.status}): it takes no more answers or cancels.`,
    );
  }
}

interface ExistingSubmission {
  requestHash?: string;
  status: InvoiceStatus | 'UNKNOWN';
  /** A run that ended before anything reached Chorus may be replaced by a new submission. */
  reusable: boolean;
}

async function existingSubmission(
  client: Client,
  workflowId: string,
  db: AppDatabase,
): Promise<ExistingSubmission | undefined> {
  // Temporal may have deleted the workflow long ago: its row still holds the number. Both are
  // asked at once (a new invoice's POST waits for the slower, not for the two in turn).
  const rowRead = db
    .selectFrom('invoices')
    .select(['request_hash', 'status', 'chorus_status', 'closed_at'])
    .where('workflow_id', '=', workflowId)
    .executeTakeFirst();
  const described = client.workflow.getHandle(workflowId).describe();
  const [row] = await Promise.all([rowRead, described.catch(() => undefined)]);
  try {
    const description = await described;
    const requestHash = description.memo?.requestHash as string | undefined;
    const status =
      (description.typedSearchAttributes.get(sa.InvoiceStatus) as InvoiceStatus | undefined) ?? 'UNKNOWN';
    const closed = description.status.name !== 'RUNNING';
    const reachedChorus = Boolean(description.typedSearchAttributes.get(sa.ChorusStatus));
    return { requestHash, status, reusable: closed && !reachedChorus };
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    if (!row) return undefined;
    return {
      requestHash: row.request_hash ?? undefined,
      status: row.status as InvoiceStatus,
      reusable: !row.chorus_status && TERMINAL_STATUSES.includes(row.status as InvoiceStatus),
    };
  }
}
