import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { startHttpTarget, type HttpTarget } from '../helpers/http-target';
import { connectTestEnv, encryptedClient, uniqueTaskQueue, uniqueWorkflowId } from '../helpers/temporal';
import { createSmokeActivities } from './fixtures/smoke-activities';
import { connectivitySmokeWorkflow } from './fixtures/smoke-workflow';

describe('a worker with a test workflow and activity on the real dev server', () => {
  let env: TestWorkflowEnvironment;
  let target: HttpTarget;
  let workflowBundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    [env, target, workflowBundle] = await Promise.all([
      connectTestEnv(),
      startHttpTarget(),
      bundleWorkflowCode({
        workflowsPath: require.resolve('./fixtures/smoke-workflow'),
        logger: new DefaultLogger('WARN'),
      }),
    ]);
  });
  afterAll(async () => {
    await env?.teardown();
    await target?.close();
  });

  async function runSmoke(url: string) {
    const taskQueue = uniqueTaskQueue('smoke');
    const { client, dataConverter } = encryptedClient(env);
    const worker = await Worker.create({
      dataConverter,
      connection: env.nativeConnection,
      namespace: env.namespace,
      taskQueue,
      activities: createSmokeActivities({ httpTimeoutMs: 2_000 }),
      workflowBundle,
    });
    return worker.runUntil(
      client.workflow.execute(connectivitySmokeWorkflow, {
        taskQueue,
        workflowId: uniqueWorkflowId('smoke'),
        args: [{ url }],
      }),
    );
  }

  it('GETs the URL from an activity and returns its status', async () => {
    const result = await runSmoke(`${target.url}/status/200`);
    expect(result).toEqual({ url: `${target.url}/status/200`, statusCode: 200, ok: true });
    expect(target.hits['/status/200']).toBe(1);
  });

  it('reports a non-2xx answer as a status, not a failure (so it is not retried)', async () => {
    const result = await runSmoke(`${target.url}/status/503`);
    expect(result).toMatchObject({ statusCode: 503, ok: false });
    expect(target.hits['/status/503']).toBe(1);
  });
});
