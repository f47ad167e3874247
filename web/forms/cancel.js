// Cancelling an invoice before anything was sent to Chorus Pro, with the reason the journal keeps.

import { api, encoded } from '../api.js';
import { h } from '../dom.js';
import { tr } from '../i18n.js';

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
  const reason = h('textarea', {
    id: 'cancel-reason',
    maxlength: 500,
    'aria-required': 'true',
    'aria-describedby': 'cancel-hint cancel-error',
  });
  const error = h('div', { class: 'field-error', id: 'cancel-error', role: 'alert', hidden: true });
  const fail = (text) => {
    error.textContent = text;
    error.hidden = false;
    reason.focus();
  };
  const confirm = h(
    'fieldset',
    { id: 'cancel-confirm', hidden: true },
    h('legend', {}, tr('web.cancel.title')),
    h('label', { for: 'cancel-reason' }, tr('web.cancel.reason')),
    h('p', { class: 'hint', id: 'cancel-hint' }, tr('web.cancel.hint')),
    reason,
    error,
    h(
      'p',
      { class: 'row-buttons' },
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          id: 'confirm-cancel',
          onclick: async () => {
            error.hidden = true;
            if (!reason.value.trim()) return fail(tr('web.cancel.reasonMissing'));
            try {
              await api(`/v1/invoices/${encoded(invoiceId)}/cancel`, {
                method: 'POST',
                json: { reason: reason.value.trim() },
              });
              onCancelled();
            } catch (err) {
              fail(err.status === 409 ? tr('web.cancel.tooLate') : tr('web.cancel.failed'));
            }
            return undefined;
          },
        },
        tr('web.cancel.confirm'),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          onclick: () => {
            confirm.hidden = true;
            open.hidden = false;
            open.focus();
          },
        },
        tr('web.decision.back'),
      ),
    ),
  );
  const open = h(
    'button',
    {
      type: 'button',
      class: 'danger',
      id: 'cancel-invoice',
      onclick: () => {
        open.hidden = true;
        confirm.hidden = false;
        reason.focus();
      },
    },
    tr('web.cancel.open'),
  );
  const root = h('div', { class: 'cancel', hidden: true }, open, confirm);
  return {
    root,
    update(status) {
      root.hidden = !CANCELLABLE.includes(status);
    },
  };
}
