import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { msOf } from '../../domain/durations';
import { msToTs } from '@temporalio/common/lib/time';
import {
  SEARCH_ATTRIBUTES,
  type CustomSearchAttributeKey,
} from '../../workflows/contracts/search-attributes';
import { resolveTemporalCli } from './binaries';
import { ensureSearchAttributes, searchAttributeArgs } from './search-attribute-registration';
import { removeState, stopProcess, writeState } from './server-process';

export interface DevServerOptions {
  /** Temporal CLI executable; resolved (and installed if needed) when omitted. */
  cliPath?: string;
  ip?: string;
  /** Frontend gRPC port; a free port when omitted or 0. */
  port?: number;
  /** Serve the Web UI (default: headless). */
  ui?: boolean;
  /** Web UI port (the CLI's default is port + 1000). */
  uiPort?: number;
  /** SQLite file, so state survives restarts; in memory when omitted. */
  dbFile?: string;
  namespace?: string;
  /** Codec server the Web UI calls to decode payloads. */
  codecEndpoint?: string;
  searchAttributes?: readonly CustomSearchAttributeKey[];
  /** Extra `--dynamic-config-value KEY=JSON` settings (tests use them to shrink history limits). */
  dynamicConfig?: readonly string[];
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Folder for the pid file, the state file and (by default) the server log. */
  stateDir?: string;
  logFile?: string;
  /** Keep running after this process exits, in its own process group (Ctrl-C does not reach it). */
  detached?: boolean;
  readyTimeoutMs?: number;
  /** How long Temporal keeps closed workflows (default DEFAULT_RETENTION); the archive keeps them after. */
  retention?: string;
  log?: (line: string) => void;
}

/** Closed workflows stay in Temporal this long; the app's archive keeps their histories afterwards. */
export const DEFAULT_RETENTION = '30 days';

/** Sets the namespace's retention (the dev server's own default is one day). */
export async function setNamespaceRetention(connection: Connection, namespace: string, retention: string) {
  await connection.workflowService.updateNamespace({
    namespace,
    config: { workflowExecutionRetentionTtl: msToTs(msOf(retention)) },
  });
}

export interface DevServer {
  address: string;
  namespace: string;
  uiUrl?: string;
  pid: number;
  dbFile?: string;
  logFile: string;
  stop(timeoutMs?: number): Promise<void>;
}

export const DEFAULT_READY_TIMEOUT_MS = 90_000;

const DYNAMIC_CONFIG = [
  'frontend.enableUpdateWorkflowExecution=true',
  'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
  'frontend.enableExecuteMultiOperation=true',
  // The version check calls home; there is no internet here.
  'frontend.enableServerVersionCheck=false',
  // An activity scheduled by a workflow task goes back to its worker with the task's answer, not
  // through the task queue (deploy/temporal/dynamicconfig.yaml says the same for the compose server).
  'system.enableActivityEagerExecution=true',
];

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function devServerArgs(
  o: Required<Pick<DevServerOptions, 'ip' | 'port' | 'namespace' | 'logLevel'>> & DevServerOptions,
): string[] {
  const args = ['server', 'start-dev', '--ip', o.ip, '--port', String(o.port), '--log-level', o.logLevel];
  if (o.namespace !== 'default') args.push('--namespace', o.namespace);
  if (o.dbFile) args.push('--db-filename', o.dbFile);
  if (o.ui) {
    if (o.uiPort) args.push('--ui-port', String(o.uiPort));
    args.push('--ui-disable-news-fetch');
    if (o.codecEndpoint) args.push('--ui-codec-endpoint', o.codecEndpoint);
  } else {
    args.push('--headless');
  }
  for (const value of [...DYNAMIC_CONFIG, ...(o.dynamicConfig ?? [])])
    args.push('--dynamic-config-value', value);
  args.push(...searchAttributeArgs(o.searchAttributes ?? SEARCH_ATTRIBUTES));
  return args;
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** True when the frontend answers for the namespace (gRPC up, namespace registered) within the timeout. */
export async function temporalAnswers(
  address: string,
  namespace: string,
  timeoutMs = 2_000,
): Promise<boolean> {
  const connection = Connection.lazy({ address, connectTimeout: timeoutMs });
  try {
    await connection.withDeadline(Date.now() + timeoutMs, () =>
      connection.workflowService.describeNamespace({ namespace }),
    );
    return true;
  } catch {
    return false;
  } finally {
    await connection.close();
  }
}

async function waitUntilReady(address: string, namespace: string, timeoutMs: number, exited: () => boolean) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) throw new Error('the Temporal server exited during start-up');
    if (await temporalAnswers(address, namespace)) return;
    await sleep(250);
  }
  throw new Error(`not ready within ${timeoutMs / 1000}s`);
}

/**
 * Starts `temporal server start-dev`, waits until it serves the namespace, makes sure every custom search
 * attribute is registered (the CLI flag only takes effect on a fresh database), and records its pid.
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const ip = options.ip ?? '127.0.0.1';
  const port = options.port || (await freePort(ip));
  const namespace = options.namespace ?? 'default';
  const searchAttributes = options.searchAttributes ?? SEARCH_ATTRIBUTES;
  const cliPath = options.cliPath ?? (await resolveTemporalCli({ log })).path;
  const logFile =
    options.logFile ??
    (options.stateDir
      ? path.join(options.stateDir, 'temporal.log')
      : path.join(os.tmpdir(), `temporal-${port}.log`));
  if (options.dbFile) mkdirSync(path.dirname(options.dbFile), { recursive: true });
  mkdirSync(path.dirname(logFile), { recursive: true });

  const args = devServerArgs({
    ...options,
    ip,
    port,
    namespace,
    searchAttributes,
    logLevel: options.logLevel ?? 'warn',
  });
  // A log file rather than a pipe: nothing keeps this process (or Jest) alive, and the server never blocks on output.
  const logFd = openSync(logFile, 'a');
  const child = spawn(cliPath, args, {
    detached: options.detached ?? false,
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) {
    await new Promise((resolve) => child.once('error', resolve));
    throw new Error(`could not start ${cliPath} (see ${logFile})`);
  }
  child.on('error', () => undefined);

  const address = `${ip}:${port}`;
  const uiUrl = options.ui ? `http://${ip}:${options.uiPort ?? port + 1000}` : undefined;
  const stop = async (timeoutMs?: number) => {
    await stopProcess(pid, timeoutMs, child);
    if (options.stateDir) await removeState(options.stateDir);
  };

  try {
    await waitUntilReady(
      address,
      namespace,
      options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
      () => child.exitCode !== null || child.signalCode !== null,
    );
    const connection = await Connection.connect({ address });
    try {
      await ensureSearchAttributes(connection, namespace, searchAttributes);
      await setNamespaceRetention(connection, namespace, options.retention ?? DEFAULT_RETENTION);
    } finally {
      await connection.close();
    }
  } catch (err) {
    await stop(5_000);
    throw new Error(
      `Temporal dev server at ${address} failed: ${(err as Error).message}\n--- ${logFile} ---\n${tail(logFile)}`,
    );
  }

  const server: DevServer = { address, namespace, uiUrl, pid, dbFile: options.dbFile, logFile, stop };
  if (options.stateDir) {
    const { stop: _stop, ...described } = server;
    await writeState(options.stateDir, { ...described, startedAt: new Date().toISOString() });
  }
  return server;
}
