import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { startHttpTarget, type HttpTarget } from '../helpers/http-target';
import {
  createTimeSkippingTestEnv,
  encryptedClient,
  uniqueTaskQueue,
  uniqueWorkflowId,
} from '../helpers/temporal';
import { createSmokeActivities } from './fixtures/smoke-activities';
import { connectivitySmokeWorkflow } from './fixtures/smoke-workflow';

describe('time-skipping test server from the pinned wheel', () => {
  let env: TestWorkflowEnvironment;
  let stopServer: () => Promise<void>;
  let target: HttpTarget;
  beforeAll(async () => {
    const [started, http] = await Promise.all([createTimeSkippingTestEnv(), startHttpTarget()]);
    ({ env, stop: stopServer } = started);
    target = http;
  });
  afterAll(async () => {
    await env?.teardown();
    await stopServer?.();
    await target?.close();
  });

  it('starts offline, skips time, and runs a workflow', async () => {
    expect(env.supportsTimeSkipping).toBe(true);
    const before = await env.currentTimeMs();
    await env.sleep('3 days');
    expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(3 * 24 * 3600 * 1000);

    const taskQueue = uniqueTaskQueue('time-skipping');
    const { client, dataConverter } = encryptedClient(env);
    const worker = await Worker.create({
      dataConverter,
      connection: env.nativeConnection,
      taskQueue,
      activities: createSmokeActivities({ httpTimeoutMs: 2_000 }),
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: require.resolve('./fixtures/smoke-workflow'),
        logger: new DefaultLogger('WARN'),
      }),
    });
    const result = await worker.runUntil(
      client.workflow.execute(connectivitySmokeWorkflow, {
        taskQueue,
        workflowId: uniqueWorkflowId('time-skipping'),
        args: [{ url: `${target.url}/status/204` }],
      }),
    );
    expect(result).toMatchObject({ statusCode: 204, ok: true });
  });
});
