import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import { CANCEL_REFUSED } from '../contracts/failures';
import {
  answerTaskUpdate,
  CANCELLABLE_STATUSES,
  cancelInvoiceUpdate,
  chorusStatusSignal,
  connectionHealthySignal,
  invoiceStateQuery,
  type CancelRequest,
} from '../contracts/invoice';
import { viewOf, type InvoiceContext } from './context';
import { validateAnswer } from './tasks';
import { record } from './transitions';

/** Registers every message handler before the workflow's first await. */
export function registerHandlers(ctx: InvoiceContext): void {
  const s = ctx.state;
  setHandler(invoiceStateQuery, () => viewOf(ctx));
  setHandler(
    answerTaskUpdate,
    (received) => {
      s.answer = received;
      return { accepted: true as const, status: s.status };
    },
    { validator: (received) => validateAnswer(s.task, received) },
  );
  setHandler(
    cancelInvoiceUpdate,
    async (request) => {
      s.cancelRequest = request;
      record(ctx, {
        kind: 'cancel.requested',
        ...(request.requestedBy ? { requestedBy: request.requestedBy } : {}),
        ...(request.reason ? { reason: request.reason } : {}),
      });
      await condition(() => s.status === 'CANCELLED');
      return { status: s.status };
    },
    {
      validator: (_request: CancelRequest) => {
        if (CANCELLABLE_STATUSES.includes(s.status)) return;
        throw ApplicationFailure.create({
          type: CANCEL_REFUSED,
          message:
            s.status === 'CANCELLED'
              ? 'The invoice is already cancelled.'
              : `The invoice is ${s.status}: it was already sent to Chorus Pro (or is being sent) and can no longer be cancelled. ` +
                'Issue a credit note to cancel it.',
        });
      },
    },
  );
  setHandler(chorusStatusSignal, (observations) => {
    s.incoming.push(...observations);
  });
  setHandler(connectionHealthySignal, () => {
    s.connectionNudged = true;
  });
}
