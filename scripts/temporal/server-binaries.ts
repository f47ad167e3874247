import { spawnSync } from 'node:child_process';
import { constants, existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHECKOUT_DIR } from './binaries';

/**
 * The Temporal server release that `./run production-check` runs natively, built from its Go module
 * through the Go module proxy; docker-compose.yml runs the images of the same release
 * (temporalio/server and temporalio/admin-tools), which test/deploy/compose.test.ts checks.
 */
export const TEMPORAL_SERVER_RELEASE = {
  module: 'go.temporal.io/server',
  version: '1.32.0',
  /** The main packages: the server and its SQL schema tool (what admin-tools ships as temporal-sql-tool). */
  packages: { server: 'cmd/server', sqlTool: 'cmd/tools/sql' },
} as const;

export interface TemporalServerBinaries {
  server: string;
  sqlTool: string;
  /** `schema/postgresql/v12` of the same release (temporal/ and visibility/ versioned schemas). */
  postgresSchemaDir: string;
  source: 'env' | 'checkout-cache' | 'user-cache' | 'built';
  /** Seconds `go install` took when this call built them. */
  buildSeconds?: number;
}

const FOLDER = `temporal-server-${TEMPORAL_SERVER_RELEASE.version}`;

export function serverCheckoutCache(checkoutDir = CHECKOUT_DIR): string {
  return path.join(checkoutDir, '.tools', FOLDER);
}

export function serverUserCache(env: NodeJS.ProcessEnv = process.env): string {
  const cacheHome = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache');
  return path.join(cacheHome, 'chorus-pro-submission', FOLDER);
}

export class TemporalServerBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemporalServerBuildError';
  }
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await fs.access(file, constants.X_OK);
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

function layoutOf(dir: string, source: TemporalServerBinaries['source']): TemporalServerBinaries {
  return {
    server: path.join(dir, 'temporal-server'),
    sqlTool: path.join(dir, 'temporal-sql-tool'),
    postgresSchemaDir: path.join(dir, 'schema', 'postgresql', 'v12'),
    source,
  };
}

async function complete(layout: TemporalServerBinaries): Promise<boolean> {
  return (
    (await isExecutable(layout.server)) &&
    (await isExecutable(layout.sqlTool)) &&
    existsSync(path.join(layout.postgresSchemaDir, 'temporal', 'versioned')) &&
    existsSync(path.join(layout.postgresSchemaDir, 'visibility', 'versioned'))
  );
}

