import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { ChorusEndpoints, ChorusEnvironment } from '../platform/config';
import type { ConnectionDirectory, ConnectionRecord } from '../platform/connections';
import type { Logger } from '../platform/logger';
import { joinLocalized, t } from '../domain/messages';
import {
  connectionStateQuery,
  connectionWorkflowId,
  type VerificationOutcome,
} from '../workflows/contracts/connection';
import { connectionHealthySignal, INVOICE_WORKFLOW_TYPE } from '../workflows/contracts/invoice';
import * as sa from '../workflows/contracts/search-attributes';
import { verifyConnection } from './connection-checks';
import type { ConnectionHealth } from './readiness';
import { jsonText, type AppDatabase } from '../platform/database';
import { eventSequenceOf } from './records';
import { TimedCache } from './timed-cache';

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

/** Verifying a connection, telling its waiting invoices it recovered, and its webhook. */
export function createConnectionActivities(deps: ConnectionActivityDependencies) {
  return {
    async verifyConnection(connectionId: string): Promise<VerificationOutcome> {
      const record = await requireConnection(deps.connections, connectionId);
      const result = await verifyConnection(record, {
        endpoints: deps.endpoints[record.environment],
        timeoutMs: deps.chorusTimeoutMs,
        logger: deps.logger,
      });
      return { ...result, checks: result.checks.map((c) => ({ ...c })) };
    },

    /** Queues a `connection.status_changed` event for the connection's webhook, if it has one (the outbox delivers it). */
    async notifyConnectionStatus(input: {
      connectionId: string;
      eventId: string;
      status: string;
      previousStatus: string;
      failingChecks: string[];
    }): Promise<void> {
      const { connectionId, eventId, status, previousStatus, failingChecks } = input;
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
          payload: jsonText(event),
          status: 'pending',
          next_attempt_at: occurredAt,
          created_at: occurredAt,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },

    /** Tells the invoices waiting for this connection that it works again. */
    async wakeWaitingInvoices(connectionId: string): Promise<number> {
      const client = deps.temporal();
      let woken = 0;
      const query = `WorkflowType = '${INVOICE_WORKFLOW_TYPE}' AND ${sa.ConnectionId.name} = '${connectionId}' AND ${sa.InvoiceStatus.name} = 'WAITING_FOR_CONNECTION' AND ExecutionStatus = 'Running'`;
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
  return sharingHealthyAnswers(async (connection: ConnectionRecord): Promise<ConnectionHealth> => {
    try {
      const view = await temporal()
        .workflow.getHandle(connectionWorkflowId(connection.id))
        .query(connectionStateQuery);
      if (view.status === 'CONNECTED' || view.status === 'DEGRADED') return { healthy: true };
      if (view.status === 'VERIFYING')
        return { healthy: false, reason: t('connection.health.verifying', { id: connection.id }) };
      const failing = view.checks.filter((c) => c.result === 'failed');
      const details = joinLocalized(
        failing.flatMap((c) => [
          { en: c.message, fr: c.messageFr ?? c.message },
          ...(c.remedy ? [c.remedy] : []),
        ]),
      );
      return {
        healthy: false,
        reason: t('connection.health.failed', { id: connection.id, status: view.status, details }),
      };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { healthy: true };
      throw err;
    }
  });
}

/** How long a worker keeps a connection's "healthy" answer (HEALTHY_ANSWER_KEPT_MS). */
export const HEALTHY_ANSWER_KEPT_MS = 2_000;

/**
 * One health question per connection at a time in a worker, and a healthy answer kept for
 * `keptMs`: a burst of invoices on one connection asks its workflow once every two seconds, not once
 * per invoice (each query waits for one of the worker's workflow task slots, which a burst keeps
 * busy). An unhealthy answer is never kept, so a repaired connection is seen at once; a connection
 * that fails within the two seconds is found by the Chorus calls themselves (their credentials
 * failures park the invoice).
 */
export function sharingHealthyAnswers(
  health: (connection: ConnectionRecord) => Promise<ConnectionHealth>,
  keptMs = HEALTHY_ANSWER_KEPT_MS,
): (connection: ConnectionRecord) => Promise<ConnectionHealth> {
  const answers = new TimedCache<ConnectionHealth>(keptMs);
  return async (connection) => {
    const answer = await answers.get(connection.id, () => health(connection));
    if (!answer.healthy) answers.deleteWhere((id) => id === connection.id);
    return answer;
  };
}
