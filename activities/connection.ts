import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { ChorusEndpoints, ChorusEnvironment } from '../platform/config';
import type { ConnectionDirectory, ConnectionRecord } from '../platform/connections';
import type { Logger } from '../platform/logger';
import {
  connectionStateQuery,
  connectionWorkflowId,
  type ConnectionActivities,
  type VerificationOutcome,
} from '../workflows/connection/definitions';
import { connectionHealthySignal } from '../workflows/invoice/definitions';
import type { ConnectionHealth } from '../workflows/invoice/activity-types';
import { verifyConnection } from './connection-checks';
import type { AppDatabase } from '../platform/database';
import { eventSequenceOf } from './records';

export interface ConnectionActivityDependencies {
  connections: ConnectionDirectory;
  endpoints: Record<ChorusEnvironment, ChorusEndpoints>;
  chorusTimeoutMs: number;
  temporal: () => Client;
  logger: Logger;
  /** Connection events go to the webhook outbox like invoice events. */
  db: AppDatabase;
}

/** The connection's record; an unknown connection fails the activity for good (no retry helps). */
export async function requireConnection(
  connections: ConnectionDirectory,
  connectionId: string,
): Promise<ConnectionRecord> {
  const record = await connections.get(connectionId);
  if (!record) {
    throw ApplicationFailure.create({
      type: 'UnknownConnection',
      message: `No connection "${connectionId}" is configured.`,
      nonRetryable: true,
    });
  }
  return record;
}

export function createConnectionActivities(deps: ConnectionActivityDependencies): ConnectionActivities {
  return {
    async verifyConnection(connectionId): Promise<VerificationOutcome> {
      const record = await requireConnection(deps.connections, connectionId);
      const result = await verifyConnection(record, {
        endpoints: deps.endpoints[record.environment],
        timeoutMs: deps.chorusTimeoutMs,
        logger: deps.logger,
      });
      return { ...result, checks: result.checks.map((c) => ({ ...c })) };
    },

    async notifyConnectionStatus({ connectionId, eventId, status, previousStatus, failingChecks }) {
      const summary = await deps.connections.describe(connectionId);
      if (!summary?.webhookUrl) return;
      const occurredAt = new Date().toISOString();
      const event = {
        id: eventId,
        type: 'connection.status_changed',
        occurredAt,
        connection: { id: connectionId, status, previousStatus, failingChecks },
      };
      await deps.db
        .insertInto('webhook_events')
        .values({
          id: eventId,
          stream: eventId.slice(0, eventId.lastIndexOf('#')),
          sequence: eventSequenceOf(eventId),
          connection_id: connectionId,
          type: event.type,
          url: summary.webhookUrl,
          payload: JSON.stringify(event),
          status: 'pending',
          next_attempt_at: occurredAt,
          created_at: occurredAt,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },

    async wakeWaitingInvoices(connectionId): Promise<number> {
      const client = deps.temporal();
      let woken = 0;
      const query = `WorkflowType = 'invoiceWorkflow' AND ConnectionId = '${connectionId}' AND InvoiceStatus = 'WAITING_FOR_CONNECTION' AND ExecutionStatus = 'Running'`;
      for await (const execution of client.workflow.list({ query })) {
        await client.workflow.getHandle(execution.workflowId).signal(connectionHealthySignal);
        woken += 1;
      }
      return woken;
    },
  };
}

/**
 * The answer invoices get to "may I use this connection now?": the connection workflow's status
 * when it runs (CONNECTED or DEGRADED: yes; else no, with the failing checks and their remedies);
 * a configured record without a workflow is taken as usable.
 */
export function connectionHealthFromWorkflow(temporal: () => Client) {
  return async (connection: ConnectionRecord): Promise<ConnectionHealth> => {
    try {
      const view = await temporal()
        .workflow.getHandle(connectionWorkflowId(connection.id))
        .query(connectionStateQuery);
      if (view.status === 'CONNECTED' || view.status === 'DEGRADED') return { healthy: true };
      if (view.status === 'VERIFYING')
        return { healthy: false, reason: `Connection ${connection.id} is being verified.` };
      const failing = view.checks.filter((c) => c.result === 'failed');
      return {
        healthy: false,
        reason: `Connection ${connection.id} is ${view.status}: ${failing.map((c) => `${c.message}${c.remedy ? ` ${c.remedy.en}` : ''}`).join(' ')}`,
      };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { healthy: true };
      throw err;
    }
  };
}
