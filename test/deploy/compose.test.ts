import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SEARCH_ATTRIBUTES } from '../../workflows/contracts/search-attributes';

/**
 * docker-compose.yml cannot run here (no Docker engine), so this checks what can be checked
 * without one: every service is well formed and every command it runs exists.
 */
const root = path.resolve(__dirname, '../..');
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
};
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};

interface ComposeService {
  image?: string;
  build?: string | { context: string };
  command?: string[] | string;
  entrypoint?: string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  profiles?: string[];
  environment?: Record<string, string | number>;
  volumes?: string[];
}

const appServices = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);

/** `npm run start:api` → the compiled entry point it runs → its TypeScript source. */
function sourceOfScript(script: string): string {
  const command = pkg.scripts[script];
  expect(command).toBeDefined();
  const match = /node (dist\/[\w/.-]+)\.js/.exec(command);
  expect(match).not.toBeNull();
  return path.join(root, `${match![1].replace(/^dist\//, '')}.ts`);
}

describe('docker-compose.yml', () => {
  it('has the production parts: Temporal on PostgreSQL, the Web UI, api, worker, and the simulator under a profile', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['postgresql', 'temporal', 'temporal-ui', 'api', 'worker', 'simulator']),
    );
    expect(compose.services.temporal.environment?.DB).toBe('postgres12');
    expect(compose.services.simulator.profiles).toEqual(['simulator']);
    expect(compose.services.api.profiles).toBeUndefined();
    expect(compose.services.worker.profiles).toBeUndefined();
  });

  it('gives every service an image or a build, and depends only on services that exist', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect({ name, ok: Boolean(service.image || service.build) }).toEqual({ name, ok: true });
      const deps = Array.isArray(service.depends_on)
        ? service.depends_on
        : Object.keys(service.depends_on ?? {});
      for (const dep of deps) expect(Object.keys(compose.services)).toContain(dep);
    }
  });

  it('runs, in each app service, an npm script that exists and whose entry point exists', () => {
    expect(appServices.map(([name]) => name).sort()).toEqual(['api', 'simulator', 'worker']);
    for (const [, service] of appServices) {
      const command = service.command as string[];
      expect(command.slice(0, 2)).toEqual(['npm', 'run']);
      expect(existsSync(sourceOfScript(command[2]))).toBe(true);
    }
    expect(existsSync(path.join(root, 'Dockerfile'))).toBe(true);
    const dockerCmd = /CMD \["npm", "run", "([\w:]+)"\]/.exec(
      readFileSync(path.join(root, 'Dockerfile'), 'utf8'),
    );
    expect(existsSync(sourceOfScript(dockerCmd![1]))).toBe(true);
    expect(pkg.scripts.build).toMatch(/tsc/);
  });

  it('points the app at the Temporal service and binds the HTTP servers outside the container', () => {
    for (const [, service] of appServices)
      expect(service.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(compose.services.api.environment?.API_HOST).toBe('0.0.0.0');
    expect(compose.services.simulator.environment?.SIMULATOR_HOST).toBe('0.0.0.0');
  });

  it('gives the app its own database on the postgresql service, and sets the namespace retention on purpose', () => {
    const postgres = compose.services.postgresql;
    expect(postgres.volumes).toContain('./deploy/postgres-init:/docker-entrypoint-initdb.d:ro');
    const init = readFileSync(path.join(root, 'deploy/postgres-init/10-app-database.sh'), 'utf8');
    expect(init).toMatch(/CREATE DATABASE chorus OWNER chorus/);
    for (const [, service] of appServices) {
      const url = new URL(String(service.environment?.DATABASE_URL).replace(/\$\{[^}]+\}/, 'pw'));
      expect([url.protocol, url.hostname, url.pathname, url.username]).toEqual([
        'postgres:',
        'postgresql',
        '/chorus',
        'chorus',
      ]);
    }
    // Temporal's own database stays apart from the app's.
    expect(compose.services.temporal.environment?.POSTGRES_USER).toBe('temporal');
    expect(compose.services.temporal.environment?.DEFAULT_NAMESPACE_RETENTION).toBe('720h');
    expect(compose.services['temporal-setup'].environment?.TEMPORAL_RETENTION).toBe('720h');
    const setup = readFileSync(path.join(root, 'deploy/register-search-attributes.sh'), 'utf8');
    expect(setup).toMatch(/temporal operator namespace update .*--retention "\$RETENTION"/);
  });

  it('registers exactly the search attributes the workflows use', () => {
    const script = readFileSync(path.join(root, 'deploy/register-search-attributes.sh'), 'utf8');
    const registered = [...script.matchAll(/^\s+(\w+)=(\w+)/gm)]
      .map(([, name, type]) => `${name}=${type}`)
      .sort();
    const expected = SEARCH_ATTRIBUTES.map(
      (key) => `${key.name}=${key.type === 'BOOL' ? 'Bool' : 'Keyword'}`,
    ).sort();
    expect(registered).toEqual(expected);
    expect(compose.services['temporal-setup'].volumes).toContain('./deploy:/deploy:ro');
  });
});
