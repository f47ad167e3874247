import { condition, sleep, workflowInfo } from '@temporalio/workflow';
import { msOf } from '../../../domain/durations';
import { t, type Localized } from '../../../domain/messages';
import type { ChorusStatusFact } from '../../contracts/audit';
import type { ChorusStatusObservation } from '../../contracts/invoice';
import { TRACKING_END_STATUSES } from '../../contracts/tracker';
import { chorus } from '../activity-proxies';
import type { InvoiceContext } from '../context';
import { record, setStatus } from '../transitions';
import { withConnection } from './connection';
import { complete, correctValidator, recycle, VALIDATOR_ERROR_STATUSES } from './buyer-actions';

/**
 * Statuses whose details matter, so the invoice reads its Chorus history for them: a person must act
 * (the buyer's comment) or the invoice ends unpaid (the motif). Any other status the tracker reports,
 * the payment included, is learnt from its signal alone: the audit of an invoice paid that way holds
 * the statuses the tracker saw, each at Chorus's time (a status that came and went between two polls
 * is not in it). The history is still read after a long silence and at the payment horizon.
 */
const HISTORY_WANTED_FOR = new Set([
  'A_RECYCLER',
  'SUSPENDUE',
  ...VALIDATOR_ERROR_STATUSES,
  'REJETEE',
  'REFUSEE_1',
  'REFUSEE_2',
  'ABANDONNEE',
  'SUPPRIMEE',
]);

/**
 * SUBMITTED → TRACKING → PAID | REJECTED | TRACKING_ENDED, with the buyer's returns on the way:
 * statuses come from the connection's tracker (in batches; it follows the connection's deposited
 * invoices from the app database, and the deposit's activity woke it, else this does); the invoice's
 * own Chorus history is read when a status needs its details, when the tracker has been silent for
 * `trackingFallbackAfter`, and at the horizon.
 * Returns 'continue-as-new' when the history is long and nothing is pending.
 */
