import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { ENCRYPTED_ENCODING } from '../../platform/payload-codec';
import { archivedHistory, archiveIntact, archivedRuns, type AppDatabase } from '../../platform/database';

export type History = temporal.api.history.v1.IHistory;

export interface HistoryToReplay {
  /** What the report calls it (a file name, or `<workflow id> run <run id>`). */
  label: string;
  workflowId: string;
  history: History;
}

export interface ReplayOutcome {
  label: string;
  workflowId: string;
  workflowType?: string;
  ok: boolean;
  /** The replay error's class and message (DeterminismViolationError names the mismatch). */
  error?: string;
  /** The history event the code disagreed with, when the error names it. */
  eventId?: number;
}

export class HistoryFileError extends Error {}

/** `HistoryEvent(id: 5, …)` in a nondeterminism message → 5. */
export function mismatchEventId(message: string): number | undefined {
  const match = /HistoryEvent\(id: (\d+)/.exec(message);
  return match ? Number(match[1]) : undefined;
}

/** Whether any payload of the history is still encrypted (metadata encoding `binary/encrypted`). */
export function hasEncryptedPayloads(history: History): boolean {
  const seen = new Set<unknown>();
  const visit = (value: unknown): boolean => {
    if (!value || typeof value !== 'object' || value instanceof Uint8Array || seen.has(value)) return false;
    seen.add(value);
    const encoding = (value as { metadata?: Record<string, unknown> }).metadata?.encoding;
    if (encoding instanceof Uint8Array) return Buffer.from(encoding).toString() === ENCRYPTED_ENCODING;
    return Object.values(value).some(visit);
  };
  return visit(history);
}

/** The type of the workflow whose history this is (from its first event). */
export function workflowTypeOf(history: History): string | undefined {
  return history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? undefined;
}

/** A Temporal JSON history file (`temporal workflow show -o json`, `?format=temporal`, or ours). */
export function readHistoryFile(file: string): HistoryToReplay {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new HistoryFileError(`${file}: not a JSON file (${(err as Error).message})`);
  }
  let history: History;
  try {
    history = historyFromJSON(json);
  } catch (err) {
    throw new HistoryFileError(`${file}: not a Temporal history (${(err as Error).message})`);
  }
  if (!workflowTypeOf(history)) {
    throw new HistoryFileError(`${file}: not a Temporal history (no WorkflowExecutionStarted first event)`);
  }
  return { label: path.basename(file), workflowId: path.basename(file, '.json'), history };
}

/** Every `*.json` file of a folder, in name order. */
export function historyFilesIn(dir: string): string[] {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new HistoryFileError(`${dir}: no such folder`);
  }
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(dir, f));
}

/**
 * Every run of a workflow id, oldest first: what visibility lists (`WorkflowId = '<id>'`: every
 * continue-as-new run, and earlier executions under the same id), or, when visibility has none
 * (not indexed yet), the chain that ends at the latest run, followed back through each run's
 * `continuedExecutionRunId`. With `runId`, that run only.
 */
export async function fetchRuns(
  client: Client,
  workflowId: string,
  runId?: string,
): Promise<HistoryToReplay[]> {
  const item = (id: string, history: History): HistoryToReplay => ({
    label: `${workflowId} run ${id}`,
    workflowId,
    history,
  });
  if (runId) return [item(runId, await client.workflow.getHandle(workflowId, runId).fetchHistory())];

  const escaped = workflowId.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  const found: Array<{ runId: string; startTime: number }> = [];
  for await (const execution of client.workflow.list({ query: `WorkflowId = '${escaped}'` })) {
    found.push({ runId: execution.runId, startTime: execution.startTime.getTime() });
  }
  const out: HistoryToReplay[] = [];
  for (const run of found.sort((a, b) => a.startTime - b.startTime)) {
    out.push(item(run.runId, await client.workflow.getHandle(workflowId, run.runId).fetchHistory()));
  }
  if (out.length > 0) return out;

  let latest: string;
  try {
    latest = (await client.workflow.getHandle(workflowId).describe()).runId;
  } catch (err) {
    if ((err as Error).name === 'WorkflowNotFoundError') {
      throw new HistoryFileError(`no workflow "${workflowId}" on this server`);
    }
    throw err;
  }
  for (let id: string | undefined = latest; id;) {
    const history: History = await client.workflow.getHandle(workflowId, id).fetchHistory();
    out.unshift(item(id, history));
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    id = started?.continuedExecutionRunId || undefined;
  }
  return out;
}

/**
 * Replays each history against the given bundle (the current workflow code) and reports, for each,
 * success or the exact error. Payloads are read with `dataConverter` when the history is encrypted.
 */
export async function replayAll(
  workflowBundle: WorkflowBundle,
  items: HistoryToReplay[],
  options: { dataConverter?: DataConverter; onResult?: (outcome: ReplayOutcome) => void } = {},
): Promise<ReplayOutcome[]> {
  const outcomes: ReplayOutcome[] = [];
  for (const item of items) {
    const about = {
      label: item.label,
      workflowId: item.workflowId,
      workflowType: workflowTypeOf(item.history),
    };
    let outcome: ReplayOutcome;
    try {
      await Worker.runReplayHistory(
        {
          workflowBundle,
          replayName: 'replay',
          ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
        },
        item.history,
        item.workflowId,
      );
      outcome = { ...about, ok: true };
    } catch (err) {
      const e = err as Error;
      const eventId = mismatchEventId(e.message);
      outcome = { ...about, ok: false, error: `${e.name}: ${e.message}`, ...(eventId ? { eventId } : {}) };
    }
    outcomes.push(outcome);
    options.onResult?.(outcome);
  }
  return outcomes;
}

/** The runs kept in the app database's archive (after Temporal's retention deleted the workflow). */
export async function archivedHistories(
  db: AppDatabase,
  workflowId: string,
  runId?: string,
): Promise<HistoryToReplay[]> {
  const runs = (await archivedRuns(db, workflowId)).filter((r) => !runId || r.runId === runId);
  if (runs.length === 0)
    throw new HistoryFileError(`no workflow "${workflowId}" in Temporal nor in the archive`);
  return runs.map((r) => {
    if (!archiveIntact(r)) {
      throw new HistoryFileError(`archived run ${r.runId} of ${workflowId} does not match its content hash`);
    }
    return {
      label: `${workflowId} run ${r.runId} (archive)`,
      workflowId,
      history: archivedHistory(r),
    };
  });
}
