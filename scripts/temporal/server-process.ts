import type { ChildProcess } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** What `temporal.json` in the state folder records, so `status` and `stop` work from another process. */
export interface DevServerState {
  pid: number;
  address: string;
  namespace: string;
  uiUrl?: string;
  dbFile?: string;
  logFile: string;
  startedAt: string;
}

export const DEFAULT_STOP_TIMEOUT_MS = 15_000;

export const pidFileOf = (stateDir: string) => path.join(stateDir, 'temporal.pid');
export const stateFileOf = (stateDir: string) => path.join(stateDir, 'temporal.json');

export async function writeState(stateDir: string, state: DevServerState): Promise<void> {
  await fs.mkdir(stateDir, { recursive: true });
  await fs.writeFile(pidFileOf(stateDir), `${state.pid}\n`);
  await fs.writeFile(stateFileOf(stateDir), `${JSON.stringify(state, null, 2)}\n`);
}

export async function readState(stateDir: string): Promise<DevServerState | undefined> {
  try {
    return JSON.parse(await fs.readFile(stateFileOf(stateDir), 'utf8')) as DevServerState;
  } catch {
    return undefined;
  }
}

export async function removeState(stateDir: string): Promise<void> {
  await fs.rm(pidFileOf(stateDir), { force: true });
  await fs.rm(stateFileOf(stateDir), { force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Guards against a recycled pid: only a `temporal server start-dev` process is ours to signal. */
export function isDevServerProcess(pid: number): boolean {
  if (!isAlive(pid)) return false;
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync(cmdline)) return true; // no procfs (macOS): trust the pid file
  return readFileSync(cmdline, 'utf8').split('\0').includes('start-dev');
}

async function waitForExit(pid: number, timeoutMs: number, child?: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // Our own child stays a zombie until Node reaps it, so its exit status is the truth, not kill(0).
    if (child ? child.exitCode !== null || child.signalCode !== null : !isAlive(pid)) return true;
    await sleep(100);
  }
  return false;
}

/** SIGTERM, then SIGKILL if the process has not exited within the timeout. */
export async function stopProcess(pid: number, timeoutMs = DEFAULT_STOP_TIMEOUT_MS, child?: ChildProcess) {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  if (await waitForExit(pid, timeoutMs, child)) return;
  signal('SIGKILL');
  await waitForExit(pid, 5_000, child);
}

/** The server recorded in the state folder, if it still runs; stale records are removed. */
export async function runningDevServer(stateDir: string): Promise<DevServerState | undefined> {
  const state = await readState(stateDir);
  if (!state) return undefined;
  if (isDevServerProcess(state.pid)) return state;
  await removeState(stateDir);
  return undefined;
}

/** Stops the server recorded in the state folder; returns what was stopped. */
export async function stopRecordedDevServer(
  stateDir: string,
  timeoutMs = DEFAULT_STOP_TIMEOUT_MS,
): Promise<DevServerState | undefined> {
  const state = await runningDevServer(stateDir);
  if (!state) return undefined;
  await stopProcess(state.pid, timeoutMs);
  await removeState(stateDir);
  return state;
}
