// An approval a person can judge: who is invoiced, for what, how much, with which documents —
// and, folded away, the exact data Chorus Pro will receive.

import { facts, h } from '../dom.js';
import { day, money, quantity } from '../format.js';
import { label, tr } from '../i18n.js';
import { buyerNameOf } from './invoice-details.js';
import { buyerText } from './tasks.js';

/** The payload as `path → value` rows (`lignePoste[0].lignePosteQuantite`). */
function flatten(value, prefix = '', out = []) {
  if (Array.isArray(value)) value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.push([prefix, value]);
  return out;
}

function lines(payload, currency) {
  const rate = (l) => l.lignePosteTauxTvaManuel ?? l.lignePosteTauxTva;
  return h(
    'table',
    { id: 'approval-lines', class: 'stack' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['description', 'quantity', 'unitPrice', 'vatRate'].map((c) =>
          h('th', { scope: 'col' }, tr(`web.approval.line.${c}`)),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      (payload.lignePoste ?? []).map((l) =>
        h(
          'tr',
          {},
          h('td', { 'data-label': tr('web.approval.line.description') }, l.lignePosteDenomination),
          h(
            'td',
            { 'data-label': tr('web.approval.line.quantity') },
            `${quantity(l.lignePosteQuantite)} ${l.lignePosteUnite ?? ''}`.trim(),
          ),
          h(
            'td',
            { 'data-label': tr('web.approval.line.unitPrice') },
            money(l.lignePosteMontantUnitaireHT, currency),
          ),
          h(
            'td',
            { 'data-label': tr('web.approval.line.vatRate') },
            rate(l) === undefined ? '' : tr('web.percent', { rate: quantity(rate(l)) }),
          ),
        ),
      ),
    ),
  );
}

export function approvalSummary(task, view) {
  const p = task.chorusPayload;
  const currency = p.references?.deviseFacture ?? 'EUR';
  const none = tr('web.approval.none');
  const totals = p.montantTotal ?? {};
  return h(
    'div',
    { class: 'approval', id: 'approval-summary' },
    h('h3', {}, tr('web.approval.summary')),
    facts([
      [tr('web.approval.buyer'), buyerText(buyerNameOf(view), p.destinataire?.codeDestinataire), 'buyer'],
      [tr('web.approval.service'), p.destinataire?.codeServiceExecutant ?? none, 'service'],
      [tr('web.approval.engagement'), p.references?.numeroBonCommande ?? none, 'engagement'],
      [
        tr('web.approval.invoice'),
        tr('web.approval.invoiceOf', {
          number: p.numeroFactureSaisi ?? view.invoiceNumber,
          date: day(p.dateFacture),
        }),
        'invoice',
      ],
      [tr('web.approval.billingFrame'), label('billingFrame', view.invoice.billingFrame), 'billingFrame'],
      [tr('web.approval.vatRegime'), label('vatRegime', p.references?.typeTva), 'vatRegime'],
      [tr('web.approval.paymentMode'), label('paymentMode', p.references?.modePaiement), 'paymentMode'],
    ]),
    h('h3', {}, tr('web.approval.lines')),
    lines(p, currency),
    facts(
      [
        [tr('web.approval.totalExclVat'), money(totals.montantHtTotal, currency), 'totalExclVat'],
        [tr('web.approval.totalVat'), money(totals.montantTVA, currency), 'totalVat'],
        [tr('web.approval.totalInclVat'), money(totals.montantTtcTotal, currency), 'totalInclVat'],
        totals.montantAPayer !== totals.montantTtcTotal && [
          tr('web.approval.amountDue'),
          money(totals.montantAPayer, currency),
          'amountDue',
        ],
      ],
      { class: 'facts totals', id: 'approval-totals' },
    ),
    h('h3', {}, tr('web.approval.attachments')),
    view.attachments.length === 0
      ? h('p', { class: 'muted' }, tr('web.invoice.noAttachment'))
      : h(
          'ul',
          { id: 'approval-attachments' },
          view.attachments.map((a) =>
            h(
              'li',
              {},
              tr('web.approval.attachment', { file: a.fileName, type: label('attachmentType', a.type) }),
            ),
          ),
        ),
    h(
      'details',
      { id: 'approval-payload' },
      h('summary', {}, tr('web.approval.payload')),
      h(
        'dl',
        { class: 'payload' },
        flatten(p).map(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))]),
      ),
    ),
  );
}
