import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type Activities, type ActivityDependencies } from '../activities';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  taskQueue: string;
  namespace?: string;
  /** Dependencies handed to createActivities. */
  dependencies: ActivityDependencies;
  /** Replaces some activities, e.g. with fakes in tests. */
  activityOverrides?: Partial<Activities>;
  /** A prebuilt bundle (tests bundle once per file); otherwise the worker bundles workflows/ itself. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const activities = { ...createActivities(options.dependencies), ...options.activityOverrides };
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH }),
  });
}
