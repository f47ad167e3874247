/**
 * Captures the histories the end-to-end scenarios produce, for the replay test: with
 * CAPTURE_HISTORIES=1 (`npm run capture-histories`), each stack writes, when it stops, the history of
 * every workflow that ran on its task queue to test/replay/histories/, payloads decoded (the files
 * need no key) as Temporal JSON.
 *
 * Only histories that take a path not kept yet are written: two histories of one test and
 * workflow type with the same fingerprint (see `branchFingerprint`) are the same case, however many
 * times a loop went round. A file already there is never rewritten or deleted: it is a run of the
 * code as it was released.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { decodeHistory } from '../../platform/history-codec';
import { workflowTypeOf, type History } from '../../scripts/replay/replay';

export const HISTORIES_DIR = path.join(__dirname, 'histories');

export const capturing = () => process.env.CAPTURE_HISTORIES === '1';

/** At most this many histories of one workflow type per test file (shortest first). */
const MAX_PER_TYPE = 20;

/** The running test file's name, e.g. `invoice-lifecycle`. */
export function currentTestLabel(): string {
  const testPath = (globalThis as { expect?: { getState(): { testPath?: string } } }).expect?.getState()
    .testPath;
  return testPath ? path.basename(testPath).replace(/(\.mocked-activities)?\.test\.ts$/, '') : 'unknown';
}

/** Search attributes whose changes mark a branch (Chorus's own statuses come as polls allow: not these). */
const STATUS_ATTRIBUTES = ['InvoiceStatus', 'ConnectionStatus'];

const CLOSING = new Set([
  'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED',
  'EVENT_TYPE_WORKFLOW_EXECUTION_FAILED',
  'EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED',
  'EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED',
  'EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT',
  'EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW',
]);

const eventTypeName = (type: unknown): string =>
  typeof type === 'number' ? (temporal.api.enums.v1.EventType[type] ?? String(type)) : String(type);

/**
 * What distinguishes one path through a workflow from another, whatever the number of polls,
 * retries or signals on the way: the workflow type; every kind of event it has (event type, with
 * the activity, signal, update or marker name); the order in which its status search attributes
 * changed; and how it ended (its closing event, or still open).
 */
export function branchFingerprint(history: History): string {
  const events = history.events ?? [];
  const kinds = new Set<string>();
  const statuses: Record<string, string[]> = {};
  for (const e of events) {
    const name =
      e.activityTaskScheduledEventAttributes?.activityType?.name ??
      e.workflowExecutionSignaledEventAttributes?.signalName ??
      e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ??
      e.markerRecordedEventAttributes?.markerName ??
      e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowType?.name ??
      '';
    kinds.add(`${eventTypeName(e.eventType)}:${name}`);
    const fields = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {};
    for (const key of STATUS_ATTRIBUTES) {
      const data = fields[key]?.data;
      if (!data) continue;
      const sequence = (statuses[key] ??= []);
      const value = Buffer.from(data).toString();
      if (sequence[sequence.length - 1] !== value) sequence.push(value);
    }
  }
  const last = eventTypeName(events[events.length - 1]?.eventType);
  return JSON.stringify([
    workflowTypeOf(history),
    [...kinds].sort(),
    statuses,
    CLOSING.has(last) ? last : 'open',
  ]);
}

/** Fingerprints of the files already kept for a test and a workflow type. */
function keptFingerprints(dir: string, prefix: string): Set<string> {
  const kept = new Set<string>();
  for (const file of readdirSync(dir)) {
    if (!file.startsWith(prefix) || !file.endsWith('.json')) continue;
    kept.add(branchFingerprint(historyFromJSON(JSON.parse(readFileSync(path.join(dir, file), 'utf8')))));
  }
  return kept;
}

export interface CaptureOptions {
  /** Every execution (all runs, open or closed) that ran on this task queue… */
  taskQueue?: string;
  /** …or those a visibility query lists. */
  query?: string;
  /** The file-name prefix: the test file's name by default. */
  label?: string;
  dir?: string;
}

/**
 * With CAPTURE_HISTORIES=1 (nothing otherwise): writes the histories of the workflows on
 * `taskQueue` (or listed by `query`) that take a path not kept yet, payloads decoded with `codecs`
 * — by default the client's own data converter's — to
 * `<dir>/<label>--<workflowType>--<fingerprint digest>.json`; returns the files written.
 */
export async function captureHistories(client: Client, options: CaptureOptions): Promise<string[]>;
export async function captureHistories(
  client: Client,
  codecs: readonly PayloadCodec[],
  options: CaptureOptions,
): Promise<string[]>;
export async function captureHistories(
  client: Client,
  codecsOrOptions: readonly PayloadCodec[] | CaptureOptions,
  maybeOptions?: CaptureOptions,
): Promise<string[]> {
  if (!capturing()) return [];
  const options = (Array.isArray(codecsOrOptions) ? maybeOptions : codecsOrOptions) as CaptureOptions;
  const codecs = Array.isArray(codecsOrOptions)
    ? (codecsOrOptions as readonly PayloadCodec[])
    : client.options.loadedDataConverter.payloadCodecs;
  const query =
    options.query ??
    (options.taskQueue ? `TaskQueue = '${options.taskQueue.replace(/'/g, "\\'")}'` : undefined);
  if (!query) throw new Error('captureHistories needs a taskQueue or a query');
  const dir = options.dir ?? HISTORIES_DIR;
  const label = options.label ?? currentTestLabel();
  mkdirSync(dir, { recursive: true });

  const captured: Array<{ type: string; events: number; fingerprint: string; json: string }> = [];
  for await (const execution of client.workflow.list({ query })) {
    const raw = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    const history = await decodeHistory(raw, codecs);
    captured.push({
      type: workflowTypeOf(history) ?? execution.type,
      events: history.events?.length ?? 0,
      fingerprint: branchFingerprint(history),
      json: historyToJSON(history),
    });
  }

  const written: string[] = [];
  const keptByType = new Map<string, Set<string>>();
  for (const h of captured.sort((a, b) => a.events - b.events)) {
    const prefix = `${label}--${h.type}--`;
    if (!keptByType.has(h.type)) keptByType.set(h.type, keptFingerprints(dir, prefix));
    const kept = keptByType.get(h.type)!;
    if (kept.has(h.fingerprint) || kept.size >= MAX_PER_TYPE) continue;
    kept.add(h.fingerprint);
    const digest = createHash('sha256').update(h.fingerprint).digest('hex').slice(0, 10);
    const file = path.join(dir, `${prefix}${digest}.json`);
    if (existsSync(file)) continue;
    writeFileSync(file, `${h.json}\n`);
    written.push(file);
  }
  return written;
}
