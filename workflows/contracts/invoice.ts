import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../../domain/actor';
import type { ChorusSubmitBody } from '../../domain/chorus-invoice';
import type { Invoice } from '../../domain/invoice';
import type { AllowedValue, ReadinessItem } from '../../domain/readiness';
import type { InvoiceActivities } from '../../activities';
import type { AuditFact } from './audit';

/**
 * The invoice workflow's contract: everything the API, the activities and the audit say to it or
 * read from it, defined once so no message name is ever spelled as a string elsewhere.
 */

export type { InvoiceActivities };
export type SubmitOutcome = Awaited<ReturnType<InvoiceActivities['submitInvoice']>>;
export type FoundInvoice = NonNullable<Awaited<ReturnType<InvoiceActivities['findSubmittedInvoice']>>>;

export const INVOICE_STATUSES = [
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
] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const TASK_KINDS = [
  'MISSING_DATA',
  'CORRECTION',
  'SUBMISSION_FAILING',
  'APPROVAL',
  'RECYCLE',
  'COMPLETE',
  'DUPLICATE_NUMBER',
  'VALIDATOR_ERROR',
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

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
  /**
   * The invoice reads its own Chorus history when its tracker has told it nothing for this long (it
   * also registers with the tracker again, restarting a stopped one). A safety net, not a poll: the
   * tracker reads the connection's changes at least every 6 hours.
   */
  trackingFallbackAfter: string;
  /** Stop tracking a buyer that never reports payment after this long without change (e.g. '120 days'). */
  paymentHorizon: string;
  /** How often to re-ask an unhealthy connection (e.g. '1 minute'). */
  connectionRecheckEvery: string;
  /** Pause between resends after an unknown submission outcome (e.g. '30 seconds'). */
  resubmitBackoff: string;
  /**
   * `soumettre` attempts with no usable answer (each after a lookup that found nothing) before a
   * person is asked whether to keep trying: a repeatable failure never loops unseen.
   */
  submitAttemptsBeforeAsking: number;
  /**
   * Longest pause between two attempts of a failed Chorus activity (e.g. '5 minutes'); an
   * accelerated clock scales it down so a run's horizon is not spent in backoff.
   */
  chorusRetryMaxInterval: string;
}

