import { ApplicationFailure } from '@temporalio/common';
import { jsonText, type AppDatabase } from '../platform/database';
import { computeTotals } from '../domain/totals';
import { invoiceSearchText } from '../domain/search';
import type { InvoiceStateRecord } from '../workflows/contracts/invoice';

export interface RecordActivityDependencies {
  db: AppDatabase;
}

const MICROS_PER_CENT = 10_000n;

/** The invoice's row: indexed columns for lists and filters, and the whole view for reads without Temporal. */
export function invoiceRowOf(record: InvoiceStateRecord) {
  const { view } = record;
  const totals = computeTotals(view.invoice.lines);
  return {
    workflow_id: view.workflowId,
    sequence: record.sequence,
    connection_id: view.connectionId,
    invoice_number: view.invoiceNumber,
    buyer_siret: view.invoice.buyer.siret,
    buyer_name: view.buyerName ?? null,
    search_text: invoiceSearchText({
      invoiceNumber: view.invoiceNumber,
      buyerSiret: view.invoice.buyer.siret,
      buyerName: view.buyerName,
    }),
    supplier_siret: record.supplierSiret ?? null,
    status: view.status,
    chorus_status: view.chorusStatus ?? null,
    chorus_invoice_id: view.chorusInvoiceId ?? null,
    status_reason: view.statusReason ?? null,
    issue_date: view.invoice.issueDate,
    currency: view.invoice.currency,
    total_excl_vat_cents: (totals.exclVat / MICROS_PER_CENT).toString(),
    total_incl_vat_cents: (totals.inclVat / MICROS_PER_CENT).toString(),
    has_open_task: view.openTask !== undefined,
    task_kind: view.openTask?.kind ?? null,
    task_opened_at: view.openTask?.openedAt ?? null,
    request_hash: view.requestHash ?? null,
    view: jsonText(view),
    run_id: record.runId,
    created_at: record.recordedAt,
    updated_at: record.recordedAt,
  };
}

/** Event `<workflowId>#<n>` → n: the order of delivery within its invoice. */
export function eventSequenceOf(eventId: string): number {
  const n = Number(eventId.slice(eventId.lastIndexOf('#') + 1));
  if (!Number.isInteger(n) || n < 0) throw new Error(`event id "${eventId}" has no sequence number`);
  return n;
}

export function createRecordActivities(deps: RecordActivityDependencies) {
  return {
    /**
     * The row and the outbox events (storeInvoiceState). Returns the webhook events it queued: run as
     * a local activity, its marker (the result, not the input) is where the audit reads them.
     */
    async recordInvoiceState(record: InvoiceStateRecord): Promise<InvoiceStateRecord['events']> {
      await storeInvoiceState(deps.db, record);
      return record.events;
    },
  };
}

/**
 * The row and the outbox events in one transaction. Idempotent: a retried or replayed record with a
 * sequence not above the stored one leaves the row as it is, and an event already stored is kept.
 */
export async function storeInvoiceState(db: AppDatabase, record: InvoiceStateRecord): Promise<void> {
  const row = invoiceRowOf(record);
  const { created_at: _created, workflow_id: _id, ...changes } = row;
  await storing(
    db.transaction().execute(async (trx) => {
      await trx
        .insertInto('invoices')
        .values(row)
        .onConflict((oc) =>
          oc
            .column('workflow_id')
            .doUpdateSet(changes)
            .where('invoices.sequence', '<', String(record.sequence)),
        )
        .execute();
      for (const { url, event } of record.events) {
        await trx
          .insertInto('webhook_events')
          .values({
            id: event.id,
            stream: event.invoice.workflowId,
            sequence: eventSequenceOf(event.id),
            connection_id: event.invoice.connectionId,
            type: event.type,
            url,
            payload: jsonText(event),
            status: 'pending',
            next_attempt_at: record.recordedAt,
            created_at: record.recordedAt,
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
      }
    }),
  );
}

/**
 * A record the database refuses for its content (SQLSTATE class 22, data exception, or 23, integrity
 * constraint) would be refused again at every retry: it fails for good, with PostgreSQL's reason,
 * rather than holding the invoice's workflow task (a local activity) retrying forever. An
 * unavailable database stays retryable.
 */
async function storing(work: Promise<void>): Promise<void> {
  try {
    await work;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && /^2[23]/.test(code)) {
      throw ApplicationFailure.nonRetryable(
        `the database refused the invoice's record (SQLSTATE ${code}): ${(err as Error).message}`,
        'RecordRefused',
      );
    }
    throw err;
  }
}
