import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TEMPORAL_SERVER_RELEASE } from '../../scripts/temporal/server-binaries';
import { SEARCH_ATTRIBUTES } from '../../workflows/contracts/search-attributes';
import { workerNodeFlags } from '../../worker/heap';
import {
  composeConfig,
  ComposeConfigError,
  readDotEnv,
  type ComposeFile,
} from '../../scripts/production/compose-file';

/**
 * docker-compose.yml cannot run here (no Docker engine; `./run production-check` runs the same
 * topology natively), so this checks what `docker compose config` would, and what the file promises:
 * secrets, images, health checks, restart policies, retention, users and published ports.
 */
const root = path.resolve(__dirname, '../..');
const composeFile = path.join(root, 'docker-compose.yml');
const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const APP_SERVICES = ['api', 'worker', 'simulator'];
const ONE_SHOTS = ['temporal-schema', 'temporal-setup'];

/** Runs `npm run production-secrets` for real into a fresh project folder. */
function projectWithSecrets(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'compose-project-'));
  const result = spawnSync(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      path.join(root, 'scripts/production-secrets.ts'),
      '--dir',
      path.join(dir, 'secrets'),
      '--compose-env',
      path.join(dir, '.env'),
    ],
    { cwd: root, encoding: 'utf8' },
  );
  expect(result.status).toBe(0);
  return dir;
}

