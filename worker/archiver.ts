import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { factsFromHistories } from '../audit/history';
import { buildTimeline } from '../audit/timeline';
import { archiveContentHash, type AppDatabase } from '../platform/database';
import type { Logger } from '../platform/logger';
import { RepeatingRound } from '../platform/repeating-round';
import { INVOICE_WORKFLOW_TYPE } from '../workflows/contracts/invoice';

/**
 * Archives every closed run of every invoice workflow (each run of a continue-as-new chain) before
 * Temporal's retention deletes it: the history as stored (payloads encrypted) and the decoded, redacted
 * audit timeline, with a content hash. It runs in the worker process, finds closed runs through
 * Temporal visibility (since the newest archived close time, with a margin), skips what is archived
 * already, and so survives restarts and runs safely in several workers at once.
 */
export interface InvoiceArchiverOptions {
  client: Client;
  db: AppDatabase;
  logger: Logger;
  /** Pause between two rounds (default one minute). */
  everyMs?: number;
  /** Closed runs are looked for back to the newest archived close time minus this (visibility lag). */
  marginMs?: number;
  /** An extra visibility clause (e.g. one task queue), when several deployments share a namespace. */
  scope?: string;
}

const CLOSED = `WorkflowType = '${INVOICE_WORKFLOW_TYPE}' AND ExecutionStatus != 'Running'`;

export class InvoiceArchiver {
  private readonly loop: RepeatingRound;

  constructor(private readonly options: InvoiceArchiverOptions) {
    this.loop = new RepeatingRound({
      round: async () => {
        await this.archiveClosedRuns();
        return false;
      },
      pauseMs: options.everyMs ?? 60_000,
      onError: (err) => options.logger.warn({ err: err.message }, 'archive round failed; retried next round'),
    });
  }

  private async since(): Promise<Date | undefined> {
    const row = await this.options.db
      .selectFrom('invoice_archives')
      .select((eb) => eb.fn.max('closed_at').as('latest'))
      .executeTakeFirst();
    if (!row?.latest) return undefined;
    return new Date(new Date(row.latest).getTime() - (this.options.marginMs ?? 3_600_000));
  }

  /** Archives one closed run; false when it was archived already. */
  async archiveRun(
    execution: Pick<WorkflowExecutionInfo, 'workflowId' | 'runId' | 'status' | 'startTime' | 'closeTime'>,
  ) {
    const { db, client } = this.options;
    const { workflowId, runId } = execution;
    const known = await db
      .selectFrom('invoice_archives')
      .select('run_id')
      .where('workflow_id', '=', workflowId)
      .where('run_id', '=', runId)
      .executeTakeFirst();
    if (known) return false;
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const runs = [{ runId, events: history.events ?? [] }];
    const converter = client.options.loadedDataConverter;
    const timeline = await buildTimeline(runs, await factsFromHistories(runs, converter), converter);
    const text = historyToJSON(history);
    const timelineText = JSON.stringify(timeline);
    const closedAt = execution.closeTime ?? new Date();
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('invoice_archives')
        .values({
          workflow_id: workflowId,
          run_id: runId,
          started_at: execution.startTime,
          closed_at: closedAt,
          close_status: execution.status.name,
          history: text,
          timeline: timelineText,
          content_hash: archiveContentHash(text, timelineText),
        })
        .onConflict((oc) => oc.columns(['workflow_id', 'run_id']).doNothing())
        .execute();
      // The last run of the chain closes the invoice's row.
      if (execution.status.name !== 'CONTINUED_AS_NEW') {
        // A closed run answers no task any more (terminated while waiting, say): the inbox must not list it.
        await trx
          .updateTable('invoices')
          .set({ closed_at: closedAt, has_open_task: false, task_kind: null, task_opened_at: null })
          .where('workflow_id', '=', workflowId)
          .where('run_id', '=', runId)
          .execute();
      }
    });
    return true;
  }

  /** One round: every closed run not archived yet; returns how many were archived. */
  async archiveClosedRuns(): Promise<number> {
    const since = await this.since();
    const clauses = [CLOSED, ...(this.options.scope ? [this.options.scope] : [])];
    if (since) clauses.push(`CloseTime >= '${since.toISOString()}'`);
    const query = clauses.join(' AND ');
    let archived = 0;
    for await (const execution of this.options.client.workflow.list({ query })) {
      if (await this.archiveRun(execution)) archived += 1;
    }
    if (archived > 0) this.options.logger.info({ archived }, 'closed invoice runs archived');
    return archived;
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
