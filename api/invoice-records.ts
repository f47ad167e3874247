import { z } from 'zod';
import type { AppDatabase, InvoiceRow } from '../platform/database';
import {
  INVOICE_STATUSES,
  TASK_KINDS,
  type InvoiceStatus,
  type InvoiceView,
  type TaskKind,
} from '../workflows/invoice/definitions';
import type { Principal } from './auth';
import { ApiError } from './errors';
import type { PageTokens } from './page-tokens';

/**
 * Invoice reads from the app database (the rows the workflows record at every state change): lists,
 * filters, sorting and cursor pagination, and single reads that work while Temporal is down or after
 * it deleted the workflow.
 */
const amount = z
  .string()
  .regex(/^\d{1,13}(\.\d{1,2})?$/, 'an amount including VAT such as "150.00"')
  .optional();
const date = z.iso.date('a date as YYYY-MM-DD').optional();
const instant = z.iso
  .datetime({ offset: true, error: 'a date and time such as 2026-11-28T09:00:00Z' })
  .optional();

export const SORTS = ['updatedAt', 'createdAt', 'issueDate', 'amount', 'invoiceNumber'] as const;
type Sort = (typeof SORTS)[number];
const SORT_COLUMNS = {
  updatedAt: 'updated_at',
  createdAt: 'created_at',
  issueDate: 'issue_date',
  amount: 'total_incl_vat_cents',
  invoiceNumber: 'invoice_number',
} as const satisfies Record<Sort, keyof InvoiceRow>;

