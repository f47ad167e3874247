import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CHECKOUT_DIR } from '../temporal/binaries';

/** One part of the service run as its own OS process, from the compiled build, logging to a file. */
export class ServiceProcess {
  private child?: ChildProcess;
  private exited?: Promise<void>;

  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: readonly string[],
    private readonly env: NodeJS.ProcessEnv,
    readonly logFile: string,
    /** `GET` this URL answers 2xx once the process is ready. */
    readonly healthUrl?: string,
  ) {}

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
  }

  start(): void {
    if (this.running) throw new Error(`${this.name} already runs (pid ${this.child?.pid})`);
    mkdirSync(path.dirname(this.logFile), { recursive: true });
    const fd = openSync(this.logFile, 'a');
    const child = spawn(this.command, [...this.args], {
      cwd: CHECKOUT_DIR,
      env: this.env,
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    child.on('error', () => undefined);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.child = child;
  }

  /** Polls the health URL (or just the process) until ready; fails fast when the process exits. */
  async waitHealthy(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited during start-up:\n${this.tail()}`);
      if (!this.healthUrl) return;
      try {
        const response = await fetch(this.healthUrl, { signal: AbortSignal.timeout(3_000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(250);
    }
    throw new Error(
      `${this.name} not healthy within ${timeoutMs / 1000}s (${this.healthUrl}):\n${this.tail()}`,
    );
  }

  /** Sends the signal and waits for the exit (SIGKILL after the grace period). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 20_000): Promise<void> {
    if (!this.running) return;
    const child = this.child!;
    child.kill(signal);
    const done = await Promise.race([this.exited!.then(() => true), sleep(graceMs).then(() => false)]);
    if (!done) {
      child.kill('SIGKILL');
      await this.exited;
    }
  }

  /** What a crash looks like: no shutdown at all. */
  kill(): Promise<void> {
    return this.stop('SIGKILL', 10_000);
  }

  /** Synchronous last resort on harness exit. */
  killNow(): void {
    if (this.running) this.child?.kill('SIGKILL');
  }

  tail(lines = 25): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

/** Every process a run started, so that none survives it, whatever happens. */
export class ProcessSet {
  private readonly all = new Set<ServiceProcess>();
  private readonly onExit = () => {
    for (const p of this.all) p.killNow();
  };

  constructor() {
    process.once('exit', this.onExit);
  }

  add<T extends ServiceProcess>(p: T): T {
    this.all.add(p);
    return p;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.all].map((p) => p.stop('SIGTERM', 15_000).catch(() => p.killNow())));
    process.removeListener('exit', this.onExit);
  }
}

const SOURCE_DIRS = [
  'workflows',
  'activities',
  'worker',
  'api',
  'simulator',
  'domain',
  'platform',
  'scripts',
];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (/\.(ts|json)$/.test(entry.name)) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Starts the simulator from the build on `port` (its clock `clockSpeed` times real time), beside the
 * other processes of `processes`, and waits until it answers; returns its base URL.
 */
export async function startSimulator(
  processes: ProcessSet,
  options: { port: number; clockSpeed: number; logs: string; env?: NodeJS.ProcessEnv },
): Promise<string> {
  const simulator = processes.add(
    new ServiceProcess(
      'simulator',
      process.execPath,
      [compiled('simulator/main')],
      {
        PATH: process.env.PATH,
        ...options.env,
        SIMULATOR_PORT: String(options.port),
        SIMULATOR_CLOCK_SPEED: String(options.clockSpeed),
        LOG_LEVEL: 'warn',
      },
      path.join(options.logs, 'simulator.log'),
      `http://127.0.0.1:${options.port}/__admin/clock`,
    ),
  );
  simulator.start();
  await simulator.waitHealthy();
  return `http://127.0.0.1:${options.port}`;
}

/**
 * The compiled build the processes run (`npm run build`: dist/ and the prebuilt workflow bundle), rebuilt
 * when a source file is newer than the bundle, which the build writes last.
 */
export function ensureBuild(log: (line: string) => void, checkoutDir = CHECKOUT_DIR): void {
  const bundle = path.join(checkoutDir, 'dist', 'workflow-bundle.js');
  const sources = Math.max(
    ...SOURCE_DIRS.map((d) => newestSource(path.join(checkoutDir, d))),
    statSync(path.join(checkoutDir, 'package-lock.json')).mtimeMs,
  );
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= sources) return;
  log('Building (npm run build: dist/ and the prebuilt workflow bundle)…');
  const started = Date.now();
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: checkoutDir, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`npm run build failed:\n${result.stdout}${result.stderr}`);
  }
  log(`Built in ${Math.round((Date.now() - started) / 1000)}s.`);
}

/** `node dist/<entry>.js` from the checkout. */
export const compiled = (entry: string) => path.join(CHECKOUT_DIR, 'dist', `${entry}.js`);
