import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { ROLES, type Actor, type Role } from '../domain/actor';
import type { Logger } from '../platform/logger';
import { connectionOfInvoiceId, matchRoute, PUBLIC_PATHS } from './access';
import { sendError } from './errors';

/**
 * API keys: `Authorization: Bearer <key>`. Each key has one role and the connections (tenants) it
 * may see. Keys are configured as SHA-256 hashes only (`npm run api-key` makes a key and its
 * entry); the service never stores or logs a key. Without configured keys the service runs in
 * development mode with the documented DEVELOPMENT_KEYS, and refuses that in production.
 */

export const DEVELOPMENT_KEYS: Readonly<Record<Role, string>> = {
  system: 'dev-key-system',
  staff: 'dev-key-staff',
  auditor: 'dev-key-auditor',
  admin: 'dev-key-admin',
};

const CONNECTION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const ApiKeyEntry = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, ".", "_" or "-"'),
    role: z.enum(ROLES),
    /** Connection ids this key may see, or ["*"] for all. */
    connections: z
      .array(z.string().refine((c) => c === '*' || CONNECTION_ID.test(c), 'a connection id or "*"'))
      .min(1, 'at least one connection id, or ["*"]'),
    hash: z.string().regex(/^sha256:[0-9a-f]{64}$/, '"sha256:" followed by 64 hex digits'),
  })
  .strict();
export type ApiKeyEntry = z.infer<typeof ApiKeyEntry>;

export const ApiKeyEntries = z.array(ApiKeyEntry);

export function hashApiKey(key: string): string {
  return `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

/** A fresh key: 32 random bytes, prefixed so leaked keys are easy to recognise and scan for. */
export function generateApiKey(): string {
  return `cpk_${randomBytes(32).toString('base64url')}`;
}

export interface Principal {
  keyId: string;
  role: Role;
  /** '*' or the connection ids this key may see. */
  connections: '*' | readonly string[];
  /** From `X-Acting-User`, when given. */
  user?: string;
}

export class ApiKeyRegistry {
  private readonly byHash: Map<string, ApiKeyEntry>;

  constructor(
    entries: ApiKeyEntry[],
    readonly development = false,
  ) {
    const ids = new Set<string>();
    for (const e of entries) {
      if (ids.has(e.id)) throw new Error(`API key id "${e.id}" is configured twice`);
      ids.add(e.id);
    }
    this.byHash = new Map(entries.map((e) => [e.hash, e]));
  }

  static development(): ApiKeyRegistry {
    return new ApiKeyRegistry(
      ROLES.map((role) => ({
        id: `dev-${role}`,
        role,
        connections: ['*'],
        hash: hashApiKey(DEVELOPMENT_KEYS[role]),
      })),
      true,
    );
  }

  /** The entry of a presented key, if any (looked up by hash; the key itself is not kept). */
  authenticate(presented: string): ApiKeyEntry | undefined {
    return this.byHash.get(hashApiKey(presented));
  }

  list(): Array<Omit<ApiKeyEntry, 'hash'>> {
    return [...this.byHash.values()].map(({ hash: _hash, ...rest }) => rest);
  }
}

export interface ApiKeyConfig {
  /** API_KEYS: a JSON array of entries. */
  inline?: string;
  /** API_KEYS_FILE: a file holding that JSON array. */
  file?: string;
  production: boolean;
  logger?: Logger;
}

function parseEntries(text: string, source: string): ApiKeyEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`${source} is not valid JSON (expected an array of {id, role, connections, hash})`);
  }
  const parsed = ApiKeyEntries.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${source} is invalid: ${details.join('; ')}`);
  }
  return parsed.data;
}

