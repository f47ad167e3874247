// A yes-or-no task (approval before sending, a number already used): the refusal asks for a
// reason, which the workflow records and the journal shows.

import { h } from '../dom.js';
import { tr } from '../i18n.js';

const WORDING = {
  APPROVAL: {
    yes: 'web.decision.approve',
    no: 'web.decision.refuse',
    confirm: 'web.decision.confirmRefusal',
    reason: 'web.decision.refusalReason',
    hint: 'web.decision.refusalHint',
    reasonRequired: true,
  },
  DUPLICATE_NUMBER: {
    yes: 'web.decision.sameInvoice',
    no: 'web.decision.otherInvoice',
    confirm: 'web.decision.confirmOther',
    reason: 'web.decision.otherComment',
    hint: 'web.decision.otherHint',
    reasonRequired: false,
  },
  VALIDATOR_ERROR: {
    yes: 'web.decision.validatorCorrected',
    no: 'web.decision.stopTracking',
    confirm: 'web.decision.confirmStopTracking',
    reason: 'web.decision.otherComment',
    hint: 'web.decision.stopTrackingHint',
    reasonRequired: false,
  },
  SUBMISSION_FAILING: {
    yes: 'web.decision.keepTrying',
    no: 'web.decision.stopSending',
    confirm: 'web.decision.confirmStop',
    reason: 'web.decision.otherComment',
    hint: 'web.decision.stopHint',
    reasonRequired: false,
  },
};

/** `send(answer)` posts `{approve, comment?}` and resolves to whether it was accepted. */
export function decision(task, { readOnly, send }) {
  const words = WORDING[task.kind] ?? WORDING.APPROVAL;
  const reason = h('textarea', {
    id: 'refusal-reason',
    maxlength: 2000,
    'aria-describedby': 'refusal-hint refusal-error',
    ...(words.reasonRequired ? { 'aria-required': 'true' } : {}),
  });
  const error = h('div', { class: 'field-error', id: 'refusal-error', hidden: true });
  const confirm = h(
    'fieldset',
    { id: 'refusal', class: 'refusal', hidden: true },
    h('legend', {}, tr(words.no)),
    h('label', { for: 'refusal-reason' }, tr(words.reason)),
    h('p', { class: 'hint', id: 'refusal-hint' }, tr(words.hint)),
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
          id: 'confirm-refusal',
          onclick: () => {
            const text = reason.value.trim();
            if (words.reasonRequired && !text) {
              error.textContent = tr('web.decision.reasonMissing');
              error.hidden = false;
              reason.setAttribute('aria-invalid', 'true');
              reason.focus();
              return;
            }
            void send({ approve: false, ...(text ? { comment: text } : {}) });
          },
        },
        tr(words.confirm),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          id: 'cancel-refusal',
          onclick: () => {
            confirm.hidden = true;
            buttons.hidden = false;
            refuse.focus();
          },
        },
        tr('web.decision.back'),
      ),
    ),
  );
  const refuse = h(
    'button',
    {
      type: 'button',
      class: 'danger',
      id: 'refuse',
      disabled: readOnly,
      onclick: () => {
        buttons.hidden = true;
        confirm.hidden = false;
        reason.focus();
      },
    },
    tr(words.no),
  );
  const buttons = h(
    'p',
    { class: 'row-buttons' },
    h(
      'button',
      { type: 'button', id: 'approve', disabled: readOnly, onclick: () => void send({ approve: true }) },
      tr(words.yes),
    ),
    refuse,
  );
  return [buttons, confirm];
}
