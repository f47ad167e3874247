import { createHash } from 'node:crypto';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import type { AppDatabase } from './database';

/**
 * Closed runs of invoice workflows, kept after Temporal's retention: each run's history as Temporal
 * stored it (Temporal JSON, payloads still encrypted) and its decoded, redacted audit timeline, sealed
 * together by a content hash.
 */
export interface ArchivedRun {
  workflowId: string;
  runId: string;
  startedAt: string;
  closedAt: string;
  closeStatus: string;
  /** Temporal JSON (`historyToJSON`), payloads as stored. */
  history: string;
  /** The timeline's JSON text as hashed; `timelineEntries()` parses it. */
  timeline: string;
  contentHash: string;
  archivedAt: string;
}

/** sha256 over the history text, a newline, then the timeline text: what `contentHash` vouches for. */
export function archiveContentHash(history: string, timeline: string): string {
  return `sha256:${createHash('sha256').update(history).update('\n').update(timeline).digest('hex')}`;
}

const iso = (d: Date | string) => new Date(d).toISOString();

/** Every archived run of a workflow, oldest first (a continue-as-new chain in order). */
export async function archivedRuns(db: AppDatabase, workflowId: string): Promise<ArchivedRun[]> {
  const rows = await db
    .selectFrom('invoice_archives')
    .selectAll()
    .where('workflow_id', '=', workflowId)
    .orderBy('started_at', 'asc')
    .orderBy('closed_at', 'asc')
    .execute();
  return rows.map((r) => ({
    workflowId: r.workflow_id,
    runId: r.run_id,
    startedAt: iso(r.started_at),
    closedAt: iso(r.closed_at),
    closeStatus: r.close_status,
    history: r.history,
    timeline: r.timeline,
    contentHash: r.content_hash,
    archivedAt: iso(r.archived_at),
  }));
}

/** True when the stored history and timeline still hash to the recorded content hash. */
export function archiveIntact(run: ArchivedRun): boolean {
  return archiveContentHash(run.history, run.timeline) === run.contentHash;
}

export const timelineEntries = (run: ArchivedRun): unknown[] => JSON.parse(run.timeline) as unknown[];

/**
 * The run's history as a Temporal proto object: parsed from its JSON, then put through the proto codec
 * so times and ids are the same types a history fetched from Temporal has.
 */
export function archivedHistory(run: Pick<ArchivedRun, 'history'>): temporal.api.history.v1.IHistory {
  const { History } = temporal.api.history.v1;
  return History.decode(History.encode(historyFromJSON(JSON.parse(run.history))).finish());
}
