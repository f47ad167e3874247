// Back-office: the inbox of Chorus Pro tasks and every invoice's journey, on the service's own API.
// No framework: the DOM is built with h() (never from HTML strings), the view refreshes itself
// every two seconds, and the API key stays in this browser tab's sessionStorage only.

const KEY = 'chorus-pro-api-key';
const POLL_MS = 2000;
const HISTORY_EVERY_MS = 10_000;

const STATUS_FR = {
  RECEIVED: 'Reçue',
  WAITING_FOR_CONNECTION: 'En attente de la connexion',
  CHECKING: 'Vérification',
  AWAITING_DATA: 'Données manquantes',
  AWAITING_APPROVAL: 'À valider avant envoi',
  UPLOADING: 'Envoi des pièces jointes',
  SUBMITTING: 'Envoi à Chorus Pro',
  SUBMITTED: 'Déposée',
  TRACKING: 'Suivi',
  ACTION_REQUIRED: 'Action requise',
  PAID: 'Payée',
  TRACKING_ENDED: 'Suivi terminé',
  REJECTED: 'Rejetée',
  CANCELLED: 'Annulée',
  FAILED: 'En échec',
};

const TASK_FR = {
  MISSING_DATA: 'Données manquantes',
  APPROVAL: 'Validation avant envoi',
  RECYCLE: 'Facture à recycler',
  COMPLETE: 'Facture suspendue à compléter',
  DUPLICATE_NUMBER: 'Numéro de facture déjà utilisé',
  CONNECTION: 'Connexion en échec',
};

const FIELD_FR = {
  'references.engagementNumber': 'Numéro d’engagement juridique (bon de commande)',
  'buyer.serviceCode': 'Code service de l’acheteur',
  billingFrame: 'Cadre de facturation',
  vatRegime: 'Régime de TVA',
  vatExemptionReason: 'Motif d’exonération de TVA',
  paymentMode: 'Mode de paiement',
  'buyer.siret': 'SIRET de l’acheteur',
  attachments: 'Pièces jointes',
  comment: 'Commentaire',
};

const STEPS = ['Informations', 'Vérification', 'Pièces jointes', 'Envoi', 'Suivi'];
const STEP_OF_STATUS = {
  RECEIVED: 0,
  WAITING_FOR_CONNECTION: 1,
  CHECKING: 1,
  AWAITING_DATA: 1,
  AWAITING_APPROVAL: 3,
  UPLOADING: 2,
  SUBMITTING: 3,
  SUBMITTED: 3,
  TRACKING: 4,
  ACTION_REQUIRED: 4,
  PAID: 4,
  TRACKING_ENDED: 4,
  REJECTED: 4,
  CANCELLED: 1,
  FAILED: 1,
};

const ATTACHMENT_TYPES = ['Doc. Annexe', 'RIB', 'Bon de livraison', 'Devis', 'Autre'];
const CHECK_FR = { ok: 'réussi', warning: 'avertissement', failed: 'en échec', skipped: 'non vérifié' };
/** Class and mark of a connection check: ✓ green, ✗ red, ! orange, – grey when it could not run. */
const CHECK_MARK = {
  ok: ['tick', '✓ '],
  failed: ['cross', '✗ '],
  warning: ['warn', '! '],
  skipped: ['muted', '– '],
};

/** Element builder: h('a', { href: '#' }, 'text', child…). Strings are text, never HTML. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const $ = (sel) => document.querySelector(sel);

/** The validator's field messages (English in the API) in French; unknown ones are kept as they are. */
const MESSAGE_FR = [
  [/^required$/, () => 'obligatoire'],
  [
    /^at most (\d+) characters \(Chorus Pro limit\)$/,
    (n) => `${n} caractères au plus (limite de Chorus Pro)`,
  ],
  [/^at most (\d+) characters$/, (n) => `${n} caractères au plus`],
  [
    /^letters, digits, spaces and - _ \/ \. \+ only$/,
    () => 'lettres, chiffres, espaces et - _ / . + uniquement',
  ],
  [/^one of (.*)$/, (list) => `une valeur parmi ${list}`],
  [
    /^"(.*)" is not allowed here; choose one of (.*)$/,
    (v, list) => `« ${v} » n’est pas possible ici : choisissez parmi ${list}`,
  ],
  [
    /^this task does not ask for "(.*)"; it asks for (.*)$/,
    (f, list) => `cette tâche ne demande pas « ${f} » ; elle demande ${list}`,
  ],
  [/^this task does not ask for attachments$/, () => 'cette tâche ne demande pas de pièces jointes'],
  [/^not a valid SIRET \(checksum fails\)$/, () => 'SIRET invalide (la clé de contrôle ne correspond pas)'],
];

