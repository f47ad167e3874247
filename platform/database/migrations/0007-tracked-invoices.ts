import { sql, type Kysely } from 'kysely';

/**
 * The invoices a connection's tracker follows are read from this table at every poll
 * (activities/tracked-invoices.ts): by connection and Chorus id, among deposited invoices.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index invoices_tracked on invoices (connection_id, chorus_invoice_id)
    where chorus_invoice_id is not null`.execute(db);
  await sql`create index invoices_depositing on invoices (connection_id)
    where status in ('SUBMITTING', 'SUBMITTED')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index invoices_depositing`.execute(db);
  await sql`drop index invoices_tracked`.execute(db);
}