const sourceOf = (compiled: string) =>
  path.join(root, compiled.replace(/^dist\//, '').replace(/\.js$/, '.ts'));

describe('docker-compose.yml', () => {
  let project: string;
  let compose: ComposeFile;
  beforeAll(() => {
    project = projectWithSecrets();
    compose = composeConfig(composeFile, { projectDir: project, env: {} });
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('without the secrets, stops at once with a message saying what to run (not a missing file)', () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'compose-empty-'));
    try {
      let error: unknown;
      try {
        composeConfig(composeFile, { projectDir: empty, env: {} });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ComposeConfigError);
      expect((error as Error).message).toMatch(
        /^required variable (TEMPORAL|APP)_DB_PASSWORD is missing a value: run npm run production-secrets first/,
      );
      expect((error as Error).message).not.toMatch(/not found/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('with the secrets npm run production-secrets writes, resolves, and the app env file is optional', () => {
    const passwords = readDotEnv(path.join(project, '.env'));
    expect(passwords.TEMPORAL_DB_PASSWORD).toMatch(/^[0-9a-f]{48}$/);
    expect(compose.services.temporal.environment?.POSTGRES_PWD).toBe(passwords.TEMPORAL_DB_PASSWORD);
    expect(compose.services['temporal-postgresql'].environment?.POSTGRES_PASSWORD).toBe(
      passwords.TEMPORAL_DB_PASSWORD,
    );
    expect(compose.services.api.environment?.DATABASE_URL).toBe(
      `postgres://chorus:${passwords.APP_DB_PASSWORD}@postgres:5432/chorus`,
    );
    expect(compose.services.postgres.environment?.POSTGRES_PASSWORD).toBe(passwords.APP_DB_PASSWORD);
    for (const name of ['api', 'worker']) {
      expect(compose.services[name].env_file).toEqual([{ path: './secrets/app.env', required: false }]);
    }
    const appEnv = readDotEnv(path.join(project, 'secrets', 'app.env'));
    expect(Object.keys(appEnv).sort()).toEqual([
      'API_KEYS_FILE',
      'PAYLOAD_KEYS',
      'SEALING_KEY_DIR',
      'WEBHOOK_SECRET',
    ]);
    expect(existsSync(path.join(project, 'secrets', 'sealing-keys', 'k1.pem'))).toBe(true);
  });

  it('has Temporal (server, schema and setup one-shots, Web UI) on its own PostgreSQL, the app database, api, worker, and the simulator under a profile', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [
        'temporal-postgresql',
        'temporal-schema',
        'temporal',
        'temporal-setup',
        'temporal-ui',
        'postgres',
        'api',
        'worker',
        'simulator',
      ].sort(),
    );
    expect(compose.services.simulator.profiles).toEqual(['simulator']);
    for (const name of Object.keys(compose.services).filter((n) => n !== 'simulator')) {
      expect({ name, profiles: compose.services[name].profiles }).toEqual({ name, profiles: undefined });
    }
    expect(compose.services.temporal.environment).toMatchObject({
      DB: 'postgres12',
      POSTGRES_SEEDS: 'temporal-postgresql',
      POSTGRES_USER: 'temporal',
    });
    expect(compose.services.postgres.environment).toMatchObject({
      POSTGRES_USER: 'chorus',
      POSTGRES_DB: 'chorus',
    });
  });

  it('uses temporalio/server and admin-tools of the release ./run production-check builds (no auto-setup), and PostgreSQL 17', () => {
    const images = Object.values(compose.services).map((s) => s.image);
    expect(images.some((image) => image?.includes('auto-setup'))).toBe(false);
    const version = TEMPORAL_SERVER_RELEASE.version;
    expect(compose.services.temporal.image).toBe(`temporalio/server:${version}`);
    for (const name of ONE_SHOTS)
      expect(compose.services[name].image).toBe(`temporalio/admin-tools:${version}`);
    expect(compose.services['temporal-ui'].image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);
    expect(compose.services['temporal-postgresql'].image).toBe('postgres:17');
    expect(compose.services.postgres.image).toBe('postgres:17');
  });

  it('runs Temporal schema and setup as one-shots, in order, before anything uses them', () => {
    const dependsOn = (name: string) =>
      compose.services[name].depends_on as Record<string, { condition: string }>;
    expect(dependsOn('temporal-schema')).toEqual({ 'temporal-postgresql': { condition: 'service_healthy' } });
    expect(dependsOn('temporal')).toEqual({
      'temporal-schema': { condition: 'service_completed_successfully' },
    });
    expect(dependsOn('temporal-setup')).toEqual({ temporal: { condition: 'service_healthy' } });
    for (const name of ['api', 'worker']) {
      expect(dependsOn(name)).toEqual({
        'temporal-setup': { condition: 'service_completed_successfully' },
        postgres: { condition: 'service_healthy' },
      });
    }
    expect(compose.services['temporal-schema'].entrypoint).toEqual(['/bin/sh', '/deploy/temporal-schema.sh']);
    expect(compose.services['temporal-setup'].entrypoint).toEqual(['/bin/sh', '/deploy/temporal-setup.sh']);
    for (const name of ONE_SHOTS) {
      expect(compose.services[name].volumes).toContain('./deploy:/deploy:ro');
      expect(compose.services[name].restart).toBe('no');
    }
  });

  it('sets an explicit namespace retention, applied by the setup script', () => {
    expect(compose.services['temporal-setup'].environment?.TEMPORAL_RETENTION).toBe('30 days');
    const withOverride = composeConfig(composeFile, {
      projectDir: project,
      env: { TEMPORAL_RETENTION: '14 days' },
    });
    expect(withOverride.services['temporal-setup'].environment?.TEMPORAL_RETENTION).toBe('14 days');
    const script = readFileSync(path.join(root, 'deploy/temporal-setup.sh'), 'utf8');
    expect(script).toMatch(/namespace create --namespace "\$NAMESPACE" --retention "\$RETENTION"/);
    expect(script).toMatch(/namespace update --namespace "\$NAMESPACE" --retention "\$RETENTION"/);
  });

  it('gives every long-running service a health check and a restart policy', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (ONE_SHOTS.includes(name)) continue;
      expect({ name, restart: service.restart }).toEqual({ name, restart: 'unless-stopped' });
      if (name !== 'temporal-ui')
        expect({ name, healthcheck: Boolean(service.healthcheck?.test) }).toEqual({
          name,
          healthcheck: true,
        });
    }
    const probe = (name: string) => compose.services[name].healthcheck!.test;
    expect(probe('api')).toEqual([
      'CMD',
      'node',
      'dist/scripts/healthcheck.js',
      `http://127.0.0.1:${compose.services.api.environment?.API_PORT}/healthz`,
    ]);
    expect(probe('worker')).toEqual([
      'CMD',
      'node',
      'dist/scripts/healthcheck.js',
      `http://127.0.0.1:${compose.services.worker.environment?.WORKER_HEALTH_PORT}/healthz`,
    ]);
    expect(existsSync(sourceOf('dist/scripts/healthcheck.js'))).toBe(true);
    expect(compose.services.worker.environment?.WORKER_HEALTH_HOST).toBe('0.0.0.0');
  });

  it('runs node on compiled JavaScript (no npm, no ts-node) from a current Node LTS image, as the node user', () => {
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map(([, image]) => image);
    expect(froms.length).toBe(2);
    for (const image of froms) expect(image).toMatch(/^node:(22|24|26)-[a-z]+-slim(\s|$)/);
    expect(new Set(froms).size).toBe(1);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/api\/main\.js"\]$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/mkdir -p \/data && chown node:node \/data/);
    expect(dockerfile).toMatch(/RUN npm run build && npm prune --omit=dev/);
    for (const name of APP_SERVICES) {
      const service = compose.services[name];
      const command = service.command as string[];
      expect(command[0]).toBe('node');
      // node's own flags, then the compiled entry point.
      expect(existsSync(sourceOf(command[command.length - 1]))).toBe(true);
      expect(service.user).toBeUndefined(); // the image's node user
      expect(service.image).toBe('chorus-pro-submission:local');
    }
    // The worker runs with the heap limit every other start of it uses (worker/heap.ts).
    expect(compose.services.worker.command).toEqual(['node', ...workerNodeFlags(), 'dist/worker/main.js']);
    expect(compose.services.api.volumes).toContain('app-data:/data');
    expect(compose.services.worker.volumes).toContain('app-data:/data');
  });

  it('builds a prebuilt workflow bundle, and keeps TypeScript tooling out of the runtime dependencies', () => {
    expect(pkg.scripts.build).toMatch(
      /tsc -p tsconfig\.build\.json && node dist\/scripts\/build-workflow-bundle\.js/,
    );
    for (const tool of ['ts-node', 'typescript']) {
      expect(pkg.dependencies[tool]).toBeUndefined();
      expect(pkg.devDependencies[tool]).toBeDefined();
    }
    expect(readFileSync(path.join(root, 'worker/main.ts'), 'utf8')).toMatch(/prebuiltWorkflowBundle/);
  });

  it('publishes only on 127.0.0.1, and points the app at the Temporal service', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const port of service.ports ?? [])
        expect({ name, port }).toEqual({ name, port: expect.stringMatching(/^127\.0\.0\.1:\d+:\d+$/) });
    }
    expect(compose.services.worker.ports).toBeUndefined();
    for (const name of ['api', 'worker']) {
      expect(compose.services[name].environment).toMatchObject({
        TEMPORAL_ADDRESS: 'temporal:7233',
        NODE_ENV: 'production',
        DATA_DIR: '/data',
      });
    }
    expect(compose.services.api.environment?.API_HOST).toBe('0.0.0.0');
    expect(compose.services.simulator.environment?.SIMULATOR_HOST).toBe('0.0.0.0');
  });

  it('registers exactly the search attributes the workflows use', () => {
    const script = readFileSync(path.join(root, 'deploy/temporal-setup.sh'), 'utf8');
    const registered = [
      ...script.matchAll(/^\s+(\w+)=(Keyword|Bool|Text|Int|Double|Datetime|KeywordList)\b/gm),
    ]
      .map(([, name, type]) => `${name}=${type}`)
      .sort();
    const expected = SEARCH_ATTRIBUTES.map(
      (key) => `${key.name}=${key.type === 'BOOL' ? 'Bool' : 'Keyword'}`,
    ).sort();
    expect(registered).toEqual(expected);
  });
});

describe('an app container without its secrets', () => {
  it('refuses to start, lists what is missing and says what to run', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'compose-nosecrets-'));
    try {
      const result = spawnSync(
        process.execPath,
        ['-r', 'ts-node/register/transpile-only', path.join(root, 'api/main.ts')],
        {
          cwd: root,
          encoding: 'utf8',
          timeout: 60_000,
          // What compose gives the api service when ./secrets/app.env does not exist.
          env: {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            NODE_ENV: 'production',
            DATA_DIR: dataDir,
            TEMPORAL_ADDRESS: '127.0.0.1:1',
            TEMPORAL_CONFIG_FILE: '/nonexistent/temporal.toml',
            API_PORT: '3000',
            LOG_LEVEL: 'silent',
          },
        },
      );
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/Cannot start:/);
      expect(result.stderr).toMatch(/PAYLOAD_KEYS/);
      expect(result.stderr).toMatch(/run `npm run production-secrets` beside docker-compose\.yml/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
