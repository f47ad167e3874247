import { createHash } from 'node:crypto';
import { Router } from 'express';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { z } from 'zod';
import type { BlobStore } from '../platform/blob-store';
import {
  AttachmentInput,
  InvoiceInput,
  MAX_ATTACHMENT_BYTES,
  MAX_INVOICE_ATTACHMENTS_BYTES,
  type Attachment,
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
  INVOICE_STATUSES,
  TASK_KINDS,
  type AttachmentRecord,
  type InvoiceStatus,
  type InvoiceTimings,
  type InvoiceView,
  type InvoiceWorkflowInput,
} from '../workflows/contracts/invoice';
import { actorOf, maySee, principalOf, tenantClause } from './auth';
import { BuyerNames, searchable } from './buyer-names';
import { ApiError, validationError } from './errors';
import type { PageTokens } from './page-tokens';

export interface InvoiceRoutesDependencies {
  client: Client;
  blobs: BlobStore;
  connections: ConnectionDirectory;
  taskQueue: string;
  /** Lifecycle durations given to every new invoice workflow (tests shorten them). */
  timings?: Partial<InvoiceTimings>;
  pageTokens: PageTokens;
}

/** How long GET /v1/tasks waits for one invoice's state before leaving it out of the page. */
const TASK_QUERY_DEADLINE_MS = 2_000;

/** A search (`q`) looks at this many of the newest invoices that pass the other filters. */
export const SEARCH_SCAN_LIMIT = 1_000;

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

export const ListQuery = z
  .object({
    status: z
      .enum(INVOICE_STATUSES, {
        error: `one of ${INVOICE_STATUSES.join(', ')}`,
      })
      .optional(),
    chorusStatus: z
      .string()
      .max(40)
      .regex(/^[A-Z_0-9]+$/, 'a Chorus status such as MISE_A_DISPOSITION')
      .optional(),
    connectionId: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a connection id')
      .optional(),
    buyerSiret: z
      .string()
      .regex(/^\d{14}$/, '14 digits')
      .optional(),
    invoiceNumber: z
      .string()
      .max(20)
      .regex(/^[A-Za-z0-9\-_/+]+$/, 'an invoice number')
      .optional(),
    hasOpenTask: z.enum(['true', 'false']).optional(),
    q: z
      .string()
      .trim()
      .min(1, 'at least one character')
      .max(100, 'at most 100 characters')
      .optional()
      .meta({
        description: `Part of the invoice number, the buyer's name or SIRET, any case and accents; the first matches among the newest ${SEARCH_SCAN_LIMIT} invoices of the other filters, in one page (no pageToken).`,
      }),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
    pageToken: z.string().max(4096).optional(),
  })
  .strict();

export const TasksQuery = ListQuery.pick({ connectionId: true })
  .extend({
    kind: z.enum(TASK_KINDS, { error: `one of ${TASK_KINDS.join(', ')}` }).optional(),
  })
  .strict();

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

