import type { Migration, MigrationProvider } from 'kysely';
import * as records from './0001-records';
import * as sharedStores from './0002-shared-stores';
import * as invoiceSearch from './0003-invoice-search';
import * as invoiceBatches from './0004-invoice-batches';
import * as chorusCallQuota from './0005-chorus-call-quota';
import * as invoiceTotalsNumeric from './0006-invoice-totals-numeric';
import * as trackedInvoices from './0007-tracked-invoices';
import * as depositAttempts from './0008-deposit-attempts';
import * as connectionChanges from './0009-connection-changes';

/**
 * Every migration, in order. Imported statically (not read from a folder) so the same list runs from
 * sources, from the compiled build and under jest. Never edit a released migration: add the next one.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-records': records,
  '0002-shared-stores': sharedStores,
  '0003-invoice-search': invoiceSearch,
  '0004-invoice-batches': invoiceBatches,
  '0005-chorus-call-quota': chorusCallQuota,
  '0006-invoice-totals-numeric': invoiceTotalsNumeric,
  '0007-tracked-invoices': trackedInvoices,
  '0008-deposit-attempts': depositAttempts,
  '0009-connection-changes': connectionChanges,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
