import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ensureDatabase, startPostgres, type PostgresServer } from '../postgres';
import { freePort, startDevServer, type DevServer } from '../temporal/dev-server';
import { workerNodeFlags } from '../../worker/heap';
import type { ChaosTopology } from './harness';
import { compiled, ensureBuild, ProcessSet, ServiceProcess, startSimulator } from './processes';

/** The durations that match a simulated clock running `clockSpeed` times faster than real time. */
export function paceFor(clockSpeed: number): Record<string, string> {
  // The simulator's longest buyer step is 15 simulated days; an invoice is let go after this long without news.
  const horizon = Math.max(30, Math.ceil((15 * 86_400) / clockSpeed) * 3);
  return {
    INVOICE_TRACKING_FALLBACK_AFTER: '30 seconds',
    INVOICE_PAYMENT_HORIZON: `${horizon} seconds`,
    TRACKER_FASTEST: '2 seconds',
    TRACKER_SLOWEST: '10 seconds',
    // Production's 5-minute ceiling on an activity's retry backoff, at the pace of the run.
    INVOICE_CHORUS_RETRY_MAX_INTERVAL: '20 seconds',
  };
}

/** Keys and folders as `npm run production-secrets` makes them, read back for a run on this host. */
export function makeSecrets(dir: string): { env: Record<string, string>; secretsDir: string } {
  const secretsDir = path.join(dir, 'secrets');
  const result = spawnSync(
    process.execPath,
    [compiled('scripts/production-secrets'), '--dir', secretsDir, '--compose-env', path.join(dir, '.env')],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`production-secrets failed: ${result.stderr}`);
  const env: Record<string, string> = {};
  for (const line of readFileSync(path.join(secretsDir, 'app.env'), 'utf8').split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line);
    // The file names container paths (/secrets/…): here they live in the run's folder.
    if (match) env[match[1]] = match[2].replace(/^\/secrets\//, `${secretsDir}/`);
  }
  return { env, secretsDir };
}

export interface LocalTopology extends ChaosTopology {
  /** The Temporal dev server's gRPC address (histories are read there). */
  temporalAddress(): string;
  /** Process ids of the workers running now (their memory is measured). */
  workerPids(): number[];
  stop(): Promise<void>;
}

/**
 * `npm run chaos`'s parts, each its own process: a Temporal dev server (SQLite file, so it restarts with its
 * state), the simulator, PostgreSQL for the app's records, one API and two workers from the compiled build.
 */
export async function startLocalTopology(options: {
  workDir: string;
  clockSpeed: number;
  workers: number;
  log: (line: string) => void;
  /** Service durations instead of `paceFor(clockSpeed)` (the benchmark scales production's own). */
  pace?: Record<string, string>;
  /** The workers' V8 heap limit in MiB (worker/heap.ts); none: V8's own. */
  workerHeapLimitMiB?: number;
  /** More environment for the workers (e.g. WORKER_MAX_CACHED_WORKFLOWS). */
  workerEnv?: Record<string, string>;
}): Promise<LocalTopology> {
  const { workDir, log } = options;
  ensureBuild(log);
  mkdirSync(workDir, { recursive: true });
  // PostgreSQL runs as its own account when this runs as root: it must be able to enter the folder.
  chmodSync(workDir, 0o755);
  const logs = path.join(workDir, 'logs');
  const processes = new ProcessSet();
  let postgres: PostgresServer | undefined;
  let temporal: DevServer | undefined;
  const stop = async () => {
    await processes.stopAll();
    await temporal?.stop();
    await postgres?.stop();
  };
  try {
    const { env: secrets } = makeSecrets(workDir);
    delete secrets.API_KEYS_FILE; // development keys: the run plays every role
    postgres = await startPostgres({ dataDir: path.join(workDir, 'postgres'), log });
    const databaseUrl = await ensureDatabase(postgres.url, 'chorus');
    const temporalPort = await freePort();
    const startTemporal = () =>
      startDevServer({
        port: temporalPort,
        dbFile: path.join(workDir, 'temporal', 'temporal.sqlite'),
        stateDir: path.join(workDir, 'temporal'),
        log,
      });
    temporal = await startTemporal();

    const simulatorPort = await freePort();
    const simulatorUrl = await startSimulator(processes, {
      port: simulatorPort,
      clockSpeed: options.clockSpeed,
      logs,
    });

    const appEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...secrets,
      ...(options.pace ?? paceFor(options.clockSpeed)),
      DATA_DIR: path.join(workDir, 'data'),
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: 'default',
      TASK_QUEUE: 'chorus-pro',
      SIMULATOR_URL: simulatorUrl,
      DATABASE_URL: databaseUrl,
      // One load generator plays every client: the per-key limit would throttle it.
      API_RATE_LIMIT_PER_MINUTE: '1000000',
      LOG_LEVEL: 'info',
    };
    const apiPort = await freePort();
    const api = processes.add(
      new ServiceProcess(
        'api',
        process.execPath,
        [compiled('api/main')],
        { ...appEnv, API_PORT: String(apiPort) },
        path.join(logs, 'api.log'),
        `http://127.0.0.1:${apiPort}/healthz`,
      ),
    );
    let workerCount = 0;
    const workers: ServiceProcess[] = [];
    const startWorker = async () => {
      const port = await freePort();
      const name = `worker-${++workerCount}`;
      const worker = processes.add(
        new ServiceProcess(
          name,
          process.execPath,
          [...workerNodeFlags(options.workerHeapLimitMiB), compiled('worker/main')],
          { ...appEnv, ...options.workerEnv, WORKER_HEALTH_PORT: String(port) },
          path.join(logs, `${name}.log`),
          `http://127.0.0.1:${port}/healthz`,
        ),
      );
      worker.start();
      workers.push(worker);
      return worker;
    };
    api.start();
    const first = await Promise.all(Array.from({ length: options.workers }, startWorker));
    await Promise.all([api.waitHealthy(), ...first.map((w) => w.waitHealthy())]);

    return {
      apiUrls: () => [`http://127.0.0.1:${apiPort}`],
      temporalAddress: () => temporal!.address,
      workerPids: () => workers.flatMap((w) => (w.pid === undefined ? [] : [w.pid])),
      simulatorUrl,
      keys: { system: 'dev-key-system', staff: 'dev-key-staff', admin: 'dev-key-admin' },
      async killWorker(random) {
        const alive = workers.filter((w) => w.running);
        const victim = alive[Math.floor(random() * alive.length)];
        await victim.kill();
        const replacement = await startWorker();
        return `SIGKILL ${victim.name}; started ${replacement.name}`;
      },
      async restartTemporal() {
        const began = Date.now();
        await temporal!.stop();
        temporal = await startTemporal();
        return `Temporal dev server restarted (down ${Math.round((Date.now() - began) / 1000)} s)`;
      },
      describe: [
        `Temporal dev server (CLI, SQLite file) ${temporal.address}; simulator at ${options.clockSpeed}× real time`,
        `1 API and ${options.workers} workers (node dist/…), PostgreSQL for the app's records; each its own process`,
        `logs: ${logs}`,
      ],
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
