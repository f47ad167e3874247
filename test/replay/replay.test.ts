/**
 * Replay: every history captured from the end-to-end scenarios (test/replay/histories, committed)
 * must replay against today's workflow code, so a change to released workflow logic that is not
 * guarded by `patched()` fails here. The second test proves it would: a deliberately
 * non-deterministic bundle is refused with the exact mismatch.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { dataConverterFor, loadPayloadCodec } from '../../platform/payload-codec';
import {
  historyFilesIn,
  readHistoryFile,
  replayAll,
  workflowTypeOf,
  type History,
} from '../../scripts/replay/replay';
import { invoiceThroughContinueAsNew, startEarlyContinueAsNewServer } from '../helpers/continue-as-new';
import { bundleWorkflowsOnce, installTestRuntime } from '../helpers/temporal';
import { HISTORIES_DIR } from './capture';

const root = path.join(__dirname, '../..');
const histories = historyFilesIn(HISTORIES_DIR).map(readHistoryFile);
const invoiceHistories = histories.filter((h) => workflowTypeOf(h.history) === 'invoiceWorkflow');

/** A JSON payload of a (decoded) history, parsed. */
const json = (payload: { data?: Uint8Array | null } | null | undefined): unknown =>
  payload?.data ? JSON.parse(Buffer.from(payload.data).toString()) : undefined;

/** Every value the invoice histories upserted for a search attribute, and every task id answered. */
function branchesOf(all: History[]): { statuses: Set<string>; chorus: Set<string>; tasks: Set<string> } {
  const statuses = new Set<string>();
  const chorus = new Set<string>();
  const tasks = new Set<string>();
  for (const history of all) {
    for (const e of history.events ?? []) {
      const fields = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields;
      for (const [key, into] of [
        ['InvoiceStatus', statuses],
        ['ChorusStatus', chorus],
      ] as const) {
        const value = json(fields?.[key]);
        for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') into.add(v);
      }
      const update = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input;
      if (update?.name === 'answerTask') {
        const taskId = (json(update.args?.payloads?.[0]) as { taskId?: string } | undefined)?.taskId;
        if (taskId) tasks.add(taskId.replace(/-\d+$/, ''));
      }
    }
  }
  return { statuses, chorus, tasks };
}

