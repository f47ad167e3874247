import { sql, type Kysely } from 'kysely';

/**
 * Invoice batches (POST /v1/invoice-batches): the batch and one row per item, kept after the answer
 * so starting its workflows can take its time, survive an API restart and be followed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('invoice_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('connection_ids', sql`text[]`, (c) => c.notNull())
    .addColumn('item_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('locked_until', 'timestamptz')
    .execute();
  await db.schema
    .createTable('invoice_batch_items')
    .addColumn('batch_id', 'text', (c) => c.notNull().references('invoice_batches.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('invoice_number', 'text', (c) => c.notNull())
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('status', 'text')
    .addColumn('message', 'text')
    .addColumn('duplicate_of', 'integer')
    .addColumn('input', 'jsonb')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('invoice_batch_items_pk', ['batch_id', 'position'])
    .execute();
  // The starter looks for items still to start: few at any time.
  await sql`create index invoice_batch_items_pending on invoice_batch_items (batch_id) where outcome = 'pending'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('invoice_batch_items').execute();
  await db.schema.dropTable('invoice_batches').execute();
}
