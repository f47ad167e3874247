import type { Role } from '../domain/actor';

/**
 * Who may call what: every route under /v1 with the roles allowed on it. The authorization
 * middleware refuses anything not in this table, the README's role × route matrix is printed from
 * it, and the matrix test walks every cell of it.
 *
 * `tenant` says how the route's connection (tenant) is found: from an invoice id
 * (`invoice:<connection>:<number>`) or a connection id in the path. A key limited to some
 * connections gets 404 for another tenant's invoice or connection, as if it did not exist. List
 * routes filter by the key's connections themselves.
 */

export type Method = 'GET' | 'POST' | 'PUT';

export interface RoutePolicy {
  method: Method;
  /** Express-style path under the API root, with `:id` parameters. */
  path: string;
  roles: readonly Role[];
  /** One line for the README matrix. */
  purpose: string;
  tenant?: 'invoice' | 'connection';
}

const READERS: readonly Role[] = ['system', 'staff', 'auditor'];
const EVERYONE: readonly Role[] = ['system', 'staff', 'auditor', 'admin'];

export const ROUTE_POLICY: readonly RoutePolicy[] = [
  { method: 'GET', path: '/v1/me', roles: EVERYONE, purpose: 'who am I (key id, role, connections)' },
  { method: 'POST', path: '/v1/invoices', roles: ['system'], purpose: 'submit an invoice' },
  { method: 'GET', path: '/v1/invoices', roles: READERS, purpose: 'list and search invoices' },
  {
    method: 'POST',
    path: '/v1/invoices/validate',
    roles: ['system', 'staff'],
    purpose: 'dry run: checklist, totals and Chorus payload, nothing started',
  },
  {
    method: 'GET',
    path: '/v1/buyers/:siret/requirements',
    roles: ['system', 'staff'],
    purpose: 'what a buyer requires (from Chorus Pro, now)',
  },
  {
    method: 'GET',
    path: '/v1/invoices/:id',
    roles: READERS,
    purpose: 'read an invoice',
    tenant: 'invoice',
  },
  {
    method: 'GET',
    path: '/v1/invoices/:id/history',
    roles: ['staff', 'auditor'],
    purpose: 'audit timeline / raw history',
    tenant: 'invoice',
  },
  {
    method: 'GET',
    path: '/v1/invoices/:id/evidence',
    roles: ['auditor'],
    purpose: 'evidence bundle (invoice, hashes, statuses, timeline, raw history)',
    tenant: 'invoice',
  },
  {
    method: 'POST',
    path: '/v1/invoices/:id/task',
    roles: ['staff'],
    purpose: 'answer the open task',
    tenant: 'invoice',
  },
  {
    method: 'POST',
    path: '/v1/invoices/:id/cancel',
    roles: ['system', 'staff'],
    purpose: 'cancel before sending',
    tenant: 'invoice',
  },
  // Invoice batches (api/invoice-batches.ts): the key must see every connection of a batch to read it.
  {
    method: 'POST',
    path: '/v1/invoice-batches',
    roles: ['system'],
    purpose: 'submit up to 1,000 invoices at once',
  },
  {
    method: 'GET',
    path: '/v1/invoice-batches/:id',
    roles: READERS,
    purpose: 'a batch: counts by status, each invoice’s outcome',
  },
  { method: 'GET', path: '/v1/tasks', roles: READERS, purpose: 'open tasks, oldest first' },
  { method: 'POST', path: '/v1/uploads', roles: ['system', 'staff'], purpose: 'upload an attachment' },
  { method: 'GET', path: '/v1/connections', roles: EVERYONE, purpose: 'list connections and checks' },
  {
    method: 'GET',
    path: '/v1/connections/:id',
    roles: EVERYONE,
    purpose: 'read a connection',
    tenant: 'connection',
  },
  { method: 'POST', path: '/v1/connections', roles: ['admin'], purpose: 'create a connection' },
  {
    method: 'PUT',
    path: '/v1/connections/:id/credentials',
    roles: ['admin'],
    purpose: 'replace credentials',
    tenant: 'connection',
  },
  {
    method: 'POST',
    path: '/v1/connections/:id/verify',
    roles: ['staff', 'admin'],
    purpose: 'verify now',
    tenant: 'connection',
  },
  {
    method: 'POST',
    path: '/v1/connections/:id/webhook-secret',
    roles: ['admin'],
    purpose: 'new webhook signing secret (old one kept during the overlap)',
    tenant: 'connection',
  },
  {
    method: 'GET',
    path: '/v1/webhooks/events',
    roles: EVERYONE,
    purpose: 'webhook events and their delivery (e.g. status=failed)',
  },
  {
    method: 'POST',
    path: '/v1/webhooks/events/:id/redeliver',
    roles: ['system', 'admin'],
    purpose: 'send a webhook event again',
  },
  { method: 'GET', path: '/v1/keys', roles: ['admin'], purpose: 'list API keys (ids, roles, connections)' },
  { method: 'POST', path: '/v1/codec/encode', roles: ['auditor'], purpose: 'payload codec: encrypt' },
  { method: 'POST', path: '/v1/codec/decode', roles: ['auditor'], purpose: 'payload codec: decrypt' },
];

