import { t, type Localized } from '../../domain/messages';
import type { InvoiceContext } from './context';

/** The invoice ends CANCELLED, with the reason. */
export class InvoiceCancelled extends Error {
  constructor(readonly reason: Localized) {
    super(reason.en);
  }
}

/** The invoice ends FAILED, with a reason a person can act on. */
export class InvoiceFailed extends Error {
  constructor(readonly reason: Localized) {
    super(reason.en);
  }
}

export function throwIfCancelled(ctx: InvoiceContext): void {
  const request = ctx.state.cancelRequest;
  if (!request) return;
  throw new InvoiceCancelled(
    request.reason ? t('reason.cancelledWithReason', { reason: request.reason }) : t('reason.cancelled'),
  );
}
