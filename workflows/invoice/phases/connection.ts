import { condition } from '@temporalio/workflow';
import { failureMessage, isConnectionProblem, reportConnectionTrouble } from '../../failures';
import { msOf } from '../../../domain/durations';
import { verbatim, type Localized } from '../../../domain/messages';
import { CANCELLABLE_STATUSES } from '../../contracts/invoice';
import { chorus } from '../activity-proxies';
import type { InvoiceContext } from '../context';
import { throwIfCancelled } from '../outcomes';
import { record, setStatus } from '../transitions';

/** A connection the caller already knows may not be used, and why (when known). */
export interface UnusableConnection {
  healthy: false;
  reason?: Localized;
}

/**
 * Waits, visibly, until the connection can be used again: an invoice never fails because of its
 * connection's credentials. `known` is what the caller already knows is wrong; without it, the
 * connection's health is read first. Re-checked every `connectionRecheckEvery`, or when nudged.
 */
export async function awaitHealthyConnection(ctx: InvoiceContext, known?: UnusableConnection): Promise<void> {
  const s = ctx.state;
  let health = known ?? (await chorus.connectionHealth(ctx.connectionId));
  let waited = false;
  while (!health.healthy) {
    s.statusReason = health.reason;
    const recheckEvery = ctx.timings.connectionRecheckEvery;
    if (!waited) {
      const reason = health.reason ?? { en: '', fr: '' };
      record(ctx, { kind: 'connection.waiting', reason: reason.en, reasonFr: reason.fr, recheckEvery });
    }
    waited = true;
    if (s.status !== 'WAITING_FOR_CONNECTION') setStatus(ctx, 'WAITING_FOR_CONNECTION', health.reason);
    s.connectionNudged = false;
    await condition(() => s.connectionNudged || s.cancelRequest !== undefined, msOf(recheckEvery));
    if (CANCELLABLE_STATUSES.includes(s.status)) throwIfCancelled(ctx);
    health = await chorus.connectionHealth(ctx.connectionId);
  }
  if (waited) record(ctx, { kind: 'connection.resumed' });
  s.statusReason = undefined;
}

/** Runs a Chorus call; a credentials problem parks the invoice until the connection is fixed. */
export async function withConnection<T>(ctx: InvoiceContext, call: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (!isConnectionProblem(err)) throw err;
      const resume = ctx.state.status;
      await parkOnCredentialsFailure(ctx, err);
      setStatus(ctx, resume);
    }
  }
}

/**
 * A credentials failure: the connection is told at once (so its status, checks and remedy change
 * within seconds, not at its next scheduled verification), and the invoice waits for it.
 */
export async function parkOnCredentialsFailure(ctx: InvoiceContext, err: unknown): Promise<void> {
  const reason = failureMessage(err);
  await reportConnectionTrouble(ctx.connectionId, reason, ctx.workflowId);
  await awaitHealthyConnection(ctx, { healthy: false, reason: verbatim(reason) });
}
