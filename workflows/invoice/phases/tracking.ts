import { condition, workflowInfo } from '@temporalio/workflow';
import { msOf } from '../../../domain/durations';
import { t, type Localized } from '../../../domain/messages';
import type { ChorusStatusFact } from '../../contracts/audit';
import type { ChorusStatusObservation } from '../../contracts/invoice';
import { chorus } from '../activity-proxies';
import type { InvoiceContext } from '../context';
import { record, setStatus } from '../transitions';
import { withConnection } from './connection';
import { complete, recycle } from './buyer-actions';

/**
 * SUBMITTED → TRACKING → PAID | REJECTED | TRACKING_ENDED, with the buyer's returns on the way:
 * statuses come from the connection's tracker (in batches) and, when it is silent for
 * `trackingFallbackAfter`, from the invoice's own Chorus history. Returns 'continue-as-new' when
 * the history is long and nothing is pending.
 */
export async function track(ctx: InvoiceContext): Promise<'done' | 'continue-as-new'> {
  const s = ctx.state;
  const chorusInvoiceId = s.chorusInvoiceId!;
  if (s.status === 'SUBMITTED') {
    await chorus.trackInvoice({
      connectionId: ctx.connectionId,
      workflowId: ctx.workflowId,
      invoiceNumber: s.invoice.invoiceNumber,
      identifiantFactureCPP: chorusInvoiceId,
    });
    record(ctx, { kind: 'tracking.started', identifiantFactureCPP: chorusInvoiceId });
    setStatus(ctx, 'TRACKING');
  }
  for (;;) {
    const sinceChange = Date.now() - new Date(s.lastChorusChangeAt ?? 0).getTime();
    const horizonLeft = msOf(ctx.timings.paymentHorizon) - sinceChange;
    if (horizonLeft <= 0) {
      s.statusReason = t('reason.trackingEnded', {
        horizon: ctx.timings.paymentHorizon,
        status: s.chorusStatus ?? '—',
      });
      await stopTracking(ctx);
      setStatus(ctx, 'TRACKING_ENDED', s.statusReason);
      return 'done';
    }
    const fallback = Math.min(msOf(ctx.timings.trackingFallbackAfter), horizonLeft);
    record(ctx, { kind: 'timer.armed', purpose: 'tracking-fallback', after: `${fallback}ms` });
    const got = await condition(() => s.incoming.length > 0, fallback);
    // The tracker reports the latest status only; the history also holds the ones passed in between.
    const signalled = got ? s.incoming.splice(0) : [];
    const history = await withConnection(ctx, () =>
      chorus.invoiceStatusHistory({ connectionId: ctx.connectionId, identifiantFactureCPP: chorusInvoiceId }),
    );
    const learned = learn(ctx, signalled, 'tracker') + learn(ctx, history, 'history');
    if (learned === 0 && !got) continue;

    const paid = s.chorusTimeline.find((o) => o.status === 'MISE_EN_PAIEMENT');
    if (paid) {
      s.chorusStatus = 'MISE_EN_PAIEMENT';
      s.statusReason = undefined;
      await stopTracking(ctx);
      setStatus(ctx, 'PAID', t('journey.paid', { date: paid.at }));
      return 'done';
    }
    const latest = s.chorusTimeline[s.chorusTimeline.length - 1];
    if (!latest) continue;
    s.chorusStatus = latest.status;
    const ending = endingOf(latest);
    if (ending) {
      s.statusReason = ending;
      await stopTracking(ctx);
      setStatus(ctx, 'REJECTED', s.statusReason);
      return 'done';
    }
    if (
      (latest.status === 'A_RECYCLER' || latest.status === 'SUSPENDUE') &&
      s.handledActionAt !== latest.at
    ) {
      s.handledActionAt = latest.at;
      await (latest.status === 'A_RECYCLER' ? recycle(ctx, latest) : complete(ctx, latest));
      setStatus(ctx, 'TRACKING');
      continue;
    }
    setStatus(ctx, 'TRACKING', t('journey.chorusStatus', { status: latest.status }));
    if (workflowInfo().continueAsNewSuggested && s.task === undefined) return 'continue-as-new';
  }
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

/** Adds the statuses not seen before (same status at the same Chorus time = same), in Chorus order. */
function learn(
  ctx: InvoiceContext,
  observations: ChorusStatusObservation[],
  source: ChorusStatusFact['source'],
): number {
  const s = ctx.state;
  let added = 0;
  for (const o of observations) {
    if (s.chorusTimeline.some((seen) => seen.status === o.status && seen.at === o.at)) continue;
    s.chorusTimeline.push(o);
    s.lastChorusChangeAt = new Date().toISOString();
    record(ctx, {
      kind: 'chorus.status',
      identifiantFactureCPP: o.identifiantFactureCPP,
      status: o.status,
      chorusAt: o.at,
      ...(o.comment ? { comment: o.comment } : {}),
      source,
    });
    added += 1;
  }
  s.chorusTimeline.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return added;
}

async function stopTracking(ctx: InvoiceContext): Promise<void> {
  await chorus.untrackInvoice({
    connectionId: ctx.connectionId,
    invoiceNumber: ctx.state.invoice.invoiceNumber,
  });
  record(ctx, { kind: 'tracking.stopped', identifiantFactureCPP: ctx.state.chorusInvoiceId! });
}
