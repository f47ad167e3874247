// What an invoice page shows besides its task: the readiness checklist, Chorus Pro's statuses
// with Chorus's own times, the attachments and the journey.

import { checkMark } from '../badges.js';
import { h } from '../dom.js';
import { bytes, dateTime } from '../format.js';
import { label, tr } from '../i18n.js';

/** The buyer's name as Chorus Pro gave it when the workflow last checked the invoice. */
export function buyerNameOf(view) {
  if (view.buyerName) return view.buyerName;
  const checked = (view.audit ?? []).filter((f) => f.kind === 'checklist.evaluated' && f.basis?.buyer);
  return checked.at(-1)?.basis.buyer.designation;
}

const french = (fr, en) => fr ?? en ?? '';

function checklist(view) {
  return h(
    'div',
    { class: 'card' },
    h('h2', {}, tr('web.invoice.checklist')),
    h(
      'ul',
      { class: 'plain', id: 'checklist' },
      view.checklist.map((c) =>
        h(
          'li',
          { 'data-check': c.id, 'data-ok': String(c.ok) },
          checkMark(c.ok ? 'ok' : 'failed'),
          french(c.messageFr, c.message),
        ),
      ),
    ),
  );
}

function chorusStatuses(view) {
  const observed = [...view.chorusTimeline].sort((a, b) => (a.at < b.at ? -1 : 1));
  return [
    h('h2', {}, tr('web.invoice.chorusStatuses')),
    observed.length === 0
      ? h('p', { class: 'muted empty' }, tr('web.invoice.notDeposited'))
      : h(
          'ol',
          { id: 'chorus-timeline' },
          observed.map((o) =>
            h(
              'li',
              { 'data-chorus-status': o.status },
              h('strong', {}, label('chorusStatus', o.status)),
              ' — ',
              dateTime(o.at, { seconds: true }),
              o.comment ? ` — « ${o.comment} »` : '',
            ),
          ),
        ),
  ];
}

function attachments(view) {
  return [
    h('h2', {}, tr('web.invoice.attachments')),
    view.attachments.length === 0
      ? h('p', { class: 'muted empty' }, tr('web.invoice.noAttachment'))
      : h(
          'ul',
          { id: 'attachments' },
          view.attachments.map((a) =>
            h(
              'li',
              {},
              tr('web.attachment.line', {
                file: a.fileName,
                type: label('attachmentType', a.type),
                size: bytes(a.sizeBytes),
              }),
            ),
          ),
        ),
  ];
}

function journey(view) {
  return h(
    'div',
    { class: 'card' },
    h('h2', {}, tr('web.invoice.journey')),
    h(
      'ol',
      { id: 'journey' },
      view.timeline.map((t) =>
        h(
          'li',
          {},
          h('time', { datetime: t.at }, dateTime(t.at, { seconds: true })),
          ' — ',
          h('strong', {}, label('status', t.status)),
          t.note ? ` : ${french(t.noteFr, t.note)}` : '',
        ),
      ),
    ),
  );
}

export function invoiceDetails(view) {
  return [
    h(
      'div',
      { class: 'row' },
      checklist(view),
      h('div', { class: 'card' }, chorusStatuses(view), attachments(view)),
    ),
    journey(view),
  ];
}
