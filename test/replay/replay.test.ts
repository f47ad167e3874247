/**
 * Replay: every history captured from the end-to-end scenarios (test/replay/histories, committed)
 * must replay against today's workflow code, so a change to released workflow logic that is not
 * guarded by `patched()` fails here. The second test proves it would: a deliberately
 * non-deterministic bundle is refused with the exact mismatch.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { historyFilesIn, readHistoryFile, replayAll, workflowTypeOf } from '../../scripts/replay/replay';
import { bundleWorkflowsOnce, installTestRuntime } from '../helpers/temporal';
import { HISTORIES_DIR } from './capture';

const root = path.join(__dirname, '../..');
const histories = historyFilesIn(HISTORIES_DIR).map(readHistoryFile);

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
    const invoice = histories.find((h) => workflowTypeOf(h.history) === 'invoiceWorkflow')!;
    const [outcome] = await replayAll(careless, [invoice]);
    console.log(`A careless change, replayed against ${invoice.label}:\n${outcome.error}`);
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/^DeterminismViolationError: /);
    expect(outcome.error).toMatch(/Nondeterminism error/);
  });

  it('accepts the same change behind patched(): every committed invoice history still replays', async () => {
    installTestRuntime();
    const guarded = await bundleWorkflowCode({
      workflowsPath: require.resolve('./fixtures/patched-workflows'),
      logger: new DefaultLogger('WARN'),
    });
    const invoices = histories.filter((h) => workflowTypeOf(h.history) === 'invoiceWorkflow');
    const outcomes = await replayAll(guarded, invoices);
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
  });
});

describe('npm run replay', () => {
  const run = (args: string[]) =>
    spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', path.join(root, 'scripts/replay.ts'), ...args],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 120_000,
        env: {
          ...process.env,
          LOG_LEVEL: 'error',
          DATA_DIR: mkdtempSync(path.join(tmpdir(), 'replay-data-')),
        },
      },
    );

  it('replays a history file and says ok', () => {
    const file = historyFilesIn(HISTORIES_DIR)[0];
    const result = run(['--file', file]);
    expect(result.stdout).toContain(`ok    ${path.basename(file)}`);
    expect(result.stdout).toContain('1 replayed, 0 failed');
    expect(result.status).toBe(0);
  });

  it('explains what is wrong with a file that is not a history, and its usage', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'replay-'));
    const garbage = path.join(dir, 'garbage.json');
    writeFileSync(garbage, '{"events": "no"}');
    const bad = run(['--file', garbage]);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toMatch(/garbage\.json: not a Temporal history/);
    const usage = run(['--frobnicate']);
    expect(usage.status).toBe(2);
    expect(usage.stdout).toContain('unknown option --frobnicate');
    expect(usage.stdout).toContain('npm run replay -- --workflow-id <id>');
  });
});
