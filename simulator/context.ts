import type { Response } from 'express';
import type { Dataset, PisteClient, StructureRecord, TechnicalAccount } from './dataset';

/**
 * What every simulator router shares. The gateway (simulator/gateway.ts) authenticates a
 * request and leaves a `CallerIdentity` in `res.locals.caller` before any route runs.
 */
export interface SimulatorContext {
  dataset: Dataset;
  clock: SimulatorClock;
  counters: SimulatorCounters;
  files: SimulatorFiles;
  /** Disabled technical accounts already refused once with a 401 (later calls get a 403). */
  disabledAccountsTold: Set<string>;
}

export interface CallerIdentity {
  client: PisteClient;
  account: TechnicalAccount;
}

export function callerOf(res: Response): CallerIdentity {
  const caller = res.locals.caller as CallerIdentity | undefined;
  if (!caller) throw new Error('route reached without the gateway: res.locals.caller is missing');
  return caller;
}

/** Supplier structures the calling technical account may invoice for. */
export function supplierStructuresOf(ctx: SimulatorContext, caller: CallerIdentity): StructureRecord[] {
  return ctx.dataset.structures.filter((s) => caller.account.supplierStructureIds.includes(s.idStructureCPP));
}

/**
 * Simulated time: starts at the real time and runs `speed` times faster
 * (speed 86400 → a simulated day per real second), and can be moved forward by tests.
 */
export class SimulatorClock {
  private readonly realStart: number;
  private readonly simulatedStart: number;
  private offsetMs = 0;

  constructor(
    public speed: number = 1,
    start: Date = new Date(),
  ) {
    if (!(speed > 0)) throw new Error('clock speed must be > 0');
    this.realStart = Date.now();
    this.simulatedStart = start.getTime();
  }

  now(): Date {
    const elapsedReal = Date.now() - this.realStart;
    return new Date(this.simulatedStart + elapsedReal * this.speed + this.offsetMs);
  }

  advance(seconds: number): Date {
    if (!(seconds >= 0)) throw new Error('the clock only moves forward');
    this.offsetMs += seconds * 1000;
    return this.now();
  }
}

/** Read-only counters exposed at GET /__admin/counters, for tests and benchmarks. */
export class SimulatorCounters {
  /** Calls per operation, keyed `<family>/<operation>` (e.g. `factures/soumettre`), plus `oauth/token`. */
  readonly calls: Record<string, number> = {};
  /** Invoices accepted per supplier SIRET and the number the supplier sent (Chorus's own when none). */
  readonly invoices: Record<string, Record<string, number>> = {};
  duplicatesRefused = 0;

  recordCall(operation: string): void {
    this.calls[operation] = (this.calls[operation] ?? 0) + 1;
  }

  recordInvoice(supplierSiret: string, invoiceNumber: string): void {
    const perSupplier = (this.invoices[supplierSiret] ??= {});
    perSupplier[invoiceNumber] = (perSupplier[invoiceNumber] ?? 0) + 1;
  }

  snapshot() {
    return {
      calls: { ...this.calls },
      invoices: structuredClone(this.invoices),
      duplicatesRefused: this.duplicatesRefused,
    };
  }

  reset(): void {
    for (const key of Object.keys(this.calls)) delete this.calls[key];
    for (const key of Object.keys(this.invoices)) delete this.invoices[key];
    this.duplicatesRefused = 0;
  }
}

export interface StoredFile {
  pieceJointeId: number;
  name: string;
  mimeType: string;
  extension: string;
  sizeBytes: number;
  /** Login of the technical account that uploaded it: only its owner may reference it. */
  ownerLogin: string;
  uploadedAt: string;
}

/** Files received by `transverses/v1/ajouter/fichier`, referenced later by `soumettre` and `completer`. */
export class SimulatorFiles {
  private readonly byId = new Map<number, StoredFile>();
  private nextId = 6921279;

  add(file: Omit<StoredFile, 'pieceJointeId'>): StoredFile {
    const stored = { ...file, pieceJointeId: this.nextId++ };
    this.byId.set(stored.pieceJointeId, stored);
    return stored;
  }

  get(pieceJointeId: number): StoredFile | undefined {
    return this.byId.get(pieceJointeId);
  }
}
