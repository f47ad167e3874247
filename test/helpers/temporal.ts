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
import { resolveTestServer } from '../../scripts/temporal';
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

/**
 * The time-skipping test server (for the rare "days pass" test), from the pinned wheel or
 * TEMPORAL_TEST_SERVER_PATH: never the SDK's download. One per call; teardown() stops it.
 */
export async function createTimeSkippingTestEnv(): Promise<TestWorkflowEnvironment> {
  installTestRuntime();
  const { path } = await resolveTestServer();
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path } },
  });
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
