import { sql, type Kysely } from 'kysely';

/**
 * Each `soumettre` attempt is claimed here before it is sent (activities/submission.ts): the deposit
 * runs as a local activity, which a new worker runs again when the one that ran it stopped before its
 * workflow task completed. A second run of an attempt finds its claim and sends nothing: the invoice
 * is looked up in Chorus first, as after any unknown outcome. One small row per attempt, kept as the
 * invoices rows are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('deposit_attempts')
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('claimed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('deposit_attempts_pk', ['workflow_id', 'run_id', 'attempt'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('deposit_attempts').execute();
}
