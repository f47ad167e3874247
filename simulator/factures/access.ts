import type { CallerIdentity } from '../context';
import type { InvoiceStore, StoredInvoice } from './store';

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
