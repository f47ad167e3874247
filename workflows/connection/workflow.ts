import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { ACTIVITY_HEARTBEAT_TIMEOUT, WEBHOOK_ACTIVITY_OPTIONS } from '../activity-options';
import { msOf } from '../../domain/durations';
import * as sa from '../contracts/search-attributes';
import {
  connectionStateQuery,
  connectionTroubleSignal,
  credentialsChangedSignal,
  verifyNowUpdate,
  buyerRequirementsUpdate,
  invoiceDryRunUpdate,
  type ConnectionActivities,
  type LookupActivities,
  type ConnectionView,
  type ConnectionWorkflowInput,
} from '../contracts/connection';

const activities = proxyActivities<ConnectionActivities>({
  startToCloseTimeout: '2 minutes',
  // A verification on a worker that died is taken over after this, not after its 2 minutes.
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    nonRetryableErrorTypes: ['UnknownConnection'],
  },
});

const webhooks = proxyActivities<ConnectionActivities>(WEBHOOK_ACTIVITY_OPTIONS);

/** Reads a caller waits for: a few quick tries, then the caller hears why. */
const lookups = proxyActivities<LookupActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumAttempts: 3, nonRetryableErrorTypes: ['UnknownConnection'] },
});

const HEALTHY = ['CONNECTED', 'DEGRADED'];

/** Reports of trouble within this long after a verification add nothing: it has just been checked. */
const TROUBLE_DEBOUNCE_MS = 5_000;

/**
 * One per connection (`connection:<id>`): verifies it layer by layer, again on a schedule, after
 * every credential change and on demand; wakes the invoices that wait for it when it recovers.
 */
export async function connectionWorkflow(input: ConnectionWorkflowInput): Promise<void> {
  const reverifyMs = msOf(input.reverifyEvery ?? '1 day');
  const recheckFailedMs = msOf(input.recheckFailedEvery ?? '5 minutes');
  const { verificationPending, ...carriedView } = input.carried ?? {};
  const view: ConnectionView = input.carried
    ? { connectionId: input.connectionId, status: 'VERIFYING', checks: [], verifications: 0, ...carriedView }
    : { connectionId: input.connectionId, status: 'VERIFYING', checks: [], verifications: 0 };
  // The last verified status (the view says VERIFYING while a new verification is pending).
  let settled = input.carried && input.carried.verifications > 0 ? input.carried.status : undefined;
  // A new connection, or a change signalled while the previous run was handing over.
  let requested = !input.carried || verificationPending === true;
  let verifying = false;

  // Lookups add history too: from this version on, a long history hands over between verifications
  // (runs recorded before it wait for their next verification, as they did).
  const handsOverWhenLong = patched('hand-over-between-verifications');

  setHandler(connectionStateQuery, () => view);
  setHandler(credentialsChangedSignal, () => {
    view.status = 'VERIFYING';
    requested = true;
  });
  setHandler(connectionTroubleSignal, (report) => {
    view.lastTrouble = { at: new Date().toISOString(), ...report };
    // A burst of reports (every waiting invoice meets the same 401) makes one verification: none
    // while one is pending, nor right after one finished.
    const recent =
      view.lastVerifiedAt !== undefined && Date.now() - Date.parse(view.lastVerifiedAt) < TROUBLE_DEBOUNCE_MS;
    if (!verifying && !recent) requested = true;
  });
  setHandler(verifyNowUpdate, async () => {
    const before = view.verifications;
    requested = true;
    await condition(() => view.verifications > before);
    return view;
  });

  setHandler(buyerRequirementsUpdate, ({ buyerSiret }) =>
    lookups.buyerRequirements({ connectionId: input.connectionId, buyerSiret }),
  );
  setHandler(invoiceDryRunUpdate, (request) => lookups.invoiceDryRun(request));

  upsertSearchAttributes([
    { key: sa.ConnectionId, value: input.connectionId },
    { key: sa.ConnectionStatus, value: view.status },
  ]);

  while (!workflowInfo().continueAsNewSuggested) {
    await condition(
      () => requested || (handsOverWhenLong && workflowInfo().continueAsNewSuggested),
      settled === 'FAILED' ? recheckFailedMs : reverifyMs,
    );
    if (!requested && handsOverWhenLong && workflowInfo().continueAsNewSuggested) break;
    requested = false;
    const previousStatus = settled ?? 'VERIFYING';
    const wasHealthy = HEALTHY.includes(previousStatus);
    verifying = true;
    const outcome = await activities.verifyConnection(input.connectionId).finally(() => {
      verifying = false;
    });
    view.status = outcome.status;
    view.checks = outcome.checks;
    view.passwordExpiresOn = outcome.passwordExpiresOn;
    // The countdown comes from the activity, computed on Chorus's clock: nothing here reads a clock for it.
    view.daysUntilPasswordExpiry = outcome.daysUntilPasswordExpiry;
    view.chorusTime = outcome.chorusTime;
    view.lastVerifiedAt = new Date().toISOString();
    view.verifications += 1;
    settled = view.status;
    upsertSearchAttributes([{ key: sa.ConnectionStatus, value: view.status }]);
    if (HEALTHY.includes(view.status) && !wasHealthy)
      await activities.wakeWaitingInvoices(input.connectionId);
    if (view.status !== previousStatus) {
      // Delivery failures never block verification.
      void webhooks
        .notifyConnectionStatus({
          connectionId: input.connectionId,
          eventId: `${workflowInfo().workflowId}#${view.verifications}`,
          status: view.status,
          previousStatus,
          failingChecks: view.checks.filter((c) => c.result === 'failed').map((c) => c.id),
        })
        .catch(() => undefined);
    }
  }

  await condition(allHandlersFinished);
  const { connectionId: _id, ...carried } = view;
  await continueAsNew<typeof connectionWorkflow>({
    connectionId: input.connectionId,
    reverifyEvery: input.reverifyEvery,
    recheckFailedEvery: input.recheckFailedEvery,
    carried,
  });
}
