import { workflowInfo } from '@temporalio/workflow';
import type { Localized } from '../../domain/messages';
import type { BankAccount, ReadinessItem, SupplierFacts } from '../../domain/readiness';
import type { AuditFact } from '../contracts/audit';
import {
  DEFAULT_TIMINGS,
  type AttachmentRecord,
  type CancelRequest,
  type ChorusStatusObservation,
  type InvoiceStatus,
  type InvoiceTimings,
  type InvoiceView,
  type InvoiceStateRecord,
  type InvoiceWorkflowInput,
  type OpenTask,
  type TaskAnswer,
  type TimelineEntry,
} from '../contracts/invoice';

/** Everything one invoice workflow knows; the phases read and change it, the query shows it. */
export interface InvoiceState {
  invoice: InvoiceWorkflowInput['invoice'];
  attachments: AttachmentRecord[];
  status: InvoiceStatus;
  statusReason?: Localized;
  chorusStatus?: string;
  chorusInvoiceId?: number;
  /** The number Chorus gave the invoice, when it is not ours (Chorus may number invoices itself). */
  chorusInvoiceNumber?: string;
  /** Workflow time of the last new Chorus status: the payment horizon counts from it. */
  lastChorusChangeAt?: string;
  /** Webhook events sent so far (their ids are `<workflowId>#<n>`). */
  eventSequence: number;
  /** Database records of the invoice so far (each one's sequence: a record never goes backwards). */
  recordSequence: number;
  journey: TimelineEntry[];
  chorusTimeline: ChorusStatusObservation[];
  checklist: ReadinessItem[];
  supplier?: SupplierFacts;
  /** The buyer's idStructureCPP as the last check found it (a renumbered deposit is looked up by it). */
  buyerStructureId?: number;
  /** The supplier's valid bank accounts, read for a VIREMENT invoice. */
  bankAccounts?: BankAccount[];
  /** The buyer's name as Chorus Pro gave it at the last check (lists and searches show it). */
  buyerName?: string;
  task?: OpenTask;
  /** The answer the update handler received, until the waiting phase takes it. */
  answer?: TaskAnswer;
  cancelRequest?: CancelRequest;
  /** Set by the connection's signal: re-check it now. */
  connectionNudged: boolean;
  /** Chorus statuses signalled by the tracker and not processed yet. */
  incoming: ChorusStatusObservation[];
  /** The values of the last data answer: a field asked again shows what was refused. */
  lastAnswerValues: Record<string, string>;
  /** Whether the deposit's activity registered the invoice with its tracker (else tracking does). */
  registeredWithTracker?: boolean;
  /** `soumettre` attempts of this run so far, each claimed once under its number (DepositClaim). */
  depositAttempts?: number;
  /** The Chorus time of the last A_RECYCLER/SUSPENDUE acted on (each is handled once). */
  handledActionAt?: string;
  audit: AuditFact[];
}

export interface InvoiceContext {
  readonly input: InvoiceWorkflowInput;
  readonly workflowId: string;
  readonly connectionId: string;
  readonly timings: InvoiceTimings;
  readonly state: InvoiceState;
  /** Database records in flight, one after another: never awaited by the lifecycle, settled before the run ends. */
  readonly records: { chain: Promise<void>; next?: InvoiceStateRecord };
  /** Whether a search-attribute upsert is due at the end of the current step (one per step). */
  readonly searchAttributes: { pending: boolean };
}

export function createContext(input: InvoiceWorkflowInput): InvoiceContext {
  const carried = input.carried;
  return {
    input,
    workflowId: workflowInfo().workflowId,
    connectionId: input.invoice.connectionId,
    timings: { ...DEFAULT_TIMINGS, ...input.timings },
    records: { chain: Promise.resolve() },
    searchAttributes: { pending: false },
    state: {
      invoice: input.invoice,
      attachments: input.attachments,
      status: carried?.status ?? 'RECEIVED',
      statusReason: carried?.statusReason,
      chorusStatus: carried?.chorusStatus,
      chorusInvoiceId: carried?.chorusInvoiceId,
      chorusInvoiceNumber: carried?.chorusInvoiceNumber,
      buyerName: carried?.buyerName,
      lastChorusChangeAt: carried?.lastChorusChangeAt,
      eventSequence: carried?.eventSequence ?? 0,
      recordSequence: carried?.recordSequence ?? 0,
      journey: carried?.timeline ?? [],
      chorusTimeline: carried?.chorusTimeline ?? [],
      checklist: [],
      lastAnswerValues: {},
      connectionNudged: false,
      incoming: [...(carried?.pendingObservations ?? [])],
      audit: carried?.audit ?? [],
    },
  };
}

/** The state as the API shows it (the state query and the run's result). */
export function viewOf(ctx: InvoiceContext): InvoiceView {
  const s = ctx.state;
  return {
    workflowId: ctx.workflowId,
    invoiceNumber: s.invoice.invoiceNumber,
    connectionId: ctx.connectionId,
    status: s.status,
    chorusStatus: s.chorusStatus,
    chorusInvoiceId: s.chorusInvoiceId,
    ...(s.chorusInvoiceNumber ? { chorusInvoiceNumber: s.chorusInvoiceNumber } : {}),
    ...(s.buyerName ? { buyerName: s.buyerName } : {}),
    statusReason: s.statusReason?.en,
    statusReasonFr: s.statusReason?.fr,
    checklist: s.checklist,
    openTask: s.task,
    attachments: s.attachments,
    timeline: s.journey,
    chorusTimeline: s.chorusTimeline,
    invoice: s.invoice,
    requestHash: ctx.input.requestHash,
    audit: s.audit,
  };
}
