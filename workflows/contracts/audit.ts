import type { Actor } from '../../domain/actor';
import type { ChorusSubmitBody } from '../../domain/chorus-invoice';
import type { ReadinessItem } from '../../domain/readiness';
import type { InvoiceStatus, TaskKind } from './invoice';

/**
 * The audit facts an invoice workflow records as it decides: typed entries holding the exact
 * values it used, in the order it used them. They live in the workflow's state (returned by the
 * state query, carried across continue-as-new, and part of the run's result), so a reader renders
 * what happened — it never re-evaluates a rule or infers a decision from other events.
 */

interface FactBase {
  /** Workflow time of the decision (ISO 8601). */
  at: string;
}

export interface ReceivedFact extends FactBase {
  kind: 'invoice.received';
  invoiceNumber: string;
  connectionId: string;
  buyerSiret: string;
  lines: number;
  attachments: number;
}

/** The readiness checklist as evaluated, with the facts from Chorus it was evaluated on. */
export interface ChecklistFact extends FactBase {
  kind: 'checklist.evaluated';
  ok: boolean;
  items: ReadinessItem[];
  /** What Chorus said about the buyer and the supplier at that moment. */
  basis: {
    supplierStructureId: number | null;
    buyer: null | {
      idStructureCPP: number;
      designation: string;
      active: boolean;
      serviceCodeRequired: boolean;
      engagementRequired: boolean;
      serviceOrEngagementRequired: boolean;
    };
    activeServices: string[];
    engagementFound?: boolean;
    engagementState?: string;
  };
}

export interface TaskOpenedFact extends FactBase {
  kind: 'task.opened';
  taskId: string;
  taskKind: TaskKind;
  /** The fields asked, with why (English) and the allowed values offered. */
  fields: Array<{ field: string; why: string; required: boolean; allowedValues?: string[] }>;
  /** The buyer's comment that caused it (A_RECYCLER, SUSPENDUE, REJETEE). */
  buyerComment?: string;
}

export interface TaskAnsweredFact extends FactBase {
  kind: 'task.answered';
  taskId: string;
  taskKind: TaskKind;
  answeredBy?: Actor;
  values: Record<string, string>;
  approve?: boolean;
  comment?: string;
  attachments: Array<{ fileName: string; ref: string; sizeBytes: number; type: string }>;
}

export interface TaskReminderFact extends FactBase {
  kind: 'task.reminder';
  taskId: string;
  taskKind: TaskKind;
  remindersSent: number;
  /** How long the task had waited for this reminder (the configured duration). */
  after: string;
}

export interface TaskClosedFact extends FactBase {
  kind: 'task.closed';
  taskId: string;
  taskKind: TaskKind;
}

/** A timer the workflow armed, with its purpose and duration. */
export interface TimerArmedFact extends FactBase {
  kind: 'timer.armed';
  purpose: 'task-reminder' | 'tracking-fallback' | 'resubmit-backoff';
  after: string;
}

export interface CancelRequestedFact extends FactBase {
  kind: 'cancel.requested';
  requestedBy?: Actor;
  reason?: string;
}

export interface ConnectionWaitFact extends FactBase {
  kind: 'connection.waiting';
  reason: string;
  /** The same reason in French (facts recorded before it was kept have none). */
  reasonFr?: string;
  /** The connection is asked again this often (or at once when it says it recovered). */
  recheckEvery: string;
}

export interface ConnectionResumedFact extends FactBase {
  kind: 'connection.resumed';
}

export interface AttachmentUploadedFact extends FactBase {
  kind: 'attachment.uploaded';
  fileName: string;
  ref: string;
  sizeBytes: number;
  type: string;
  pieceJointeId: number;
}

/** `soumettre` was sent; `outcome` is Chorus's answer as the activity classified it. */
export interface SubmissionFact extends FactBase {
  kind: 'submission.sent';
  attempt: number;
  request: ChorusSubmitBody;
  outcome:
    | { kind: 'accepted'; identifiantFactureCPP: number; statut: string; dateDepot: string }
    | { kind: 'duplicate-number'; codeRetour: number; libelle: string }
    | { kind: 'rejected'; codeRetour: number; libelle: string; fields?: string[] };
}