export async function track(ctx: InvoiceContext): Promise<'done' | 'continue-as-new'> {
  const s = ctx.state;
  const chorusInvoiceId = s.chorusInvoiceId!;
  if (s.status === 'SUBMITTED') {
    if (!s.registeredWithTracker) await register(ctx);
    record(ctx, { kind: 'tracking.started', identifiantFactureCPP: chorusInvoiceId });
    setStatus(ctx, 'TRACKING');
  }
  // One fallback timer at a time, never cancelled: a signal does not re-arm it (no timer churn);
  // when it fires early (news came meanwhile), it is armed again for the rest of the silence.
  let lastNewsAt = Date.now();
  let fallback: { fired: boolean } | undefined;
  // Set when a buyer's return turned out already settled: where the invoice is now is in its history.
  let historyNeeded = false;
  for (;;) {
    const sinceChange = Date.now() - new Date(s.lastChorusChangeAt ?? 0).getTime();
    const horizonLeft = msOf(ctx.timings.paymentHorizon) - sinceChange;
    const signalled = s.incoming.splice(0);
    // At the horizon, the history once before giving up: a payment the tracker's pages did not show
    // (a later status replaced it between two polls, Hélios-style MANDATEE) is found there.
    let lookUp = horizonLeft <= 0 || historyNeeded;
    historyNeeded = false;
    if (!lookUp) {
      if (!fallback) {
        const silenceLeft = msOf(ctx.timings.trackingFallbackAfter) - (Date.now() - lastNewsAt);
        const after = Math.max(1, Math.min(silenceLeft, horizonLeft));
        const timer = { fired: false };
        fallback = timer;
        record(ctx, { kind: 'timer.armed', purpose: 'tracking-fallback', after: `${after}ms` });
        void sleep(after).then(() => {
          timer.fired = true;
        });
      }
      const timer = fallback;
      if (signalled.length === 0) await condition(() => s.incoming.length > 0 || timer.fired);
      signalled.push(...s.incoming.splice(0));
      lookUp = signalled.some((o) => HISTORY_WANTED_FOR.has(o.status));
      if (signalled.length > 0) lastNewsAt = Date.now();
      if (timer.fired) {
        fallback = undefined;
        if (signalled.length === 0) {
          if (Date.now() - lastNewsAt < msOf(ctx.timings.trackingFallbackAfter)) continue; // the horizon, or news since
          // The tracker said nothing for that long: read the history, and wake it (a stopped tracker
          // starts anew).
          lookUp = true;
          lastNewsAt = Date.now();
          await register(ctx);
        }
      }
    }
    const history = lookUp
      ? await withConnection(ctx, () =>
          chorus.invoiceStatusHistory({
            connectionId: ctx.connectionId,
            identifiantFactureCPP: chorusInvoiceId,
          }),
        )
      : undefined;
    if (history?.numeroFacture && history.numeroFacture !== s.chorusInvoiceNumber)
      s.chorusInvoiceNumber = history.numeroFacture;
    const learned = learn(ctx, signalled, 'tracker') + learn(ctx, history?.observations ?? [], 'history');
    if (learned === 0 && horizonLeft <= 0) {
      s.statusReason = t('reason.trackingEnded', {
        horizon: ctx.timings.paymentHorizon,
        status: s.chorusStatus ?? '—',
      });
      stopTracking(ctx);
      setStatus(ctx, 'TRACKING_ENDED', s.statusReason);
      return 'done';
    }
    if (learned === 0 && signalled.length === 0) continue;

    // Who saw the end, for the audit: the tracker's signal or the invoice's own look-up.
    const endSignalled = signalled.some((o) => TRACKING_END_STATUSES.includes(o.status));
    const paid = s.chorusTimeline.find((o) => o.status === 'MISE_EN_PAIEMENT');
    if (paid) {
      s.chorusStatus = 'MISE_EN_PAIEMENT';
      s.statusReason = undefined;
      stopTracking(ctx, endSignalled);
      setStatus(ctx, 'PAID', t('journey.paid', { date: paid.at }));
      return 'done';
    }
    const latest = currentOf(s.chorusTimeline, history?.current);
    if (!latest) continue;
    s.chorusStatus = latest.status;
    const ending = endingOf(latest);
    if (ending) {
      s.statusReason = ending;
      stopTracking(ctx, endSignalled);
      setStatus(ctx, 'REJECTED', s.statusReason);
      return 'done';
    }
    if (
      (latest.status === 'A_RECYCLER' || latest.status === 'SUSPENDUE') &&
      s.handledActionAt !== keyOf(latest)
    ) {
      s.handledActionAt = keyOf(latest);
      const answered = await (latest.status === 'A_RECYCLER' ? recycle(ctx, latest) : complete(ctx, latest));
      historyNeeded = !answered;
      setStatus(ctx, 'TRACKING');
      continue;
    }
    if (VALIDATOR_ERROR_STATUSES.includes(latest.status) && s.handledActionAt !== keyOf(latest)) {
      s.handledActionAt = keyOf(latest);
      if (await correctValidator(ctx, latest)) {
        setStatus(ctx, 'TRACKING');
        continue;
      }
      s.statusReason = t('reason.validatorNotCorrected', { status: latest.status });
      stopTracking(ctx);
      setStatus(ctx, 'TRACKING_ENDED', s.statusReason);
      return 'done';
    }
    setStatus(ctx, 'TRACKING', t('journey.chorusStatus', { status: latest.status }));
    if (workflowInfo().continueAsNewSuggested && s.task === undefined) return 'continue-as-new';
  }
}

/** Wakes the invoice's connection tracker (starting it if it is not running). */
async function register(ctx: InvoiceContext): Promise<void> {
  const s = ctx.state;
  await chorus.trackInvoice({
    connectionId: ctx.connectionId,
    workflowId: ctx.workflowId,
    invoiceNumber: s.chorusInvoiceNumber ?? s.invoice.invoiceNumber,
    identifiantFactureCPP: s.chorusInvoiceId!,
  });
}