/** Runs the replay command; resolves with its exit code and output. */
function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', path.join(root, 'scripts/replay.ts'), ...args],
      {
        cwd: root,
        env: {
          ...process.env,
          DATA_DIR: mkdtempSync(path.join(tmpdir(), 'replay-data-')),
          ...env,
        },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const timer = setTimeout(() => child.kill(), 120_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('replay of the committed histories', () => {
  it('covers the invoice, connection and tracker workflows, continue-as-new included', () => {
    const types = new Set(histories.map((h) => workflowTypeOf(h.history)));
    expect([...types].sort()).toEqual(['connectionTrackerWorkflow', 'connectionWorkflow', 'invoiceWorkflow']);
    const continued = histories.filter((h) =>
      h.history.events?.some((e) => e.workflowExecutionContinuedAsNewEventAttributes),
    );
    expect(continued.map((h) => workflowTypeOf(h.history)).sort()).toEqual(
      expect.arrayContaining(['connectionTrackerWorkflow', 'connectionWorkflow', 'invoiceWorkflow']),
    );
  });

  it('covers every branch of the invoice workflow', () => {
    const { statuses, chorus, tasks } = branchesOf(invoiceHistories.map((h) => h.history));
    expect([...statuses].sort()).toEqual(
      expect.arrayContaining([
        'ACTION_REQUIRED',
        'AWAITING_APPROVAL',
        'AWAITING_DATA',
        'CANCELLED',
        'FAILED',
        'PAID',
        'REJECTED',
        'TRACKING',
        'TRACKING_ENDED',
        'WAITING_FOR_CONNECTION',
      ]),
    );
    expect([...chorus].sort()).toEqual(
      expect.arrayContaining(['A_RECYCLER', 'MISE_EN_PAIEMENT', 'REJETEE', 'SUSPENDUE']),
    );
    expect([...tasks].sort()).toEqual(
      expect.arrayContaining(['approval', 'complete', 'duplicate_number', 'missing_data', 'recycle']),
    );
    // Activities, and local activities (the readiness look-up, the uploads, the records) by their markers.
    const activities = new Set(
      invoiceHistories.flatMap((h) =>
        (h.history.events ?? []).map(
          (e) =>
            e.activityTaskScheduledEventAttributes?.activityType?.name ??
            (
              json(e.markerRecordedEventAttributes?.details?.data?.payloads?.[0]) as
                { activity_type?: string } | undefined
            )?.activity_type,
        ),
      ),
    );
    // findSubmittedInvoice: a lost soumettre answer, or a duplicate number, looked up in Chorus.
    expect([...activities]).toEqual(
      expect.arrayContaining([
        'findSubmittedInvoice',
        'recycleInvoice',
        'completeInvoice',
        'readinessFacts',
        'uploadAttachment',
      ]),
    );
  });

  it('replays every one of them against the current workflow code', async () => {
    const outcomes = await replayAll(await bundleWorkflowsOnce(), histories);
    const byType: Record<string, number> = {};
    for (const o of outcomes) byType[o.workflowType ?? '?'] = (byType[o.workflowType ?? '?'] ?? 0) + 1;
    console.log(
      `Replayed ${outcomes.length} committed histories: ${Object.entries(byType)
        .map(([type, n]) => `${n} ${type}`)
        .join(', ')}`,
    );
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(outcomes.length).toBeGreaterThanOrEqual(20);
  });

  it('refuses a workflow change that is not guarded by patched(), naming the mismatch', async () => {
    installTestRuntime();
    const careless = await bundleWorkflowCode({
      workflowsPath: require.resolve('./fixtures/nondeterministic-workflows'),
      logger: new DefaultLogger('WARN'),
    });
    const invoice = invoiceHistories[0];
    const [outcome] = await replayAll(careless, [invoice]);
    console.log(`A careless change, replayed against ${invoice.label}:\n${outcome.error}`);
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/^DeterminismViolationError: /);
    expect(outcome.error).toMatch(/Nondeterminism error: .*HistoryEvent\(id: \d+, /);
    expect(outcome.eventId).toBeGreaterThan(0);
  });

  it('accepts the same change behind patched(): every committed invoice history still replays', async () => {
    installTestRuntime();
    const guarded = await bundleWorkflowCode({
      workflowsPath: require.resolve('./fixtures/patched-workflows'),
      logger: new DefaultLogger('WARN'),
    });
    const outcomes = await replayAll(guarded, invoiceHistories);
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
  });
});

describe('npm run replay', () => {
  it('replays a history file and says ok', async () => {
    const file = historyFilesIn(HISTORIES_DIR)[0];
    const result = await runCli(['--file', file]);
    expect(result.stdout).toContain(`ok    ${path.basename(file)}`);
    expect(result.stdout).toContain('1 ok, 0 failed');
    expect(result.status).toBe(0);
  });

  it('reports the exact non-determinism, with the history event, and exits 1', async () => {
    const file = historyFilesIn(HISTORIES_DIR).find((f) => f.includes('--invoiceWorkflow--'))!;
    const fixture = path.join(__dirname, 'fixtures/nondeterministic-workflows.ts');
    const result = await runCli(['--workflows', fixture, '--file', file]);
    expect(result.stdout).toContain(
      `FAIL  ${path.basename(file)} (invoiceWorkflow, at history event 5)\n      DeterminismViolationError: `,
    );
    expect(result.stdout).toMatch(
      /\[TMPRL1100\] Nondeterminism error: Timer machine does not handle this event/,
    );
    expect(result.stdout).toContain('0 ok, 1 failed');
    expect(result.status).toBe(1);
  });

  it('explains what is wrong with a file that is not a history, and its usage', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'replay-'));
    const garbage = path.join(dir, 'garbage.json');
    writeFileSync(garbage, '{"events": "no"}');
    const notJson = path.join(dir, 'truncated.json');
    writeFileSync(notJson, '{"events": [{"eventId": "1", ');
    const [bad, truncated, unknown, help] = await Promise.all([
      runCli(['--file', garbage]),
      runCli(['--file', notJson]),
      runCli(['--frobnicate']),
      runCli(['--help']),
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toMatch(/garbage\.json: not a Temporal history/);
    expect(truncated.status).toBe(2);
    expect(truncated.stdout).toMatch(/truncated\.json: not a JSON file/);
    expect(unknown.status).toBe(2);
    expect(unknown.stdout).toContain('unknown option --frobnicate');
    expect(unknown.stdout).toContain('npm run replay -- --workflow-id <id>');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Replays workflow histories/);
    expect(help.stdout).toContain('Exit code: 0');
  });

  it('reads every run of a workflow from Temporal (a continue-as-new chain, encrypted), or one run', async () => {
    const server = await startEarlyContinueAsNewServer();
    try {
      const keys = `replay-test:${randomBytes(32).toString('base64')}`;
      const dataConverter = dataConverterFor(
        loadPayloadCodec({ keys, dataDir: tmpdir(), production: false }),
      );
      const { env } = server;
      const client = new Client({ connection: env.connection, namespace: env.namespace, dataConverter });
      const run = await invoiceThroughContinueAsNew({
        env,
        client,
        workflowBundle: await bundleWorkflowsOnce(),
        dataConverter,
      });
      const temporal = {
        TEMPORAL_ADDRESS: env.connection.options.address,
        TEMPORAL_NAMESPACE: env.namespace ?? 'default',
      };
      const [all, first, wrongKey, missing] = await Promise.all([
        runCli(['--workflow-id', run.workflowId], { ...temporal, PAYLOAD_KEYS: keys }),
        runCli(['--workflow-id', run.workflowId, '--run-id', run.firstRunId], {
          ...temporal,
          PAYLOAD_KEYS: keys,
        }),
        runCli(['--workflow-id', run.workflowId, '--run-id', run.firstRunId], {
          ...temporal,
          PAYLOAD_KEYS: `other:${randomBytes(32).toString('base64')}`,
        }),
        runCli(['--workflow-id', 'invoice:acme:nothing-here'], { ...temporal, PAYLOAD_KEYS: keys }),
      ]);
      expect(all.stdout).toContain(`ok    ${run.workflowId} run ${run.firstRunId} (invoiceWorkflow)`);
      expect(all.stdout.match(/^ok {4}/gm)?.length).toBeGreaterThanOrEqual(2);
      expect(all.stdout).toMatch(/\d+ ok, 0 failed/);
      expect(all.status).toBe(0);
      expect(first.stdout).toContain('1 ok, 0 failed');
      expect(first.status).toBe(0);
      expect(wrongKey.stdout).toMatch(
        /FAIL .*\n.*encrypted with key \\?"replay-test\\?", which is not configured/,
      );
      expect(wrongKey.status).toBe(1);
      expect(missing.stdout).toContain('error: no workflow "invoice:acme:nothing-here" on this server');
      expect(missing.status).toBe(2);
    } finally {
      await server.stop();
    }
  }, 240_000);
});
