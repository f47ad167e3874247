import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import type { Client } from '@temporalio/client';
import { sql } from 'kysely';
import type { Logger } from '../platform/logger';
import { jsonText, type AppDatabase } from '../platform/database';
import type { BatchItemOutcome } from '../platform/database/schema';
import { INVOICE_STATUSES, type InvoiceStatus, type InvoiceTimings } from '../workflows/contracts/invoice';
import { maySee, principalOf } from './auth';
import { ApiError, validationError } from './errors';
import {
  prepareSubmission,
  startSubmission,
  submissionChecks,
  type InvoiceRoutesDependencies,
  type PreparedSubmission,
  type SubmissionChecks,
} from './invoices';
import { BatchId, InvoiceBatchEnvelope, type BatchCounts, type InvoiceBatchItem } from './schemas/batches';
import type { z } from 'zod';

/**
 * Invoice batches: up to 1,000 invoices checked at once (all valid, or nothing is kept), stored, then
 * started as one workflow each in the background with bounded concurrency, from the database rows,
 * so a restart of the API loses nothing: another process (or the same one) takes the batch over.
 */

export interface BatchStarterOptions {
  client: Client;
  db: AppDatabase;
  taskQueue: string;
  timings?: Partial<InvoiceTimings>;
  logger: Logger;
  /** Workflows started at the same time (default 8). */
  concurrency?: number;
  /** How long a process holds a batch before another may take it over (default 60 s). */
  lockMs?: number;
}

const isStatus = (s: string | null | undefined): s is InvoiceStatus =>
  s !== null && s !== undefined && (INVOICE_STATUSES as readonly string[]).includes(s);

/** Starts the pending items of batches; one process holds a batch at a time (a lease in its row). */
export class BatchStarter {
  private readonly running = new Map<string, Promise<boolean>>();
  private sweeper: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly concurrency: number;
  private readonly lockMs: number;

  constructor(private readonly options: BatchStarterOptions) {
    this.concurrency = options.concurrency ?? 8;
    this.lockMs = options.lockMs ?? 60_000;
  }

  /** Starts what is pending in the batch; true once nothing is left pending. Never throws. */
  run(batchId: string): Promise<boolean> {
    const current = this.running.get(batchId);
    if (current) return current;
    const run = this.startPending(batchId)
      .catch((err: unknown) => {
        this.options.logger.error(
          { batchId, err: err instanceof Error ? err.message : String(err) },
          'starting a batch failed; retried later',
        );
        return false;
      })
      .finally(() => this.running.delete(batchId));
    this.running.set(batchId, run);
    return run;
  }

  /** Takes over, every `everyMs`, batches left pending by a process that stopped or failed. */
  startSweeping(everyMs = 15_000): void {
    const sweep = async () => {
      const orphans = await this.options.db
        .selectFrom('invoice_batches')
        .select('id')
        .where('started_at', 'is', null)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', sql<Date>`now()`)]))
        .orderBy('created_at')
        .limit(10)
        .execute();
      for (const { id } of orphans) if (!this.stopping) void this.run(id);
    };
    this.sweeper = setInterval(() => {
      sweep().catch((err: unknown) =>
        this.options.logger.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'batch sweep failed',
        ),
      );
    }, everyMs);
    this.sweeper.unref();
  }

  /** Stops taking items; items being started finish, the rest stay pending for the next process. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.sweeper);
    await Promise.all([...this.running.values()]);
  }

  private async startPending(batchId: string): Promise<boolean> {
    const { db } = this.options;
    const lease = () => sql<Date>`now() + ${`${this.lockMs} milliseconds`}::interval`;
    const claimed = await db
      .updateTable('invoice_batches')
      .set({ locked_until: lease() })
      .where('id', '=', batchId)
      .where('started_at', 'is', null)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', sql<Date>`now()`)]))
      .returning('id')
      .executeTakeFirst();
    if (!claimed) return false;
    const pending = await db
      .selectFrom('invoice_batch_items')
      .select(['position', 'input'])
      .where('batch_id', '=', batchId)
      .where('outcome', '=', 'pending')
      .orderBy('position')
      .execute();
    let next = 0;
    let failures = 0;
    let leasedAt = Date.now();
    const worker = async () => {
      while (!this.stopping && next < pending.length) {
        const item = pending[next++];
        if (Date.now() - leasedAt > this.lockMs / 3) {
          leasedAt = Date.now();
          await db
            .updateTable('invoice_batches')
            .set({ locked_until: lease() })
            .where('id', '=', batchId)
            .execute();
        }
        try {
          const outcome = await startSubmission(this.options, item.input as PreparedSubmission);
          await db
            .updateTable('invoice_batch_items')
            .set({
              outcome: outcome.outcome,
              status: outcome.outcome === 'conflict' ? null : outcome.status,
              message: outcome.outcome === 'conflict' ? outcome.message : null,
              input: null,
              updated_at: sql<Date>`now()`,
            })
            .where('batch_id', '=', batchId)
            .where('position', '=', item.position)
            .execute();
        } catch (err) {
          // Temporal or the database not answering: the item stays pending, and says why.
          failures += 1;
          await db
            .updateTable('invoice_batch_items')
            .set({
              message: `not started yet, will be retried: ${err instanceof Error ? err.message : String(err)}`,
              updated_at: sql<Date>`now()`,
            })
            .where('batch_id', '=', batchId)
            .where('position', '=', item.position)
            .execute()
            .catch(() => undefined);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, pending.length) }, worker));
    const done = failures === 0 && next >= pending.length;
    await db
      .updateTable('invoice_batches')
      // A batch with failures is retried by the sweep once its short back-off has passed.
      .set(
        done
          ? { started_at: sql<Date>`now()`, locked_until: null }
          : { locked_until: sql<Date>`now() + interval '5 seconds'` },
      )
      .where('id', '=', batchId)
      .execute();
    return done;
  }
}

export interface BatchRoutesDependencies extends InvoiceRoutesDependencies {
  starter: BatchStarter;
}

/** How long POST waits for a small batch to be started before answering (it answers 202 either way). */
const ANSWER_WITHIN_MS = 2_000;

