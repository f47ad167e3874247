// Tâches: every open task, oldest first, and the connections that fail (a person must act on
// both), filtered by connection and kind.

import { api, encoded } from '../api.js';
import { alertBox, h, loading, renderIfChanged } from '../dom.js';
import { errorText } from '../errors.js';
import { dateTime } from '../format.js';
import { codesOf, label, tr } from '../i18n.js';

/** The inbox's own kind for a connection that fails (not a task of an invoice). */
const CONNECTION = 'CONNECTION';

export function buyerText(name, siret) {
  return name ? tr('web.buyer.named', { name, siret }) : tr('web.buyer.siretOnly', { siret });
}

function taskItem(t) {
  return h(
    'li',
    { class: 'card', 'data-task-kind': t.task.kind, 'data-invoice-id': t.invoiceId },
    h('strong', {}, label('taskKind', t.task.kind)),
    ' — ',
    tr('web.tasks.invoice'),
    ' ',
    h(
      'a',
      { href: `#/factures/${encoded(t.invoiceId)}`, 'data-focus-key': `task:${t.invoiceId}` },
      t.invoiceNumber,
    ),
    h(
      'div',
      { class: 'muted' },
      tr('web.tasks.meta', {
        buyer: buyerText(t.buyerName, t.buyerSiret),
        connection: t.connectionId,
        opened: dateTime(t.task.openedAt),
      }),
    ),
    h('div', {}, t.task.fields.map((f) => label('field', f.field)).join(', ')),
  );
}

function connectionItem(c) {
  return h(
    'li',
    { class: 'card', 'data-task-kind': CONNECTION, 'data-connection': c.id },
    h('strong', {}, tr('web.tasks.kind.connection')),
    ' — ',
    h('a', { href: '#/connexions', 'data-focus-key': `connection:${c.id}` }, c.id),
    h(
      'div',
      { class: 'muted' },
      c.checks
        .filter((check) => check.result === 'failed')
        .map((check) => check.remedy?.fr ?? check.messageFr ?? check.message)
        .join(' '),
    ),
  );
}

export function tasksView(ctx) {
  const all = tr('web.filter.all');
  const connection = h('select', { id: 'filter-connection' }, h('option', { value: '' }, all));
  const kind = h(
    'select',
    { id: 'filter-kind' },
    h('option', { value: '' }, all),
    codesOf('taskKind').map((k) => h('option', { value: k }, label('taskKind', k))),
    h('option', { value: CONNECTION }, tr('web.tasks.kind.connection')),
  );
  const list = loading(
    'ul',
    { class: 'plain task-list', id: 'tasks', 'aria-live': 'polite' },
    tr('web.loading'),
  );
  const error = alertBox(errorText);
  connection.addEventListener('change', () => ctx.refresh());
  kind.addEventListener('change', () => ctx.refresh());
  const root = h(
    'section',
    {},
    h('h1', {}, tr('web.tasks.title')),
    h(
      'div',
      { class: 'filters' },
      h('div', {}, h('label', { for: 'filter-connection' }, tr('web.filter.connection')), connection),
      h('div', {}, h('label', { for: 'filter-kind' }, tr('web.tasks.filter.kind')), kind),
    ),
    error.el,
    list,
  );
  return {
    root,
    title: tr('web.tasks.title'),
    showError: error.show,
    async refresh() {
      const [{ tasks }, { connections }] = await Promise.all([api('/v1/tasks'), api('/v1/connections')]);
      error.clear();
      const ids = [...new Set([...tasks.map((t) => t.connectionId), ...connections.map((c) => c.id)])].sort();
      if (connection.options.length - 1 !== ids.length) {
        const chosen = connection.value;
        connection.replaceChildren(
          h('option', { value: '' }, all),
          ...ids.map((id) => h('option', { value: id }, id)),
        );
        connection.value = chosen;
      }
      const items = [
        ...tasks.map((t) => ({ kind: t.task.kind, at: t.task.openedAt, connectionId: t.connectionId, t })),
        ...connections
          .filter((c) => c.status === 'FAILED')
          .map((c) => ({ kind: CONNECTION, at: c.lastVerifiedAt ?? '', connectionId: c.id, c })),
      ]
        .filter((i) => !connection.value || i.connectionId === connection.value)
        .filter((i) => !kind.value || i.kind === kind.value)
        .sort((a, b) => (a.at < b.at ? -1 : 1));
      renderIfChanged(list, items, () =>
        items.length === 0
          ? h('li', { class: 'card muted empty' }, tr('web.tasks.empty'))
          : items.map((i) => (i.t ? taskItem(i.t) : connectionItem(i.c))),
      );
    },
  };
}
