import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import { Worker, type WorkflowBundle } from '@temporalio/worker';

export type History = temporal.api.history.v1.IHistory;

export interface HistoryToReplay {
  /** What the report calls it (a file name, or `<workflow id> run <run id>`). */
  label: string;
  workflowId: string;
  history: History;
}

export interface ReplayOutcome {
  label: string;
  workflowType?: string;
  ok: boolean;
  /** The replay error's class and message (DeterminismViolationError names the mismatch). */
  error?: string;
}

export class HistoryFileError extends Error {}

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

/** Every run of a workflow id, oldest first (continue-as-new chains included), from visibility. */
export async function fetchRuns(
  client: Client,
  workflowId: string,
  runId?: string,
): Promise<HistoryToReplay[]> {
  const runIds: string[] = [];
  if (runId) {
    runIds.push(runId);
  } else {
    const escaped = workflowId.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
    const found: Array<{ runId: string; startTime: number }> = [];
    for await (const execution of client.workflow.list({ query: `WorkflowId = '${escaped}'` })) {
      found.push({ runId: execution.runId, startTime: execution.startTime.getTime() });
    }
    runIds.push(...found.sort((a, b) => a.startTime - b.startTime).map((r) => r.runId));
  }
  if (runIds.length === 0) throw new HistoryFileError(`no workflow "${workflowId}" on this server`);
  const out: HistoryToReplay[] = [];
  for (const id of runIds) {
    const history = await client.workflow.getHandle(workflowId, id).fetchHistory();
    out.push({ label: `${workflowId} run ${id}`, workflowId, history });
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
      outcome = { label: item.label, workflowType: workflowTypeOf(item.history), ok: true };
    } catch (err) {
      const e = err as Error;
      outcome = {
        label: item.label,
        workflowType: workflowTypeOf(item.history),
        ok: false,
        error: `${e.name}: ${e.message}`,
      };
    }
    outcomes.push(outcome);
    options.onResult?.(outcome);
  }
  return outcomes;
}
