import { sql, type Kysely } from 'kysely';

/** Invoices as rows, their archived histories, the webhook outbox and per-connection signing secrets. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('invoices')
    .addColumn('workflow_id', 'text', (c) => c.primaryKey())
    .addColumn('sequence', 'bigint', (c) => c.notNull())
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('invoice_number', 'text', (c) => c.notNull())
    .addColumn('buyer_siret', 'text', (c) => c.notNull())
    .addColumn('supplier_siret', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('chorus_status', 'text')
    .addColumn('chorus_invoice_id', 'bigint')
    .addColumn('status_reason', 'text')
    .addColumn('issue_date', 'date', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('total_excl_vat_cents', 'bigint', (c) => c.notNull())
    .addColumn('total_incl_vat_cents', 'bigint', (c) => c.notNull())
    .addColumn('has_open_task', 'boolean', (c) => c.notNull())
    .addColumn('task_kind', 'text')
    .addColumn('task_opened_at', 'timestamptz')
    .addColumn('request_hash', 'text')
    .addColumn('view', 'jsonb', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closed_at', 'timestamptz')
    .execute();
  // Lists are sorted by (column, workflow_id) for keyset pagination.
  for (const [name, columns] of [
    ['invoices_by_update', ['updated_at', 'workflow_id']],
    ['invoices_by_status', ['status', 'updated_at']],
    ['invoices_by_connection', ['connection_id', 'updated_at']],
    ['invoices_by_buyer', ['buyer_siret']],
    ['invoices_by_number', ['invoice_number']],
    ['invoices_by_issue_date', ['issue_date', 'workflow_id']],
  ] as const) {
    await db.schema
      .createIndex(name)
      .on('invoices')
      .columns([...columns])
      .execute();
  }
  await db.schema
    .createIndex('invoices_open_tasks')
    .on('invoices')
    .columns(['task_opened_at'])
    .where(sql.ref('has_open_task'), '=', true)
    .execute();

  await db.schema
    .createTable('invoice_archives')
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('close_status', 'text', (c) => c.notNull())
    .addColumn('history', 'text', (c) => c.notNull())
    .addColumn('timeline', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('archived_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('invoice_archives_pk', ['workflow_id', 'run_id'])
    .execute();

  await db.schema
    .createTable('webhook_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('locked_until', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('delivered_at', 'timestamptz')
    .addUniqueConstraint('webhook_events_stream_sequence', ['stream', 'sequence'])
    .execute();
  await db.schema
    .createIndex('webhook_events_due')
    .on('webhook_events')
    .columns(['next_attempt_at'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();
  await db.schema
    .createIndex('webhook_events_by_status')
    .on('webhook_events')
    .columns(['status', 'created_at'])
    .execute();

  await db.schema
    .createTable('webhook_secrets')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('sealed_secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('retires_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('webhook_secrets_by_connection')
    .on('webhook_secrets')
    .columns(['connection_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['webhook_secrets', 'webhook_events', 'invoice_archives', 'invoices'])
    await db.schema.dropTable(table).execute();
}
