import type { ServiceRecord, StructureRecord } from '../dataset';
import type { SimulatorContext } from '../context';
import { currentStatus, statusHistory, type LifecyclePhase, type StatusChange } from '../lifecycle';
import type { DepositMode, Submission } from './submission-schema';

/** Where an invoice is routed; `recycler` replaces it. */
export interface InvoiceRouting {
  buyer: StructureRecord;
  service?: ServiceRecord;
  numeroBonCommande?: string;
}

export interface InvoiceAttachment {
  pieceJointeId: number;
  designation: string;
  extension: string;
  sizeBytes: number;
  /** `pieceJointeComplementaireType`; the main file has no type code. */
  typeCode?: string;
  main: boolean;
  numeroLigneFacture?: number;
}

/** Something the supplier did (`historiquesDesActionsUtilisateurs`). */
export interface SupplierAction {
  id: number;
  code: string;
  at: Date;
  login: string;
}

/** A dated note (`historiquesDesEvenementsComplementaires`). */
export interface InvoiceEvent {
  id: number;
  libelle: string;
  at: Date;
  qui: string;
}

export interface StoredInvoice {
  identifiantFactureCPP: number;
  numeroFacture: string;
  modeDepot: DepositMode;
  supplier: StructureRecord;
  depositedBy: string;
  depositedAt: Date;
  /** `YYYY-MM-DD`; the deposit date when a SAISIE_API body has none. */
  dateFacture: string;
  /** As validated; kept whole so consulter can answer with what was sent. */
  submission: Submission;
  empreinteCertificatDepot: string;
  routing: InvoiceRouting;
  /** The supplier's public comment, replaced by `completer`. */
  commentaire?: string;
  attachments: InvoiceAttachment[];
  phases: LifecyclePhase[];
  /** `histoStatutId` of the n-th status is base + n: statuses are derived, their ids must not move. */
  statusIdBase: number;
  actions: SupplierAction[];
  events: InvoiceEvent[];
}

/** In-memory invoices of one simulator instance. */
export class InvoiceStore {
  private readonly byId = new Map<number, StoredInvoice>();
  private readonly byNumber = new Map<string, number>();
  /** Real identifiers are 7–8 digits (API-FACTS §3.3). */
  private nextIdentifier = 10321512;
  private nextGeneratedNumber = 1;
  private nextEntryId = 4100001;
  private nextStatusIdBase = 51000000;

  allocateIdentifier(): number {
    return this.nextIdentifier++;
  }

  /** Ids for history entries, unique across invoices like the platform's. */
  allocateEntryId(): number {
    return this.nextEntryId++;
  }

  /** Room for 1000 statuses per invoice; ids stay within int32 like the platform's. */
  allocateStatusIdBase(): number {
    const base = this.nextStatusIdBase;
    this.nextStatusIdBase += 1000;
    return base;
  }

  /** A number for a SAISIE_API body sent without one: 20 digits, like those seen in the wild. */
  generateNumber(supplierId: number, year: number): string {
    let candidate: string;
    do {
      candidate = `${year}${String(this.nextGeneratedNumber++).padStart(16, '0')}`;
    } while (this.findByNumber(supplierId, candidate));
    return candidate;
  }

  findByNumber(supplierId: number, numeroFacture: string): StoredInvoice | undefined {
    const id = this.byNumber.get(numberKey(supplierId, numeroFacture));
    return id === undefined ? undefined : this.byId.get(id);
  }

  add(invoice: StoredInvoice): void {
    const key = numberKey(invoice.supplier.idStructureCPP, invoice.numeroFacture);
    if (this.byNumber.has(key)) throw new Error(`invoice number ${invoice.numeroFacture} already stored`);
    this.byId.set(invoice.identifiantFactureCPP, invoice);
    this.byNumber.set(key, invoice.identifiantFactureCPP);
  }

  get(identifiantFactureCPP: number): StoredInvoice | undefined {
    return this.byId.get(identifiantFactureCPP);
  }

  all(): StoredInvoice[] {
    return [...this.byId.values()];
  }

  clear(): void {
    this.byId.clear();
    this.byNumber.clear();
  }
}

function numberKey(supplierId: number, numeroFacture: string): string {
  return `${supplierId}\u0000${numeroFacture}`;
}

const stores = new WeakMap<SimulatorContext, InvoiceStore>();

/** The invoices of a simulator, reachable from its context without widening the context's shape. */
export function invoiceStoreOf(ctx: SimulatorContext): InvoiceStore {
  let store = stores.get(ctx);
  if (!store) {
    store = new InvoiceStore();
    stores.set(ctx, store);
  }
  return store;
}

/** The invoice's status history at the simulated instant `now`. */
export function historyOf(invoice: StoredInvoice, now: Date): StatusChange[] {
  return statusHistory(invoice.phases, now);
}

/** The status in force at `now`; an invoice always has one from its deposit on. */
export function statusOf(invoice: StoredInvoice, now: Date): StatusChange {
  return currentStatus(invoice.phases, now) ?? { status: 'DEPOSEE', at: invoice.depositedAt };
}
