import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../../domain/actor';

/** What a verification reports (activities/connection-checks.ts); no secret in it. */
export interface ConnectionCheckView {
  id: string;
  result: 'ok' | 'warning' | 'failed' | 'skipped';
  ok: boolean;
  message: string;
  remedy?: { fr: string; en: string };
  checkedAt: string;
}

export type ConnectionStatus = 'VERIFYING' | 'CONNECTED' | 'DEGRADED' | 'FAILED';

export interface VerificationOutcome {
  status: Exclude<ConnectionStatus, 'VERIFYING'>;
  checks: ConnectionCheckView[];
  passwordExpiresOn?: string;
  daysUntilPasswordExpiry?: number;
  idStructureCPP?: number;
}

export interface ConnectionView {
  connectionId: string;
  status: ConnectionStatus;
  checks: ConnectionCheckView[];
  passwordExpiresOn?: string;
  lastVerifiedAt?: string;
  verifications: number;
}

export interface ConnectionWorkflowInput {
  connectionId: string;
  /** Re-verification interval (default '1 day'). */
  reverifyEvery?: string;
  /** Who created the connection (first run only). */
  createdBy?: Actor;
  carried?: Omit<ConnectionView, 'connectionId'> & { verificationPending?: boolean };
}

export const connectionStateQuery = defineQuery<ConnectionView>('connectionState');
export const verifyNowUpdate = defineUpdate<ConnectionView, [{ requestedBy?: Actor }]>('verifyNow');
export const credentialsChangedSignal = defineSignal<[{ changedBy?: Actor }]>('credentialsChanged');

export function connectionWorkflowId(connectionId: string): string {
  return `connection:${connectionId}`;
}

export interface ConnectionActivities {
  verifyConnection(connectionId: string): Promise<VerificationOutcome>;
  /** Tells the invoices waiting for this connection that it works again. */
  wakeWaitingInvoices(connectionId: string): Promise<number>;
  /** Posts a signed `connection.status_changed` event to the connection's webhook, if it has one. */
  notifyConnectionStatus(input: {
    connectionId: string;
    eventId: string;
    status: string;
    previousStatus: string;
    failingChecks: string[];
  }): Promise<void>;
}
