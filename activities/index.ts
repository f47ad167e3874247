import { createConnectionActivities } from './connection';
import { createInvoiceActivities, type InvoiceActivityDependencies } from './invoice';
import { createRecordActivities } from './records';
import { createSmokeActivities } from './smoke';

/** What activities need from the outside world; the worker builds it once, tests pass fakes. */
export interface ActivityDependencies {
  httpTimeoutMs: number;
  /** Chorus, blob store, tracker, connections and webhooks; a smoke-only worker may leave it out. */
  invoice?: InvoiceActivityDependencies;
}

/** Every activity the worker registers; add a family by spreading its factory here. */
export function createActivities(deps: ActivityDependencies) {
  return {
    ...createSmokeActivities({ httpTimeoutMs: deps.httpTimeoutMs }),
    ...(deps.invoice ? createInvoiceActivities(deps.invoice) : {}),
    ...(deps.invoice ? createConnectionActivities(deps.invoice) : {}),
    ...(deps.invoice ? createRecordActivities(deps.invoice) : {}),
  };
}

export type Activities = ReturnType<typeof createActivities>;
