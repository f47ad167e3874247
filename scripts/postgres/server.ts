import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { ensureDatabaseExists } from '../../platform/database';
import { freePort } from '../temporal/dev-server';
import { isAlive } from '../temporal/server-process';
import { resolvePostgresBinaries, type PostgresBinaries } from './binaries';
import {
  handOver,
  reachableBinDir,
  reachableBy,
  serviceAccount,
  type ServiceAccount,
} from './service-account';

export interface PostgresServer {
  /** `postgres://postgres:<password>@host:port/postgres` — the server's maintenance database. */
  url: string;
  host: string;
  port: number;
  dataDir: string;
  pid: number;
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Cluster folder: initialised when empty or missing, reused otherwise. */
  dataDir: string;
  /** TCP port; 0 or omitted = a free port. */
  port?: number;
  /** Listen address (default 127.0.0.1). */
  host?: string;
  readyTimeoutMs?: number;
  /** Server log (default `<dataDir>.log`). */
  logFile?: string;
  /** Keep running after this process exits, in its own process group. */
  detached?: boolean;
  binaries?: PostgresBinaries;
  log?: (line: string) => void;
}

export const SUPERUSER = 'postgres';
/** Generated at initdb, kept inside the (private) cluster folder. */
export const PASSWORD_FILE = 'chorus-superuser-password';
export const DEFAULT_POSTGRES_READY_TIMEOUT_MS = 60_000;

const tail = (file: string, lines = 30) => {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
};

const idsOf = (account: ServiceAccount | undefined) =>
  account ? { uid: account.uid, gid: account.gid } : {};

/** The postmaster recorded in the cluster's own pid file, if it still runs. */
export function runningPostmaster(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
    const cmdline = `/proc/${pid}/cmdline`;
    if (existsSync(cmdline) && !readFileSync(cmdline, 'utf8').includes('postgres')) return undefined;
    return pid;
  } catch {
    return undefined;
  }
}

async function initCluster(
  binaries: PostgresBinaries,
  initdb: string,
  dataDir: string,
  account: ServiceAccount | undefined,
): Promise<void> {
  const password = randomBytes(24).toString('base64url');
  // initdb wants an empty folder: the password file goes beside it, private to the account, then inside.
  const pwfile = `${dataDir}.pw.${process.pid}`;
  await fs.writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  try {
    if (account) await fs.chown(pwfile, account.uid, account.gid);
    const result = spawnSync(
      initdb,
      [
        '-D',
        dataDir,
        '-U',
        SUPERUSER,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--no-locale',
        '--no-instructions',
      ],
      { encoding: 'utf8', ...idsOf(account), env: { ...process.env, LC_ALL: 'C' } },
    );
    if (result.status !== 0) {
      throw new Error(
        `initdb (PostgreSQL ${binaries.version}) failed in ${dataDir}: ` +
          `${(result.stderr || result.error?.message || '').trim()}`,
      );
    }
  } finally {
    await fs.rm(pwfile, { force: true });
  }
  const stored = path.join(dataDir, PASSWORD_FILE);
  await fs.writeFile(stored, `${password}\n`, { mode: 0o600 });
  if (account) await fs.chown(stored, account.uid, account.gid);
}

async function readPassword(dataDir: string): Promise<string> {
  try {
    return (await fs.readFile(path.join(dataDir, PASSWORD_FILE), 'utf8')).trim();
  } catch {
    throw new Error(
      `${dataDir} holds a PostgreSQL cluster this project did not create (no ${PASSWORD_FILE}); ` +
        'give another folder, or point DATABASE_URL at that server instead.',
    );
  }
}

function checkMajor(dataDir: string, binaries: PostgresBinaries): void {
  const clusterMajor = readFileSync(path.join(dataDir, 'PG_VERSION'), 'utf8').trim();
  if (clusterMajor !== binaries.version.split('.')[0]) {
    throw new Error(
      `${dataDir} was created by PostgreSQL ${clusterMajor}, and these binaries are ${binaries.version} ` +
        `(${binaries.binDir}). Upgrade it with pg_upgrade, or set POSTGRES_BIN_DIR to PostgreSQL ${clusterMajor}.`,
    );
  }
}

async function waitForExit(child: ChildProcess, pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null || !isAlive(pid)) return true;
    await sleep(100);
  }
  return false;
}