/**
 * Chorus statuses after which this invoice will never be paid: the buyer rejected it, its validator
 * refused it, or it was abandoned or deleted. Each ends as REJECTED with the reason; a new invoice
 * (a new number) is needed.
 */
function endingOf(observation: ChorusStatusObservation): Localized | undefined {
  const comment = observation.comment?.replace(/[.\s]+$/, '');
  switch (observation.status) {
    case 'REJETEE':
      return comment ? t('reason.rejectedWithComment', { comment }) : t('reason.rejected');
    case 'REFUSEE_1':
    case 'REFUSEE_2':
      return comment
        ? t('reason.refusedByValidatorWithComment', { comment })
        : t('reason.refusedByValidator');
    case 'ABANDONNEE':
      return t('reason.abandoned');
    case 'SUPPRIMEE':
      return t('reason.deleted');
    default:
      return undefined;
  }
}

/** One status seen twice (by the tracker and in the history): the same history entry, or the same status at the same instant. */
function sameStatus(a: ChorusStatusObservation, b: ChorusStatusObservation): boolean {
  if (a.historyId !== undefined && b.historyId !== undefined) return a.historyId === b.historyId;
  return a.status === b.status && Date.parse(a.at) === Date.parse(b.at);
}

/** Chorus order: by history entry id when both have one (statuses of the same minute), else by instant. */
function chorusOrder(a: ChorusStatusObservation, b: ChorusStatusObservation): number {
  if (a.historyId !== undefined && b.historyId !== undefined) return a.historyId - b.historyId;
  return Date.parse(a.at) - Date.parse(b.at);
}

/** The status Chorus calls current (its latest entry), else the last one in Chorus order. */
function currentOf(
  timeline: ChorusStatusObservation[],
  current?: string,
): ChorusStatusObservation | undefined {
  if (current) {
    const entry = [...timeline].reverse().find((o) => o.status === current);
    if (entry) return entry;
  }
  return timeline[timeline.length - 1];
}

/** A buyer's return is handled once: the same return seen again is not a new one. */
function keyOf(o: ChorusStatusObservation): string {
  return `${o.status}@${o.historyId ?? Date.parse(o.at)}`;
}

/** Adds the statuses not seen before, in Chorus order; a history entry gives its id to the same status the tracker saw. */
function learn(
  ctx: InvoiceContext,
  observations: ChorusStatusObservation[],
  source: ChorusStatusFact['source'],
): number {
  const s = ctx.state;
  let added = 0;
  for (const o of observations) {
    const seen = s.chorusTimeline.find((known) => sameStatus(known, o));
    if (seen) {
      if (seen.historyId === undefined && o.historyId !== undefined) seen.historyId = o.historyId;
      continue;
    }
    s.chorusTimeline.push(o);
    s.lastChorusChangeAt = new Date().toISOString();
    record(ctx, {
      kind: 'chorus.status',
      identifiantFactureCPP: o.identifiantFactureCPP,
      status: o.status,
      chorusAt: o.at,
      ...(o.historyId !== undefined ? { historyId: o.historyId } : {}),
      ...(o.comment ? { comment: o.comment } : {}),
      source,
    });
    added += 1;
  }
  s.chorusTimeline.sort(chorusOrder);
  return added;
}

/**
 * The end of tracking, in the audit: who saw the end (the tracker's signal, or the invoice's own
 * look-up). Nothing to unregister: the tracker follows the invoices whose record is not at an end,
 * and the status set next is one.
 */
function stopTracking(ctx: InvoiceContext, seenByTracker = false): void {
  record(ctx, {
    kind: 'tracking.stopped',
    identifiantFactureCPP: ctx.state.chorusInvoiceId!,
    stoppedBy: seenByTracker ? 'tracker' : 'invoice',
  });
}
