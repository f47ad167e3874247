import express from 'express';
import type { SimulatorContext } from '../context';
import { completeInvoice } from './completer';
import { consultInvoice } from './consulter';
import { invoiceHistory } from './historique';
import { recycleInvoice } from './recycler';
import { searchInvoices } from './rechercher';
import { submitInvoice } from './soumettre';
import { invoiceStoreOf } from './store';

/**
 * The Factures API family, mounted by the core at `/cpro/factures/v1` behind the gateway
 * (body parsed with exact decimals, `res.locals.caller` set). See README.md beside this file.
 */
export function createFacturesRouter(ctx: SimulatorContext): express.Router {
  const store = invoiceStoreOf(ctx);
  const router = express.Router();
  router.post('/soumettre', submitInvoice(ctx, store));
  router.post('/rechercher/fournisseur', searchInvoices(ctx, store));
  router.post('/consulter/fournisseur', consultInvoice(ctx, store));
  router.post('/consulter/historique', invoiceHistory(ctx, store));
  router.post('/recycler', recycleInvoice(ctx, store));
  router.post('/completer', completeInvoice(ctx, store));
  return router;
}
