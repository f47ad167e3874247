import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { Client as PgClient, escapeIdentifier, escapeLiteral } from 'pg';
import { generateApiKey, hashApiKey } from '../../api/auth';
import { clientConnectionOptions, temporalConnectionSettings } from '../../platform/temporal-connection';
import type { ChaosTopology } from '../chaos/harness';
import { makeSecrets, paceFor } from '../chaos/local-topology';
import { compiled, ensureBuild, ProcessSet, ServiceProcess, startSimulator } from '../chaos/processes';
import { startPostgres, type PostgresServer } from '../postgres';
import { CHECKOUT_DIR, resolveTemporalCli } from '../temporal/binaries';
import { freePort } from '../temporal/dev-server';
import { resolveTemporalServer, TEMPORAL_SERVER_RELEASE } from '../temporal/server-binaries';
import { workerNodeFlags } from '../../worker/heap';
import { composeConfig, type ComposeFile } from './compose-file';

export interface ProductionTopology extends ChaosTopology {
  /** Seconds the Go build took in this run (undefined: the binaries were cached). */
  buildSeconds?: number;
  stop(): Promise<void>;
}

/**
 * A free port below 32768: Temporal stores its membership ports in a PostgreSQL smallint, and the
 * kernel's ephemeral ports (what port 0 gives) are above it.
 */
async function freeSmallPort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port between 20000 and 32000');
}

/** A role and its database, as the postgres image makes them from POSTGRES_USER / POSTGRES_DB. */
async function createRole(
  serverUrl: string,
  role: string,
  password: string,
  database?: string,
): Promise<void> {
  const client = new PgClient({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(
      `CREATE ROLE ${escapeIdentifier(role)} LOGIN CREATEDB PASSWORD ${escapeLiteral(password)}`,
    );
    if (database)
      await client.query(`CREATE DATABASE ${escapeIdentifier(database)} OWNER ${escapeIdentifier(role)}`);
  } finally {
    await client.end();
  }
}

function runScript(script: string, env: NodeJS.ProcessEnv, logFile: string): void {
  const result = spawnSync('sh', [path.join(CHECKOUT_DIR, 'deploy', script)], {
    cwd: CHECKOUT_DIR,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  writeFileSync(logFile, `${result.stdout}${result.stderr}`);
  if (result.status !== 0) {
    throw new Error(
      `deploy/${script} failed (${logFile}):\n${`${result.stdout}${result.stderr}`.trim().split('\n').slice(-20).join('\n')}`,
    );
  }
}

const env = (service: ComposeFile['services'][string]): Record<string, string> =>
  Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, String(v)]));

/** Appends system, staff and admin keys for the load client (what `npm run api-key` does). */
function addClientKeys(keysFile: string): { system: string; staff: string; admin: string } {
  const entries = JSON.parse(readFileSync(keysFile, 'utf8')) as unknown[];
  const keys = { system: generateApiKey(), staff: generateApiKey(), admin: generateApiKey() };
  for (const [role, key] of Object.entries(keys)) {
    entries.push({ id: `check-${role}`, role, connections: ['*'], hash: hashApiKey(key) });
  }
  writeFileSync(keysFile, `${JSON.stringify(entries, null, 2)}\n`, { mode: 0o600 });
  return keys;
}

/**
 * docker-compose.yml's topology on this host without Docker: the Temporal server (built from its Go module)
 * on its own PostgreSQL with the schema and setup one-shots run by the same scripts, the app's PostgreSQL,
 * the simulator, two APIs and two workers from the compiled build, each service with the environment the
 * compose file gives it (addresses, ports and paths mapped to this host).
 */