/** Routes anyone may call without a key. */
export const PUBLIC_PATHS: readonly string[] = ['/healthz', '/v1/openapi.json', '/docs'];

interface CompiledPolicy extends RoutePolicy {
  pattern: RegExp;
}

const COMPILED: CompiledPolicy[] = ROUTE_POLICY.map((p) => ({
  ...p,
  pattern: new RegExp(`^${p.path.replace(/:[a-z]+/g, '([^/]+)')}/?$`),
}));

export interface MatchedRoute {
  policy: RoutePolicy;
  /** The decoded `:id`, when the route has one. */
  id?: string;
}

/**
 * The policy for a request, or undefined (no such route: the router answers 404). A path that
 * matches with another method is reported through `methods` so the caller can answer 405.
 */
export function matchRoute(
  method: string,
  path: string,
): { route?: MatchedRoute; methods: Method[]; badEncoding?: boolean } {
  const methods: Method[] = [];
  // A literal path (`/v1/invoices/validate`) shadows a parameter one (`/v1/invoices/:id`) that also matches it.
  const literal = COMPILED.some((p) => {
    const m = p.pattern.exec(path);
    return m !== null && m[1] === undefined;
  });
  for (const p of COMPILED) {
    const m = p.pattern.exec(path);
    if (!m) continue;
    if (literal && m[1] !== undefined) continue;
    if (p.method !== method && !(method === 'HEAD' && p.method === 'GET')) {
      methods.push(p.method);
      continue;
    }
    if (m[1] === undefined) return { route: { policy: p }, methods };
    try {
      return { route: { policy: p, id: decodeURIComponent(m[1]) }, methods };
    } catch {
      return { methods, badEncoding: true };
    }
  }
  return { methods };
}

/** The connection an `invoice:<connection>:<number>` id belongs to. */
export function connectionOfInvoiceId(id: string): string | undefined {
  const m = /^invoice:([^:]+):.+$/.exec(id);
  return m?.[1];
}

/** `| Route | system | staff | auditor | admin |` rows, for the README. */
export function accessMatrixMarkdown(): string {
  const roles: Role[] = ['system', 'staff', 'auditor', 'admin'];
  const lines = [
    `| Route | Purpose | ${roles.join(' | ')} |`,
    `| --- | --- | ${roles.map(() => ':---:').join(' | ')} |`,
    ...ROUTE_POLICY.map(
      (p) =>
        `| \`${p.method} ${p.path}\` | ${p.purpose} | ${roles.map((r) => (p.roles.includes(r) ? '✅' : '—')).join(' | ')} |`,
    ),
  ];
  return lines.join('\n');
}
