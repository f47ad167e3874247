import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type ActivityInterceptors,
  type WorkflowBundleOption,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import type { Context as ActivityContext } from '@temporalio/activity';
import type { DataConverter } from '@temporalio/common';
import { createActivities, type Activities, type ActivityDependencies } from '../activities';
import { activityRetries } from '../platform/metrics';
import { limitWorkflowThreadHeap } from './heap';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  taskQueue: string;
  namespace?: string;
  /** Dependencies handed to createActivities. */
  dependencies: ActivityDependencies;
  /** Replaces some activities, e.g. with fakes in tests. */
  activityOverrides?: Partial<Activities>;
  /** Encrypts every payload (`payloadDataConverter`); the API's client must use the same keys. */
  dataConverter: DataConverter;
  /** A prebuilt bundle (tests bundle once per file; production loads dist/workflow-bundle.js); otherwise workflows/ is bundled here. */
  workflowBundle?: WorkflowBundleOption;
  /**
   * The sticky cache: how many workflows stay in memory between their tasks (the rest are replayed
   * from history when they wake), and how many workflow tasks run at once. Unset: the SDK's defaults.
   */
  cache?: { maxCachedWorkflows: number; maxConcurrentWorkflowTaskExecutions: number };
  /** The workflow thread's V8 heap limit in MiB (worker/heap.ts); unset or 0: V8's own. */
  workflowHeapMiB?: number;
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

/** Bundles workflows/ with webpack; only its warnings reach the Runtime logger (its stats are noise in a log). */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  const runtimeLogger = Runtime.instance().logger;
  const logger = new DefaultLogger('WARN', ({ level, message, meta }) =>
    runtimeLogger.log(level, message, meta),
  );
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger });
}

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const activities = { ...createActivities(options.dependencies), ...options.activityOverrides };
  limitWorkflowThreadHeap(options.workflowHeapMiB ?? 0);
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    dataConverter: options.dataConverter,
    activities,
    workflowBundle: options.workflowBundle ?? (await bundleWorkflows()),
    interceptors: { activity: [countActivityRetries, heartbeatWhileRunning] },
    // The SDK sends an activity's heartbeats at most every 0.8 × its heartbeat timeout (24 s of 30):
    // a server slow to take one for 6 s then times a live activity out. Every 10 s leaves 20 s.
    maxHeartbeatThrottleInterval: HEARTBEAT_SENT_AT_LEAST_EVERY,
    ...options.cache,
  });
}

/** How often a running activity tells Temporal it is alive (the SDK throttles what it sends). */
const HEARTBEAT_EVERY_MS = 5_000;
/** The longest the SDK holds a heartbeat back before sending it to the server. */
const HEARTBEAT_SENT_AT_LEAST_EVERY = '10 seconds';

/**
 * Every activity heartbeats while it runs, so that one whose worker died (a crash, a SIGKILL, a lost
 * host) is retried after its heartbeat timeout (ACTIVITY_HEARTBEAT_TIMEOUT) instead of its whole
 * start-to-close timeout: a deposit caught by a dying worker is looked up within seconds, not minutes.
 * Local activities are left alone: they die and are retried with their workflow task.
 */
function heartbeatWhileRunning(context: ActivityContext): ActivityInterceptors {
  if (context.info.isLocal) return {};
  return {
    inbound: {
      async execute(input, next) {
        context.heartbeat();
        const beat = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
        try {
          return await next(input);
        } finally {
          clearInterval(beat);
        }
      },
    },
  };
}

/** Every execution past the first attempt is a Temporal retry (Chorus calls themselves are never retried). */
function countActivityRetries(context: ActivityContext): ActivityInterceptors {
  if (context.info.attempt > 1) activityRetries.inc({ activity: context.info.activityType });
  return {};
}
