import type { LoadedDataConverter } from '@temporalio/common';
import type { Lang } from '../domain/messages';
import { redact, redactText } from '../platform/redaction';
import type { AuditFact, AuditFactKind } from '../workflows/contracts/audit';
import { describeFact } from './facts';
import { temporalEntries, type RunHistory, type TemporalEntry } from './history';

export type { RunHistory, HistoryEvent } from './history';

/**
 * The audit timeline of an invoice: the facts its workflow recorded as it decided (rendered, never
 * re-derived), beside what Temporal did (runs, retries, failures, webhooks), in time order.
 */
export interface AuditEntry {
  at: string;
  kind: AuditFactKind | TemporalEntry['kind'];
  /** `workflow`: a fact the workflow recorded; `temporal`: an event of its history. */
  source: 'workflow' | 'temporal';
  summary: string;
  summaryFr: string;
  details: Record<string, unknown>;
  runId?: string;
  eventId?: number;
}

/** Every kind an entry can have, for filters and documentation. */
export const AUDIT_ENTRY_KINDS: ReadonlyArray<AuditEntry['kind']> = [
  'invoice.received',
  'checklist.evaluated',
  'task.opened',
  'task.answered',
  'task.reminder',
  'task.closed',
  'timer.armed',
  'cancel.requested',
  'connection.waiting',
  'connection.resumed',
  'attachment.uploaded',
  'submission.sent',
  'submission.unknown',
  'lookup.done',
  'deposit.adopted',
  'status.changed',
  'chorus.status',
  'chorus.recycled',
  'chorus.completed',
  'tracking.started',
  'tracking.stopped',
  'run.started',
  'run.continued_as_new',
  'result',
  'workflow_task.failed',
  'activity.retried',
  'activity.failed',
  'webhook.queued',
];

/** Facts and history entries, merged in time order (a tie keeps facts in their recorded order, then history). */
export async function buildTimeline(
  runs: RunHistory[],
  facts: AuditFact[],
  converter: LoadedDataConverter,
): Promise<AuditEntry[]> {
  const fromFacts: AuditEntry[] = facts.map((fact) => {
    const { at, kind, ...details } = fact;
    const summary = describeFact(fact);
    return { at, kind, source: 'workflow', summary: summary.en, summaryFr: summary.fr, details };
  });
  const fromHistory: AuditEntry[] = [];
  for (const run of runs) {
    for (const entry of await temporalEntries(run, converter)) {
      fromHistory.push({
        at: entry.at,
        kind: entry.kind,
        source: 'temporal',
        summary: entry.summary.en,
        summaryFr: entry.summary.fr,
        details: entry.details,
        runId: entry.runId,
        eventId: entry.eventId,
      });
    }
  }
  return [...fromFacts, ...fromHistory]
    .map((entry, i) => ({ entry: safe(entry), i }))
    .sort((a, b) => (a.entry.at < b.entry.at ? -1 : a.entry.at > b.entry.at ? 1 : a.i - b.i))
    .map(({ entry }) => entry);
}

/** Every sentence and value through the one redaction. */
function safe(entry: AuditEntry): AuditEntry {
  return {
    ...entry,
    summary: redactText(entry.summary),
    summaryFr: redactText(entry.summaryFr),
    details: redact(entry.details) as Record<string, unknown>,
  };
}

/** The summary in the language asked. */
export function summaryIn(entry: AuditEntry, lang: Lang): string {
  return lang === 'fr' ? entry.summaryFr : entry.summary;
}
