import type { ConnectionChanges } from '../platform/connection-changes';
import type { Client } from '@temporalio/client';
import type { BlobStore } from '../platform/blob-store';
import type { AppDatabase } from '../platform/database';
import type { ChorusEndpoints, ChorusEnvironment } from '../platform/config';
import type { ConnectionDirectory, ConnectionRecord } from '../platform/connections';
import type { Logger } from '../platform/logger';
import type { TrackerSchedule } from '../workflows/contracts/tracker';
import type { ChorusCallQuota } from './chorus/call-quota';
import { createBuyerActionActivities } from './buyer-actions';
import { ChorusAccess } from './chorus-access';
import { createConnectionActivities } from './connection';
import { createLookupActivities } from './lookups';
import { createReadinessActivities, type ConnectionHealth } from './readiness';
import { createRecordActivities } from './records';
import { createSubmissionActivities } from './submission';
import { createTrackingActivities } from './tracking';

/** What activities need from the outside world; the worker builds it once, tests pass their own. */
export interface ActivityDependencies {
  connections: ConnectionDirectory;
  endpoints: Record<ChorusEnvironment, ChorusEndpoints>;
  chorusTimeoutMs: number;
  blobs: BlobStore;
  /** The Temporal client the worker already has, to reach the tracker and connection workflows. */
  temporal: () => Client;
  taskQueue: string;
  trackerSchedule?: Partial<TrackerSchedule>;
  /** The app database: invoice rows and the webhook outbox. */
  db: AppDatabase;
  logger: Logger;
  /** How long supplier facts and Chorus reference lists are reused (they change rarely). */
  referenceCacheMs?: number;
  /** Whether a connection may be used now; the connection workflow provides the real answer. */
  connectionHealth?: (connection: ConnectionRecord) => Promise<ConnectionHealth>;
  /** Paces Chorus calls to each PISTE application's quota across workers; absent: not paced. */
  callQuota?: ChorusCallQuota;
  /** Connection records changing: heard, records are kept between calls; absent: read at every call. */
  connectionChanges?: ConnectionChanges;
}

/** The activities of the invoice workflow (and the tracker's poll, which shares their Chorus access). */
export function createInvoiceActivities(deps: ActivityDependencies, chorus = new ChorusAccess(deps)) {
  return {
    ...createReadinessActivities(chorus, deps),
    ...createSubmissionActivities(chorus, deps),
    ...createTrackingActivities(chorus, deps),
    ...createBuyerActionActivities(chorus),
    ...createRecordActivities(deps),
  };
}

/** Every activity the worker registers; add a family by spreading its factory here. */
export function createActivities(deps: ActivityDependencies) {
  const chorus = new ChorusAccess(deps);
  const invoice = createInvoiceActivities(deps, chorus);
  return {
    ...invoice,
    ...createConnectionActivities(deps),
    ...createLookupActivities(chorus, invoice),
  };
}

export type Activities = ReturnType<typeof createActivities>;
/** What the invoice workflow calls (the tracker's poll is the tracker's). */
export type InvoiceActivities = Omit<ReturnType<typeof createInvoiceActivities>, 'pollAndNotify'>;
export type TrackerActivities = Pick<ReturnType<typeof createInvoiceActivities>, 'pollAndNotify'>;
export type ConnectionActivities = ReturnType<typeof createConnectionActivities>;
/** Reads for integrators (buyer requirements, dry runs), run by the connection workflow. */
export type LookupActivities = ReturnType<typeof createLookupActivities>;
export type { ConnectionHealth };
