/**
 * `npm run capture-histories` — runs the end-to-end scenarios (and the continue-as-new tests) with
 * CAPTURE_HISTORIES=1, so every stack adds to test/replay/histories/ the histories of its workflows
 * that take a path not kept yet (test/replay/capture.ts). Existing files are never touched: they
 * are the released code's runs. Commit the new ones with the workflow change that needed them
 * (docs/workflow-changes.md).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { HISTORIES_DIR } from './capture';

export const CAPTURED_TESTS = [
  'test/e2e/invoice-lifecycle.test.ts',
  'test/e2e/exactly-once-and-tracking.test.ts',
  'test/e2e/connections.test.ts',
  'test/e2e/audit-timeline.test.ts',
  'test/e2e/chorus-fidelity.test.ts',
  'test/replay/duplicate-number.test.ts',
  'test/api/timeline.test.ts',
  'test/workflows/continue-as-new.mocked-activities.test.ts',
];

function main(): number {
  mkdirSync(HISTORIES_DIR, { recursive: true });
  const before = new Set(readdirSync(HISTORIES_DIR));
  process.stdout.write(
    `Capturing histories from ${CAPTURED_TESTS.length} test files into ${HISTORIES_DIR} …\n`,
  );
  const jest = require.resolve('jest/bin/jest');
  const result = spawnSync(process.execPath, [jest, '--runInBand', ...CAPTURED_TESTS], {
    stdio: 'inherit',
    env: { ...process.env, CAPTURE_HISTORIES: '1' },
    cwd: path.join(__dirname, '../..'),
  });
  const added = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json') && !before.has(f));
  process.stdout.write(
    `${added.length} new histories${added.map((f) => `\n  + ${f}`).join('')}\n` +
      'Check them all with: npm run replay -- --dir test/replay/histories\n',
  );
  return result.status ?? 1;
}

process.exitCode = main();
