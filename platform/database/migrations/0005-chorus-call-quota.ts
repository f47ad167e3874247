import { sql, type Kysely } from 'kysely';

/**
 * The PISTE call quota's counters, shared by every worker (activities/chorus/call-quota.ts): the
 * table rate-limiter-flexible's PostgreSQL store reads and writes, with the columns it expects.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('chorus_call_quota')
    .addColumn('key', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
    // Epoch milliseconds at which the window (or the hold-off after a 429) ends.
    .addColumn('expire', 'bigint')
    .execute();
  await sql`comment on table chorus_call_quota is 'PISTE call quota windows per application (rate-limiter-flexible)'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('chorus_call_quota').execute();
}
