import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ChorusSubmitBody } from '../../domain/chorus-invoice';
import type { Actor } from '../../domain/actor';
import type { Invoice } from '../../domain/invoice';
import type { AllowedValue, ReadinessItem } from '../../domain/readiness';

/**
 * Everything the API and the invoice workflow say to each other, defined once so no message
 * name is ever spelled as a string elsewhere.
 */

export type InvoiceStatus =
  | 'RECEIVED'
  | 'WAITING_FOR_CONNECTION'
  | 'CHECKING'
  | 'AWAITING_DATA'
  | 'AWAITING_APPROVAL'
  | 'UPLOADING'
  | 'SUBMITTING'
  | 'SUBMITTED'
  | 'TRACKING'
  | 'ACTION_REQUIRED'
  | 'PAID'
  | 'TRACKING_ENDED'
  | 'REJECTED'
  | 'CANCELLED'
  | 'FAILED';

/** Every status, for validation and documentation (the type above is the source). */
export const INVOICE_STATUSES: readonly InvoiceStatus[] = [
  'RECEIVED',
  'WAITING_FOR_CONNECTION',
  'CHECKING',
  'AWAITING_DATA',
  'AWAITING_APPROVAL',
  'UPLOADING',
  'SUBMITTING',
  'SUBMITTED',
  'TRACKING',
  'ACTION_REQUIRED',
  'PAID',
  'TRACKING_ENDED',
  'REJECTED',
  'CANCELLED',
  'FAILED',
];

export const TASK_KINDS: readonly TaskKind[] = [
  'MISSING_DATA',
  'APPROVAL',
  'RECYCLE',
  'COMPLETE',
  'DUPLICATE_NUMBER',
];

export const TERMINAL_STATUSES: readonly InvoiceStatus[] = [
  'PAID',
  'TRACKING_ENDED',
  'REJECTED',
  'CANCELLED',
  'FAILED',
];

/** Cancelling is possible only before anything was sent to Chorus Pro. */
export const CANCELLABLE_STATUSES: readonly InvoiceStatus[] = [
  'RECEIVED',
  'WAITING_FOR_CONNECTION',
  'CHECKING',
  'AWAITING_DATA',
  'AWAITING_APPROVAL',
  'UPLOADING',
];

/** Attachment as the workflow knows it: a reference into the blob store, never the bytes. */
export interface AttachmentRecord {
  ref: string;
  fileName: string;
  sizeBytes: number;
  type: string;
  main: boolean;
  /** Set once `ajouter/fichier` accepted it (each file is uploaded once). */
  pieceJointeId?: number;
}

export interface InvoiceTimings {
  /** How long a task waits before a reminder event (e.g. '2 days'). */
  taskReminderAfter: string;
  /** Fallback status check when the connection tracker sends nothing (e.g. '1 day'). */
  trackingFallbackAfter: string;
  /** Stop tracking a buyer that never reports payment after this long without change (e.g. '120 days'). */
  paymentHorizon: string;
  /** How often to re-ask an unhealthy connection (e.g. '1 minute'). */
  connectionRecheckEvery: string;
  /** Pause between resends after an unknown submission outcome (e.g. '30 seconds'). */
  resubmitBackoff: string;
}

export const DEFAULT_TIMINGS: InvoiceTimings = {
  taskReminderAfter: '2 days',
  trackingFallbackAfter: '1 day',
  paymentHorizon: '120 days',
  connectionRecheckEvery: '1 minute',
  resubmitBackoff: '30 seconds',
};

export interface InvoiceWorkflowInput {
  /** The invoice with attachments reduced to blob references (see `attachments`). */
  invoice: Omit<Invoice, 'attachments'>;
  attachments: AttachmentRecord[];
  /** Hash of the original request body: same number + same hash is the same submission. */
  requestHash: string;
  timings?: Partial<InvoiceTimings>;
  /** Present when the workflow continued as new. */
  carried?: CarriedState;
}

export type TaskKind = 'MISSING_DATA' | 'APPROVAL' | 'RECYCLE' | 'COMPLETE' | 'DUPLICATE_NUMBER';

export interface TaskField {
  /** Dotted path in the invoice, or a task-specific field (`comment`, `attachments`). */
  field: string;
  /** Why Chorus Pro needs it for this buyer. */
  why: string;
  /** The same, in French (the back-office shows it). */
  whyFr?: string;
  required: boolean;
  allowedValues?: AllowedValue[];
  currentValue?: string;
}

export interface OpenTask {
  id: string;
  kind: TaskKind;
  title: string;
  description: string;
  /** The description in French (the back-office shows it). */
  descriptionFr?: string;
  fields: TaskField[];
  openedAt: string;
  remindersSent: number;
  /** APPROVAL: the exact body `soumettre` will receive (attachment ids are assigned at upload). */
  chorusPayload?: ChorusSubmitBody;
}

/** An answer to the open task. Fields are dotted paths as in `TaskField.field`. */
export interface TaskAnswer {
  taskId: string;
  values?: Record<string, string>;
  /** APPROVAL only. */
  approve?: boolean;
  comment?: string;
  /** COMPLETE (and MISSING_DATA): attachments already stored in the blob store. */
  attachments?: AttachmentRecord[];
  /** Who answered: API key id, role and optional acting user. */
  answeredBy?: Actor;
}

export interface TaskAnswerResult {
  accepted: true;
  status: InvoiceStatus;
}

export interface CancelRequest {
  reason?: string;
  requestedBy?: Actor;
}

export interface ChorusStatusObservation {
  identifiantFactureCPP: number;
  status: string;
  /** Chorus's own timestamp of the status (ISO). */
  at: string;
  comment?: string;
}

export interface TimelineEntry {
  at: string;
  status: InvoiceStatus;
  chorusStatus?: string;
  note?: string;
}

export interface InvoiceView {
  workflowId: string;
  invoiceNumber: string;
  connectionId: string;
  status: InvoiceStatus;
  chorusStatus?: string;
  chorusInvoiceId?: number;
  statusReason?: string;
  checklist: ReadinessItem[];
  openTask?: OpenTask;
  attachments: Array<Omit<AttachmentRecord, 'ref'> & { ref: string }>;
  timeline: TimelineEntry[];
  chorusTimeline: ChorusStatusObservation[];
  invoice: Omit<Invoice, 'attachments'>;
  requestHash: string;
}

/** What survives continue-as-new. */
export interface CarriedState {
  status: InvoiceStatus;
  chorusStatus?: string;
  chorusInvoiceId?: number;
  timeline: TimelineEntry[];
  chorusTimeline: ChorusStatusObservation[];
  lastChorusChangeAt?: string;
  eventSequence: number;
  /** Sequence of the last database record of the invoice (recordInvoiceState). */
  recordSequence?: number;
  /** Statuses signalled while the previous run was handing over: processed first. */
  pendingObservations?: ChorusStatusObservation[];
}

export const invoiceStateQuery = defineQuery<InvoiceView>('invoiceState');
export const answerTaskUpdate = defineUpdate<TaskAnswerResult, [TaskAnswer]>('answerTask');
export const cancelInvoiceUpdate = defineUpdate<{ status: InvoiceStatus }, [CancelRequest]>('cancelInvoice');
export const chorusStatusSignal = defineSignal<[ChorusStatusObservation[]]>('chorusStatus');
/** The connection issue fills this in: a connection tells waiting invoices it is healthy again. */
export const connectionHealthySignal = defineSignal<[]>('connectionHealthy');

export function invoiceWorkflowId(connectionId: string, invoiceNumber: string): string {
  return `invoice:${connectionId}:${invoiceNumber}`;
}