function inFrench(message) {
  return String(message)
    .split('; ')
    .map((part) => {
      for (const [pattern, fr] of MESSAGE_FR) {
        const m = pattern.exec(part);
        if (m) return fr(...m.slice(1));
      }
      return part;
    })
    .join(' ; ');
}
const main = () => $('#main');

function frDate(value) {
  if (!value) return '';
  const d = new Date(value.includes('T') || value.includes(' ') ? value.replace(' ', 'T') : value);
  return Number.isNaN(d.getTime())
    ? value
    : d.toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short' });
}

function statusBadge(status) {
  const cls = ['PAID'].includes(status)
    ? 'ok'
    : ['REJECTED', 'FAILED', 'CANCELLED'].includes(status)
      ? 'ko'
      : ['AWAITING_DATA', 'AWAITING_APPROVAL', 'ACTION_REQUIRED', 'WAITING_FOR_CONNECTION'].includes(status)
        ? 'todo'
        : '';
  return h('span', { class: `status ${cls}`, 'data-status': status }, STATUS_FR[status] ?? status);
}

/** The alert a view shows when its data cannot be read; `clear()` once it can again. */
function alertBox(describe = (err) => err.message) {
  const el = h('div', { class: 'error-box', role: 'alert', hidden: true });
  return {
    el,
    show(err) {
      el.textContent = describe(err);
      el.hidden = false;
    },
    clear() {
      el.hidden = true;
    },
  };
}

