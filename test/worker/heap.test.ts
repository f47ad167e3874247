import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Runs a script in a fresh Node process (V8 flags are process-wide) and returns its JSON answer. */
function inFreshProcess(script: string): { main: number; thread: number } {
  const out = execFileSync(process.execPath, ['--require', 'ts-node/register/transpile-only', '-e', script], {
    cwd: path.resolve(__dirname, '../..'),
    encoding: 'utf8',
  });
  return JSON.parse(out.trim()) as { main: number; thread: number };
}

const measure = (call: string) => `
  const { getHeapStatistics } = require('node:v8');
  const { Worker } = require('node:worker_threads');
  const { limitWorkflowThreadHeap } = require('./worker/heap');
  const mib = (n) => Math.round(n / 2 ** 20);
  ${call}
  const thread = new Worker("require('node:worker_threads').parentPort.postMessage(require('node:v8').getHeapStatistics().heap_size_limit)", { eval: true });
  thread.once('message', (limit) => {
    console.log(JSON.stringify({ main: mib(getHeapStatistics().heap_size_limit), thread: mib(limit) }));
    void thread.terminate();
  });
`;

describe("the workflow thread's heap limit", () => {
  it('bounds a thread started after it, and leaves the main thread (uploads) as it was', () => {
    const unbounded = inFreshProcess(measure(''));
    const bounded = inFreshProcess(measure('limitWorkflowThreadHeap(64);'));
    // V8 adds the young generation to the old-space limit: a little above 64 MiB.
    expect(bounded.thread).toBeGreaterThanOrEqual(64);
    expect(bounded.thread).toBeLessThan(130);
    expect(unbounded.thread).toBeGreaterThan(bounded.thread);
    expect(bounded.main).toBe(unbounded.main);
  });

  it('leaves V8 its own limit with 0', () => {
    const unbounded = inFreshProcess(measure(''));
    expect(inFreshProcess(measure('limitWorkflowThreadHeap(0);')).thread).toBe(unbounded.thread);
  });
});
