import { sql, type Kysely } from 'kysely';

/**
 * Invoice totals as `numeric`, not `bigint`: the API accepts any amount its decimal pattern allows,
 * and a line's quantity times its price can pass bigint's 9.2 × 10^18 cents. A total PostgreSQL
 * refused left the invoice without a row (lists and the inbox did not show it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table invoices
    alter column total_excl_vat_cents type numeric,
    alter column total_incl_vat_cents type numeric`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table invoices
    alter column total_excl_vat_cents type bigint,
    alter column total_incl_vat_cents type bigint`.execute(db);
}
