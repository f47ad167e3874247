// The service's own API, same origin, with this tab's key. Every change a person makes carries
// their name (`X-Acting-User`), which the workflow records with the key id.

import { session } from './session.js';

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
    /** Field path → the API's message, when the answer was refused field by field. */
    this.fields = body?.error?.fields ?? {};
  }
}

/** The session ended while the call was on its way: its answer belongs to nobody. */
export class SessionEnded extends Error {}

let onUnauthorized = () => undefined;
/** What to do when the key is refused (expired, revoked): the app logs out. */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

export async function api(path, { method = 'GET', json, body, headers = {}, login = false } = {}) {
  const generation = session.generation;
  const sent = { authorization: `Bearer ${session.key()}`, ...headers };
  if (method !== 'GET' && session.person()) sent['x-acting-user'] = session.person();
  if (json !== undefined) sent['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers: sent,
    body: json !== undefined ? JSON.stringify(json) : body,
  });
  const text = await res.text();
  if (generation !== session.generation) throw new SessionEnded();
  const data = text ? JSON.parse(text) : undefined;
  if (res.status === 401 && !login) {
    onUnauthorized();
    throw new SessionEnded();
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

export const encoded = (id) => encodeURIComponent(id);