export async function startProductionTopology(options: {
  workDir: string;
  clockSpeed: number;
  log: (line: string) => void;
}): Promise<ProductionTopology> {
  const { workDir, log } = options;
  ensureBuild(log);
  const server = await resolveTemporalServer({ log });
  const cli = await resolveTemporalCli({ log });
  mkdirSync(workDir, { recursive: true });
  chmodSync(workDir, 0o755);
  const logs = path.join(workDir, 'logs');
  mkdirSync(logs, { recursive: true });
  const processes = new ProcessSet();
  const databases: PostgresServer[] = [];
  const stop = async () => {
    await processes.stopAll();
    for (const db of databases.reverse()) await db.stop();
  };
  try {
    // The secrets as an operator makes them: ./secrets and compose's .env, then the compose file resolved with them.
    const { env: appSecrets, secretsDir } = makeSecrets(workDir);
    const compose = composeConfig(path.join(CHECKOUT_DIR, 'docker-compose.yml'), {
      projectDir: workDir,
      env: {},
    });
    const passwords = Object.fromEntries(
      readFileSync(path.join(workDir, '.env'), 'utf8')
        .split('\n')
        .map((line) => line.split('='))
        .filter((parts) => parts.length === 2),
    ) as Record<string, string>;
    const keys = addClientKeys(path.join(secretsDir, 'api-keys.json'));

    // Temporal's PostgreSQL and the app's, each its own server, as in the compose file.
    const temporalDb = await startPostgres({ dataDir: path.join(workDir, 'temporal-postgresql'), log });
    databases.push(temporalDb);
    const appDb = await startPostgres({ dataDir: path.join(workDir, 'postgres'), log });
    databases.push(appDb);
    const temporalDbEnv = env(compose.services['temporal-postgresql']);
    await createRole(temporalDb.url, temporalDbEnv.POSTGRES_USER, passwords.TEMPORAL_DB_PASSWORD);
    const appDbEnv = env(compose.services.postgres);
    await createRole(appDb.url, appDbEnv.POSTGRES_USER, passwords.APP_DB_PASSWORD, appDbEnv.POSTGRES_DB);

    // temporal-schema: the same script, with the tool and schema of the same release.
    runScript(
      'temporal-schema.sh',
      {
        ...env(compose.services['temporal-schema']),
        SQL_HOST: temporalDb.host,
        SQL_PORT: String(temporalDb.port),
        TEMPORAL_SQL_TOOL: server.sqlTool,
        TEMPORAL_SCHEMA_DIR: server.postgresSchemaDir,
      },
      path.join(logs, 'temporal-schema.log'),
    );

    // temporal: the server renders its configuration from the same variables as the image.
    const ports = Object.fromEntries(
      await Promise.all(
        [
          'FRONTEND_GRPC_PORT',
          'FRONTEND_HTTP_PORT',
          'FRONTEND_MEMBERSHIP_PORT',
          'HISTORY_GRPC_PORT',
          'HISTORY_MEMBERSHIP_PORT',
          'MATCHING_GRPC_PORT',
          'MATCHING_MEMBERSHIP_PORT',
          'WORKER_GRPC_PORT',
          'WORKER_MEMBERSHIP_PORT',
        ].map(async (name) => [name, String(await freeSmallPort())] as const),
      ),
    );
    const temporalAddress = `127.0.0.1:${ports.FRONTEND_GRPC_PORT}`;
    const temporal = processes.add(
      new ServiceProcess(
        'temporal',
        server.server,
        ['start'],
        {
          PATH: process.env.PATH,
          ...env(compose.services.temporal),
          POSTGRES_SEEDS: temporalDb.host,
          DB_PORT: String(temporalDb.port),
          BIND_ON_IP: '127.0.0.1',
          DYNAMIC_CONFIG_FILE_PATH: path.join(CHECKOUT_DIR, 'deploy/temporal/dynamicconfig.yaml'),
          ...ports,
        },
        path.join(logs, 'temporal.log'),
      ),
    );
    const temporalSettings = temporalConnectionSettings({
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_CONFIG_FILE: '/nonexistent',
    });
    const waitTemporal = async () => {
      const deadline = Date.now() + 180_000;
      for (;;) {
        if (!temporal.running) throw new Error(`the Temporal server exited:\n${temporal.tail()}`);
        const connection = Connection.lazy(
          clientConnectionOptions(temporalSettings, { connectTimeout: 2_000 }),
        );
        try {
          await connection.withDeadline(Date.now() + 2_000, () =>
            connection.workflowService.getSystemInfo({}),
          );
          return;
        } catch {
          if (Date.now() > deadline)
            throw new Error(`the Temporal server did not answer within 180 s:\n${temporal.tail()}`);
        } finally {
          await connection.close();
        }
        await sleep(500);
      }
    };
    temporal.start();
    await waitTemporal();

    // temporal-setup: namespace, retention, search attributes, with the temporal CLI.
    runScript(
      'temporal-setup.sh',
      {
        ...env(compose.services['temporal-setup']),
        TEMPORAL_ADDRESS: temporalAddress,
        TEMPORAL_CLI: cli.path,
      },
      path.join(logs, 'temporal-setup.log'),
    );

    // What the setup one-shot left: the namespace's retention, read back from the server.
    const check = await Connection.connect(clientConnectionOptions(temporalSettings));
    const retentionDays = await check.workflowService
      .describeNamespace({ namespace: 'default' })
      .then((ns) => Number(ns.config?.workflowExecutionRetentionTtl?.seconds ?? 0) / 86_400)
      .finally(() => check.close());

    const simulatorPort = await freePort();
    const simulatorUrl = await startSimulator(processes, {
      port: simulatorPort,
      clockSpeed: options.clockSpeed,
      logs,
      env: { ...env(compose.services.simulator), SIMULATOR_HOST: '127.0.0.1' },
    });

    // api and worker: compose's environment and ./secrets/app.env, with this host's addresses.
    const hostMapped = (service: Record<string, string>): NodeJS.ProcessEnv => ({
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...appSecrets,
      ...service,
      TEMPORAL_ADDRESS: temporalAddress,
      DATABASE_URL: service.DATABASE_URL.replace('@postgres:5432/', `@${appDb.host}:${appDb.port}/`),
      SIMULATOR_URL: simulatorUrl,
      DATA_DIR: path.join(workDir, 'data'),
      // Not compose's: the pace the simulator's accelerated clock needs, and one load client for every caller.
      ...paceFor(options.clockSpeed),
      API_RATE_LIMIT_PER_MINUTE: '1000000',
    });
    const apiEnv = hostMapped(env(compose.services.api));
    const workerEnv = hostMapped(env(compose.services.worker));
    const apis: ServiceProcess[] = [];
    for (const n of [1, 2]) {
      const port = await freePort();
      apis.push(
        processes.add(
          new ServiceProcess(
            `api-${n}`,
            process.execPath,
            [compiled('api/main')],
            { ...apiEnv, API_HOST: '127.0.0.1', API_PORT: String(port) },
            path.join(logs, `api-${n}.log`),
            `http://127.0.0.1:${port}/healthz`,
          ),
        ),
      );
    }
    const workers: ServiceProcess[] = [];
    for (const n of [1, 2]) {
      const port = await freePort();
      workers.push(
        processes.add(
          new ServiceProcess(
            `worker-${n}`,
            process.execPath,
            [...workerNodeFlags(), compiled('worker/main')],
            { ...workerEnv, WORKER_HEALTH_HOST: '127.0.0.1', WORKER_HEALTH_PORT: String(port) },
            path.join(logs, `worker-${n}.log`),
            `http://127.0.0.1:${port}/healthz`,
          ),
        ),
      );
    }
    for (const p of [...apis, ...workers]) p.start();
    await Promise.all([...apis, ...workers].map((p) => p.waitHealthy(180_000)));
    const bundleLoaded = workers.every((w) =>
      /using the prebuilt workflow bundle/.test(readFileSync(w.logFile, 'utf8')),
    );
    if (!bundleLoaded)
      throw new Error('a worker did not load the prebuilt workflow bundle (dist/workflow-bundle.js)');

    // A killed process comes back a moment later, as compose's restart policy brings it back.
    const restartLater = (p: ServiceProcess, ms: number) =>
      void sleep(ms).then(() => {
        if (!p.running) p.start();
      });
    return {
      apiUrls: () => {
        const up = apis.filter((a) => a.running).map((a) => a.healthUrl!.replace(/\/healthz$/, ''));
        return up.length > 0 ? up : apis.map((a) => a.healthUrl!.replace(/\/healthz$/, ''));
      },
      simulatorUrl,
      keys,
      async killWorker(random) {
        const alive = workers.filter((w) => w.running);
        const victim = alive[Math.floor(random() * alive.length)] ?? workers[0];
        await victim.kill();
        restartLater(victim, 3_000);
        return `SIGKILL ${victim.name} (restarted 3 s later)`;
      },
      async restartTemporal() {
        const began = Date.now();
        await temporal.stop('SIGTERM', 30_000);
        temporal.start();
        await waitTemporal();
        return `Temporal server restarted (down ${Math.round((Date.now() - began) / 1000)} s)`;
      },
      extraDisruptions: [
        {
          at: 0.6,
          run: async () => {
            const victim = apis[1];
            await victim.kill();
            restartLater(victim, 5_000);
            return `SIGKILL ${victim.name} (restarted 5 s later; clients use ${apis[0].name} meanwhile)`;
          },
        },
      ],
      describe: [
        `Temporal server ${TEMPORAL_SERVER_RELEASE.version} (built from ${TEMPORAL_SERVER_RELEASE.module}, ${server.source}) on PostgreSQL ${temporalDb.port}, ${env(compose.services.temporal).NUM_HISTORY_SHARDS} history shards; schema and setup by deploy/temporal-schema.sh and deploy/temporal-setup.sh (namespace retention ${retentionDays} days)`,
        `app database: PostgreSQL ${appDb.port} (database ${appDbEnv.POSTGRES_DB}); 2 APIs and 2 workers (node dist/…, NODE_ENV=production, keys from npm run production-secrets), simulator at ${options.clockSpeed}×`,
        `environment: docker-compose.yml's, with host addresses; plus the pace of the accelerated clock and a raised per-key rate limit`,
        `logs: ${logs}`,
      ],
      buildSeconds: server.buildSeconds,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