/** A check asked once per distinct value in a batch (1,000 invoices usually share one connection). */
function remembered<T>(check: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const answers = new Map<string, Promise<T>>();
  return (key) => {
    let answer = answers.get(key);
    if (!answer) answers.set(key, (answer = check(key)));
    return answer;
  };
}

interface ItemRow {
  position: number;
  connection_id: string;
  invoice_number: string;
  workflow_id: string;
  outcome: BatchItemOutcome;
  status: string | null;
  message: string | null;
  duplicate_of: number | null;
  current_status: string | null;
}

/** An item as the batch shows it: a same-content duplicate shares the outcome of the item it repeats. */
function itemView(row: ItemRow, rows: Map<number, ItemRow>): z.output<typeof InvoiceBatchItem> {
  let outcome = row.outcome;
  let message = row.message;
  if (row.duplicate_of !== null && row.outcome === 'existing') {
    const first = rows.get(row.duplicate_of);
    if (first?.outcome === 'pending') outcome = 'pending';
    if (first?.outcome === 'conflict') {
      outcome = 'conflict';
      message = first.message;
    }
  }
  const status =
    outcome === 'conflict' || outcome === 'pending' ? undefined : (row.current_status ?? row.status);
  return {
    index: row.position,
    connectionId: row.connection_id,
    invoiceNumber: row.invoice_number,
    id: row.workflow_id,
    outcome,
    ...(isStatus(status) ? { status } : {}),
    ...(row.duplicate_of !== null ? { duplicateOf: row.duplicate_of } : {}),
    ...(message ? { error: { code: outcome === 'conflict' ? 'conflict' : 'not_started_yet', message } } : {}),
  };
}

