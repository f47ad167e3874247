import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { TrackerActivities } from '../../activities';
import type { ChorusStatusObservation } from './invoice';

export type { TrackerActivities };

/**
 * One tracker per connection reads Chorus statuses in batches (`rechercher/fournisseur`, page by
 * page, only what changed since its cursor) and signals the invoice workflows whose status moved.
 * Which invoices it follows is the app database's word (the connection's deposited invoices whose
 * status is not an end), not a list in the tracker's own state: its history and the input it
 * carries across continue-as-new stay the same size at 50 invoices or 50,000.
 */

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
  /** Chorus time (ISO) of the most recent change already seen. */
  cursor?: string;
  schedule?: Partial<TrackerSchedule>;
  polls?: number;
  /** When an invoice was last deposited (workflow time, ISO): young invoices are polled more often. */
  youngestSince?: string;
  /** How many invoices the last poll found tracked (0: the tracker waits for a deposit). */
  tracked?: number;
}

export interface TrackerView {
  connectionId: string;
  /** How many invoices the last poll counted as tracked (none before its first poll). */
  tracked?: number;
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
 * Chorus statuses after which an invoice needs no more polling: paid, or ended unpaid. An invoice
 * told one of them by its tracker says so in its audit (`tracking.stopped`, by the tracker).
 */
export const TRACKING_END_STATUSES: readonly string[] = [
  'MISE_EN_PAIEMENT',
  'REJETEE',
  'REFUSEE_1',
  'REFUSEE_2',
  'ABANDONNEE',
  'SUPPRIMEE',
];

/**
 * An invoice was deposited (or has heard nothing for long): poll soon, at the pace of a young
 * invoice. The invoice itself is found in the app database by the poll, not kept from the signal.
 */
export const trackInvoiceSignal =
  defineSignal<[{ invoiceNumber: string; workflowId: string; identifiantFactureCPP: number }]>(
    'trackInvoice',
  );
export const trackerStateQuery = defineQuery<TrackerView>('trackerState');

export function trackerWorkflowId(connectionId: string): string {
  return `tracker:${connectionId}`;
}

export interface PollResult {
  /** `rechercher/fournisseur` pages read for this poll (the cost of one poll). */
  pages: number;
  /** Chorus time of the most recent change in this poll, to ask only for newer ones next time. */
  cursor?: string;
  /** The changes read, ours or not. */
  changes: number;
  /** The tracked invoices told a status they had not recorded yet. */
  notified: number;
  /** Invoice numbers whose row says tracked but whose workflow is gone (ended or terminated). */
  gone: string[];
  /** How many invoices the connection tracks now (its deposited invoices not at an end). */
  tracked: number;
}

/** A status to tell one invoice workflow (the tracker's notices after a poll). */
export interface InvoiceNotice {
  invoiceNumber: string;
  workflowId: string;
  observation: ChorusStatusObservation;
}

/** The workflow type name, for starting it by name. */
export const TRACKER_WORKFLOW_TYPE = 'connectionTrackerWorkflow';