/** Keys from API_KEYS / API_KEYS_FILE; development keys (loudly) when none and not in production. */
export function loadApiKeys(config: ApiKeyConfig): ApiKeyRegistry {
  const entries = [
    ...(config.inline?.trim() ? parseEntries(config.inline, 'API_KEYS') : []),
    ...(config.file ? parseEntries(readFileSync(config.file, 'utf8'), `API_KEYS_FILE (${config.file})`) : []),
  ];
  if (entries.length > 0) return new ApiKeyRegistry(entries);
  if (config.production) {
    throw new Error(
      'No API keys configured: set API_KEYS_FILE (or API_KEYS) in production; `npm run api-key -- --id <id> --role <role>` makes one',
    );
  }
  config.logger?.warn(
    { developmentKeys: Object.values(DEVELOPMENT_KEYS) },
    '*** DEVELOPMENT MODE: no API keys are configured, so the documented development keys ' +
      '(dev-key-system, dev-key-staff, dev-key-auditor, dev-key-admin) are accepted. ' +
      'Configure API_KEYS_FILE before exposing this service. ***',
  );
  return ApiKeyRegistry.development();
}

/** Token bucket per key: `perMinute` requests a minute, bursts up to the same number. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** 0 when allowed, else the seconds to wait. */
  take(key: string): number {
    const rate = this.perMinute / 60_000;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * rate);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / rate / 1000));
  }

  /** What is left for `key` now, for the RateLimit-* headers. */
  state(key: string): { remaining: number; resetSeconds: number } {
    const bucket = this.buckets.get(key);
    if (!bucket) return { remaining: this.perMinute, resetSeconds: 0 };
    const rate = this.perMinute / 60_000;
    const tokens = Math.min(this.perMinute, bucket.tokens + (this.now() - bucket.at) * rate);
    return {
      remaining: Math.floor(tokens),
      resetSeconds: Math.ceil((this.perMinute - tokens) / rate / 1000),
    };
  }
}

/** `Allow` for a path: its methods, and HEAD wherever GET is. */
export function allowHeader(methods: readonly string[]): string {
  const order = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
  const allowed = new Set(methods.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])));
  return order.filter((m) => allowed.has(m)).join(', ');
}

