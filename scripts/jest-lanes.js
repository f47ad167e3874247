#!/usr/bin/env node
/**
 * The test command's jest run. Without test paths, two lanes run side by side, each in band: the
 * long multi-process harnesses (chaos, production check), which mostly wait on simulated time and
 * their own processes, and everything else; their JSON reports (--json --outputFile) are merged
 * into one. With test paths, one jest run, as given.
 */
const { spawn } = require('node:child_process');
const { existsSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const HARNESSES = ['test/chaos', 'test/deploy/production-check'];
const jest = require.resolve('jest/bin/jest');
const args = process.argv.slice(2);

/** Flags that take a value, so their value is not read as a test path. */
const WITH_VALUE = new Set(['--outputFile', '-t', '--testNamePattern', '--seed', '--testTimeout']);
const paths = args.filter((a, i) => !a.startsWith('-') && !WITH_VALUE.has(args[i - 1]));

function run(laneArgs, env = process.env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [jest, '--runInBand', '--forceExit', ...laneArgs], {
      stdio: 'inherit',
      env,
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Waits until jest's global setup has recorded its servers (test/helpers/test-server-record.ts), or `ms`. */
async function serversRecordedSince(since, ms) {
  const record = path.join(__dirname, '..', 'test-output', 'temporal-test-server.json');
  while (Date.now() - since < ms) {
    if (existsSync(record) && statSync(record).mtimeMs >= since) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function main() {
  if (paths.length > 0) return run(args);
  const out = args.indexOf('--outputFile');
  const report = out >= 0 ? args[out + 1] : undefined;
  const withOutput = (suffix) =>
    report ? args.map((a, i) => (i === out + 1 ? `${report}.${suffix}` : a)) : args;
  const started = Date.now();
  const mainLane = run([...withOutput('main'), '--testPathIgnorePatterns', ...HARNESSES.map((h) => `/${h}`)]);
  // The harnesses start their own servers: not before the main lane's are up (two servers choosing
  // free ports at the same instant can pick the same one), and without the shared ones.
  await serversRecordedSince(started, 120_000);
  const harnessLane = run([...withOutput('harnesses'), ...HARNESSES], {
    ...process.env,
    TEMPORAL_TEST_ADDRESS: 'unused: the harnesses start their own servers',
  });
  const [main, harnesses] = await Promise.all([mainLane, harnessLane]);
  if (report) {
    const parts = ['main', 'harnesses']
      .map((s) => `${report}.${s}`)
      .filter((f) => existsSync(f))
      .map((f) => JSON.parse(readFileSync(f, 'utf8')));
    const sum = (key) => parts.reduce((n, p) => n + (p[key] ?? 0), 0);
    const merged = {
      ...parts[0],
      success: parts.length === 2 && parts.every((p) => p.success),
      numTotalTests: sum('numTotalTests'),
      numPassedTests: sum('numPassedTests'),
      numFailedTests: sum('numFailedTests'),
      numPendingTests: sum('numPendingTests'),
      numTotalTestSuites: sum('numTotalTestSuites'),
      numPassedTestSuites: sum('numPassedTestSuites'),
      numFailedTestSuites: sum('numFailedTestSuites'),
      // A lane that wrote no report failed before reporting: counted as a failure.
      numRuntimeErrorTestSuites: sum('numRuntimeErrorTestSuites') + (2 - parts.length),
      testResults: parts.flatMap((p) => p.testResults ?? []),
    };
    writeFileSync(report, JSON.stringify(merged));
  }
  return main !== 0 ? main : harnesses;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exit(1);
  },
);
