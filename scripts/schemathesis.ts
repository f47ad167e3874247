/**
 * Schemathesis (the OpenAPI fuzzer the test suite runs against the real stack), pinned, from PyPI,
 * in the checkout's `.tools/venv` (the same virtualenv the Temporal wheels use):
 *   npm run schemathesis -- install    install it when missing (./run test does this)
 *   npm run schemathesis -- path       print the executable
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CHECKOUT_DIR } from './temporal/binaries';

export const SCHEMATHESIS_VERSION = '4.32.5';

export const VENV_DIR = path.join(CHECKOUT_DIR, '.tools', 'venv');
export const schemathesisPath = () => path.join(VENV_DIR, 'bin', 'schemathesis');
export const venvPython = () => path.join(VENV_DIR, 'bin', 'python');

function run(command: string, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error) return { ok: false, output: result.error.message };
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

/** The version installed in the venv, if any. */
export function installedVersion(): string | undefined {
  if (!existsSync(venvPython())) return undefined;
  const shown = run(venvPython(), ['-m', 'pip', 'show', '--disable-pip-version-check', 'schemathesis']);
  return shown.ok ? /^Version: (.+)$/m.exec(shown.output)?.[1]?.trim() : undefined;
}

/** Installs the pinned Schemathesis when the venv does not have it; returns the executable. */
export function ensureSchemathesis(
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): string {
  if (installedVersion() === SCHEMATHESIS_VERSION && existsSync(schemathesisPath()))
    return schemathesisPath();
  if (!existsSync(venvPython())) {
    log(`Creating a Python virtualenv in ${path.relative(CHECKOUT_DIR, VENV_DIR)}…`);
    const created = run('python3', ['-m', 'venv', VENV_DIR]);
    if (!created.ok) {
      throw new Error(
        `python3 -m venv failed (${created.output}); install Python 3 with venv and pip (Debian: apt-get install python3-venv).`,
      );
    }
  }
  log(`Installing Schemathesis ${SCHEMATHESIS_VERSION} from PyPI…`);
  const installed = run(venvPython(), [
    '-m',
    'pip',
    'install',
    '--disable-pip-version-check',
    '--no-input',
    '--quiet',
    `schemathesis==${SCHEMATHESIS_VERSION}`,
  ]);
  if (!installed.ok || !existsSync(schemathesisPath())) {
    throw new Error(`pip could not install schemathesis==${SCHEMATHESIS_VERSION}: ${installed.output}`);
  }
  return schemathesisPath();
}

if (require.main === module) {
  const command = process.argv[2];
  if (command === 'install') {
    process.stdout.write(`Schemathesis ${SCHEMATHESIS_VERSION}: ${ensureSchemathesis()}\n`);
  } else if (command === 'path') {
    process.stdout.write(`${ensureSchemathesis()}\n`);
  } else {
    process.stderr.write('usage: npm run schemathesis -- install | path\n');
    process.exit(2);
  }
}
