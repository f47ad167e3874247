/**
 * What workflow time reads around a local activity, on the first run and on a replay (this SDK
 * version's behaviour, which the invoice's audit times rely on: see workflows/invoice/clock.ts).
 * The query of a closed workflow is answered by replaying its history on a worker without a cache.
 */
import type { Duration } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { connectTestEnv, uniqueTaskQueue, uniqueWorkflowId } from '../helpers/temporal';
import { createPauseActivities } from './fixtures/local-activity-time-activities';
import {
  localActivityRetryWorkflow,
  localActivityTimeWorkflow,
  timesQuery,
  type LocalActivityTimes,
} from './fixtures/local-activity-time-workflow';
import { LOCAL_QUOTA_WAIT_MS } from '../../workflows/contracts/failures';

describe('workflow time after a local activity', () => {
  let env: TestWorkflowEnvironment;
  let workflowBundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    [env, workflowBundle] = await Promise.all([
      connectTestEnv(),
      bundleWorkflowCode({
        workflowsPath: require.resolve('./fixtures/local-activity-time-workflow'),
        logger: new DefaultLogger('WARN'),
      }),
    ]);
  });
  afterAll(async () => {
    await env?.teardown();
  });

  /** A worker of the fixture's workflows and pause activities on its own task queue. */
  function workerOn(taskQueue: string, options: { maxCachedWorkflows?: number } = {}): Promise<Worker> {
    return Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace,
      taskQueue,
      activities: createPauseActivities(),
      workflowBundle,
      ...options,
    });
  }

  async function runAndReplay(pauseMs: number, workflowTaskTimeout?: Duration, commandBefore = false) {
    const taskQueue = uniqueTaskQueue('la-time');
    const workflowId = uniqueWorkflowId('la-time');
    const worker = await workerOn(taskQueue, { maxCachedWorkflows: 0 });
    return worker.runUntil(async () => {
      const handle = await env.client.workflow.start(localActivityTimeWorkflow, {
        taskQueue,
        workflowId,
        args: [pauseMs, commandBefore],
        ...(workflowTaskTimeout ? { workflowTaskTimeout } : {}),
      });
      const firstRun = await handle.result();
      const replayed = await handle.query(timesQuery);
      const history = await handle.fetchHistory();
      await Worker.runReplayHistory({ workflowBundle }, history, workflowId);
      return { firstRun, replayed };
    });
  }

  /** After the activity, workflow time is its end as the SDK rounds it: a replay may read it 1 ms off. */
  function expectAboutTheSameEnd(replayed: LocalActivityTimes | undefined, firstRun: LocalActivityTimes) {
    expect(replayed?.completedAtMs).toBe(firstRun.completedAtMs);
    expect(Math.abs(replayed!.afterMs - firstRun.afterMs)).toBeLessThanOrEqual(1);
  }

  it('moves with the activity, and a replay reads the time before it and about the same after it', async () => {
    const { firstRun, replayed } = await runAndReplay(1_000);
    expect(replayed?.beforeMs).toBe(firstRun.beforeMs);
    expectAboutTheSameEnd(replayed, firstRun);
    // After the activity, workflow time is about its end, not the start of the workflow task.
    expect(firstRun.afterMs - firstRun.beforeMs).toBeGreaterThanOrEqual(900);
  }, 60_000);

  it('reads the same time before it on a replay when it outlasts its workflow task, which sent a command', async () => {
    // Past 80 % of the workflow task timeout the worker heartbeats the task: the activity spans tasks.
    const { firstRun, replayed } = await runAndReplay(2_500, '2 seconds', true);
    expect(replayed?.beforeMs).toBe(firstRun.beforeMs);
    expectAboutTheSameEnd(replayed, firstRun);
  }, 60_000);

  it('reads a later time before it on a replay when its first workflow task sent no command', async () => {
    // The SDK's behaviour the invoice workflow stays clear of: each of its steps that starts a local
    // activity also upserts and records a status (test/workflows/invoice-workflow.mocked-activities).
    const { firstRun, replayed } = await runAndReplay(2_500, '2 seconds', false);
    expect(replayed!.beforeMs).toBeGreaterThan(firstRun.beforeMs);
    expectAboutTheSameEnd(replayed, firstRun);
  }, 60_000);

  it.each([2, 3])(
    'gives attempt %i its own window, so that a Chorus call waits its quota turn in it',
    async (succeedOn) => {
      const taskQueue = uniqueTaskQueue('la-window');
      const worker = await workerOn(taskQueue);
      const window = await worker.runUntil(
        env.client.workflow.execute(localActivityRetryWorkflow, {
          taskQueue,
          workflowId: uniqueWorkflowId('la-window'),
          args: [succeedOn],
        }),
      );
      expect(window.attempt).toBe(succeedOn);
      expect(window.startToCloseTimeoutMs).toBe(120_000);
      expect(window.scheduleToCloseTimeoutMs).toBe(0);
      // Attempt 2 comes after a backoff in the worker (0.5 s, which its window counts: the quota wait
      // then errs on the early side), attempt 3 after a workflow timer (2 s): either way the window
      // is the attempt's own, not the first attempt's.
      expect(window.nowMs - window.currentAttemptScheduledTimestampMs).toBeLessThan(1_000);
      // So its window reaches the attempt's own deadline, less the call's HTTP timeout…
      expect(window.windowAllowsUntilMs).toBe(
        window.currentAttemptScheduledTimestampMs + window.startToCloseTimeoutMs - 30_000,
      );
      // …but a local activity's call waits at most LOCAL_QUOTA_WAIT_MS, then retries on a timer.
      expect(window.quotaWaitUntilMs).toBe(window.nowMs + LOCAL_QUOTA_WAIT_MS);
    },
    60_000,
  );
});