class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function api(path, options = {}) {
  const key = sessionStorage.getItem(KEY);
  const headers = { authorization: `Bearer ${key}`, ...(options.headers ?? {}) };
  let body = options.body;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const res = await fetch(path, { method: options.method ?? 'GET', headers, body });
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (res.status === 401 && !options.login) {
    logout('La session a expiré ou la clé a été révoquée : reconnectez-vous.');
    throw new ApiError(401, data);
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

// ---- session -------------------------------------------------------------------------------

let me;

function logout(message) {
  sessionStorage.removeItem(KEY);
  me = undefined;
  // Without a hashchange, so the message below is not replaced by a plain login screen.
  window.history.replaceState(null, '', '#/login');
  renderLogin(message);
}

function renderLogin(message) {
  stopPolling();
  $('header.top').hidden = true;
  const error = h('div', { class: 'error-box', role: 'alert', hidden: !message }, message ?? '');
  const input = h('input', {
    id: 'api-key',
    type: 'password',
    name: 'api-key',
    autocomplete: 'off',
    required: true,
    'aria-describedby': 'api-key-hint',
  });
  const form = h(
    'form',
    {
      class: 'card login',
      onsubmit: async (event) => {
        event.preventDefault();
        error.hidden = true;
        sessionStorage.setItem(KEY, input.value.trim());
        try {
          const who = await api('/v1/me', { login: true });
          if (who.role === 'system') {
            sessionStorage.removeItem(KEY);
            error.textContent =
              'Cette clé est celle d’un logiciel (rôle « system ») : utilisez une clé de gestionnaire, d’auditeur ou d’administrateur.';
            error.hidden = false;
            return;
          }
          me = who;
          location.hash = who.role === 'admin' ? '#/connexions' : '#/taches';
          route();
        } catch (err) {
          sessionStorage.removeItem(KEY);
          error.textContent = err.status === 401 ? 'Clé inconnue.' : `Connexion impossible : ${err.message}`;
          error.hidden = false;
        }
      },
    },
    h('h1', {}, 'Connexion au back-office'),
    h('label', { for: 'api-key' }, 'Clé d’API'),
    h(
      'p',
      { class: 'hint', id: 'api-key-hint' },
      'Une clé de gestionnaire (staff), d’auditeur ou d’administrateur. Elle reste dans cet onglet et disparaît à sa fermeture.',
    ),
    input,
    error,
    h('p', {}, h('button', { type: 'submit' }, 'Se connecter')),
  );
  main().replaceChildren(form);
  input.focus();
}

// ---- routing and polling --------------------------------------------------------------------

let current; // { name, refresh() }
let timer;

/** Nothing is polled without a key: the login screen would otherwise be rebuilt under the user's fingers. */
function stopPolling() {
  clearInterval(timer);
  timer = undefined;
  current = undefined;
}

const signatures = new WeakMap();

/**
 * Rebuilds a container only when its data changed, and puts keyboard focus back on the control
 * that had it (same `data-focus-key`): a refresh must neither steal focus nor re-announce a list.
 */
function renderIfChanged(container, data, build) {
  const signature = JSON.stringify(data);
  if (signatures.get(container) === signature) return false;
  signatures.set(container, signature);
  const focused = document.activeElement;
  const focusKey = focused && container.contains(focused) ? focused.dataset.focusKey : undefined;
  container.replaceChildren(...[build()].flat());
  if (focusKey) {
    [...container.querySelectorAll('[data-focus-key]')]
      .find((el) => el.dataset.focusKey === focusKey)
      ?.focus();
  }
  return true;
}

async function route() {
  if (!sessionStorage.getItem(KEY)) return renderLogin();
  if (!me) {
    try {
      me = await api('/v1/me');
    } catch {
      return undefined;
    }
  }
  $('header.top').hidden = false;
  $('#who').textContent = `${me.keyId} · ${me.role}`;
  for (const a of document.querySelectorAll('[data-nav]')) {
    const hiddenForAdmin = me.role === 'admin' && a.dataset.nav !== 'connexions';
    a.hidden = hiddenForAdmin;
  }
  const hash = location.hash || '#/taches';
  const [, name, ...rest] = hash.split('/');
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const views = {
    taches: inboxView,
    factures: rest.length ? () => invoiceView(decodeURIComponent(rest.join('/'))) : invoicesView,
    connexions: connectionsView,
  };
  const view = (views[name] ?? (me.role === 'admin' ? connectionsView : inboxView))();
  current = view;
  main().replaceChildren(view.root);
  await refresh();
  clearInterval(timer);
  timer = setInterval(refresh, POLL_MS);
}

let refreshing = false;
let badging = false;
async function refresh() {
  if (!current || document.hidden || !sessionStorage.getItem(KEY)) return;
  // The badge refreshes on its own, so a slow inbox never holds the page being read.
  if (!badging) {
    badging = true;
    updateBadge()
      .catch(() => undefined)
      .finally(() => (badging = false));
  }
  if (refreshing) return;
  refreshing = true;
  const view = current;
  try {
    await view.refresh();
  } catch (err) {
    if (err.status !== 401) view.showError?.(err);
  } finally {
    refreshing = false;
  }
}

async function failingConnections() {
  const { connections } = await api('/v1/connections');
  return connections.filter((c) => c.status === 'FAILED');
}

async function updateBadge() {
  if (me?.role === 'admin') return;
  const [{ count }, failing] = await Promise.all([api('/v1/tasks'), failingConnections()]);
  const badge = $('#task-count');
  const total = count + failing.length;
  badge.textContent = String(total);
  badge.classList.toggle('zero', total === 0);
  badge.setAttribute('aria-label', `${total} tâche(s) ouverte(s)`);
}

// ---- Tâches -----------------------------------------------------------------------------------

function inboxView() {
  const connection = h('select', { id: 'filter-connection' }, h('option', { value: '' }, 'Toutes'));
  const kind = h(
    'select',
    { id: 'filter-kind' },
    h('option', { value: '' }, 'Tous'),
    Object.entries(TASK_FR).map(([k, label]) => h('option', { value: k }, label)),
  );
  const list = h('ul', { class: 'plain task-list', id: 'tasks', 'aria-live': 'polite' });
  const error = alertBox();
  const root = h(
    'section',
    {},
    h('h1', {}, 'Tâches ouvertes'),
    h(
      'div',
      { class: 'filters' },
      h('div', {}, h('label', { for: 'filter-connection' }, 'Connexion'), connection),
      h('div', {}, h('label', { for: 'filter-kind' }, 'Type de tâche'), kind),
    ),
    error.el,
    list,
  );
  const refreshNow = () => refresh();
  connection.addEventListener('change', refreshNow);
  kind.addEventListener('change', refreshNow);
  return {
    root,
    showError: error.show,
    async refresh() {
      const [{ tasks }, { connections }] = await Promise.all([api('/v1/tasks'), api('/v1/connections')]);
      error.clear();
      const ids = [...new Set([...tasks.map((t) => t.connectionId), ...connections.map((c) => c.id)])].sort();
      if (connection.options.length - 1 !== ids.length) {
        const chosen = connection.value;
        connection.replaceChildren(
          h('option', { value: '' }, 'Toutes'),
          ids.map((id) => h('option', { value: id }, id)),
        );
        connection.value = chosen;
      }
      const items = [
        ...tasks.map((t) => ({ kind: t.task.kind, at: t.task.openedAt, connectionId: t.connectionId, t })),
        ...connections
          .filter((c) => c.status === 'FAILED')
          .map((c) => ({ kind: 'CONNECTION', at: c.lastVerifiedAt ?? '', connectionId: c.id, c })),
      ]
        .filter((i) => !connection.value || i.connectionId === connection.value)
        .filter((i) => !kind.value || i.kind === kind.value)
        .sort((a, b) => (a.at < b.at ? -1 : 1));
      renderIfChanged(list, items, () => [
        ...(items.length === 0 ? [h('li', { class: 'card muted' }, 'Aucune tâche ouverte.')] : []),
        ...items.map((i) =>
          i.t
            ? h(
                'li',
                { class: 'card', 'data-task-kind': i.kind, 'data-invoice-id': i.t.invoiceId },
                h('strong', {}, TASK_FR[i.kind] ?? i.kind),
                ' — facture ',
                h(
                  'a',
                  {
                    href: `#/factures/${encodeURIComponent(i.t.invoiceId)}`,
                    'data-focus-key': `task:${i.t.invoiceId}`,
                  },
                  i.t.invoiceNumber,
                ),
                h(
                  'div',
                  { class: 'muted' },
                  `Connexion ${i.connectionId} · acheteur ${i.t.buyerSiret} · ouverte le ${frDate(i.at)}`,
                ),
                h('div', {}, i.t.task.fields.map((f) => FIELD_FR[f.field] ?? f.field).join(', ')),
              )
            : h(
                'li',
                { class: 'card', 'data-task-kind': 'CONNECTION' },
                h('strong', {}, TASK_FR.CONNECTION),
                ' — ',
                h(
                  'a',
                  { href: '#/connexions', 'data-focus-key': `connection:${i.connectionId}` },
                  i.connectionId,
                ),
                h(
                  'div',
                  { class: 'muted' },
                  i.c.checks
                    .filter((c) => c.result === 'failed')
                    .map((c) => c.remedy?.fr ?? c.message)
                    .join(' '),
                ),
              ),
        ),
      ]);
    },
  };
}

// ---- Factures --------------------------------------------------------------------------------

function invoicesView() {
  const status = h(
    'select',
    { id: 'filter-status' },
    h('option', { value: '' }, 'Tous'),
    Object.entries(STATUS_FR).map(([k, label]) => h('option', { value: k }, label)),
  );
  const chorusStatus = h('input', { id: 'filter-chorus', type: 'text', placeholder: 'ex. MISE_EN_PAIEMENT' });
  const search = h('input', { id: 'filter-search', type: 'search', placeholder: 'Numéro ou SIRET acheteur' });
  const body = h('tbody', { id: 'invoices' });
  const error = alertBox();
  const root = h(
    'section',
    {},
    h('h1', {}, 'Factures'),
    h(
      'form',
      { class: 'filters', onsubmit: (e) => (e.preventDefault(), refresh()) },
      h('div', {}, h('label', { for: 'filter-status' }, 'Statut'), status),
      h('div', {}, h('label', { for: 'filter-chorus' }, 'Statut Chorus Pro'), chorusStatus),
      h('div', {}, h('label', { for: 'filter-search' }, 'Recherche'), search),
      h('button', { type: 'submit' }, 'Filtrer'),
    ),
    error.el,
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Numéro', 'Connexion', 'Acheteur (SIRET)', 'Statut', 'Statut Chorus Pro', 'Tâche'].map((t) =>
            h('th', { scope: 'col' }, t),
          ),
        ),
      ),
      body,
    ),
  );
  status.addEventListener('change', () => refresh());
  return {
    root,
    showError: error.show,
    async refresh() {
      const params = new URLSearchParams({ pageSize: '100' });
      if (status.value) params.set('status', status.value);
      if (chorusStatus.value.trim()) params.set('chorusStatus', chorusStatus.value.trim().toUpperCase());
      const q = search.value.trim();
      if (/^\d{14}$/.test(q)) params.set('buyerSiret', q);
      else if (q) params.set('invoiceNumber', q);
      const { invoices } = await api(`/v1/invoices?${params}`);
      error.clear();
      renderIfChanged(body, invoices, () => [
        ...(invoices.length === 0
          ? [h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'Aucune facture.'))]
          : []),
        ...invoices.map((i) =>
          h(
            'tr',
            { 'data-invoice-id': i.id },
            h(
              'td',
              {},
              h(
                'a',
                { href: `#/factures/${encodeURIComponent(i.id)}`, 'data-focus-key': `invoice:${i.id}` },
                i.invoiceNumber ?? i.id,
              ),
            ),
            h('td', {}, i.connectionId ?? ''),
            h('td', {}, i.buyerSiret ?? ''),
            h('td', {}, i.status ? statusBadge(i.status) : ''),
            h('td', {}, i.chorusStatus ?? ''),
            h('td', {}, i.hasOpenTask ? h('span', { 'aria-label': 'tâche ouverte' }, '●') : ''),
          ),
        ),
      ]);
    },
  };
}