/** Puts base64 contents into the blob store and returns references only. */
export async function storeAttachments(
  blobs: BlobStore,
  attachments: Attachment[],
  field = 'attachments',
): Promise<AttachmentRecord[]> {
  const records: AttachmentRecord[] = [];
  for (const [i, a] of attachments.entries()) {
    let stored;
    if (a.contentBase64 !== undefined) {
      const content = Buffer.from(a.contentBase64, 'base64');
      if (content.length === 0)
        throw new ApiError(400, 'validation_failed', 'An attachment is empty.', {
          [`${field}.${i}.contentBase64`]: 'empty file',
        });
      stored = await blobs.put(content);
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
  const { client, blobs, connections } = deps;
  const buyerNames = new BuyerNames(client);

  async function viewOf(id: string): Promise<InvoiceView> {
    if (!id.startsWith('invoice:')) throw new ApiError(404, 'not_found', 'No such invoice.');
    const view = await client.workflow.getHandle(id).query(invoiceStateQuery);
    buyerNames.learn(view);
    return view;
  }

  /** The newest invoices of `query` whose number, buyer name or SIRET contains `q`. */
  async function search(query: string, q: string, pageSize: number): Promise<InvoiceListItem[]> {
    const wanted = searchable(q);
    const found: InvoiceListItem[] = [];
    let token: string | undefined;
    for (let scanned = 0; scanned < SEARCH_SCAN_LIMIT && found.length < pageSize;) {
      const page = await listInvoices(client, query, 200, token, deps.pageTokens);
      await buyerNames.learnFrom(page.invoices);
      for (const item of page.invoices) {
        const name = buyerNames.nameOf(item.buyerSiret);
        const text = [item.invoiceNumber, item.buyerSiret, name].filter(Boolean).join(' ');
        if (searchable(text).includes(wanted)) found.push({ ...item, ...(name ? { buyerName: name } : {}) });
      }
      scanned += page.invoices.length;
      token = page.nextPageToken;
      if (!token) break;
    }
    return found.slice(0, pageSize);
  }

  router.post('/invoices', async (req, res) => {
    const parsed = InvoiceInput.safeParse(req.body);
    if (!parsed.success) throw validationError(parsed.error);
    const { attachments, ...invoice } = parsed.data;
    // Another tenant's connection is as unknown as a connection that does not exist.
    if (
      !maySee(principalOf(res), invoice.connectionId) ||
      !(await connections.describe(invoice.connectionId))
    ) {
      throw new ApiError(400, 'validation_failed', 'Unknown connection.', {
        connectionId: `no connection "${invoice.connectionId}" is configured`,
      });
    }
    const records = await storeAttachments(blobs, attachments);
    const requestHash = createHash('sha256')
      .update(canonical({ invoice, attachments: records }))
      .digest('hex');
    const workflowId = invoiceWorkflowId(invoice.connectionId, invoice.invoiceNumber);

    const existing = await existingSubmission(client, workflowId);
    // An earlier submission that ended without reaching Chorus (failed or cancelled) may be sent
    // again under the same number; otherwise the same content is the same submission.
    if (existing && !existing.reusable) {
      if (existing.requestHash === requestHash) {
        res.status(200).json({ id: workflowId, status: existing.status, existing: true });
        return;
      }
      throw new ApiError(
        409,
        'conflict',
        `Invoice ${invoice.invoiceNumber} was already submitted on connection ${invoice.connectionId} with different content. ` +
          'An invoice number can be used once; use a new number, or cancel the first submission before it is sent.',
      );
    }
    const input: InvoiceWorkflowInput = { invoice, attachments: records, requestHash, timings: deps.timings };
    try {
      await client.workflow.start<InvoiceWorkflow>(INVOICE_WORKFLOW_TYPE, {
        workflowId,
        taskQueue: deps.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        memo: { requestHash },
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
      const winner = await existingSubmission(client, workflowId);
      if (winner?.requestHash === requestHash) {
        res.status(200).json({ id: workflowId, status: winner.status, existing: true });
        return;
      }
      throw new ApiError(
        409,
        'conflict',
        `Invoice ${invoice.invoiceNumber} is already being submitted with different content.`,
      );
    }
    res
      .status(202)
      .location(`/v1/invoices/${encodeURIComponent(workflowId)}`)
      .json({ id: workflowId, status: 'RECEIVED' });
  });

  router.get('/invoices', async (req, res) => {
    const parsed = ListQuery.safeParse(req.query);
    if (!parsed.success) throw validationError(parsed.error);
    const q = parsed.data;
    const clauses = [`WorkflowType = '${INVOICE_WORKFLOW_TYPE}'`];
    if (q.status) clauses.push(`InvoiceStatus = '${q.status}'`);
    if (q.chorusStatus) clauses.push(`ChorusStatus = '${q.chorusStatus}'`);
    if (q.connectionId) clauses.push(`ConnectionId = '${q.connectionId}'`);
    if (q.buyerSiret) clauses.push(`BuyerSiret = '${q.buyerSiret}'`);
    if (q.invoiceNumber) clauses.push(`InvoiceNumber = '${q.invoiceNumber}'`);
    if (q.hasOpenTask) clauses.push(`HasOpenTask = ${q.hasOpenTask}`);
    const tenant = tenantClause(principalOf(res));
    if (tenant) clauses.push(tenant);
    if (q.q) {
      if (q.pageToken !== undefined) {
        throw new ApiError(400, 'validation_failed', 'A search answers in one page.', {
          pageToken: `a search (q) answers its first matches among the newest ${SEARCH_SCAN_LIMIT} invoices, in one page`,
        });
      }
      res.json({ invoices: await search(clauses.join(' AND '), q.q, q.pageSize) });
      return;
    }
    const page = await listInvoices(client, clauses.join(' AND '), q.pageSize, q.pageToken, deps.pageTokens);
    await buyerNames.learnFrom(page.invoices);
    res.json({
      ...page,
      invoices: page.invoices.map((item) => {
        const buyerName = buyerNames.nameOf(item.buyerSiret);
        return buyerName ? { ...item, buyerName } : item;
      }),
    });
  });

  router.get('/invoices/:id', async (req, res) => {
    res.json(await viewOf(String(req.params.id)));
  });

  router.get('/tasks', async (req, res) => {
    const parsed = TasksQuery.safeParse(req.query);
    if (!parsed.success) throw validationError(parsed.error);
    const clauses = [
      `WorkflowType = '${INVOICE_WORKFLOW_TYPE}'`,
      `${sa.HasOpenTask.name} = true`,
      `ExecutionStatus = 'Running'`,
    ];
    if (parsed.data.connectionId) clauses.push(`ConnectionId = '${parsed.data.connectionId}'`);
    const tenant = tenantClause(principalOf(res));
    if (tenant) clauses.push(tenant);
    const { invoices } = await listInvoices(client, clauses.join(' AND '), 200, undefined, deps.pageTokens);
    // One invoice whose worker does not answer must not hold the whole inbox: each has a deadline.
    const views = await Promise.all(
      invoices.map((i) =>
        client.connection
          .withDeadline(Date.now() + TASK_QUERY_DEADLINE_MS, () => viewOf(i.id))
          .catch(() => undefined),
      ),
    );
    const tasks = views
      .filter((v): v is InvoiceView => Boolean(v?.openTask))
      .filter((v) => !parsed.data.kind || v.openTask!.kind === parsed.data.kind)
      .map((v) => ({
        invoiceId: v.workflowId,
        invoiceNumber: v.invoiceNumber,
        connectionId: v.connectionId,
        buyerSiret: v.invoice.buyer.siret,
        ...(buyerNames.nameOf(v.invoice.buyer.siret)
          ? { buyerName: buyerNames.nameOf(v.invoice.buyer.siret) }
          : {}),
        status: v.status,
        task: v.openTask!,
      }))
      .sort((a, b) => (a.task.openedAt < b.task.openedAt ? -1 : 1));
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
): Promise<ExistingSubmission | undefined> {
  try {
    const description = await client.workflow.getHandle(workflowId).describe();
    const requestHash = description.memo?.requestHash as string | undefined;
    const status =
      (description.typedSearchAttributes.get(sa.InvoiceStatus) as InvoiceStatus | undefined) ?? 'UNKNOWN';
    const closed = description.status.name !== 'RUNNING';
    const reachedChorus = Boolean(description.typedSearchAttributes.get(sa.ChorusStatus));
    return { requestHash, status, reusable: closed && !reachedChorus };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

export interface InvoiceListItem {
  id: string;
  invoiceNumber?: string;
  connectionId?: string;
  buyerSiret?: string;
  /** The buyer's name as Chorus Pro gave it, once an invoice of this buyer was checked. */
  buyerName?: string;
  status?: InvoiceStatus;
  chorusStatus?: string;
  hasOpenTask?: boolean;
  startedAt?: string;
  closedAt?: string;
}

/** A page of invoices from Temporal visibility (search attributes), newest first. */
export async function listInvoices(
  client: Client,
  query: string,
  pageSize: number,
  pageToken: string | undefined,
  pageTokens: PageTokens,
): Promise<{ invoices: InvoiceListItem[]; nextPageToken?: string }> {
  const nextPageToken = pageToken === undefined ? undefined : pageTokens.open(query, pageToken);
  const response = await client.workflowService.listWorkflowExecutions({
    namespace: client.options.namespace,
    query,
    pageSize,
    nextPageToken,
  });
  const invoices = (response.executions ?? []).map((e): InvoiceListItem => {
    const attributes = decodeTypedSearchAttributes(e.searchAttributes?.indexedFields);
    const seconds = (t: typeof e.startTime) =>
      t?.seconds ? new Date(Number(t.seconds) * 1000).toISOString() : undefined;
    return {
      id: e.execution?.workflowId ?? '',
      invoiceNumber: attributes.get(sa.InvoiceNumber),
      connectionId: attributes.get(sa.ConnectionId),
      buyerSiret: attributes.get(sa.BuyerSiret),
      status: attributes.get(sa.InvoiceStatus) as InvoiceStatus | undefined,
      chorusStatus: attributes.get(sa.ChorusStatus),
      hasOpenTask: attributes.get(sa.HasOpenTask),
      startedAt: seconds(e.startTime),
      closedAt: seconds(e.closeTime),
    };
  });
  const token =
    response.nextPageToken && response.nextPageToken.length > 0
      ? pageTokens.sign(query, response.nextPageToken)
      : undefined;
  return { invoices, ...(token ? { nextPageToken: token } : {}) };
}
