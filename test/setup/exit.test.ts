import { spawnSync } from 'node:child_process';
import path from 'node:path';

describe('the test run always ends', () => {
  it('exits with a failure code even when a failed test left a handle open', () => {
    const root = path.join(__dirname, '../..');
    const started = Date.now();
    const run = spawnSync(
      process.execPath,
      [require.resolve('jest/bin/jest'), '--runInBand', '--testMatch', '**/test/setup/fixtures/*.fixture.ts'],
      {
        cwd: root,
        // An address set from outside: global setup starts no server of its own for this run.
        env: { ...process.env, TEMPORAL_TEST_ADDRESS: '127.0.0.1:1' },
        encoding: 'utf8',
        timeout: 90_000,
      },
    );
    expect(run.error).toBeUndefined(); // not killed by the 90 s timeout: it ended by itself
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('fails and leaves a server listening');
    expect(run.stderr).toContain('Handles were still open');
    expect(Date.now() - started).toBeLessThan(90_000);
  });
});
