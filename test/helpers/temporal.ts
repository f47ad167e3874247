/**
 * Test files talk to the ONE dev server that test/setup/global-setup.ts started for the whole run.
 *
 * Runtime note: the Temporal Runtime must be installed before anything creates a NativeConnection
 * (TestWorkflowEnvironment and Worker do). Jest gives each test file its own module registry, hence its own
 * Runtime singleton; connectTestEnv() installs it, quiet, once per file. Call teardown() in afterAll so the
 * native connection closes and the Runtime shuts down: jest then exits by itself (no --forceExit). With
 * --detectOpenHandles jest still lists a "neon threadsafe function" created by NativeConnection (a known SDK
 * report, sdk-typescript #928); it no longer holds the event loop once teardown() has run.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createLogger } from '../../platform/logger';
import { AesGcmPayloadCodec, dataConverterFor } from '../../platform/payload-codec';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { resolveTestServer } from '../../scripts/temporal';
import { freePort, temporalAnswers } from '../../scripts/temporal/dev-server';
import { bundleWorkflows } from '../../worker';
import { installRuntime } from '../../worker/runtime';
import { TEST_SERVER_RECORD, type TestServerRecord } from './test-server-record';

export interface TestServer {
  address: string;
  namespace: string;
}

/** From TEMPORAL_TEST_ADDRESS (set by global setup), else from the file global setup wrote. */
export function testServer(): TestServer {
  const fromEnv = process.env.TEMPORAL_TEST_ADDRESS;
  if (fromEnv) return { address: fromEnv, namespace: process.env.TEMPORAL_TEST_NAMESPACE ?? 'default' };
  try {
    const record = JSON.parse(readFileSync(TEST_SERVER_RECORD, 'utf8')) as TestServerRecord;
    return { address: record.address, namespace: record.namespace };
  } catch {
    throw new Error('No Temporal test server: run tests through jest (its global setup starts one).');
  }
}

export function installTestRuntime(): void {
  installRuntime(createLogger({ name: 'test', level: process.env.TEST_LOG_LEVEL ?? 'error' }));
}

export async function connectTestEnv(server: TestServer = testServer()): Promise<TestWorkflowEnvironment> {
  installTestRuntime();
  const { address, namespace } = server;
  return TestWorkflowEnvironment.createFromExistingServer({ address, namespace });
}

/** The SDK's own environment factory, which accepts an existing server that skips time. */
interface EnvironmentFactory {
  create(options: {
    server: { type: 'existing' };
    address: string;
    namespace: string;
    supportsTimeSkipping: boolean;
  }): Promise<TestWorkflowEnvironment>;
}

/**
 * The time-skipping test server (for the rare "days pass" test), from the pinned wheel or
 * TEMPORAL_TEST_SERVER_PATH: never the SDK's download. The SDK would start it within a fixed
 * 5-second window, which a busy machine misses; so it is started here and waited for as long as
 * it takes (up to `readyTimeoutMs`), then the SDK's environment connects to it with time skipping.
 * teardown() closes the connections; `stop()` ends the server.
 */
export async function createTimeSkippingTestEnv(
  readyTimeoutMs = 120_000,
): Promise<{ env: TestWorkflowEnvironment; stop: () => Promise<void> }> {
  installTestRuntime();
  const { path: executable } = await resolveTestServer();
  const port = await freePort();
  const child = spawn(executable, [String(port)], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const address = `127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  try {
    while (!(await temporalAnswers(address, 'default'))) {
      if (child.exitCode !== null)
        throw new Error(`the time-skipping test server exited (${child.exitCode})`);
      if (Date.now() > deadline)
        throw new Error(`the time-skipping test server did not answer within ${readyTimeoutMs / 1000}s`);
      await sleep(250);
    }
    const factory = TestWorkflowEnvironment as unknown as EnvironmentFactory;
    const env = await factory.create({
      server: { type: 'existing' },
      address,
      namespace: 'default',
      supportsTimeSkipping: true,
    });
    return { env, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A task queue no other test (or earlier run on the same server) polls. */
export function uniqueTaskQueue(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

export const uniqueWorkflowId = uniqueTaskQueue;

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Bundles workflows/ once per test file (module state is per file under jest); webpack takes seconds. */
export function bundleWorkflowsOnce(): Promise<WorkflowBundleWithSourceMap> {
  installTestRuntime();
  bundle ??= bundleWorkflows();
  return bundle;
}

/**
 * A payload codec with a fresh key, its data converter and a client on `env` that uses it: what
 * the service's worker and API share, for tests that run the real worker.
 */
export function encryptedClient(env: TestWorkflowEnvironment): {
  codec: AesGcmPayloadCodec;
  dataConverter: DataConverter;
  client: Client;
} {
  const codec = new AesGcmPayloadCodec([{ id: 'test', key: randomBytes(32) }]);
  const dataConverter = dataConverterFor(codec);
  return {
    codec,
    dataConverter,
    client: new Client({ connection: env.connection, namespace: env.namespace, dataConverter }),
  };
}
