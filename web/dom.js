// Building the pages: elements from h() (never from HTML strings), containers re-rendered only
// when their data changed, with the keyboard focus kept.

/** Element builder: h('a', { href: '#' }, 'text', child…). Strings are text, never HTML. */
export function h(tag, attrs = {}, ...children) {
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

export const $ = (selector) => document.querySelector(selector);

const signatures = new WeakMap();

/**
 * Rebuilds a container only when its data changed, and puts keyboard focus back on the control
 * that had it (same `data-focus-key`): a refresh must neither steal focus nor re-announce a list.
 */
export function renderIfChanged(container, data, build) {
  const signature = JSON.stringify(data);
  if (signatures.get(container) === signature) return false;
  signatures.set(container, signature);
  const focused = document.activeElement;
  const focusKey = focused && container.contains(focused) ? focused.dataset.focusKey : undefined;
  container.replaceChildren(...[build()].flat().filter((c) => c !== null && c !== undefined && c !== false));
  container.removeAttribute('aria-busy');
  if (focusKey) {
    [...container.querySelectorAll('[data-focus-key]')]
      .find((el) => el.dataset.focusKey === focusKey)
      ?.focus();
  }
  return true;
}

/** A container that says it is loading until its first render. */
export function loading(tag, attrs, text) {
  const line =
    tag === 'tbody'
      ? h('tr', {}, h('td', { colspan: 9, class: 'muted loading' }, text))
      : h(['ul', 'ol'].includes(tag) ? 'li' : 'p', { class: 'muted loading' }, text);
  return h(tag, { ...attrs, 'aria-busy': 'true' }, line);
}

/** The alert a view shows when its data cannot be read; `clear()` once it can again. */
export function alertBox(describe) {
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

/** `name: value` pairs as a description list (a summary a person reads). */
export function facts(pairs, attrs = {}) {
  return h(
    'dl',
    { class: 'facts', ...attrs },
    pairs
      .filter(Boolean)
      .map(([term, value, key]) => [h('dt', {}, term), h('dd', key ? { 'data-fact': key } : {}, value)]),
  );
}
