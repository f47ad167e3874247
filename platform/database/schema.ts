import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/**
 * The app's own tables (Temporal keeps its own database). Types mirror the migrations in
 * ./migrations; queries are typed against them by Kysely.
 */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** bigint and numeric columns come back from node-postgres as strings: exact, never rounded. */
type BigIntColumn = ColumnType<string, number | bigint | string, number | bigint | string>;
type Json<T> = ColumnType<T, string, string>;
/** A timestamp the database fills in by default. */
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface InvoicesTable {
  workflow_id: string;
  /** Grows with every recorded state change of the invoice (across continue-as-new): writes never go back. */
  sequence: BigIntColumn;
  connection_id: string;
  invoice_number: string;
  buyer_siret: string;
  /** The buyer's name as Chorus Pro gave it, once checked. */
  buyer_name: string | null;
  /** Number, SIRET and buyer name, lower case without accents (domain/search.ts): what `q` searches. */
  search_text: Generated<string>;
  supplier_siret: string | null;
  status: string;
  chorus_status: string | null;
  chorus_invoice_id: BigIntColumn | null;
  status_reason: string | null;
  issue_date: string;
  currency: string;
  total_excl_vat_cents: BigIntColumn;
  total_incl_vat_cents: BigIntColumn;
  has_open_task: boolean;
  task_kind: string | null;
  task_opened_at: Timestamp | null;
  request_hash: string | null;
  /** The invoice as the workflow's state query shows it (InvoiceView), for reads without Temporal. */
  view: Json<unknown>;
  run_id: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  closed_at: Timestamp | null;
}

export interface InvoiceArchivesTable {
  workflow_id: string;
  run_id: string;
  /** Runs of one continue-as-new chain in order (1 = first). */
  started_at: Timestamp;
  closed_at: Timestamp;
  close_status: string;
  /** Temporal JSON of the run's history as stored: payloads still encrypted. */
  history: string;
  /** Decoded, redacted audit timeline entries of this run (JSON text, exactly as hashed). */
  timeline: string;
  /** sha256:<hex> of `history` then `timeline` (see archive.ts). */
  content_hash: string;
  archived_at: DefaultedTimestamp;
}

export interface WebhookEventsTable {
  id: string;
  /** Events of one invoice (or connection) are delivered in `sequence` order. */
  stream: string;
  sequence: number;
  connection_id: string;
  type: string;
  url: string;
  payload: Json<unknown>;
  status: 'pending' | 'delivered' | 'failed';
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  locked_until: Timestamp | null;
  last_error: string | null;
  created_at: Timestamp;
  delivered_at: Timestamp | null;
}

export interface WebhookSecretsTable {
  id: Generated<number>;
  connection_id: string;
  /** Sealed like connection secrets: the API seals, only workers open. */
  sealed_secret: string;
  created_at: Timestamp;
  /** Set on the older secret when a new one is made: both sign until then. */
  retires_at: Timestamp | null;
}

export interface ConnectionsTable {
  id: string;
  /** The connection record, secrets sealed. */
  record: Json<unknown>;
  updated_at: Timestamp;
}

export interface BlobsTable {
  ref: string;
  size_bytes: number;
  content: Buffer;
  created_at: DefaultedTimestamp;
}

export interface FileImportsTable {
  name: string;
  source: string;
  items: number;
  imported_at: DefaultedTimestamp;
}

export interface InvoiceBatchesTable {
  id: string;
  /** The API key that sent the batch (its id, never the secret). */
  key_id: string;
  /** Every connection of the batch's items: a key limited to connections sees the batch only if it sees them all. */
  connection_ids: string[];
  item_count: number;
  created_at: DefaultedTimestamp;
  /** When every item had been started (or found to be a duplicate or a conflict). */
  started_at: Timestamp | null;
  /** An API process is starting the batch's items until then (another takes over after). */
  locked_until: Timestamp | null;
}

export type BatchItemOutcome = 'pending' | 'started' | 'existing' | 'conflict';

export interface InvoiceBatchItemsTable {
  batch_id: string;
  /** The item's index in the request's `invoices`. */
  position: number;
  connection_id: string;
  invoice_number: string;
  workflow_id: string;
  outcome: BatchItemOutcome;
  /** The invoice's status when it was started or found (its invoices row says more since). */
  status: string | null;
  /** Why the item is a conflict, or why starting it is being retried. */
  message: string | null;
  /** An earlier item of the same batch with the same number (same content: same invoice). */
  duplicate_of: number | null;
  /** The workflow input while the item waits to be started; cleared once started. */
  input: Json<unknown> | null;
  updated_at: DefaultedTimestamp;
}

/** A `soumettre` attempt claimed before it is sent (migration 0008): a second run of it sends nothing. */
export interface DepositAttemptsTable {
  workflow_id: string;
  run_id: string;
  attempt: number;
  claimed_at: DefaultedTimestamp;
}

export interface Database {
  invoices: InvoicesTable;
  invoice_archives: InvoiceArchivesTable;
  webhook_events: WebhookEventsTable;
  webhook_secrets: WebhookSecretsTable;
  connections: ConnectionsTable;
  blobs: BlobsTable;
  file_imports: FileImportsTable;
  invoice_batches: InvoiceBatchesTable;
  invoice_batch_items: InvoiceBatchItemsTable;
  deposit_attempts: DepositAttemptsTable;
}

export type InvoiceRow = Selectable<InvoicesTable>;
export type NewInvoiceRow = Insertable<InvoicesTable>;
export type WebhookEventRow = Selectable<WebhookEventsTable>;
export type InvoiceArchiveRow = Selectable<InvoiceArchivesTable>;
