import { allHandlersFinished, condition, continueAsNew, log } from '@temporalio/workflow';
import { t } from '../../domain/messages';
import { TERMINAL_STATUSES, type InvoiceView, type InvoiceWorkflowInput } from '../contracts/invoice';
import { failureMessage } from '../failures';
import { paceChorusRetries } from './activity-proxies';
import { createContext, viewOf, type InvoiceContext } from './context';
import { registerHandlers } from './handlers';
import { InvoiceCancelled, InvoiceFailed } from './outcomes';
import { prepare } from './phases/preparation';
import { submitExactlyOnce } from './phases/submission';
import { track } from './phases/tracking';
import { record, setStatus } from './transitions';

/**
 * One invoice, from the first check to payment (docs/technical-description.md): prepare (checks,
 * data and approval tasks, uploads), submit exactly once, then track until the buyer pays, rejects
 * or stops reporting. Durations come from the input so tests run in seconds.
 */
export async function invoiceWorkflow(input: InvoiceWorkflowInput): Promise<InvoiceView> {
  const ctx = createContext(input);
  paceChorusRetries(ctx.timings.chorusRetryMaxInterval);
  registerHandlers(ctx);

  let outcome: 'done' | 'continue-as-new' = 'done';
  try {
    if (!input.carried) {
      receive(ctx);
      // A refusal a person corrected sends the invoice back through the checks.
      do await prepare(ctx);
      while ((await submitExactlyOnce(ctx)) === 'corrected');
    }
    outcome = await track(ctx);
  } catch (err) {
    end(ctx, err);
  }

  await condition(allHandlersFinished);
  await ctx.records.chain;
  if (outcome === 'continue-as-new') {
    const s = ctx.state;
    await continueAsNew<typeof invoiceWorkflow>({
      ...input,
      invoice: s.invoice,
      attachments: s.attachments,
      carried: {
        status: s.status,
        statusReason: s.statusReason,
        chorusStatus: s.chorusStatus,
        chorusInvoiceId: s.chorusInvoiceId,
        chorusInvoiceNumber: s.chorusInvoiceNumber,
        buyerName: s.buyerName,
        timeline: s.journey,
        chorusTimeline: s.chorusTimeline,
        lastChorusChangeAt: s.lastChorusChangeAt,
        eventSequence: s.eventSequence,
        recordSequence: s.recordSequence,
        audit: s.audit,
        pendingObservations: s.incoming.splice(0),
      },
    });
  }
  if (!TERMINAL_STATUSES.includes(ctx.state.status))
    log.warn('invoice workflow ended in a non-terminal state', { status: ctx.state.status });
  return viewOf(ctx);
}

function receive(ctx: InvoiceContext): void {
  const invoice = ctx.state.invoice;
  record(ctx, {
    kind: 'invoice.received',
    invoiceNumber: invoice.invoiceNumber,
    connectionId: ctx.connectionId,
    buyerSiret: invoice.buyer.siret,
    lines: invoice.lines.length,
    attachments: ctx.state.attachments.length,
  });
  setStatus(ctx, 'RECEIVED', t('journey.received'));
}

/** The end of a lifecycle that did not reach tracking's own ends: cancelled or failed, with the reason. */
function end(ctx: InvoiceContext, err: unknown): void {
  const s = ctx.state;
  s.task = undefined;
  if (err instanceof InvoiceCancelled) {
    s.statusReason = err.reason;
    setStatus(ctx, 'CANCELLED', err.reason);
  } else if (err instanceof InvoiceFailed) {
    s.statusReason = err.reason;
    setStatus(ctx, 'FAILED', err.reason);
  } else {
    s.statusReason = t('reason.unexpected', { error: failureMessage(err) });
    setStatus(ctx, 'FAILED', s.statusReason);
  }
}
