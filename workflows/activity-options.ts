import type { ActivityOptions } from '@temporalio/common';

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
