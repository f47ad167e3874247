// A yes-or-no task (approval before sending, a number already used): the refusal asks for a
// reason, which the workflow records and the journal shows.

import { h } from '../dom.js';
import { tr } from '../i18n.js';
import { reasonStep } from './reason-step.js';

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
  const step = reasonStep({
    prefix: 'refusal',
    fieldsetId: 'refusal',
    confirmId: 'confirm-refusal',
    words: {
      legend: words.no,
      reason: words.reason,
      hint: words.hint,
      missing: 'web.decision.reasonMissing',
      confirm: words.confirm,
    },
    maxlength: 2000,
    required: words.reasonRequired,
    onConfirm: (text) => void send({ approve: false, ...(text ? { comment: text } : {}) }),
    onBack: () => {
      buttons.hidden = false;
      refuse.focus();
    },
  });
  const refuse = h(
    'button',
    {
      type: 'button',
      class: 'danger',
      id: 'refuse',
      disabled: readOnly,
      onclick: () => {
        buttons.hidden = true;
        step.show();
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
  return [buttons, step.fieldset];
}
