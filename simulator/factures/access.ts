import type { Request, Response } from 'express';
import type { z } from 'zod';
import { callerOf, type CallerIdentity, type SimulatorContext } from '../context';
import { parseRequest } from './request-fields';
import { invoiceAccessRefusal, refusal, sendRefusal } from './refusals';
import { statusOf, type InvoiceStore, type StoredInvoice } from './store';

/**
 * A technical account sees the invoices of the supplier structures it is attached to, whichever
 * account deposited them (several technical accounts can serve one structure).
 */
export type InvoiceLookup =
  { found: true; invoice: StoredInvoice } | { found: false; reason: 'unknown' | 'not-yours' };

export function canSee(caller: CallerIdentity, invoice: StoredInvoice): boolean {
  return caller.account.supplierStructureIds.includes(invoice.supplier.idStructureCPP);
}

export function invoiceForCaller(
  store: InvoiceStore,
  caller: CallerIdentity,
  identifiantFactureCPP: number,
): InvoiceLookup {
  const invoice = store.get(identifiantFactureCPP);
  if (!invoice) return { found: false, reason: 'unknown' };
  if (!canSee(caller, invoice)) return { found: false, reason: 'not-yours' };
  return { found: true, invoice };
}

/** What `recycler` and `completer` both check before acting on an invoice returned to its supplier. */
export interface SupplierActionGate<T> {
  operation: string;
  schema: z.ZodType<T>;
  codes: { missingField: number; unknown: number; notYours: number; status: number; length: number };
  requiredStatus: string;
  wrongStatus: (id: number, current: string) => string;
}

export const MAX_COMMENT = 2000;

/**
 * Counts the call, parses the body, finds the caller's invoice, checks its status and the comment
 * length. Answers the refusal itself and returns undefined when the action cannot go on.
 */
export function openSupplierAction<T extends { identifiantFactureCPP: number; commentaire?: string | null }>(
  ctx: SimulatorContext,
  store: InvoiceStore,
  req: Request,
  res: Response,
  gate: SupplierActionGate<T>,
): { request: T; invoice: StoredInvoice; now: Date; commentaire?: string } | undefined {
  ctx.counters.recordCall(gate.operation);
  const parsed = parseRequest(gate.schema, req.body, gate.codes.missingField);
  if (!parsed.ok) return void sendRefusal(res, parsed.refusal);
  const request = parsed.value as T;
  const id = request.identifiantFactureCPP;
  const lookup = invoiceForCaller(store, callerOf(res), id);
  if (!lookup.found) {
    return void sendRefusal(
      res,
      invoiceAccessRefusal(lookup.reason, id, { unknown: gate.codes.unknown, notYours: gate.codes.notYours }),
    );
  }
  const now = ctx.clock.now();
  const current = statusOf(lookup.invoice, now).status;
  if (current !== gate.requiredStatus)
    return void sendRefusal(res, refusal(gate.codes.status, gate.wrongStatus(id, current)));
  const commentaire = request.commentaire?.trim() || undefined;
  if (commentaire && commentaire.length > MAX_COMMENT) {
    return void sendRefusal(
      res,
      refusal(gate.codes.length, `Le commentaire dépasse ${MAX_COMMENT} caractères`),
    );
  }
  return { request, invoice: lookup.invoice, now, commentaire };
}
