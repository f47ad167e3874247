// The journal an auditor reads: what happened to the invoice, business events first (received,
// data asked and given by whom, approved, sent, Chorus Pro's statuses, paid), Temporal's own
// events and the workflow's timers folded away; filtered by kind, exported as CSV.

import { api, encoded } from '../api.js';
import { h, renderIfChanged } from '../dom.js';
import { dateTime } from '../format.js';
import { label, tr } from '../i18n.js';

/** Facts the workflow records for its own running, not for a business reader. */
const TECHNICAL_FACTS = ['timer.armed', 'task.closed', 'tracking.started', 'tracking.stopped'];

export const isBusiness = (entry) => entry.source === 'workflow' && !TECHNICAL_FACTS.includes(entry.kind);

function rows(entries) {
  return entries.map((e) =>
    h(
      'tr',
      { 'data-kind': e.kind, 'data-source': e.source },
      h(
        'td',
        { 'data-label': tr('web.journal.column.date') },
        h('time', { datetime: e.at }, dateTime(e.at, { seconds: true })),
      ),
      h('td', { 'data-label': tr('web.journal.column.kind') }, label('auditKind', e.kind)),
      h('td', { 'data-label': tr('web.journal.column.event') }, e.summaryFr ?? e.summary),
    ),
  );
}

function table(id, body) {
  return h(
    'table',
    { id, class: 'stack journal' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['date', 'kind', 'event'].map((c) => h('th', { scope: 'col' }, tr(`web.journal.column.${c}`))),
      ),
    ),
    body,
  );
}

const csvField = (value) => `"${String(value ?? '').replace(/"/g, '""')}"`;

/** One invoice's whole journal as CSV: `;`-separated with a byte order mark, as spreadsheets in French expect. */
export function journalCsv(entries) {
  const header = ['at', 'date', 'source', 'kind', 'kindLabel', 'event', 'runId', 'eventId'].map((c) =>
    tr(`web.journal.csv.${c}`),
  );
  const lines = entries.map((e) => [
    e.at,
    dateTime(e.at, { seconds: true }),
    tr(`web.journal.source.${e.source}`),
    e.kind,
    label('auditKind', e.kind),
    e.summaryFr ?? e.summary,
    e.runId ?? '',
    e.eventId ?? '',
  ]);
  return `\ufeff${[header, ...lines].map((line) => line.map(csvField).join(';')).join('\r\n')}\r\n`;
}

function download(fileName, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = h('a', { href: url, download: fileName, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The journal of invoice `id`: `update()` re-reads it; the filter and the folded part keep their state. */
export function journal(id) {
  let entries = [];
  let invoiceNumber = id;
  const kind = h('select', { id: 'journal-kind' }, h('option', { value: '' }, tr('web.journal.allKinds')));
  const business = h('tbody', { 'aria-live': 'polite' });
  const technical = h('tbody', {});
  const technicalCount = h('span', {}, '');
  const render = () => {
    const shown = entries.filter((e) => !kind.value || e.kind === kind.value);
    const main = shown.filter(isBusiness);
    const folded = shown.filter((e) => !isBusiness(e));
    renderIfChanged(business, main, () =>
      main.length
        ? rows(main)
        : h('tr', {}, h('td', { colspan: 3, class: 'muted empty' }, tr('web.journal.empty'))),
    );
    renderIfChanged(technical, folded, () => rows(folded));
    technicalCount.textContent = tr('web.journal.technical', { count: folded.length });
  };
  kind.addEventListener('change', render);
  const exportButton = h(
    'button',
    {
      type: 'button',
      id: 'journal-csv',
      class: 'secondary',
      onclick: () => download(`journal-${invoiceNumber.replace(/[^\w.-]+/g, '_')}.csv`, journalCsv(entries)),
    },
    tr('web.journal.export'),
  );
  const root = h(
    'section',
    { class: 'card', id: 'journal', 'aria-labelledby': 'journal-title' },
    h('h2', { id: 'journal-title' }, tr('web.journal.title')),
    h(
      'div',
      { class: 'filters' },
      h('div', {}, h('label', { for: 'journal-kind' }, tr('web.journal.filter')), kind),
      exportButton,
    ),
    table('audit-timeline', business),
    h(
      'details',
      { id: 'journal-technical' },
      h('summary', {}, technicalCount),
      table('audit-technical', technical),
    ),
  );
  return {
    root,
    async update(number) {
      invoiceNumber = number;
      const history = await api(`/v1/invoices/${encoded(id)}/history`);
      entries = history.entries;
      const kinds = [...new Set(entries.map((e) => e.kind))].sort((a, b) =>
        label('auditKind', a).localeCompare(label('auditKind', b), 'fr'),
      );
      if (kind.options.length - 1 !== kinds.length) {
        const chosen = kind.value;
        kind.replaceChildren(
          h('option', { value: '' }, tr('web.journal.allKinds')),
          ...kinds.map((k) => h('option', { value: k }, label('auditKind', k))),
        );
        kind.value = chosen;
      }
      render();
    },
  };
}
