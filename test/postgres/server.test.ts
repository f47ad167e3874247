import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import {
  ensureDatabase,
  resolvePostgresBinaries,
  runningPostmaster,
  startPostgres,
  type PostgresServer,
} from '../../scripts/postgres';
import { isAlive } from '../../scripts/temporal';

/** The provisioning module on its own: a real server in a temp folder, as the stack and the tests use it. */
async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('startPostgres', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'chorus-pg-test-'));
  // mkdtemp makes a private folder; the server's own account (when this runs as root) must enter it.
  chmodSync(root, 0o755);
  const dataDir = path.join(root, 'cluster');
  let server: PostgresServer | undefined;

  afterAll(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('resolves PostgreSQL 17 binaries from the pinned npm package', async () => {
    const binaries = await resolvePostgresBinaries({});
    expect(binaries.source).toBe('npm');
    expect(binaries.version).toMatch(/^17\./);
  });

  it('initialises an empty folder, listens on a free port and answers with a password', async () => {
    server = await startPostgres({ dataDir, port: 0 });
    expect(server.port).toBeGreaterThan(0);
    expect(server.port).not.toBe(5432);
    expect(runningPostmaster(dataDir)).toBe(server.pid);
    const [row] = await query<{ version: string; user: string }>(
      server.url,
      'select version(), current_user as user',
    );
    expect(row.version).toMatch(/^PostgreSQL 17/);
    expect(row.user).toBe('postgres');
    // PostgreSQL refuses root: run as root (CI), the postmaster runs as an unprivileged account.
    const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]);
    if (process.getuid!() === 0) expect(uid).not.toBe(0);
    else expect(uid).toBe(process.getuid!());
    const wrong = new URL(server.url);
    wrong.password = 'not-the-password';
    await expect(query(wrong.toString(), 'select 1')).rejects.toThrow(/password authentication failed/);
  });

  it('creates a database once, even when asked concurrently, and gives its URL', async () => {
    const urls = await Promise.all([1, 2, 3].map(() => ensureDatabase(server!.url, 'chorus_records')));
    expect(new Set(urls).size).toBe(1);
    expect(new URL(urls[0]).pathname).toBe('/chorus_records');
    await query(urls[0], 'create table kept (n int); insert into kept values (42)');
    const [again] = await Promise.all([ensureDatabase(server!.url, 'chorus_records')]);
    expect(await query(again, 'select n from kept')).toEqual([{ n: 42 }]);
  });

  it('refuses a second server on the same folder', async () => {
    await expect(startPostgres({ dataDir, port: 0 })).rejects.toThrow(/already runs/);
  });

  it('stops, and reuses the folder with its data on the next start', async () => {
    const { pid } = server!;
    await server!.stop();
    expect(isAlive(pid)).toBe(false);
    expect(runningPostmaster(dataDir)).toBeUndefined();
    server = await startPostgres({ dataDir, port: 0 });
    const url = await ensureDatabase(server.url, 'chorus_records');
    expect(await query(url, 'select n from kept')).toEqual([{ n: 42 }]);
  });
});
