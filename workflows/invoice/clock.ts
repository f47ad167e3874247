import { workflowInfo } from '@temporalio/workflow';

/**
 * The time an invoice's facts are stamped with: workflow time, except for the rest of a workflow
 * task in which a local activity of the lifecycle ended. Workflow time there is the activity's end
 * as the SDK rounds it, and a replay can read it a millisecond away from the first run (seen on SDK
 * 1.24: test/api/timeline.test.ts); the activity's own end, carried in its result, is the same on both.
 */
// Module state is this workflow's own: the SDK keeps one module cache per workflow execution.
let held: { atMs: number; historyLength: number } | undefined;

export function nowMs(): number {
  // A workflow task is known by the history's length when it started: the same on a replay.
  return held?.historyLength === workflowInfo().historyLength ? held.atMs : Date.now();
}

export function nowIso(): string {
  return new Date(nowMs()).toISOString();
}

/**
 * Stamps the rest of the current workflow task with `atMs`, never earlier than it already holds (local
 * activities running side by side end in either order); the next task reads workflow time again.
 */
export function holdClockAt(atMs: number): void {
  const historyLength = workflowInfo().historyLength;
  if (held?.historyLength === historyLength && held.atMs > atMs) return;
  held = { atMs, historyLength };
}
