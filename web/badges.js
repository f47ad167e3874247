// Statuses as words, each with the colour of what it asks of a person.

import { h } from './dom.js';
import { capitalized } from './format.js';
import { label } from './i18n.js';

const DONE = ['PAID'];
const STOPPED = ['REJECTED', 'FAILED', 'CANCELLED'];
const WAITING_FOR_A_PERSON = [
  'AWAITING_DATA',
  'AWAITING_APPROVAL',
  'ACTION_REQUIRED',
  'WAITING_FOR_CONNECTION',
];

export function statusBadge(status) {
  const cls = DONE.includes(status)
    ? 'ok'
    : STOPPED.includes(status)
      ? 'ko'
      : WAITING_FOR_A_PERSON.includes(status)
        ? 'todo'
        : '';
  return h('span', { class: `status ${cls}`, 'data-status': status }, label('status', status));
}

export function connectionBadge(status) {
  const cls = status === 'CONNECTED' ? 'ok' : status === 'FAILED' ? 'ko' : 'todo';
  return h(
    'span',
    { class: `status ${cls}`, 'data-status': status },
    capitalized(label('connectionStatus', status)),
  );
}

/** ✓ green, ✗ red, ! orange, – grey when it could not run. */
const MARKS = { ok: ['tick', '✓'], failed: ['cross', '✗'], warning: ['warn', '!'], skipped: ['muted', '–'] };

export function checkMark(result) {
  const [cls, mark] = MARKS[result] ?? MARKS.warning;
  return h('span', { class: cls, role: 'img', 'aria-label': label('checkResult', result) }, mark, ' ');
}
