import { t, type Localized } from './messages';

/**
 * Who did something: the API key that made the request (its id and role, never the key) and, when
 * the calling tool says so, the person acting through it (`X-Acting-User`). Task answers, cancels
 * and connection changes carry an Actor into the workflow, so the identity is part of its history.
 */

export const ROLES = ['system', 'staff', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  keyId: string;
  role: Role;
  user?: string;
}

/** `key staff-ops (user marie.dupont)`; `fallback` when nobody is known. */
export function describeActor(actor: Actor | undefined, fallback = 'someone'): string {
  if (!actor) return fallback;
  return actor.user ? `key ${actor.keyId} (user ${actor.user})` : `key ${actor.keyId}`;
}

/** Who, for a person to read: the person first when known, else the key. */
export function whoText(actor: Actor | undefined): Localized {
  if (!actor) return t('actor.unknown');
  return actor.user
    ? t('actor.person', { user: actor.user, keyId: actor.keyId })
    : t('actor.key', { keyId: actor.keyId });
}
