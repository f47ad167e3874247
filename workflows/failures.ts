import { ActivityFailure, ApplicationFailure, getExternalWorkflowHandle, log } from '@temporalio/workflow';
import { connectionTroubleSignal, connectionWorkflowId } from './contracts/connection';
import { CONNECTION_PROBLEM_TYPES } from './contracts/failures';

/** How workflows read activity failures, and tell a connection about credentials failures. */

/**
 * The `ApplicationFailure.type` an activity failed with, if any. An activity's failure wraps the
 * activity's own (`ActivityFailure`); a local activity's reaches the workflow bare (SDK 1.24).
 */
export function failureType(err: unknown): string | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

export function failureMessage(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}

/** A failure that means "the connection needs fixing", never "the invoice is wrong". */
export function isConnectionProblem(err: unknown): boolean {
  const type = failureType(err);
  return type !== undefined && (CONNECTION_PROBLEM_TYPES as readonly string[]).includes(type);
}

/** Signals the connection's workflow; a connection without one (configured by file only) has nobody to tell. */
export async function reportConnectionTrouble(
  connectionId: string,
  reason: string,
  reportedBy: string,
): Promise<void> {
  try {
    await getExternalWorkflowHandle(connectionWorkflowId(connectionId)).signal(connectionTroubleSignal, {
      reason,
      reportedBy,
    });
  } catch (err) {
    log.info('no connection workflow to tell about a credentials failure', {
      connectionId,
      error: String(err),
    });
  }
}