/** What `X-Acting-User` may hold (the back-office checks the login form with the same rule). */
export const ACTING_USER = /^[\p{L}\p{N} .@_+'-]{1,120}$/u;

export interface AuthorizeOptions {
  keys: ApiKeyRegistry;
  /** Requests per minute per key. */
  limiter: RateLimiter;
  /** Refused authentication attempts per minute per client address. */
  failedAttempts: RateLimiter;
  /**
   * Origins (the Temporal Web UI) whose codec calls carry no key. Honoured only in development
   * mode, where the keys are public anyway; in production the UI's calls must carry an auditor key.
   */
  keylessCodecOrigins?: readonly string[];
}

function refuse(
  res: Response,
  status: number,
  code: string,
  message: string,
  fields?: Record<string, string>,
) {
  if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="chorus-pro-submission"');
  sendError(res, status, code, message, fields);
}

/**
 * Authenticates every /v1 request, applies the rate limit, checks the route's roles and tenant
 * and puts the Principal in `res.locals.principal`. Routes not in the policy table fall through
 * to the 404 handler once the caller is known.
 */
export function authorize(options: AuthorizeOptions): RequestHandler {
  const { keys, limiter, failedAttempts } = options;
  return (req: Request, res: Response, next: NextFunction) => {
    const path = req.path;
    // Deny by default: anything that looks like the API, in any letter case, needs a key, and
    // only routes of the policy table get past this point (others answer 404 here).
    if (!/^\/v1(\/|$)/i.test(path) || PUBLIC_PATHS.includes(path)) return next();

    const header = req.header('authorization');
    let entry: ApiKeyEntry | undefined;
    if (header === undefined) {
      const origin = req.header('origin');
      if (
        keys.development &&
        origin &&
        options.keylessCodecOrigins?.includes(origin) &&
        path.startsWith('/v1/codec/')
      ) {
        entry = keys.authenticate(DEVELOPMENT_KEYS.auditor);
      } else {
        return refuse(res, 401, 'unauthenticated', 'Send an API key: "Authorization: Bearer <key>".');
      }
    } else {
      const m = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header);
      entry = m ? keys.authenticate(m[1]) : undefined;
      if (!entry) {
        const wait = failedAttempts.take(req.ip ?? 'unknown');
        if (wait > 0) {
          res.setHeader('Retry-After', String(wait));
          return refuse(res, 429, 'rate_limited', `Too many refused keys; retry in ${wait} s.`);
        }
        return refuse(
          res,
          401,
          'unauthenticated',
          m ? 'Unknown API key.' : 'The Authorization header must be "Bearer <key>".',
        );
      }
    }

    if (!entry) return refuse(res, 401, 'unauthenticated', 'Unknown API key.');
    const wait = limiter.take(entry.id);
    const { remaining, resetSeconds } = limiter.state(entry.id);
    res.setHeader('RateLimit-Limit', String(limiter.perMinute));
    res.setHeader('RateLimit-Remaining', String(remaining));
    res.setHeader('RateLimit-Reset', String(resetSeconds));
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      return refuse(
        res,
        429,
        'rate_limited',
        `Rate limit of ${limiter.perMinute} requests a minute reached for key ${entry.id}; retry in ${wait} s.`,
      );
    }

    const user = req.header('x-acting-user');
    if (user !== undefined && !ACTING_USER.test(user)) {
      return refuse(res, 400, 'validation_failed', 'Bad X-Acting-User header.', {
        'X-Acting-User': "up to 120 letters, digits, spaces or . @ _ + ' -",
      });
    }
    const principal: Principal = {
      keyId: entry.id,
      role: entry.role,
      connections: entry.connections.includes('*') ? '*' : entry.connections,
      ...(user ? { user } : {}),
    };
    res.locals.principal = principal;

    const { route, methods, badEncoding } = matchRoute(req.method, path);
    if (badEncoding) return refuse(res, 400, 'bad_request', 'The path is not valid percent-encoding.');
    if (!route) {
      if (methods.length > 0) {
        res.setHeader('Allow', allowHeader(methods));
        if (req.method === 'OPTIONS') {
          res.status(204).end();
          return;
        }
        return refuse(
          res,
          405,
          'method_not_allowed',
          `${req.method} is not allowed on ${path}; use ${methods.join(' or ')}.`,
        );
      }
      return refuse(res, 404, 'not_found', `No route for ${req.method} ${path}`);
    }
    const { policy, id } = route;
    if (!policy.roles.includes(entry.role)) {
      return refuse(
        res,
        403,
        'forbidden',
        `The ${entry.role} role may not ${policy.method} ${policy.path} (allowed: ${policy.roles.join(', ')}).`,
      );
    }
    if (policy.tenant && id !== undefined) {
      const connection = policy.tenant === 'invoice' ? connectionOfInvoiceId(id) : id;
      if (!connection || !maySee(principal, connection)) {
        return refuse(
          res,
          404,
          'not_found',
          policy.tenant === 'invoice' ? 'No such invoice.' : `No connection "${id}".`,
        );
      }
    }
    next();
  };
}

export function maySee(principal: Principal | undefined, connectionId: string): boolean {
  if (!principal || principal.connections === '*') return true;
  return principal.connections.includes(connectionId);
}

export function principalOf(res: Response): Principal | undefined {
  return res.locals.principal as Principal | undefined;
}

/** The identity recorded in workflow history for an action. */
export function actorOf(res: Response): Actor | undefined {
  const p = principalOf(res);
  return p ? { keyId: p.keyId, role: p.role, ...(p.user ? { user: p.user } : {}) } : undefined;
}

/** A visibility clause limiting a list to the caller's connections ('' when it sees all). */
export function tenantClause(principal: Principal | undefined): string {
  if (!principal || principal.connections === '*') return '';
  return `ConnectionId IN (${principal.connections.map((c) => `'${c}'`).join(', ')})`;
}
