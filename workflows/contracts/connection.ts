import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../../domain/actor';
import type { Localized } from '../../domain/messages';
import type { ConnectionActivities, LookupActivities } from '../../activities';
import type { AttachmentOutline, BuyerRequirements, DryRunResult } from '../../activities/lookups';
import type { Invoice } from '../../domain/invoice';

export type { ConnectionActivities, LookupActivities, AttachmentOutline, BuyerRequirements, DryRunResult };

/** What a verification reports (activities/connection-checks.ts); no secret in it. */
export interface ConnectionCheckView {
  id: string;
  result: 'ok' | 'warning' | 'failed' | 'skipped';
  ok: boolean;
  message: string;
  messageFr?: string;
  remedy?: Localized;
  checkedAt: string;
}

export type ConnectionStatus = 'VERIFYING' | 'CONNECTED' | 'DEGRADED' | 'FAILED';

export interface VerificationOutcome {
  status: Exclude<ConnectionStatus, 'VERIFYING'>;
  checks: ConnectionCheckView[];
  passwordExpiresOn?: string;
  /** Whole days left at `chorusTime`. */
  daysUntilPasswordExpiry?: number;
  /** Chorus's time during the verification (its answers' `Date` header, else the worker's clock). */
  chorusTime?: string;
  idStructureCPP?: number;
}

export interface ConnectionView {
  connectionId: string;
  status: ConnectionStatus;
  checks: ConnectionCheckView[];
  passwordExpiresOn?: string;
  /** The password-expiry countdown as of `chorusTime`, on Chorus's clock. */
  daysUntilPasswordExpiry?: number;
  /** Chorus's time at the last verification: the simulator's runs ahead of ours. */
  chorusTime?: string;
  lastVerifiedAt?: string;
  verifications: number;
  /** The last credentials failure reported by an invoice or the tracker, and when. */
  lastTrouble?: { at: string; reason: string; reportedBy: string };
}

export interface ConnectionWorkflowInput {
  connectionId: string;
  /** Re-verification interval (default '1 day'). */
  reverifyEvery?: string;
  /** Re-verification interval while FAILED, so a fixed account is noticed soon (default '5 minutes'). */
  recheckFailedEvery?: string;
  /** Who created the connection (first run only). */
  createdBy?: Actor;
  carried?: Omit<ConnectionView, 'connectionId'> & { verificationPending?: boolean };
}

export const connectionStateQuery = defineQuery<ConnectionView>('connectionState');
export const verifyNowUpdate = defineUpdate<ConnectionView, [{ requestedBy?: Actor }]>('verifyNow');
export const credentialsChangedSignal = defineSignal<[{ changedBy?: Actor }]>('credentialsChanged');
/**
 * Something using the connection met a credentials failure (401 on the account, token refused, 403
 * on a family): the connection re-verifies at once — once for a burst of reports.
 */
export const connectionTroubleSignal =
  defineSignal<[{ reason: string; reportedBy: string }]>('connectionTrouble');

export function connectionWorkflowId(connectionId: string): string {
  return `connection:${connectionId}`;
}

/** The workflow type name, for starting it by name, and its signature. */
export const CONNECTION_WORKFLOW_TYPE = 'connectionWorkflow';
export type ConnectionWorkflow = (input: ConnectionWorkflowInput) => Promise<void>;

/** What a buyer requires now, read through this connection (no invoice workflow). */
export const buyerRequirementsUpdate = defineUpdate<BuyerRequirements, [{ buyerSiret: string }]>(
  'buyerRequirements',
);
/** An invoice's readiness checklist, totals and exact payload, without starting or uploading anything. */
export const invoiceDryRunUpdate = defineUpdate<
  DryRunResult,
  [{ invoice: Omit<Invoice, 'attachments'>; attachments: AttachmentOutline[] }]
>('invoiceDryRun');
