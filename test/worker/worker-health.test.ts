import { Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import got from 'got';
import { freePort } from '../../scripts/temporal';
import {
  createWorkerHealthApp,
  startWorkerHealthServer,
  temporalAnswersThrough,
  type WorkerHealthReport,
  type WorkerHealthServer,
} from '../../worker/health';
import { bundleWorkflowsOnce, connectTestEnv, uniqueTaskQueue } from '../helpers/temporal';

const health = (server: WorkerHealthServer) =>
  got(`${server.url}/healthz`, { throwHttpErrors: false, responseType: 'json', retry: { limit: 0 } });

describe('worker /healthz', () => {
  let env: TestWorkflowEnvironment;
  let reachable: Connection;
  let unreachable: Connection;
  beforeAll(async () => {
    env = await connectTestEnv();
    reachable = env.connection;
    // No retry interceptor: a retry scheduled after the deadline would outlive the closed channel.
    unreachable = Connection.lazy({
      address: `127.0.0.1:${await freePort()}`,
      connectTimeout: 300,
      interceptors: [],
    });
  });
  afterAll(async () => {
    await unreachable?.close();
    await env?.teardown();
  });

  it('is 503 before the worker runs, 200 while it polls and Temporal answers, 503 once it stopped', async () => {
    const taskQueue = uniqueTaskQueue('health');
    let worker: Worker | undefined;
    const server = await startWorkerHealthServer(
      createWorkerHealthApp({
        status: () => worker?.getStatus(),
        temporalAnswers: temporalAnswersThrough(reachable),
        taskQueue,
      }),
      { port: 0 },
    );
    try {
      const starting = await health(server);
      expect(starting.statusCode).toBe(503);
      expect(starting.body).toMatchObject({ status: 'unavailable', worker: 'STARTING', temporal: 'ok' });

      worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: await bundleWorkflowsOnce(),
        // The service's worker always has activities, so its activity poller runs too.
        activities: { ping: async () => 'pong' },
      });
      await worker.runUntil(async () => {
        // Pollers start right after run(); wait for the report to say so rather than sleeping.
        let report: WorkerHealthReport | undefined;
        for (let i = 0; i < 100 && report?.status !== 'ok'; i++) {
          report = (await health(server)).body as WorkerHealthReport;
          if (report.status !== 'ok') await new Promise((r) => setTimeout(r, 100));
        }
        expect(report).toMatchObject({
          status: 'ok',
          worker: 'RUNNING',
          pollers: { workflow: 'POLLING', activity: 'POLLING' },
          temporal: 'ok',
          taskQueue,
        });
      });
      const stopped = await health(server);
      expect(stopped.statusCode).toBe(503);
      expect(stopped.body).toMatchObject({ status: 'unavailable', worker: 'STOPPED' });
    } finally {
      await server.close();
    }
  });

  it('is 503 when Temporal does not answer, within the deadline', async () => {
    const server = await startWorkerHealthServer(
      createWorkerHealthApp(
        {
          status: () => ({
            runState: 'RUNNING',
            workflowPollerState: 'POLLING',
            activityPollerState: 'POLLING',
            hasOutstandingWorkflowPoll: true,
            hasOutstandingActivityPoll: true,
            numInFlightWorkflowActivations: 0,
            numInFlightActivities: 0,
            numInFlightNonLocalActivities: 0,
            numInFlightLocalActivities: 0,
            numCachedWorkflows: 0,
            numHeartbeatingActivities: 0,
          }),
          temporalAnswers: temporalAnswersThrough(unreachable),
          taskQueue: 'nowhere',
        },
        { timeoutMs: 500 },
      ),
      { port: 0 },
    );
    try {
      const started = Date.now();
      const response = await health(server);
      expect(response.statusCode).toBe(503);
      expect(response.body).toMatchObject({
        status: 'unavailable',
        worker: 'RUNNING',
        temporal: 'unreachable',
      });
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await server.close();
    }
  });

  it("serves /metrics even when the SDK's exporter does not answer, and says so", async () => {
    const server = await startWorkerHealthServer(
      createWorkerHealthApp(
        { status: () => undefined, temporalAnswers: async () => true, taskQueue: 'nowhere' },
        // A port nothing listens on: the exporter is down.
        { sdkMetricsUrl: `http://127.0.0.1:${await freePort()}/metrics` },
      ),
      { port: 0 },
    );
    try {
      const response = await got(`${server.url}/metrics`, { throwHttpErrors: false, retry: { limit: 0 } });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(response.body).toMatch(/^chorus_temporal_sdk_metrics_up 0$/m);
      expect(response.body).toMatch(/^# TYPE chorus_api_calls_total counter$/m);
      expect(response.body).not.toMatch(/^temporal_/m);
    } finally {
      await server.close();
    }
  });
});
