import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { TrackerActivities } from '../../activities';
import type { ChorusStatusObservation } from './invoice';

export type { TrackerActivities };

/**
 * One tracker per connection reads Chorus statuses in batches (`rechercher/fournisseur`, page by
 * page, only what changed since its cursor) and signals the invoice workflows whose status moved.
 */

export interface TrackedInvoice {
  workflowId: string;
  identifiantFactureCPP: number;
  /** When tracking started (workflow time, ISO): young invoices are polled more often. */
  since: string;
  lastStatus?: string;
  lastAt?: string;
}

export interface TrackerSchedule {
  /** Poll interval right after a deposit (e.g. '1 minute'). */
  fastest: string;
  /** Poll interval for old invoices (e.g. '6 hours'). */
  slowest: string;
  /** The interval grows with the age of the youngest tracked invoice: age × ageFactor, between the bounds. */
  ageFactor: number;
  /** `rechercher/fournisseur` page size. */
  pageSize: number;
}

export const DEFAULT_TRACKER_SCHEDULE: TrackerSchedule = {
  fastest: '1 minute',
  slowest: '6 hours',
  ageFactor: 0.05,
  pageSize: 100,
};

export interface TrackerInput {
  connectionId: string;
  tracked?: Record<string, TrackedInvoice>;
  /** Chorus time (ISO) of the most recent change already seen. */
  cursor?: string;
  schedule?: Partial<TrackerSchedule>;
  polls?: number;
}

export interface TrackerView {
  connectionId: string;
  tracked: number;
  cursor?: string;
  polls: number;
  lastPollAt?: string;
  lastPollPages?: number;
  nextPollInMs?: number;
}

export interface StatusChange {
  invoiceNumber: string;
  identifiantFactureCPP: number;
  status: string;
  /** Chorus's time of the status, ISO 8601 with its offset. */
  at: string;
  /** The same time as Chorus writes it, to the minute: what the next poll asks from. */
  cursor: string;
  comment?: string;
}

/**
 * Chorus statuses after which an invoice needs no more polling: paid, or ended unpaid. The tracker
 * drops an invoice by itself once it has told the invoice one of them; the invoice then does not
 * unregister.
 */
export const TRACKING_END_STATUSES: readonly string[] = [
  'MISE_EN_PAIEMENT',
  'REJETEE',
  'REFUSEE_1',
  'REFUSEE_2',
  'ABANDONNEE',
  'SUPPRIMEE',
];

export const trackInvoiceSignal =
  defineSignal<[{ invoiceNumber: string; workflowId: string; identifiantFactureCPP: number }]>(
    'trackInvoice',
  );
export const untrackInvoiceSignal = defineSignal<[{ invoiceNumber: string }]>('untrackInvoice');
export const trackerStateQuery = defineQuery<TrackerView>('trackerState');

export function trackerWorkflowId(connectionId: string): string {
  return `tracker:${connectionId}`;
}

export interface PollResult {
  changes: StatusChange[];
  /** `rechercher/fournisseur` pages read for this poll (the cost of one poll). */
  pages: number;
  /** Chorus time of the most recent change in this poll, to ask only for newer ones next time. */
  cursor?: string;
}

/** A status to tell one invoice workflow (the tracker's notices after a poll). */
export interface InvoiceNotice {
  invoiceNumber: string;
  workflowId: string;
  observation: ChorusStatusObservation;
}

/** The workflow type name, for starting it by name. */
export const TRACKER_WORKFLOW_TYPE = 'connectionTrackerWorkflow';