/** Hard links when both sides share a file system (the server is ~200 MB), else copies; atomically renamed. */
async function placeTree(source: string, target: string): Promise<void> {
  const temporary = `${target}.${process.pid}.tmp`;
  await fs.rm(temporary, { recursive: true, force: true });
  await fs.mkdir(path.dirname(target), { recursive: true });
  const copy = async (from: string, to: string): Promise<void> => {
    const stat = await fs.stat(from);
    if (stat.isDirectory()) {
      await fs.mkdir(to, { recursive: true });
      for (const entry of await fs.readdir(from)) await copy(path.join(from, entry), path.join(to, entry));
      return;
    }
    try {
      await fs.link(from, to);
    } catch {
      await fs.copyFile(from, to);
    }
  };
  await copy(source, temporary);
  await fs.rm(target, { recursive: true, force: true });
  await fs.rename(temporary, target);
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string) {
  const result = spawnSync(command, args, { env, cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return {
    ok: !result.error && result.status === 0,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? result.error.message : ''}`.trim(),
  };
}

/**
 * `go install go.temporal.io/server/cmd/server@v1.32.0 …/cmd/tools/sql@v1.32.0` into a fresh folder,
 * plus the release's PostgreSQL schema from the downloaded module. The module's go.mod has no replace
 * directive, so `go install pkg@version` works; it needs a Go at least as new as the module's `go` line.
 */
async function build(target: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<number> {
  const go = run('go', ['version'], env);
  if (!go.ok) {
    throw new TemporalServerBuildError(
      `The Go toolchain (go) was not found, and it is needed to build the Temporal server ${TEMPORAL_SERVER_RELEASE.version} ` +
        `from ${TEMPORAL_SERVER_RELEASE.module}. Install Go 1.26 or newer (https://go.dev/dl, or your system's ` +
        `golang package when recent enough), or set TEMPORAL_SERVER_PATH, TEMPORAL_SQL_TOOL_PATH and TEMPORAL_SCHEMA_DIR.`,
    );
  }
  const { module, version, packages } = TEMPORAL_SERVER_RELEASE;
  const staging = `${target}.${process.pid}.build`;
  await fs.rm(staging, { recursive: true, force: true });
  await fs.mkdir(path.join(staging, 'bin'), { recursive: true });
  log(
    `Building the Temporal server ${version} and temporal-sql-tool from ${module} with ${go.output} ` +
      '(first time only: several minutes and about 2 GB of Go module and build cache)…',
  );
  const started = Date.now();
  const installed = run(
    'go',
    ['install', `${module}/${packages.server}@v${version}`, `${module}/${packages.sqlTool}@v${version}`],
    { ...env, GOBIN: path.join(staging, 'bin'), GOFLAGS: `${env.GOFLAGS ?? ''} -buildvcs=false`.trim() },
  );
  const seconds = Math.round((Date.now() - started) / 1000);
  if (!installed.ok) {
    await fs.rm(staging, { recursive: true, force: true });
    throw new TemporalServerBuildError(
      `go install failed after ${seconds}s:\n${installed.output.slice(-4000)}`,
    );
  }
  const moduleDir = run('go', ['mod', 'download', '-json', `${module}@v${version}`], env);
  let dir: string | undefined;
  try {
    dir = (JSON.parse(moduleDir.output) as { Dir?: string }).Dir;
  } catch {
    dir = undefined;
  }
  if (!dir)
    throw new TemporalServerBuildError(
      `could not locate the ${module} module: ${moduleDir.output.slice(-2000)}`,
    );
  await fs.rename(path.join(staging, 'bin', 'server'), path.join(staging, 'temporal-server'));
  await fs.rename(path.join(staging, 'bin', 'sql'), path.join(staging, 'temporal-sql-tool'));
  await fs.rm(path.join(staging, 'bin'), { recursive: true, force: true });
  await fs.cp(path.join(dir, 'schema', 'postgresql'), path.join(staging, 'schema', 'postgresql'), {
    recursive: true,
  });
  // The module cache is read-only: the copies must be removable by the next build.
  await fs.chmod(path.join(staging, 'schema'), 0o755);
  run('chmod', ['-R', 'u+w', path.join(staging, 'schema')], env);
  await fs.rm(target, { recursive: true, force: true });
  await fs.rename(staging, target);
  log(`Temporal server ${version} built in ${seconds}s.`);
  return seconds;
}

/**
 * The server, its SQL tool and schema: `TEMPORAL_SERVER_PATH` + `TEMPORAL_SQL_TOOL_PATH` + `TEMPORAL_SCHEMA_DIR`,
 * else `.tools/temporal-server-<version>/`, else the per-user cache (`~/.cache/chorus-pro-submission/`,
 * linked into `.tools`), else built with `go install` and cached in both places.
 */
export async function resolveTemporalServer(
  options: {
    env?: NodeJS.ProcessEnv;
    checkoutDir?: string;
    log?: (line: string) => void;
    install?: boolean;
  } = {},
): Promise<TemporalServerBinaries> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (env.TEMPORAL_SERVER_PATH || env.TEMPORAL_SQL_TOOL_PATH || env.TEMPORAL_SCHEMA_DIR) {
    const layout: TemporalServerBinaries = {
      server: path.resolve(env.TEMPORAL_SERVER_PATH ?? ''),
      sqlTool: path.resolve(env.TEMPORAL_SQL_TOOL_PATH ?? ''),
      postgresSchemaDir: path.resolve(env.TEMPORAL_SCHEMA_DIR ?? ''),
      source: 'env',
    };
    if (!(await complete(layout))) {
      throw new TemporalServerBuildError(
        'TEMPORAL_SERVER_PATH, TEMPORAL_SQL_TOOL_PATH and TEMPORAL_SCHEMA_DIR (schema/postgresql/v12 of the same release) ' +
          'must all be set and exist.',
      );
    }
    return layout;
  }
  const inCheckout = serverCheckoutCache(options.checkoutDir);
  const inCheckoutLayout = layoutOf(inCheckout, 'checkout-cache');
  if (await complete(inCheckoutLayout)) return inCheckoutLayout;
  const inUserCache = serverUserCache(env);
  if (await complete(layoutOf(inUserCache, 'user-cache'))) {
    try {
      await placeTree(inUserCache, inCheckout);
      return { ...inCheckoutLayout, source: 'user-cache' };
    } catch {
      return layoutOf(inUserCache, 'user-cache');
    }
  }
  if (options.install === false) {
    throw new TemporalServerBuildError(
      `Temporal server ${TEMPORAL_SERVER_RELEASE.version} not built yet: run \`./run production-check\` once.`,
    );
  }
  const seconds = await build(inUserCache, env, log).catch(async (err: unknown) => {
    if (err instanceof TemporalServerBuildError) throw err;
    // A read-only home: build into the checkout instead.
    log(`Could not build into ${inUserCache} (${(err as Error).message}); building into ${inCheckout}.`);
    return build(inCheckout, env, log);
  });
  if (await complete(layoutOf(inUserCache, 'user-cache'))) {
    await placeTree(inUserCache, inCheckout).catch(() => undefined);
  }
  const built = (await complete(inCheckoutLayout)) ? inCheckoutLayout : layoutOf(inUserCache, 'user-cache');
  return { ...built, source: 'built', buildSeconds: seconds };
}