export function invoiceBatchRoutes(deps: BatchRoutesDependencies): Router {
  const router = Router({ caseSensitive: true, strict: false });
  const { db, starter } = deps;

  router.post('/invoice-batches', async (req, res) => {
    const envelope = InvoiceBatchEnvelope.safeParse(req.body);
    if (!envelope.success) throw validationError(envelope.error);
    const principal = principalOf(res);
    const plain = submissionChecks(deps);
    const checks: SubmissionChecks = {
      blobs: deps.blobs,
      connectionExists: remembered(plain.connectionExists),
      webhookVerdict: remembered(plain.webhookVerdict),
    };
    // Every item is checked, so that every error comes back at once, each under its index.
    const prepared: PreparedSubmission[] = [];
    const fields: Record<string, string> = {};
    let invalid = 0;
    for (const [i, body] of envelope.data.invoices.entries()) {
      try {
        prepared.push(await prepareSubmission(checks, principal, body, `invoices.${i}`));
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 400) throw err;
        invalid += 1;
        Object.assign(fields, err.fields ?? { [`invoices.${i}`]: err.message });
      }
    }
    if (invalid > 0) {
      throw new ApiError(
        400,
        'validation_failed',
        `${invalid} of ${envelope.data.invoices.length} invoices are invalid: nothing was started. ` +
          'Correct them and send the batch again (invoices are idempotent per number).',
        fields,
      );
    }

    const id = `batch_${randomBytes(16).toString('hex')}`;
    const firstOf = new Map<string, { index: number; requestHash: string }>();
    const items = prepared.map((p, position) => {
      const first = firstOf.get(p.workflowId);
      if (!first) firstOf.set(p.workflowId, { index: position, requestHash: p.requestHash });
      const sameContent = first?.requestHash === p.requestHash;
      return {
        batch_id: id,
        position,
        connection_id: p.invoice.connectionId,
        invoice_number: p.invoice.invoiceNumber,
        workflow_id: p.workflowId,
        outcome: (!first ? 'pending' : sameContent ? 'existing' : 'conflict') as BatchItemOutcome,
        duplicate_of: first ? first.index : null,
        message:
          first && !sameContent
            ? `Invoice ${p.invoice.invoiceNumber} is also item ${first.index} of this batch, with different content. ` +
              'An invoice number can be used once.'
            : null,
        input: first ? null : jsonText(p),
      };
    });
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('invoice_batches')
        .values({
          id,
          key_id: principal?.keyId ?? 'unknown',
          connection_ids: [...new Set(items.map((i) => i.connection_id))].sort(),
          item_count: items.length,
        })
        .execute();
      for (let from = 0; from < items.length; from += 250) {
        await trx
          .insertInto('invoice_batch_items')
          .values(items.slice(from, from + 250))
          .execute();
      }
    });

    // A small batch is usually started within the wait; a large one goes on after the answer.
    let timer: NodeJS.Timeout | undefined;
    const started = await Promise.race([
      starter.run(id),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ANSWER_WITHIN_MS))),
    ]);
    clearTimeout(timer);
    res.status(202).location(`/v1/invoice-batches/${id}`).json({ id, accepted: items.length, started });
  });

  router.get('/invoice-batches/:id', async (req, res) => {
    const id = String(req.params.id);
    // Anything but a batch id names no batch (and a NUL could not even reach a text column).
    if (!BatchId.safeParse(id).success) throw new ApiError(404, 'not_found', 'No such invoice batch.');
    const batch = await db.selectFrom('invoice_batches').selectAll().where('id', '=', id).executeTakeFirst();
    // A batch with a connection this key may not see is as unknown as one that does not exist.
    const principal = principalOf(res);
    if (!batch || !batch.connection_ids.every((c) => maySee(principal, c))) {
      throw new ApiError(404, 'not_found', 'No such invoice batch.');
    }
    const rows: ItemRow[] = await db
      .selectFrom('invoice_batch_items as item')
      .leftJoin('invoices', 'invoices.workflow_id', 'item.workflow_id')
      .select([
        'item.position',
        'item.connection_id',
        'item.invoice_number',
        'item.workflow_id',
        'item.outcome',
        'item.status',
        'item.message',
        'item.duplicate_of',
        'invoices.status as current_status',
      ])
      .where('item.batch_id', '=', id)
      .orderBy('item.position')
      .execute();
    const byPosition = new Map(rows.map((r) => [r.position, r]));
    const invoices = rows.map((r) => itemView(r, byPosition));
    const progress = { pending: 0, started: 0, existing: 0, conflict: 0 };
    const counts: z.output<typeof BatchCounts> = {};
    const counted = new Set<string>();
    const add = (key: keyof typeof counts) => (counts[key] = (counts[key] ?? 0) + 1);
    for (const item of invoices) {
      progress[item.outcome] += 1;
      if (item.outcome === 'pending') add('NOT_STARTED');
      else if (item.outcome === 'conflict') add('CONFLICT');
      else if (item.status && !counted.has(item.id)) {
        counted.add(item.id);
        add(item.status);
      }
    }
    res.json({
      id: batch.id,
      createdAt: batch.created_at.toISOString(),
      ...(batch.started_at ? { startedAt: batch.started_at.toISOString() } : {}),
      total: batch.item_count,
      progress,
      counts,
      invoices,
    });
  });

  return router;
}
