// The form of an invoice's open task, built from the task itself: what to fill and why, checked
// before sending with the workflow's own rules; a refused answer shows on its fields.

import { api, ApiError, encoded } from '../api.js';
import { h } from '../dom.js';
import { label, tr } from '../i18n.js';
import { session } from '../session.js';
import { approvalSummary } from '../views/approval-summary.js';
import { decision } from './decision.js';
import { taskFields } from './fields.js';
import { problemWith } from './validation.js';

const DECISIONS = ['APPROVAL', 'DUPLICATE_NUMBER', 'SUBMISSION_FAILING', 'VALIDATOR_ERROR'];

/** Checks the filled values; returns whether the form may be sent (errors shown where they are). */
function validate(task, controls, groups) {
  let ok = true;
  const fail = (entry, text) => {
    entry.showError(text);
    ok = false;
  };
  const filled = (field) => {
    const entry = controls.get(field);
    return field === 'attachments' ? entry.control.files.length > 0 : entry.read() !== '';
  };
  for (const [field, entry] of controls) {
    entry.clearError();
    if (field === 'attachments') continue;
    const value = entry.read();
    if (!value) {
      if (entry.spec.required && !entry.spec.oneOf) fail(entry, tr('web.validation.required'));
      continue;
    }
    const problem = problemWith(field, value, entry.spec);
    if (problem) fail(entry, problem);
  }
  for (const group of groups.values()) {
    group.error.hidden = true;
    if (!group.fields.some(filled)) {
      group.error.textContent = tr('web.validation.oneOfGroup');
      group.error.hidden = false;
      ok = false;
    }
  }
  if (ok && ![...controls.keys()].some(filled)) {
    fail(controls.values().next().value, tr('web.validation.empty'));
  }
  return ok;
}

async function collect(controls) {
  const answer = {};
  const values = {};
  for (const [field, entry] of controls) {
    if (field === 'attachments') {
      const files = [...entry.control.files];
      if (files.length === 0) continue;
      answer.attachments = [];
      for (const [i, file] of files.entries()) {
        const uploaded = await api('/v1/uploads', {
          method: 'POST',
          body: file,
          headers: { 'content-type': 'application/octet-stream' },
        });
        answer.attachments.push({
          fileName: file.name,
          type: entry.typeOf(i) ?? 'Doc. Annexe',
          uploadRef: uploaded.uploadRef,
        });
      }
    } else if (entry.read()) {
      // `comment` too: a task that asks for one reads it with the other values.
      values[field] = entry.read();
    }
  }
  if (Object.keys(values).length) answer.values = values;
  return answer;
}

/**
 * `onAnswered()` runs once the workflow accepted the answer (the page then shows the result and
 * the next task).
 */
export function taskForm({ invoiceId, task, view, onAnswered }) {
  const readOnly = !session.isStaff();
  const box = h('div', { role: 'alert', class: 'error-box', hidden: true });
  const { elements, controls, groups } = taskFields(task, readOnly);
  let sending = false;

  /** Shows the API's refusal on the fields it names; the API's own words are not shown (English). */
  function showRefusal(err) {
    let shown = 0;
    for (const field of Object.keys(err instanceof ApiError ? err.fields : {})) {
      const entry = controls.get(field) ?? controls.get(field.split('.').slice(0, 2).join('.'));
      if (entry) {
        entry.showError(tr('web.validation.refusedByService'));
        shown += 1;
      }
    }
    box.textContent =
      err.status === 409
        ? tr('web.task.stale')
        : shown > 0
          ? tr('web.task.refusedFields')
          : tr('web.task.refused');
    box.hidden = false;
  }

  async function send(extra) {
    if (sending) return;
    box.hidden = true;
    if (!DECISIONS.includes(task.kind) && !validate(task, controls, groups)) {
      box.textContent = tr('web.task.fixFields');
      box.hidden = false;
      form.querySelector('[aria-invalid="true"]')?.focus();
      return;
    }
    sending = true;
    submit?.setAttribute('aria-disabled', 'true');
    try {
      const answer = {
        taskId: task.id,
        ...(DECISIONS.includes(task.kind) ? {} : await collect(controls)),
        ...extra,
      };
      await api(`/v1/invoices/${encoded(invoiceId)}/task`, { method: 'POST', json: answer });
      onAnswered(task);
    } catch (err) {
      showRefusal(err);
    } finally {
      sending = false;
      submit?.removeAttribute('aria-disabled');
    }
  }

  const submit = DECISIONS.includes(task.kind)
    ? undefined
    : h('button', { type: 'submit', disabled: readOnly }, tr('web.task.send'));
  const form = h(
    'form',
    {
      class: 'card',
      id: 'task-form',
      novalidate: true,
      'data-task-id': task.id,
      'data-task-kind': task.kind,
      'aria-labelledby': 'task-title',
      onsubmit: (e) => {
        e.preventDefault();
        void send({});
      },
    },
    h('h2', { id: 'task-title' }, task.titleFr ?? label('taskKind', task.kind)),
    h('p', {}, task.descriptionFr ?? task.description),
    readOnly ? h('p', { class: 'muted' }, tr('web.task.readOnly')) : null,
    task.kind === 'APPROVAL' && task.chorusPayload ? approvalSummary(task, view) : null,
    elements,
    box,
    DECISIONS.includes(task.kind) ? decision(task, { readOnly, send }) : h('p', {}, submit),
  );
  return form;
}