export const InvoiceListQuery = z
  .object({
    status: z
      .enum(INVOICE_STATUSES as [InvoiceStatus, ...InvoiceStatus[]], {
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
    issuedFrom: date,
    issuedTo: date,
    updatedFrom: instant,
    updatedTo: instant,
    minAmount: amount,
    maxAmount: amount,
    sort: z.enum(SORTS, { error: `one of ${SORTS.join(', ')}` }).default('updatedAt'),
    order: z.enum(['asc', 'desc'], { error: 'asc or desc' }).default('desc'),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
    pageToken: z.string().max(4096).optional(),
  })
  .strict();
export type InvoiceListQuery = z.infer<typeof InvoiceListQuery>;

export const InvoiceListItem = z.object({
  id: z.string(),
  invoiceNumber: z.string(),
  connectionId: z.string(),
  buyerSiret: z.string(),
  supplierSiret: z.string().optional(),
  status: z.string(),
  chorusStatus: z.string().optional(),
  chorusInvoiceId: z.number().optional(),
  hasOpenTask: z.boolean(),
  issueDate: z.string(),
  currency: z.string(),
  totalExclVat: z.string(),
  totalInclVat: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().optional(),
});
export type InvoiceListItem = z.infer<typeof InvoiceListItem>;

export const InvoiceListResponse = z.object({
  invoices: z.array(InvoiceListItem),
  nextPageToken: z.string().optional(),
});

const cents = (text: string) => {
  const [units, fraction = ''] = text.split('.');
  return (BigInt(units) * 100n + BigInt(fraction.padEnd(2, '0'))).toString();
};
const euros = (value: string) => {
  const n = BigInt(value);
  const sign = n < 0n ? '-' : '';
  const abs = n < 0n ? -n : n;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
};
const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

export function listItemOf(row: InvoiceRow): InvoiceListItem {
  return {
    id: row.workflow_id,
    invoiceNumber: row.invoice_number,
    connectionId: row.connection_id,
    buyerSiret: row.buyer_siret,
    ...(row.supplier_siret ? { supplierSiret: row.supplier_siret } : {}),
    status: row.status,
    ...(row.chorus_status ? { chorusStatus: row.chorus_status } : {}),
    ...(row.chorus_invoice_id ? { chorusInvoiceId: Number(row.chorus_invoice_id) } : {}),
    hasOpenTask: row.has_open_task,
    issueDate: row.issue_date,
    currency: row.currency,
    totalExclVat: euros(row.total_excl_vat_cents),
    totalInclVat: euros(row.total_incl_vat_cents),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    ...(row.closed_at ? { closedAt: iso(row.closed_at) } : {}),
  };
}

const cursorValue = (row: InvoiceRow, sort: Sort): string => {
  const value = row[SORT_COLUMNS[sort]];
  return value instanceof Date ? value.toISOString() : String(value);
};

/** Filters, tenant, sort and keyset cursor: the page after `pageToken`. */
export async function listInvoiceRows(
  db: AppDatabase,
  q: InvoiceListQuery,
  principal: Principal | undefined,
  pageTokens: PageTokens,
): Promise<z.infer<typeof InvoiceListResponse>> {
  const { pageToken, pageSize, ...filters } = q;
  // The token is bound to the filters and sort it was given for.
  const tokenScope = JSON.stringify({ filters, tenant: principal?.connections ?? '*' });
  let after: { v: string; id: string } | undefined;
  if (pageToken) {
    const raw = Buffer.from(pageTokens.open(tokenScope, pageToken)).toString('utf8');
    after = JSON.parse(raw) as { v: string; id: string };
  }
  const column = SORT_COLUMNS[q.sort];
  let query = db.selectFrom('invoices').selectAll();
  if (q.status) query = query.where('status', '=', q.status);
  if (q.chorusStatus) query = query.where('chorus_status', '=', q.chorusStatus);
  if (q.connectionId) query = query.where('connection_id', '=', q.connectionId);
  if (q.buyerSiret) query = query.where('buyer_siret', '=', q.buyerSiret);
  if (q.invoiceNumber) query = query.where('invoice_number', '=', q.invoiceNumber);
  if (q.hasOpenTask) query = query.where('has_open_task', '=', q.hasOpenTask === 'true');
  if (q.issuedFrom) query = query.where('issue_date', '>=', q.issuedFrom);
  if (q.issuedTo) query = query.where('issue_date', '<=', q.issuedTo);
  if (q.updatedFrom) query = query.where('updated_at', '>=', new Date(q.updatedFrom));
  if (q.updatedTo) query = query.where('updated_at', '<=', new Date(q.updatedTo));
  if (q.minAmount) query = query.where('total_incl_vat_cents', '>=', cents(q.minAmount));
  if (q.maxAmount) query = query.where('total_incl_vat_cents', '<=', cents(q.maxAmount));
  if (principal && principal.connections !== '*') {
    const allowed = [...principal.connections];
    if (allowed.length === 0) return { invoices: [] };
    query = query.where('connection_id', 'in', allowed);
  }
  const direction = q.order === 'asc' ? '>' : '<';
  if (after) {
    const { v, id } = after;
    query = query.where((eb) =>
      eb.or([eb(column, direction, v), eb.and([eb(column, '=', v), eb('workflow_id', direction, id)])]),
    );
  }
  const rows = await query
    .orderBy(column, q.order)
    .orderBy('workflow_id', q.order)
    .limit(pageSize + 1)
    .execute();
  const page = rows.slice(0, pageSize);
  const last = page[page.length - 1];
  const nextPageToken =
    rows.length > pageSize && last
      ? pageTokens.sign(
          tokenScope,
          Buffer.from(JSON.stringify({ v: cursorValue(last, q.sort), id: last.workflow_id })),
        )
      : undefined;
  return { invoices: page.map(listItemOf), ...(nextPageToken ? { nextPageToken } : {}) };
}

export interface RecordedInvoice {
  view: InvoiceView;
  recordedAt: string;
  closedAt?: string;
}

export async function recordedInvoice(db: AppDatabase, id: string): Promise<RecordedInvoice | undefined> {
  const row = await db
    .selectFrom('invoices')
    .select(['view', 'updated_at', 'closed_at'])
    .where('workflow_id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    view: row.view as InvoiceView,
    recordedAt: iso(row.updated_at),
    ...(row.closed_at ? { closedAt: iso(row.closed_at) } : {}),
  };
}

export const TasksQuery = z
  .object({
    connectionId: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a connection id')
      .optional(),
    kind: z
      .enum(TASK_KINDS as [TaskKind, ...TaskKind[]], { error: `one of ${TASK_KINDS.join(', ')}` })
      .optional(),
  })
  .strict();

/** Every open task from the rows' open-task column, oldest first (no per-workflow query). */
export async function openTasks(
  db: AppDatabase,
  q: z.infer<typeof TasksQuery>,
  principal: Principal | undefined,
) {
  let query = db
    .selectFrom('invoices')
    .select(['workflow_id', 'invoice_number', 'connection_id', 'buyer_siret', 'status', 'view'])
    .where('has_open_task', '=', true);
  if (q.connectionId) query = query.where('connection_id', '=', q.connectionId);
  if (q.kind) query = query.where('task_kind', '=', q.kind);
  if (principal && principal.connections !== '*') {
    const allowed = [...principal.connections];
    if (allowed.length === 0) return [];
    query = query.where('connection_id', 'in', allowed);
  }
  const rows = await query.orderBy('task_opened_at', 'asc').orderBy('workflow_id').limit(1000).execute();
  return rows.flatMap((r) => {
    const view = r.view as InvoiceView;
    if (!view.openTask) return [];
    return [
      {
        invoiceId: r.workflow_id,
        invoiceNumber: r.invoice_number,
        connectionId: r.connection_id,
        buyerSiret: r.buyer_siret,
        status: r.status,
        task: view.openTask,
      },
    ];
  });
}

export function notFound(): ApiError {
  return new ApiError(404, 'not_found', 'No such invoice.');
}
