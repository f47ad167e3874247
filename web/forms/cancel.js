// Cancelling an invoice before anything was sent to Chorus Pro, with the reason the journal keeps.

import { api, encoded } from '../api.js';
import { h } from '../dom.js';
import { tr } from '../i18n.js';
import { reasonStep } from './reason-step.js';

/** The statuses an invoice can still be cancelled in (nothing reached Chorus Pro yet). */
export const CANCELLABLE = [
  'RECEIVED',
  'WAITING_FOR_CONNECTION',
  'CHECKING',
  'AWAITING_DATA',
  'AWAITING_APPROVAL',
  'UPLOADING',
];

/** `update(status)` shows or hides it; built once, so a refresh never clears what is typed. */
export function cancelControl(invoiceId, { onCancelled }) {
  const step = reasonStep({
    prefix: 'cancel',
    fieldsetId: 'cancel-confirm',
    confirmId: 'confirm-cancel',
    words: {
      legend: 'web.cancel.title',
      reason: 'web.cancel.reason',
      hint: 'web.cancel.hint',
      missing: 'web.cancel.reasonMissing',
      confirm: 'web.cancel.confirm',
    },
    maxlength: 500,
    required: true,
    onConfirm: async (reason) => {
      try {
        await api(`/v1/invoices/${encoded(invoiceId)}/cancel`, { method: 'POST', json: { reason } });
        onCancelled();
      } catch (err) {
        step.fail(err.status === 409 ? tr('web.cancel.tooLate') : tr('web.cancel.failed'));
      }
    },
    onBack: () => {
      open.hidden = false;
      open.focus();
    },
  });
  const open = h(
    'button',
    {
      type: 'button',
      class: 'danger',
      id: 'cancel-invoice',
      onclick: () => {
        open.hidden = true;
        step.show();
      },
    },
    tr('web.cancel.open'),
  );
  const root = h('div', { class: 'cancel', hidden: true }, open, step.fieldset);
  return {
    root,
    update(status) {
      root.hidden = !CANCELLABLE.includes(status);
    },
  };
}
