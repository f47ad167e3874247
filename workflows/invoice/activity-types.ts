import type { ChorusSubmitBody } from '../../domain/chorus-invoice';
import type { BuyerFacts, ReferenceLists, SupplierFacts } from '../../domain/readiness';
import type { ChorusStatusObservation, InvoiceView } from './definitions';

/**
 * The side effects the invoice workflow needs, as types only: activities/invoice.ts implements
 * them and workflow unit tests replace them with mocks.
 */

export interface ConnectionHealth {
  healthy: boolean;
  /** Why not, in words a person can act on. */
  reason?: string;
}

export type SubmitOutcome =
  | { kind: 'accepted'; identifiantFactureCPP: number; statut: string; dateDepot: string }
  /** Chorus refused the number because the supplier already used it. */
  | { kind: 'duplicate-number'; codeRetour: number; libelle: string }
  /** Chorus refused the invoice for a business reason (codeRetour/libelle). */
  | { kind: 'rejected'; codeRetour: number; libelle: string };

export interface FoundInvoice {
  identifiantFactureCPP: number;
  numeroFacture: string;
  statut: string;
  buyerSiret: string;
  amountInclVat?: string;
  dateDepot?: string;
}

export interface InvoiceActivities {
  connectionHealth(connectionId: string): Promise<ConnectionHealth>;
  supplierFacts(connectionId: string): Promise<SupplierFacts>;
  buyerFacts(input: {
    connectionId: string;
    buyerSiret: string;
    serviceCode?: string;
    engagementNumber?: string;
    idFournisseur?: number;
  }): Promise<BuyerFacts>;
  referenceLists(connectionId: string): Promise<ReferenceLists>;
  uploadAttachment(input: {
    connectionId: string;
    ref: string;
    fileName: string;
  }): Promise<{ pieceJointeId: number }>;
  /** One attempt only: the workflow decides what to do when the outcome is unknown. */
  submitInvoice(input: { connectionId: string; body: ChorusSubmitBody }): Promise<SubmitOutcome>;
  findSubmittedInvoice(input: { connectionId: string; invoiceNumber: string }): Promise<FoundInvoice | null>;
  invoiceStatusHistory(input: {
    connectionId: string;
    identifiantFactureCPP: number;
  }): Promise<ChorusStatusObservation[]>;
  recycleInvoice(input: {
    connectionId: string;
    identifiantFactureCPP: number;
    buyerSiret: string;
    serviceCode?: string;
    engagementNumber?: string;
    comment?: string;
  }): Promise<void>;
  completeInvoice(input: {
    connectionId: string;
    identifiantFactureCPP: number;
    attachments: Array<{ pieceJointeId: number; fileName: string; type: string }>;
    comment?: string;
  }): Promise<void>;
  trackInvoice(input: {
    connectionId: string;
    workflowId: string;
    invoiceNumber: string;
    identifiantFactureCPP: number;
  }): Promise<void>;
  untrackInvoice(input: { connectionId: string; invoiceNumber: string }): Promise<void>;
  /** Writes the invoice's row and its webhook events (outbox) in one transaction; never goes backwards. */
  recordInvoiceState(record: InvoiceStateRecord): Promise<void>;
}

/** One state change of an invoice, as the workflow records it in the app database. */
export interface InvoiceStateRecord {
  /** Grows with every record of this invoice, across continue-as-new. */
  sequence: number;
  runId: string;
  recordedAt: string;
  view: InvoiceView;
  supplierSiret?: string;
  /** Webhook events to deliver (the invoice's webhookUrl), in order. */
  events: Array<{ url: string; event: InvoiceEvent }>;
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