function flatten(value, prefix = '', out = []) {
  if (Array.isArray(value)) value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.push([prefix, value]);
  return out;
}

const REFUSAL_CONFIRM = {
  APPROVAL: 'Refuser l’envoi ? La facture sera annulée et ne partira pas vers Chorus Pro.',
  DUPLICATE_NUMBER:
    'Confirmer qu’il s’agit d’une autre facture ? Celle-ci s’arrêtera : il faudra un nouveau numéro de facture.',
};

function taskForm(view, task) {
  const readOnly = me.role !== 'staff';
  const box = h('div', { role: 'alert', hidden: true });
  const controls = new Map();
  const fileRows = h('div', {});
  const fields = task.fields.map((f) => {
    const id = `field-${f.field.replace(/[^A-Za-z0-9]/g, '-')}`;
    const error = h('div', {
      class: 'field-error',
      id: `${id}-error`,
      'data-error-for': f.field,
      hidden: true,
    });
    let control;
    if (f.field === 'attachments') {
      control = h('input', {
        id,
        type: 'file',
        multiple: true,
        disabled: readOnly,
        onchange: () =>
          fileRows.replaceChildren(
            ...[...control.files].map((file, i) =>
              h(
                'div',
                { class: 'field' },
                h('label', { for: `${id}-type-${i}` }, `Type de « ${file.name} »`),
                h(
                  'select',
                  { id: `${id}-type-${i}`, 'data-file-index': i },
                  ATTACHMENT_TYPES.map((t) => h('option', { value: t }, t)),
                ),
              ),
            ),
          ),
      });
    } else if (f.field === 'comment') {
      control = h('textarea', { id, maxlength: 2000, disabled: readOnly });
    } else if (f.allowedValues?.length) {
      control = h(
        'select',
        { id, required: f.required, disabled: readOnly },
        h('option', { value: '' }, '— choisir —'),
        f.allowedValues.map((v) =>
          h(
            'option',
            { value: v.value, selected: v.value === f.currentValue },
            v.label === v.value ? v.value : `${v.value} — ${v.label}`,
          ),
        ),
      );
    } else {
      control = h('input', {
        id,
        type: 'text',
        value: f.currentValue ?? '',
        required: f.required,
        disabled: readOnly,
      });
    }
    control.setAttribute('aria-describedby', `${id}-why ${id}-error`);
    controls.set(f.field, { control, error });
    return h(
      'div',
      { class: 'field' },
      h('label', { for: id }, FIELD_FR[f.field] ?? f.field, f.required ? ' *' : ''),
      h('p', { class: 'hint', id: `${id}-why` }, f.whyFr ?? f.why),
      control,
      f.field === 'attachments' ? fileRows : null,
      error,
    );
  });

  async function send(extra) {
    box.hidden = true;
    for (const { error } of controls.values()) error.hidden = true;
    const answer = { taskId: task.id, ...extra };
    const values = {};
    for (const [field, { control }] of controls) {
      if (field === 'attachments') {
        const files = [...control.files];
        if (files.length === 0) continue;
        answer.attachments = [];
        for (const [i, file] of files.entries()) {
          const uploaded = await api('/v1/uploads', {
            method: 'POST',
            body: file,
            headers: { 'content-type': 'application/octet-stream' },
          });
          const type = fileRows.querySelector(`[data-file-index="${i}"]`)?.value ?? 'Doc. Annexe';
          answer.attachments.push({ fileName: file.name, type, uploadRef: uploaded.uploadRef });
        }
      } else if (field === 'comment') {
        if (control.value.trim()) answer.comment = control.value.trim();
      } else if (control.value.trim()) {
        values[field] = control.value.trim();
      }
    }
    if (Object.keys(values).length) answer.values = values;
    try {
      await api(`/v1/invoices/${encodeURIComponent(view.id)}/task`, { method: 'POST', json: answer });
      box.className = 'success-box';
      box.textContent = 'Réponse enregistrée : la facture reprend son cours.';
      box.hidden = false;
      view.answered = task.id;
    } catch (err) {
      const fieldMessages = err.body?.error?.fields ?? {};
      let shown = 0;
      for (const [field, message] of Object.entries(fieldMessages)) {
        const target = controls.get(field) ?? controls.get(field.split('.').slice(0, 2).join('.'));
        if (target) {
          target.error.textContent = inFrench(message);
          target.error.hidden = false;
          target.control.setAttribute('aria-invalid', 'true');
          shown += 1;
        }
      }
      box.className = 'error-box';
      box.textContent =
        shown > 0
          ? 'La réponse a été refusée : corrigez les champs signalés.'
          : `La réponse a été refusée : ${err.message}`;
      box.hidden = false;
    }
  }

  const payload = task.chorusPayload
    ? h(
        'details',
        { open: true },
        h('summary', {}, 'Facture exactement telle qu’elle sera envoyée à Chorus Pro'),
        h(
          'dl',
          { class: 'payload' },
          flatten(task.chorusPayload).map(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))]),
        ),
      )
    : null;
  const decision = ['APPROVAL', 'DUPLICATE_NUMBER'].includes(task.kind);
  const form = h(
    'form',
    {
      class: 'card',
      id: 'task-form',
      'data-task-id': task.id,
      'aria-labelledby': 'task-title',
      onsubmit: (e) => {
        e.preventDefault();
        void send({});
      },
    },
    h('h2', { id: 'task-title' }, `${TASK_FR[task.kind] ?? task.kind} — ${task.title}`),
    h('p', {}, task.descriptionFr ?? task.description),
    readOnly
      ? h('p', { class: 'muted' }, 'Lecture seule : seule une clé de gestionnaire (staff) peut répondre.')
      : null,
    payload,
    fields,
    box,
    decision
      ? h(
          'p',
          { class: 'row' },
          h(
            'button',
            {
              type: 'button',
              id: 'approve',
              disabled: readOnly,
              onclick: () => void send({ approve: true }),
            },
            task.kind === 'APPROVAL' ? 'Envoyer' : 'Oui, c’est la même facture',
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'danger',
              id: 'refuse',
              disabled: readOnly,
              // Refusing ends the invoice: ask once more.
              onclick: () => {
                if (window.confirm(REFUSAL_CONFIRM[task.kind] ?? REFUSAL_CONFIRM.APPROVAL)) {
                  void send({ approve: false });
                }
              },
            },
            task.kind === 'APPROVAL' ? 'Refuser' : 'Non, c’est une autre facture',
          ),
        )
      : h('p', {}, h('button', { type: 'submit', disabled: readOnly }, 'Envoyer la réponse')),
  );
  return form;
}

