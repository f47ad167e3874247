// Who is working: the API key of their role, and their name or e-mail, recorded with every
// change they make. Both stay in this tab only.

import { api } from '../api.js';
import { h } from '../dom.js';
import { tr } from '../i18n.js';
import { ACTING_USER_RULE } from '../rules.js';
import { session } from '../session.js';

const PERSON = new RegExp(ACTING_USER_RULE.source, ACTING_USER_RULE.flags);
/** HTTP headers carry Latin-1 only: a name beyond it could not be sent. */
const isLatin1 = (text) => [...text].every((c) => c.charCodeAt(0) <= 0xff);

export function loginView({ message, onLoggedIn }) {
  const error = h('div', { class: 'error-box', role: 'alert', hidden: !message }, message ?? '');
  const person = h('input', {
    id: 'person',
    type: 'text',
    name: 'person',
    autocomplete: 'name',
    required: true,
    maxlength: 120,
    'aria-describedby': 'person-hint',
  });
  const key = h('input', {
    id: 'api-key',
    type: 'password',
    name: 'api-key',
    autocomplete: 'off',
    required: true,
    'aria-describedby': 'api-key-hint',
  });
  const fail = (text, field) => {
    error.textContent = text;
    error.hidden = false;
    field?.setAttribute('aria-invalid', 'true');
    field?.focus();
  };
  const form = h(
    'form',
    {
      class: 'card login',
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        error.hidden = true;
        person.removeAttribute('aria-invalid');
        key.removeAttribute('aria-invalid');
        const who = person.value.trim();
        if (!who) return fail(tr('web.login.personMissing'), person);
        if (!PERSON.test(who) || !isLatin1(who)) return fail(tr('web.login.personInvalid'), person);
        if (!key.value.trim()) return fail(tr('web.login.keyMissing'), key);
        session.begin(key.value.trim(), who);
        try {
          const me = await api('/v1/me', { login: true });
          if (me.role === 'system') {
            session.end();
            return fail(tr('web.login.systemKey'), key);
          }
          session.me = me;
          onLoggedIn(me);
        } catch (err) {
          session.end();
          fail(err.status === 401 ? tr('web.login.unknownKey') : tr('web.login.failed'), key);
        }
        return undefined;
      },
    },
    h('h1', {}, tr('web.login.title')),
    h('label', { for: 'person' }, tr('web.login.person')),
    h('p', { class: 'hint', id: 'person-hint' }, tr('web.login.personHint')),
    person,
    h('label', { for: 'api-key' }, tr('web.login.key')),
    h('p', { class: 'hint', id: 'api-key-hint' }, tr('web.login.keyHint')),
    key,
    error,
    h('p', {}, h('button', { type: 'submit' }, tr('web.login.submit'))),
  );
  return { root: form, title: tr('web.login.title'), focus: () => (person.value ? key : person).focus() };
}
