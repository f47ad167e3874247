import { sql } from 'kysely';
import type { AppDatabase } from '../platform/database';
import { TERMINAL_STATUSES } from '../workflows/contracts/invoice';
import type { InvoiceNotice, StatusChange } from '../workflows/contracts/tracker';

/**
 * The invoices a connection's tracker follows, read from the app database rather than kept in the
 * tracker's state: the connection's invoices Chorus has numbered (`chorus_invoice_id`) whose status
 * is not an end, and those being deposited now (`SUBMITTING`, `SUBMITTED`: the record of the
 * deposit may still be on its way), so that a tracker woken by a deposit does not find nothing to
 * follow. An invoice leaves the set when its record says it ended: nothing to unregister.
 */
const ENDED = [...TERMINAL_STATUSES];
const DEPOSITING = ['SUBMITTING', 'SUBMITTED'];

/** How many invoice numbers one query matches (a poll after a quiet weekend may read thousands). */
const MATCH_BATCH = 1000;

export async function trackedCount(db: AppDatabase, connectionId: string): Promise<number> {
  const row = await db
    .selectFrom('invoices')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('connection_id', '=', connectionId)
    .where('status', 'not in', ENDED)
    .where((eb) => eb.or([eb('chorus_invoice_id', 'is not', null), eb('status', 'in', DEPOSITING)]))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * The changes that are news to a tracked invoice, as notices to its workflow: a change matches an
 * invoice of the connection by its Chorus id (`identifiantFactureCPP`, which holds when Chorus gave
 * the invoice a number of its own), and is left out when the invoice's record already holds that
 * status at that time (a poll re-reads the last minute of the one before; the invoice ignores a
 * status it knows, but each signal costs it a workflow task).
 */
export async function noticesFor(
  db: AppDatabase,
  connectionId: string,
  changes: StatusChange[],
): Promise<InvoiceNotice[]> {
  const notices: InvoiceNotice[] = [];
  for (let i = 0; i < changes.length; i += MATCH_BATCH) {
    const batch = changes.slice(i, i + MATCH_BATCH);
    const rows = await db
      .selectFrom('invoices')
      .select([
        'workflow_id',
        'chorus_invoice_id',
        'chorus_status',
        sql<string | null>`view->'chorusTimeline'->-1->>'at'`.as('last_at'),
      ])
      .where('connection_id', '=', connectionId)
      .where('status', 'not in', ENDED)
      .where(
        'chorus_invoice_id',
        'in',
        batch.map((c) => String(c.identifiantFactureCPP)),
      )
      .execute();
    const byChorusId = new Map(rows.map((r) => [String(r.chorus_invoice_id), r]));
    for (const change of batch) {
      const row = byChorusId.get(String(change.identifiantFactureCPP));
      if (!row) continue;
      if (row.chorus_status === change.status && row.last_at === change.at) continue;
      notices.push({
        invoiceNumber: change.invoiceNumber,
        workflowId: row.workflow_id,
        observation: {
          identifiantFactureCPP: change.identifiantFactureCPP,
          status: change.status,
          at: change.at,
          ...(change.comment ? { comment: change.comment } : {}),
        },
      });
    }
  }
  return notices;
}
