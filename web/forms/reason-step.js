// The second step of a consequential choice (refusing, cancelling): a reason typed, then confirmed
// or taken back, with the error shown beside the field.

import { h } from '../dom.js';
import { tr } from '../i18n.js';

/**
 * `ids`: `<prefix>-reason`, `-hint` and `-error`, the fieldset's and the confirm button's ids.
 * `onConfirm(text)` runs with the trimmed reason; `onBack()` when the person takes the choice back.
 * Returns the fieldset, `show()` (focuses the reason) and `fail(text)` (shows an error, focuses it).
 */
export function reasonStep({ prefix, fieldsetId, confirmId, words, maxlength, required, onConfirm, onBack }) {
  const reason = h('textarea', {
    id: `${prefix}-reason`,
    maxlength,
    'aria-describedby': `${prefix}-hint ${prefix}-error`,
    ...(required ? { 'aria-required': 'true' } : {}),
  });
  const error = h('div', { class: 'field-error', id: `${prefix}-error`, role: 'alert', hidden: true });
  const fail = (text) => {
    error.textContent = text;
    error.hidden = false;
    reason.setAttribute('aria-invalid', 'true');
    reason.focus();
  };
  const fieldset = h(
    'fieldset',
    { id: fieldsetId, class: 'reason-step', hidden: true },
    h('legend', {}, tr(words.legend)),
    h('label', { for: `${prefix}-reason` }, tr(words.reason)),
    h('p', { class: 'hint', id: `${prefix}-hint` }, tr(words.hint)),
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
          id: confirmId,
          onclick: () => {
            error.hidden = true;
            reason.removeAttribute('aria-invalid');
            const text = reason.value.trim();
            if (required && !text) return fail(tr(words.missing));
            return onConfirm(text);
          },
        },
        tr(words.confirm),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          id: `${prefix}-back`,
          onclick: () => {
            fieldset.hidden = true;
            onBack();
          },
        },
        tr('web.decision.back'),
      ),
    ),
  );
  return {
    fieldset,
    fail,
    show() {
      fieldset.hidden = false;
      reason.focus();
    },
  };
}