/** `soumettre` got no usable answer: the outcome is unknown. */
export interface SubmissionUnknownFact extends FactBase {
  kind: 'submission.unknown';
  attempt: number;
  /** The body that was sent (Chorus may or may not have it). */
  request: ChorusSubmitBody;
  error: string;
  errorType?: string;
}

/** The workflow chose to look the invoice up in Chorus before anything else, and why. */
export interface LookupFact extends FactBase {
  kind: 'lookup.done';
  reason: 'after-unknown-outcome' | 'after-duplicate-refusal';
  invoiceNumber: string;
  found: null | {
    identifiantFactureCPP: number;
    statut: string;
    buyerSiret: string;
    amountInclVat?: string;
    dateDepot?: string;
    /** Chorus's number for it. */
    numeroFacture?: string;
    /** By our number, or by buyer, day and amount (Chorus numbered it). */
    foundBy: 'number' | 'content';
    matches?: number;
  };
  /** Whether what was found is this invoice (same buyer, same amount). */
  ours?: boolean;
}

export interface DepositAdoptedFact extends FactBase {
  kind: 'deposit.adopted';
  identifiantFactureCPP: number;
  statut: string;
  /** Chorus's number for the invoice, when it is not ours. */
  chorusInvoiceNumber?: string;
  how: 'accepted' | 'found-after-unknown-outcome' | 'found-after-duplicate-refusal' | 'confirmed-by-person';
  confirmedBy?: Actor;
}

export interface StatusChangedFact extends FactBase {
  kind: 'status.changed';
  from: InvoiceStatus;
  to: InvoiceStatus;
  chorusStatus?: string;
  reason?: string;
  /** The same reason in French (facts recorded before it was kept have none). */
  reasonFr?: string;
}

export interface ChorusStatusFact extends FactBase {
  kind: 'chorus.status';
  identifiantFactureCPP: number;
  status: string;
  /** Chorus's own time of the status. */
  chorusAt: string;
  /** Its history entry id, when the history gave it. */
  historyId?: number;
  comment?: string;
  /** Who told the workflow: the connection's tracker, or the invoice's history it read. */
  source: 'tracker' | 'history';
}

export interface ChorusActionFact extends FactBase {
  kind: 'chorus.recycled' | 'chorus.completed';
  identifiantFactureCPP: number;
  buyerSiret?: string;
  serviceCode?: string;
  engagementNumber?: string;
  comment?: string;
  attachments?: Array<{ fileName: string; pieceJointeId: number; type: string }>;
  /** Chorus's refusal when the invoice had already left the returned status (the answer was not needed). */
  noLongerPending?: string;
}

export interface TrackingFact extends FactBase {
  kind: 'tracking.started' | 'tracking.stopped';
  identifiantFactureCPP: number;
  /**
   * tracking.stopped: who removed the invoice from its connection's tracker — the tracker itself,
   * when it reported the end status, or the invoice (an end learnt from its history, the horizon).
   */
  stoppedBy?: 'tracker' | 'invoice';
}

export type AuditFact =
  | ReceivedFact
  | ChecklistFact
  | TaskOpenedFact
  | TaskAnsweredFact
  | TaskReminderFact
  | TaskClosedFact
  | TimerArmedFact
  | CancelRequestedFact
  | ConnectionWaitFact
  | ConnectionResumedFact
  | AttachmentUploadedFact
  | SubmissionFact
  | SubmissionUnknownFact
  | LookupFact
  | DepositAdoptedFact
  | StatusChangedFact
  | ChorusStatusFact
  | ChorusActionFact
  | TrackingFact;

export type AuditFactKind = AuditFact['kind'];

/** A fact without its time: what phases hand to `record`, which stamps it. */
export type NewAuditFact = AuditFact extends infer F ? (F extends AuditFact ? Omit<F, 'at'> : never) : never;
