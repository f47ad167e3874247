// Connexions: each connection's checks with a tick or a cross and, when one fails, the remedy in
// French; « Vérifier maintenant » shows its progress and then its result; admins can replace the
// credentials.

import { api, encoded } from '../api.js';
import { checkMark, connectionBadge } from '../badges.js';
import { alertBox, h, loading, renderIfChanged } from '../dom.js';
import { errorText } from '../errors.js';
import { capitalized, dateTime, day } from '../format.js';
import { hasLabel, label, tr } from '../i18n.js';
import { session } from '../session.js';
import { credentialsForm } from './credentials.js';

function checkName(id) {
  if (hasLabel('connectionCheck', id)) return label('connectionCheck', id);
  const family = /^api-family:(.+)$/.exec(id);
  return family ? tr('web.connections.checkFamily', { family: family[1] }) : id;
}

function checkItem(check) {
  return h(
    'li',
    { 'data-check': check.id, 'data-result': check.result },
    checkMark(check.result),
    h('strong', {}, checkName(check.id)),
    ` — ${check.messageFr ?? check.message}`,
    check.remedy && check.result !== 'ok'
      ? h('p', { class: 'hint remedy' }, tr('web.connections.remedy', { remedy: check.remedy.fr }))
      : null,
  );
}

/** The verdict of a verification that ended, kept until the next one. */
const done = (c) => ({ state: 'done', text: verdict(c), ok: c.status !== 'FAILED', of: c.lastVerifiedAt });

/** What « Vérifier maintenant » found, in one sentence. */
function verdict(c) {
  const failed = c.checks.filter((check) => check.result === 'failed').length;
  return failed
    ? tr('web.connections.verifiedFailed', { status: label('connectionStatus', c.status), count: failed })
    : tr('web.connections.verified', { status: label('connectionStatus', c.status) });
}

export function connectionsView() {
  const list = loading('div', { id: 'connections' }, tr('web.loading'));
  const error = alertBox(errorText);
  /** connection id → `{ state: running | pending | done, … }` (pending: the API answered before Chorus Pro did) */
  const verifications = new Map();
  const mayVerify = ['staff', 'admin'].includes(session.me.role);
  const credentialPanels = new Map();

  /** `before`: when the connection was last verified as the page showed it (a new time is the result). */
  async function verify(id, before) {
    if (verifications.get(id)?.state === 'running') return;
    verifications.set(id, { state: 'running' });
    await view.refresh().catch(() => undefined);
    try {
      const c = await api(`/v1/connections/${encoded(id)}/verify`, { method: 'POST' });
      // Chorus Pro may be slow: the API then answers VERIFYING, and the verification goes on.
      verifications.set(id, c.status === 'VERIFYING' ? { state: 'pending', before } : done(c));
    } catch (err) {
      verifications.set(id, { state: 'done', text: errorText(err), ok: false });
    }
    await view.refresh().catch((err) => view.showError(err));
  }

  function card(c) {
    const pending = verifications.get(c.id);
    if (pending?.state === 'pending' && c.status !== 'VERIFYING' && c.lastVerifiedAt !== pending.before) {
      verifications.set(c.id, done(c));
    }
    // A verdict stands until the connection is verified again (new credentials, the daily check).
    if (verifications.get(c.id)?.of && verifications.get(c.id).of !== c.lastVerifiedAt)
      verifications.delete(c.id);
    const verification = verifications.get(c.id);
    const running = verification?.state === 'running' || verification?.state === 'pending';
    if (session.me.role === 'admin' && !credentialPanels.has(c.id)) {
      const onReplaced = () => {
        verifications.delete(c.id);
        void view.refresh();
      };
      credentialPanels.set(c.id, credentialsForm(c.id, { onReplaced }));
    }
    return h(
      'article',
      { class: 'card', 'data-connection': c.id, 'aria-labelledby': `conn-${c.id}` },
      h('h2', { id: `conn-${c.id}` }, `${c.id} `, connectionBadge(c.status)),
      h(
        'p',
        { class: 'muted' },
        tr('web.connections.meta', {
          environment: capitalized(tr('web.connections.environment', { environment: c.environment })),
          supplier: c.supplierSiret ?? '',
          verified: dateTime(c.lastVerifiedAt) || '—',
        }),
        c.passwordExpiresOn
          ? ` ${tr('web.connections.passwordUntil', { on: day(c.passwordExpiresOn) })}`
          : '',
        // The countdown runs on Chorus's clock, which a simulator (or a skewed server) may not share.
        c.passwordExpiresOn && typeof c.passwordExpiresInDays === 'number' && c.chorusTime
          ? h(
              'span',
              { class: 'days-left', 'data-days-left': c.passwordExpiresInDays },
              ` ${tr('web.connections.daysLeft', { days: c.passwordExpiresInDays, at: dateTime(c.chorusTime) })}`,
            )
          : '',
      ),
      c.waitingInvoices > 0
        ? h(
            'p',
            { class: 'reason', 'data-waiting': c.waitingInvoices },
            tr('web.connections.waiting', { count: c.waitingInvoices }),
          )
        : null,
      c.lastTrouble
        ? h(
            'p',
            { class: 'muted' },
            tr('web.connections.lastTrouble', {
              at: dateTime(c.lastTrouble.at),
              by: c.lastTrouble.reportedBy,
            }),
          )
        : null,
      h(
        'p',
        { class: 'muted' },
        tr('web.connections.identifiers', {
          clientId: c.piste?.clientId ?? '',
          login: c.technicalAccount?.login ?? '',
        }),
      ),
      h('ul', { class: 'plain checks' }, c.checks.map(checkItem)),
      mayVerify
        ? h(
            'p',
            { class: 'row-buttons' },
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                'data-focus-key': `verify:${c.id}`,
                // aria-disabled, not disabled: a disabled button would drop the keyboard focus.
                'aria-disabled': running ? 'true' : undefined,
                'aria-describedby': `verify-${c.id}`,
                onclick: () => void verify(c.id, c.lastVerifiedAt),
              },
              tr('web.connections.verify'),
            ),
          )
        : null,
      h(
        'p',
        {
          id: `verify-${c.id}`,
          class: running
            ? 'progress'
            : verification
              ? verification.ok
                ? 'success-box'
                : 'error-box'
              : 'muted',
          role: 'status',
          'data-verification': running ? 'running' : verification ? 'done' : 'none',
          hidden: !verification,
        },
        verification?.state === 'pending'
          ? tr('web.connections.verifyingSlowly')
          : running
            ? tr('web.connections.verifying')
            : (verification?.text ?? ''),
      ),
      credentialPanels.get(c.id),
    );
  }

  const view = {
    root: h('section', {}, h('h1', {}, tr('web.connections.title')), error.el, list),
    title: tr('web.connections.title'),
    showError: error.show,
    async refresh() {
      const { connections } = await api('/v1/connections');
      error.clear();
      renderIfChanged(list, { connections, verifications: [...verifications] }, () =>
        connections.length === 0
          ? h('p', { class: 'muted empty' }, tr('web.connections.empty'))
          : connections.map(card),
      );
    },
  };
  return view;
}