function invoiceView(id) {
  const view = { id, taskId: undefined, answered: undefined };
  const header = h('div', {});
  const steps = h('ol', { class: 'steps', 'aria-label': 'Étapes' });
  const taskSlot = h('div', { id: 'task-slot' });
  const details = h('div', {});
  const audit = h('div', { id: 'audit' });
  const error = alertBox((err) => (err.status === 404 ? 'Facture introuvable.' : err.message));
  view.root = h(
    'section',
    {},
    h('p', {}, h('a', { href: '#/factures' }, '← Factures')),
    header,
    steps,
    error.el,
    taskSlot,
    details,
    audit,
  );
  view.showError = error.show;
  view.refresh = async () => {
    const v = await api(`/v1/invoices/${encodeURIComponent(id)}`);
    error.clear();
    renderIfChanged(header, v, () =>
      [
        h('h1', {}, `Facture ${v.invoiceNumber}`),
        h(
          'p',
          {},
          statusBadge(v.status),
          ' ',
          v.chorusStatus ? h('span', { id: 'chorus-status' }, `Chorus Pro : ${v.chorusStatus}`) : null,
          v.chorusInvoiceId ? h('span', { id: 'chorus-id' }, ` · n° Chorus Pro ${v.chorusInvoiceId}`) : null,
          h('span', { class: 'muted' }, ` · connexion ${v.connectionId} · acheteur ${v.invoice.buyer.siret}`),
        ),
        v.statusReason ? h('p', { class: 'muted', id: 'status-reason' }, v.statusReason) : null,
        // Read from the database: the workflow is archived, or Temporal does not answer right now.
        v.read?.source === 'database'
          ? h(
              'p',
              { class: 'muted', id: 'read-source', role: 'status' },
              v.read.archived
                ? 'Facture archivée : son workflow est clos et n’est plus dans Temporal ; elle est lue depuis l’archive.'
                : `Temporal ne répond pas : état enregistré le ${new Date(v.read.recordedAt).toLocaleString('fr-FR')}, peut-être dépassé.`,
            )
          : null,
      ].filter(Boolean),
    );
    const at = STEP_OF_STATUS[v.status] ?? 0;
    renderIfChanged(steps, at, () =>
      STEPS.map((label, i) =>
        h('li', { class: i < at ? 'done' : '', 'aria-current': i === at ? 'step' : undefined }, label),
      ),
    );
    // The form is built once per task, so polling never clears what is being typed.
    const taskId = v.openTask?.id;
    if (taskId !== view.taskId) {
      view.taskId = taskId;
      taskSlot.replaceChildren(v.openTask ? taskForm(view, v.openTask) : '');
    }
    renderIfChanged(details, v, () => [
      h(
        'div',
        { class: 'row' },
        h(
          'div',
          { class: 'card' },
          h('h2', {}, 'Vérifications'),
          h(
            'ul',
            { class: 'plain', id: 'checklist' },
            v.checklist.map((c) =>
              h(
                'li',
                { 'data-check': c.id, 'data-ok': String(c.ok) },
                h(
                  'span',
                  { class: c.ok ? 'tick' : 'cross', 'aria-label': c.ok ? 'réussi' : 'en échec' },
                  c.ok ? '✓ ' : '✗ ',
                ),
                c.messageFr ?? c.message,
              ),
            ),
          ),
        ),
        h(
          'div',
          { class: 'card' },
          h('h2', {}, 'Statuts Chorus Pro'),
          v.chorusTimeline.length === 0
            ? h('p', { class: 'muted' }, 'Pas encore déposée.')
            : h(
                'ol',
                { id: 'chorus-timeline' },
                [...v.chorusTimeline]
                  .sort((a, b) => (a.at < b.at ? -1 : 1))
                  .map((o) =>
                    h(
                      'li',
                      {},
                      h('strong', {}, o.status),
                      ` — ${frDate(o.at)}`,
                      o.comment ? ` — « ${o.comment} »` : '',
                    ),
                  ),
              ),
          h('h2', {}, 'Pièces jointes'),
          v.attachments.length === 0
            ? h('p', { class: 'muted' }, 'Aucune.')
            : h(
                'ul',
                {},
                v.attachments.map((a) => h('li', {}, `${a.fileName} (${a.type}, ${a.sizeBytes} octets)`)),
              ),
        ),
      ),
      h(
        'div',
        { class: 'card' },
        h('h2', {}, 'Parcours'),
        h(
          'ol',
          { id: 'journey' },
          v.timeline.map((t) =>
            h('li', {}, `${frDate(t.at)} — ${STATUS_FR[t.status] ?? t.status}`, t.note ? ` : ${t.note}` : ''),
          ),
        ),
      ),
    ]);
    // The audit timeline is read from the whole workflow history: again when the invoice moved,
    // otherwise every few polls (webhook deliveries and retries do not change the view).
    const signature = JSON.stringify(v);
    const historyDue = signature !== view.historyFor || Date.now() - (view.historyAt ?? 0) > HISTORY_EVERY_MS;
    if ((me.role === 'auditor' || me.role === 'staff') && historyDue) {
      const history = await api(`/v1/invoices/${encodeURIComponent(id)}/history`);
      view.historyFor = signature;
      view.historyAt = Date.now();
      renderIfChanged(audit, history.entries, () =>
        h(
          'div',
          { class: 'card' },
          h('h2', {}, 'Journal d’audit'),
          h(
            'table',
            { id: 'audit-timeline' },
            h(
              'thead',
              {},
              h('tr', {}, h('th', { scope: 'col' }, 'Date'), h('th', { scope: 'col' }, 'Événement')),
            ),
            h(
              'tbody',
              {},
              history.entries.map((e) =>
                h('tr', { 'data-kind': e.kind }, h('td', {}, frDate(e.at)), h('td', {}, e.summary)),
              ),
            ),
          ),
        ),
      );
    }
  };
  return view;
}

