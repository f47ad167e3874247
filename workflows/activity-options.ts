import type { ActivityOptions, LocalActivityOptions } from '@temporalio/common';

/**
 * Activities heartbeat while they run (the worker's interceptor): one whose worker died is seen as
 * timed out after this long, not after its whole start-to-close timeout.
 */
export const ACTIVITY_HEARTBEAT_TIMEOUT = '30 seconds';

/** Webhook deliveries: retried for a while (about two hours), never awaited by a lifecycle. */
export const WEBHOOK_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    maximumAttempts: 10,
  },
};

/**
 * Database records of an invoice (its row and webhook outbox): retried until the database answers,
 * one at a time and in order, never awaited by a lifecycle step. A local activity: one marker in the
 * history instead of an activity's three events and the workflow task after them.
 */
export const RECORD_ACTIVITY_OPTIONS: LocalActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};