/** Fast shutdown (SIGINT: open sessions are ended, data is safe), then SIGQUIT, then SIGKILL. */
export async function stopPostmaster(pid: number, timeoutMs = 15_000, child?: ChildProcess): Promise<void> {
  const exited = (ms: number) =>
    child
      ? waitForExit(child, pid, ms)
      : (async () => {
          const deadline = Date.now() + ms;
          while (Date.now() < deadline) {
            if (!isAlive(pid)) return true;
            await sleep(100);
          }
          return false;
        })();
  for (const [signal, ms] of [
    ['SIGINT', timeoutMs],
    ['SIGQUIT', 5_000],
    ['SIGKILL', 5_000],
  ] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return; // already gone
    }
    if (await exited(ms)) return;
  }
}

/** Stops the server that runs on `dataDir` (from its postmaster.pid); false when none ran. */
export async function stopPostgresAt(dataDir: string, timeoutMs?: number): Promise<boolean> {
  const pid = runningPostmaster(dataDir);
  if (pid === undefined) return false;
  await stopPostmaster(pid, timeoutMs);
  return true;
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function postgresUrl(host: string, port: number, password: string, database = SUPERUSER): string {
  const url = new URL(`postgres://${host}:${port}/`);
  url.username = SUPERUSER;
  url.password = password;
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Starts a real PostgreSQL server on `dataDir` (running `initdb` first when the folder is empty), as an
 * unprivileged account when this process is root, listening on TCP only; resolves once it answers a query.
 */
export async function startPostgres(options: StartPostgresOptions): Promise<PostgresServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const host = options.host ?? '127.0.0.1';
  const dataDir = path.resolve(options.dataDir);
  const binaries = options.binaries ?? (await resolvePostgresBinaries());
  const account = serviceAccount();

  const already = runningPostmaster(dataDir);
  if (already !== undefined) {
    throw new Error(`a PostgreSQL server (pid ${already}) already runs on ${dataDir}; stop it first.`);
  }

  await fs.mkdir(dataDir, { recursive: true });
  let binDir = binaries.binDir;
  if (account) {
    const blocked = await reachableBy(account, path.dirname(dataDir));
    if (blocked) {
      throw new Error(
        `PostgreSQL runs as "${account.name}" (it refuses root), which cannot enter ${blocked} to reach ` +
          `${dataDir}. Choose a data folder outside it (DATA_DIR), or run as a normal user.`,
      );
    }
    binDir = await reachableBinDir(account, binaries.binDir, `${binaries.version}-${binaries.source}`);
  }
  await handOver(account, dataDir);
  const fresh = !existsSync(path.join(dataDir, 'PG_VERSION'));
  if (fresh) {
    if ((await fs.readdir(dataDir)).length > 0) {
      throw new Error(`${dataDir} is neither empty nor a PostgreSQL cluster; give an empty or new folder.`);
    }
    log(`Creating a PostgreSQL ${binaries.version} cluster in ${dataDir}…`);
    await initCluster(binaries, path.join(binDir, 'initdb'), dataDir, account);
  } else {
    checkMajor(dataDir, binaries);
  }
  const password = await readPassword(dataDir);

  const port = options.port || (await freePort(host));
  const logFile = options.logFile ?? `${dataDir}.log`;
  await fs.mkdir(path.dirname(logFile), { recursive: true });
  const logFd = openSync(logFile, 'a');
  const child = spawn(
    path.join(binDir, 'postgres'),
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      `listen_addresses=${host}`,
      // TCP only: no socket file in /tmp or /var/run to clash with another server or to need rights for.
      '-c',
      'unix_socket_directories=',
    ],
    {
      detached: options.detached ?? false,
      stdio: ['ignore', logFd, logFd],
      ...idsOf(account),
      env: { ...process.env, LC_ALL: 'C' },
    },
  );
  closeSync(logFd);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) {
    await new Promise((resolve) => child.once('error', resolve));
    throw new Error(`could not start ${path.join(binDir, 'postgres')} (see ${logFile})`);
  }
  child.on('error', () => undefined);

  const url = postgresUrl(host, port, password);
  const stop = () => stopPostmaster(pid, 15_000, child);
  const timeoutMs = options.readyTimeoutMs ?? DEFAULT_POSTGRES_READY_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `PostgreSQL on ${dataDir} exited during start-up\n--- ${logFile} ---\n${tail(logFile)}`,
      );
    }
    if (await answers(url)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `PostgreSQL on ${host}:${port} did not answer within ${timeoutMs / 1000}s\n--- ${logFile} ---\n${tail(logFile)}`,
      );
    }
    await sleep(200);
  }
  return { url, host, port, dataDir, pid, stop };
}

/** Creates database `name` on the server when missing (concurrent callers are fine); returns its URL. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  await ensureDatabaseExists(url.toString());
  return url.toString();
}
