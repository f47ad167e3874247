// One invoice: where it is (the steps), what it waits for (its task), how it got there (checklist,
// Chorus Pro statuses, journey) and, for staff and auditors, its journal.

import { api, encoded } from '../api.js';
import { statusBadge } from '../badges.js';
import { alertBox, h, loading, renderIfChanged } from '../dom.js';
import { errorText } from '../errors.js';
import { dateTime } from '../format.js';
import { cancelControl } from '../forms/cancel.js';
import { taskForm } from '../forms/task-form.js';
import { label, tr } from '../i18n.js';
import { session } from '../session.js';
import { buyerNameOf, invoiceDetails } from './invoice-details.js';
import { journal } from './journal.js';
import { buyerText } from './tasks.js';

const HISTORY_EVERY_MS = 10_000;
const STEPS = ['information', 'checking', 'attachments', 'sending', 'tracking'];
const STEP_OF_STATUS = {
  RECEIVED: 0,
  WAITING_FOR_CONNECTION: 1,
  CHECKING: 1,
  AWAITING_DATA: 1,
  AWAITING_APPROVAL: 3,
  UPLOADING: 2,
  SUBMITTING: 3,
  SUBMITTED: 3,
  TRACKING: 4,
  ACTION_REQUIRED: 4,
  PAID: 4,
  TRACKING_ENDED: 4,
  REJECTED: 4,
  CANCELLED: 1,
  FAILED: 1,
};

function header(v) {
  return [
    h('h1', {}, tr('web.invoice.title', { number: v.invoiceNumber })),
    h(
      'p',
      { class: 'status-line' },
      statusBadge(v.status),
      v.chorusStatus
        ? h(
            'span',
            { id: 'chorus-status' },
            tr('web.invoice.chorusStatus', { status: label('chorusStatus', v.chorusStatus) }),
          )
        : null,
      v.chorusInvoiceId
        ? h('span', { id: 'chorus-id' }, tr('web.invoice.chorusId', { id: v.chorusInvoiceId }))
        : null,
    ),
    h(
      'p',
      { class: 'muted', id: 'buyer' },
      tr('web.invoice.meta', {
        buyer: buyerText(buyerNameOf(v), v.invoice.buyer.siret),
        connection: v.connectionId,
      }),
    ),
    v.statusReason
      ? h('p', { class: 'reason', id: 'status-reason' }, v.statusReasonFr ?? v.statusReason)
      : null,
    // Read from the database: the workflow is archived, or Temporal does not answer right now.
    v.read?.source === 'database'
      ? h(
          'p',
          { class: 'muted', id: 'read-source', role: 'status' },
          v.read.archived
            ? tr('web.invoice.readArchived')
            : tr('web.invoice.readStale', { at: dateTime(v.read.recordedAt) }),
        )
      : null,
  ];
}

/** The next task to answer once this one is: the oldest open task of another invoice. */
async function nextTaskLink(id) {
  const { tasks } = await api('/v1/tasks');
  const next = tasks.find((t) => t.invoiceId !== id);
  if (!next)
    return [
      tr('web.task.noNext'),
      ' ',
      h('a', { href: '#/taches', id: 'next-task' }, tr('web.task.backToTasks')),
    ];
  return h(
    'a',
    { href: `#/factures/${encoded(next.invoiceId)}`, id: 'next-task' },
    tr('web.task.next', { kind: label('taskKind', next.task.kind), number: next.invoiceNumber }),
  );
}

export function invoiceView(id, ctx) {
  const head = loading('div', {}, tr('web.loading'));
  const steps = h('ol', { class: 'steps', 'aria-label': tr('web.steps.label') });
  const result = h('div', {
    id: 'task-result',
    class: 'success-box',
    tabindex: '-1',
    role: 'status',
    hidden: true,
  });
  const taskSlot = h('div', { id: 'task-slot' });
  const details = h('div', {});
  const error = alertBox(errorText);
  const journalPart = session.me.role === 'auditor' || session.me.role === 'staff' ? journal(id) : undefined;
  let taskId;
  let number = id;
  let last = { signature: undefined, historyAt: 0 };

  async function answered() {
    result.replaceChildren(
      h('p', {}, tr('web.task.accepted')),
      h('p', { class: 'muted' }, tr('web.task.findingNext')),
    );
    result.hidden = false;
    result.focus();
    ctx.refresh();
    try {
      result.replaceChildren(h('p', {}, tr('web.task.accepted')), h('p', {}, await nextTaskLink(id)));
    } catch {
      result.replaceChildren(
        h('p', {}, tr('web.task.accepted')),
        h('p', {}, h('a', { href: '#/taches', id: 'next-task' }, tr('web.task.backToTasks'))),
      );
    }
  }

  const cancel = session.isStaff()
    ? cancelControl(id, {
        onCancelled: () => {
          result.replaceChildren(h('p', {}, tr('web.cancel.done')));
          result.hidden = false;
          result.focus();
          ctx.refresh();
        },
      })
    : undefined;

  const root = h(
    'section',
    {},
    h('p', {}, h('a', { href: '#/factures' }, tr('web.invoice.back'))),
    head,
    h('div', { class: 'steps-scroll' }, steps),
    error.el,
    result,
    taskSlot,
    cancel?.root,
    details,
    journalPart?.root,
  );

  return {
    root,
    title: tr('web.invoice.title', { number: '' }).trim(),
    showError: error.show,
    async refresh() {
      const v = await api(`/v1/invoices/${encoded(id)}`);
      error.clear();
      if (number !== v.invoiceNumber) {
        number = v.invoiceNumber;
        ctx.setTitle(tr('web.invoice.title', { number }));
      }
      renderIfChanged(head, v, () => header(v));
      const at = STEP_OF_STATUS[v.status] ?? 0;
      renderIfChanged(steps, at, () =>
        STEPS.map((step, i) =>
          h(
            'li',
            { class: i < at ? 'done' : '', 'aria-current': i === at ? 'step' : undefined },
            tr(`web.steps.${step}`),
          ),
        ),
      );
      // The form is built once per task, so polling never clears what is being typed.
      if (v.openTask?.id !== taskId) {
        taskId = v.openTask?.id;
        taskSlot.replaceChildren(
          v.openTask ? taskForm({ invoiceId: id, task: v.openTask, view: v, onAnswered: answered }) : '',
        );
      }
      cancel?.update(v.status);
      renderIfChanged(details, v, () => invoiceDetails(v));
      // The journal is read from the whole workflow history: again when the invoice moved,
      // otherwise every few polls (webhook deliveries and retries do not change the view).
      const signature = JSON.stringify(v);
      if (journalPart && (signature !== last.signature || Date.now() - last.historyAt > HISTORY_EVERY_MS)) {
        await journalPart.update(v.invoiceNumber);
        last = { signature, historyAt: Date.now() };
      }
    },
  };
}