export const DEFAULT_TIMINGS: InvoiceTimings = {
  taskReminderAfter: '2 days',
  // A status may legitimately stay unchanged for weeks (30 days is the State's legal payment delay,
  // MANDATEE → MISE_EN_PAIEMENT often takes two): a shorter fallback would read histories the
  // tracker's pages already made unnecessary, one Chorus call each.
  trackingFallbackAfter: '30 days',
  paymentHorizon: '120 days',
  connectionRecheckEvery: '1 minute',
  resubmitBackoff: '30 seconds',
  submitAttemptsBeforeAsking: 5,
  chorusRetryMaxInterval: '5 minutes',
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

export interface TaskField {
  /** Dotted path in the invoice, or a task-specific field (`comment`, `attachments`). */
  field: string;
  /** Why Chorus Pro needs it for this buyer. */
  why: string;
  /** The same, in French (the back-office shows it). */
  whyFr?: string;
  required: boolean;
  /** Fields sharing a group are alternatives: the answer must fill at least one of them. */
  oneOf?: string;
  allowedValues?: AllowedValue[];
  currentValue?: string;
  /** The value a person gave last time for this field, refused since (the reason is `why`). */
  refusedAnswer?: string;
}

export interface OpenTask {
  id: string;
  kind: TaskKind;
  title: string;
  titleFr?: string;
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
  /** APPROVAL and DUPLICATE_NUMBER. */
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
  /** Chorus's own time of the status, ISO 8601 with its offset (`2026-11-28T14:03:00.000+01:00`). */
  at: string;
  /** The history entry's id (`histoStatutId`): it grows with time and orders statuses of the same minute. */
  historyId?: number;
  comment?: string;
}

/** What an invoice's own Chorus history says: every status, and the one Chorus calls current. */
export interface ChorusHistory {
  observations: ChorusStatusObservation[];
  /** `statutCourantCode`: trusted over any ordering of the list. */
  current?: string;
  /** The number Chorus gives the invoice (it may differ from ours when Chorus numbers it). */
  numeroFacture?: string;
}

/** One step of the invoice's journey, as the invoice page shows it. */
export interface TimelineEntry {
  at: string;
  status: InvoiceStatus;
  chorusStatus?: string;
  note?: string;
  noteFr?: string;
}

export interface InvoiceView {
  workflowId: string;
  invoiceNumber: string;
  connectionId: string;
  status: InvoiceStatus;
  chorusStatus?: string;
  chorusInvoiceId?: number;
  /** The number Chorus gave the invoice, when it is not ours (Chorus may number invoices itself). */
  chorusInvoiceNumber?: string;
  /** The buyer's name as Chorus Pro gave it, once the buyer was checked. */
  buyerName?: string;
  statusReason?: string;
  statusReasonFr?: string;
  checklist: ReadinessItem[];
  openTask?: OpenTask;
  attachments: AttachmentRecord[];
  timeline: TimelineEntry[];
  chorusTimeline: ChorusStatusObservation[];
  invoice: Omit<Invoice, 'attachments'>;
  requestHash: string;
  /** What the workflow decided and why, as it happened (rendered by the audit timeline). */
  audit: AuditFact[];
}

/** What survives continue-as-new. */
export interface CarriedState {
  status: InvoiceStatus;
  statusReason?: { en: string; fr: string };
  chorusStatus?: string;
  chorusInvoiceId?: number;
  chorusInvoiceNumber?: string;
  buyerName?: string;
  timeline: TimelineEntry[];
  chorusTimeline: ChorusStatusObservation[];
  lastChorusChangeAt?: string;
  eventSequence: number;
  audit: AuditFact[];
  /** Sequence of the last database record of the invoice (recordInvoiceState). */
  recordSequence?: number;
  /** Statuses signalled while the previous run was handing over: processed first. */
  pendingObservations?: ChorusStatusObservation[];
}

/** A webhook event; `id` is stable across redeliveries so receivers can deduplicate. */
export interface InvoiceEvent {
  id: string;
  type: 'invoice.status_changed' | 'invoice.task_opened' | 'invoice.task_reminder';
  occurredAt: string;
  invoice: {
    workflowId: string;
    connectionId: string;
    invoiceNumber: string;
    status: string;
    previousStatus?: string;
    chorusStatus?: string;
    chorusInvoiceId?: number;
    statusReason?: string;
  };
  task?: { id: string; kind: string; title: string };
}

/**
 * One state change of an invoice, as the workflow records it in the app database (its row and
 * its webhook outbox, in one transaction). The view is recorded without its audit facts: the
 * archive keeps the whole history, and the row stays small.
 */
export interface InvoiceStateRecord {
  /** Grows with every record of this invoice, across continue-as-new: a record never goes backwards. */
  sequence: number;
  runId: string;
  recordedAt: string;
  view: Omit<InvoiceView, 'audit'>;
  supplierSiret?: string;
  /** Webhook events to deliver (the invoice's webhookUrl), in order. */
  events: Array<{ url: string; event: InvoiceEvent }>;
}

export const invoiceStateQuery = defineQuery<InvoiceView>('invoiceState');
export const answerTaskUpdate = defineUpdate<TaskAnswerResult, [TaskAnswer]>('answerTask');
export const cancelInvoiceUpdate = defineUpdate<{ status: InvoiceStatus }, [CancelRequest]>('cancelInvoice');
export const chorusStatusSignal = defineSignal<[ChorusStatusObservation[]]>('chorusStatus');
/** A connection tells the invoices waiting for it that it is healthy again. */
export const connectionHealthySignal = defineSignal<[]>('connectionHealthy');

export function invoiceWorkflowId(connectionId: string, invoiceNumber: string): string {
  return `invoice:${connectionId}:${invoiceNumber}`;
}

/** The workflow type name, for starting it by name, and its signature. */
export const INVOICE_WORKFLOW_TYPE = 'invoiceWorkflow';
export type InvoiceWorkflow = (input: InvoiceWorkflowInput) => Promise<InvoiceView>;
