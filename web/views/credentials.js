// Replacing a connection's credentials from the page (admins): the PISTE application's pair
// and/or the technical account's; the service seals them, and never shows a secret back.

import { api, encoded } from '../api.js';
import { h } from '../dom.js';
import { tr } from '../i18n.js';

function input(id, labelKey, type, autocomplete) {
  // A focus key, so the connections' refresh puts the focus back on the field being typed in.
  const control = h('input', { id, type, autocomplete, maxlength: 500, 'data-focus-key': id });
  return { control, block: h('div', { class: 'field' }, h('label', { for: id }, tr(labelKey)), control) };
}

/** `onReplaced()` runs once the API took them (the connection is then verified again). */
export function credentialsForm(connectionId, { onReplaced }) {
  const prefix = `cred-${connectionId.replace(/[^A-Za-z0-9]/g, '-')}`;
  const clientId = input(`${prefix}-client-id`, 'web.credentials.clientId', 'text', 'off');
  const clientSecret = input(
    `${prefix}-client-secret`,
    'web.credentials.clientSecret',
    'password',
    'new-password',
  );
  const login = input(`${prefix}-login`, 'web.credentials.login', 'text', 'off');
  const password = input(`${prefix}-password`, 'web.credentials.password', 'password', 'new-password');
  const box = h('div', { role: 'alert', hidden: true });
  const say = (cls, text) => {
    box.className = cls;
    box.textContent = text;
    box.hidden = false;
  };
  const pair = (a, b, key) => {
    const [x, y] = [a.control.value.trim(), b.control.value];
    if (!x && !y) return undefined;
    if (!x || !y) throw new Error(tr('web.credentials.pairIncomplete', { pair: tr(key) }));
    return [x, y];
  };
  const form = h(
    'form',
    {
      class: 'credentials',
      novalidate: true,
      'data-credentials-for': connectionId,
      onsubmit: async (event) => {
        event.preventDefault();
        box.hidden = true;
        let piste;
        let account;
        try {
          piste = pair(clientId, clientSecret, 'web.credentials.piste');
          account = pair(login, password, 'web.credentials.account');
        } catch (err) {
          return say('error-box', err.message);
        }
        if (!piste && !account) return say('error-box', tr('web.credentials.nothing'));
        try {
          await api(`/v1/connections/${encoded(connectionId)}/credentials`, {
            method: 'PUT',
            json: {
              ...(piste ? { piste: { clientId: piste[0], clientSecret: piste[1] } } : {}),
              ...(account ? { technicalAccount: { login: account[0], password: account[1] } } : {}),
            },
          });
          // The secrets leave the page as soon as the service has them.
          for (const f of [clientId, clientSecret, login, password]) f.control.value = '';
          say('success-box', tr('web.credentials.replaced'));
          onReplaced();
        } catch (err) {
          say('error-box', err.status === 400 ? tr('web.credentials.refused') : tr('web.credentials.failed'));
        }
        return undefined;
      },
    },
    h('p', { class: 'hint' }, tr('web.credentials.hint')),
    h('fieldset', {}, h('legend', {}, tr('web.credentials.piste')), clientId.block, clientSecret.block),
    h('fieldset', {}, h('legend', {}, tr('web.credentials.account')), login.block, password.block),
    box,
    h('p', {}, h('button', { type: 'submit' }, tr('web.credentials.submit'))),
  );
  return h(
    'details',
    { class: 'credentials-panel' },
    h('summary', { 'data-focus-key': `credentials:${connectionId}` }, tr('web.credentials.open')),
    form,
  );
}
