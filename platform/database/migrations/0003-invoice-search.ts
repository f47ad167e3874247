import { sql, type Kysely } from 'kysely';

/** The buyer's name on each invoice row, and the text a search (`q`) looks in. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('invoices')
    .addColumn('buyer_name', 'text')
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  // Rows recorded before this migration are found by number and SIRET until their next record.
  await sql`update invoices set search_text = lower(invoice_number || ' ' || buyer_siret)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('invoices').dropColumn('search_text').dropColumn('buyer_name').execute();
}
