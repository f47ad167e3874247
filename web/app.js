// Back-office: the inbox of Chorus Pro tasks, every invoice's journey and journal, and the
// connections, on the service's own API. This module starts the pages: the header, the router
// (the URL hash names the view) and the polling that keeps the view current.

import { api, SessionEnded, whenUnauthorized } from './api.js';
import { $ } from './dom.js';
import { errorText } from './errors.js';
import { label, tr } from './i18n.js';
import { session } from './session.js';
import { connectionsView } from './views/connections.js';
import { invoiceView } from './views/invoice.js';
import { invoicesView } from './views/invoices.js';
import { loginView } from './views/login.js';
import { tasksView } from './views/tasks.js';

const POLL_MS = 2000;

/** The view on screen: `{ root, title, refresh(), showError(err) }`. */
let current;
let timer;
/** Each route() call; an older one that resumes after an await gives way. */
let routing = 0;

function setTitle(text) {
  document.title = text ? `${text} — ${tr('web.app.name')}` : tr('web.app.name');
}

function stopPolling() {
  clearInterval(timer);
  timer = undefined;
  current = undefined;
}

function showLogin(message) {
  stopPolling();
  $('header.top').hidden = true;
  const view = loginView({
    message,
    onLoggedIn: (me) => {
      location.hash = me.role === 'admin' ? '#/connexions' : '#/taches';
      void route();
    },
  });
  $('#main').replaceChildren(view.root);
  setTitle(view.title);
  view.focus();
}

function logout(message) {
  session.end();
  // Without a hashchange, so the message is not replaced by a plain login screen.
  window.history.replaceState(null, '', '#/login');
  showLogin(message);
}

function showHeader(name) {
  const me = session.me;
  $('header.top').hidden = false;
  $('#who').textContent = tr('web.header.who', {
    person: session.person(),
    role: label('role', me.role),
    keyId: me.keyId,
  });
  for (const a of document.querySelectorAll('[data-nav]')) {
    // Admins manage connections; the inbox and invoices are the staff's and auditors'.
    a.hidden = me.role === 'admin' && a.dataset.nav !== 'connexions';
    if (a.dataset.nav === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function viewFor(name, rest, ctx) {
  if (name === 'factures' && rest.length) return invoiceView(decodeURIComponent(rest.join('/')), ctx);
  if (name === 'factures') return invoicesView(ctx);
  if (name === 'connexions') return connectionsView(ctx);
  if (name === 'taches') return tasksView(ctx);
  return session.me.role === 'admin' ? connectionsView(ctx) : tasksView(ctx);
}

async function route() {
  const routeId = ++routing;
  stopPolling();
  if (!session.key() || !session.person()) return showLogin();
  if (!session.me) {
    try {
      session.me = await api('/v1/me');
    } catch (err) {
      if (!(err instanceof SessionEnded) && routeId === routing) logout(errorText(err));
      return undefined;
    }
    if (routeId !== routing) return undefined;
  }
  const [, name = '', ...rest] = (location.hash || '#/').split('/');
  showHeader(name);
  const view = viewFor(name, rest, { refresh: () => refresh(), setTitle });
  current = view;
  $('#main').replaceChildren(view.root);
  setTitle(view.title);
  timer = setInterval(refresh, POLL_MS);
  await refresh();
  return undefined;
}

let refreshing = false;
let refreshAgain = false;
let badging = false;

async function refresh() {
  if (!current || document.hidden || !session.key()) return;
  // The badge refreshes on its own, so a slow inbox never holds the page being read.
  if (!badging) {
    badging = true;
    updateBadge()
      .catch(() => undefined)
      .finally(() => (badging = false));
  }
  if (refreshing) {
    refreshAgain = true;
    return;
  }
  refreshing = true;
  const view = current;
  try {
    await view.refresh();
  } catch (err) {
    if (!(err instanceof SessionEnded)) view.showError?.(err);
  } finally {
    refreshing = false;
  }
  // A view shown (or a filter changed) while another refresh ran gets its own at once.
  if (refreshAgain) {
    refreshAgain = false;
    await refresh();
  }
}

async function updateBadge() {
  if (session.me?.role === 'admin') return;
  const [{ count }, { connections }] = await Promise.all([api('/v1/tasks'), api('/v1/connections')]);
  const total = count + connections.filter((c) => c.status === 'FAILED').length;
  const badge = $('#task-count');
  badge.textContent = String(total);
  badge.classList.toggle('zero', total === 0);
  badge.setAttribute('aria-label', tr('web.nav.openTasks', { count: total }));
}

// The page's fixed texts come from the catalogue too.
for (const el of document.querySelectorAll('[data-text]')) el.textContent = tr(el.dataset.text);
for (const el of document.querySelectorAll('[data-label]'))
  el.setAttribute('aria-label', tr(el.dataset.label));
setTitle();
document.documentElement.lang = 'fr';

whenUnauthorized(() => logout(tr('web.login.expired')));
$('#logout').addEventListener('click', () => logout());
window.addEventListener('hashchange', () => void route());
document.addEventListener('visibilitychange', () => void refresh());
void route();
