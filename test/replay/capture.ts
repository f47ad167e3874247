/**
 * Captures the histories the end-to-end scenarios produce, for the replay test: with
 * CAPTURE_HISTORIES=1 (`npm run capture-histories`), each stack writes, when it stops, the history of
 * every workflow that ran on its task queue to test/replay/histories/, payloads decoded (the files
 * need no key) as Temporal JSON. Histories of the same shape (workflow type and sequence of event
 * types) are kept once, and a file already there is never rewritten.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { decodeHistory } from '../../platform/history-codec';
import { workflowTypeOf } from '../../scripts/replay/replay';

export const HISTORIES_DIR = path.join(__dirname, 'histories');

export const capturing = () => process.env.CAPTURE_HISTORIES === '1';

/** Longer histories of one type and label are kept first; beyond this many, the rest are dropped. */
const MAX_PER_TYPE = 20;

/** The running test file's name, e.g. `invoice-lifecycle`. */
export function currentTestLabel(): string {
  const testPath = (globalThis as { expect?: { getState(): { testPath?: string } } }).expect?.getState()
    .testPath;
  return testPath ? path.basename(testPath).replace(/(\.mocked-activities)?\.test\.ts$/, '') : 'unknown';
}

export async function captureHistories(
  client: Client,
  codecs: readonly PayloadCodec[],
  options: { query: string; label?: string; dir?: string },
): Promise<string[]> {
  const dir = options.dir ?? HISTORIES_DIR;
  const label = options.label ?? currentTestLabel();
  mkdirSync(dir, { recursive: true });
  const byShape = new Map<string, { type: string; events: number; json: string }>();
  for await (const execution of client.workflow.list({ query: options.query })) {
    const raw = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    const history = await decodeHistory(raw, codecs);
    const type = workflowTypeOf(history) ?? execution.type;
    const shape = [type, ...(history.events ?? []).map((e) => e.eventType)].join(',');
    if (!byShape.has(shape)) {
      byShape.set(shape, { type, events: history.events?.length ?? 0, json: historyToJSON(history) });
    }
  }
  const written: string[] = [];
  const perType = new Map<string, number>();
  for (const [shape, h] of [...byShape.entries()].sort((a, b) => b[1].events - a[1].events)) {
    const count = perType.get(h.type) ?? 0;
    if (count >= MAX_PER_TYPE) continue;
    perType.set(h.type, count + 1);
    const digest = createHash('sha256').update(shape).digest('hex').slice(0, 10);
    const file = path.join(dir, `${label}--${h.type}--${digest}.json`);
    // A history of this shape is already kept (perhaps from released code): it stays as it is.
    if (existsSync(file)) continue;
    writeFileSync(file, `${h.json}\n`);
    written.push(file);
  }
  return written;
}