// ---- Connexions --------------------------------------------------------------------------------

function connectionsView() {
  const list = h('div', { id: 'connections' });
  const error = alertBox();
  const verifying = new Set();
  const mayVerify = me.role === 'staff' || me.role === 'admin';
  const view = {
    root: h('section', {}, h('h1', {}, 'Connexions Chorus Pro'), error.el, list),
    showError: error.show,
    async refresh() {
      const { connections } = await api('/v1/connections');
      error.clear();
      renderIfChanged(list, { connections, verifying: [...verifying] }, () => [
        ...(connections.length === 0 ? [h('p', { class: 'muted' }, 'Aucune connexion.')] : []),
        ...connections.map((c) =>
          h(
            'article',
            { class: 'card', 'data-connection': c.id, 'aria-labelledby': `conn-${c.id}` },
            h('h2', { id: `conn-${c.id}` }, `${c.id} `, statusBadgeConnection(c.status)),
            h(
              'p',
              { class: 'muted' },
              `Environnement ${c.environment ?? ''} · fournisseur ${c.supplierSiret ?? ''} · vérifiée le ${frDate(c.lastVerifiedAt) || '—'}`,
              c.passwordExpiresOn ? ` · mot de passe valable jusqu’au ${c.passwordExpiresOn}` : '',
            ),
            h(
              'ul',
              { class: 'plain' },
              c.checks.map((check) =>
                h(
                  'li',
                  { 'data-check': check.id, 'data-result': check.result },
                  h(
                    'span',
                    {
                      class: CHECK_MARK[check.result]?.[0] ?? 'warn',
                      'aria-label': CHECK_FR[check.result] ?? check.result,
                    },
                    CHECK_MARK[check.result]?.[1] ?? '! ',
                  ),
                  h('strong', {}, check.id),
                  ` — ${check.message}`,
                  check.remedy && check.result !== 'ok'
                    ? h('p', { class: 'hint remedy' }, `À faire : ${check.remedy.fr}`)
                    : null,
                ),
              ),
            ),
            mayVerify
              ? h(
                  'button',
                  {
                    type: 'button',
                    class: 'secondary',
                    'data-focus-key': `verify:${c.id}`,
                    // aria-disabled, not disabled: a disabled button would drop the keyboard focus.
                    'aria-disabled': verifying.has(c.id) ? 'true' : undefined,
                    onclick: async () => {
                      if (verifying.has(c.id)) return;
                      verifying.add(c.id);
                      try {
                        await view.refresh();
                        await api(`/v1/connections/${encodeURIComponent(c.id)}/verify`, { method: 'POST' });
                      } catch (err) {
                        view.showError(err);
                      } finally {
                        verifying.delete(c.id);
                        await view.refresh().catch((err) => view.showError(err));
                      }
                    },
                  },
                  verifying.has(c.id) ? 'Vérification…' : 'Vérifier maintenant',
                )
              : null,
          ),
        ),
      ]);
    },
  };
  return view;
}

function statusBadgeConnection(status) {
  const fr = {
    CONNECTED: 'Connectée',
    DEGRADED: 'À surveiller',
    FAILED: 'En échec',
    VERIFYING: 'Vérification…',
    UNKNOWN: 'Inconnue',
  };
  const cls = status === 'CONNECTED' ? 'ok' : status === 'FAILED' ? 'ko' : 'todo';
  return h('span', { class: `status ${cls}`, 'data-status': status }, fr[status] ?? status);
}

// ---- start ---------------------------------------------------------------------------------------

$('#logout').addEventListener('click', () => logout());
window.addEventListener('hashchange', () => void route());
document.addEventListener('visibilitychange', () => void refresh());
void route();
