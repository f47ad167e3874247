// Factures: the list, newest first, filtered by status, Chorus Pro status, and a search on part of
// the number, the buyer's name or SIRET (any case).

import { api, encoded } from '../api.js';
import { statusBadge } from '../badges.js';
import { alertBox, h, loading, renderIfChanged } from '../dom.js';
import { errorText } from '../errors.js';
import { codesOf, label, tr } from '../i18n.js';
import { buyerText } from './tasks.js';

const COLUMNS = ['number', 'buyer', 'status', 'chorusStatus', 'task', 'connection'];

function row(i) {
  const cell = (column, ...content) =>
    h('td', { 'data-label': tr(`web.invoices.column.${column}`) }, ...content);
  return h(
    'tr',
    { 'data-invoice-id': i.id },
    cell(
      'number',
      h(
        'a',
        { href: `#/factures/${encoded(i.id)}`, 'data-focus-key': `invoice:${i.id}` },
        i.invoiceNumber ?? i.id,
      ),
    ),
    cell('buyer', i.buyerSiret ? buyerText(i.buyerName, i.buyerSiret) : ''),
    cell('status', i.status ? statusBadge(i.status) : ''),
    cell('chorusStatus', label('chorusStatus', i.chorusStatus)),
    cell('task', i.hasOpenTask ? tr('web.invoices.openTask') : ''),
    cell('connection', i.connectionId ?? ''),
  );
}

export function invoicesView(ctx) {
  const all = tr('web.filter.all');
  const status = h(
    'select',
    { id: 'filter-status' },
    h('option', { value: '' }, all),
    codesOf('status').map((code) => h('option', { value: code }, label('status', code))),
  );
  const chorusStatus = h(
    'select',
    { id: 'filter-chorus' },
    h('option', { value: '' }, all),
    codesOf('chorusStatus').map((code) => h('option', { value: code }, label('chorusStatus', code))),
  );
  const search = h('input', {
    id: 'filter-search',
    type: 'search',
    maxlength: 100,
    'aria-describedby': 'filter-search-hint',
  });
  const body = loading('tbody', { id: 'invoices' }, tr('web.loading'));
  const error = alertBox(errorText);
  for (const select of [status, chorusStatus]) select.addEventListener('change', () => ctx.refresh());
  const root = h(
    'section',
    {},
    h('h1', {}, tr('web.invoices.title')),
    h(
      'form',
      {
        class: 'filters',
        role: 'search',
        onsubmit: (e) => {
          e.preventDefault();
          ctx.refresh();
        },
      },
      h('div', {}, h('label', { for: 'filter-status' }, tr('web.invoices.filter.status')), status),
      h(
        'div',
        {},
        h('label', { for: 'filter-chorus' }, tr('web.invoices.filter.chorusStatus')),
        chorusStatus,
      ),
      h(
        'div',
        {},
        h('label', { for: 'filter-search' }, tr('web.invoices.filter.search')),
        search,
        h('p', { class: 'hint', id: 'filter-search-hint' }, tr('web.invoices.filter.searchHint')),
      ),
      h('button', { type: 'submit' }, tr('web.filter.apply')),
    ),
    error.el,
    h(
      'table',
      { class: 'stack' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          COLUMNS.map((c) => h('th', { scope: 'col' }, tr(`web.invoices.column.${c}`))),
        ),
      ),
      body,
    ),
  );
  return {
    root,
    title: tr('web.invoices.title'),
    showError: error.show,
    async refresh() {
      const params = new URLSearchParams({ pageSize: '100' });
      if (status.value) params.set('status', status.value);
      if (chorusStatus.value) params.set('chorusStatus', chorusStatus.value);
      if (search.value.trim()) params.set('q', search.value.trim());
      const { invoices } = await api(`/v1/invoices?${params}`);
      error.clear();
      renderIfChanged(body, invoices, () =>
        invoices.length === 0
          ? h('tr', {}, h('td', { colspan: COLUMNS.length, class: 'muted empty' }, tr('web.invoices.empty')))
          : invoices.map(row),
      );
    },
  };
}
