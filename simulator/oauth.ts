import { randomBytes } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import type { SimulatorContext } from './context';
import type { PisteClient } from './dataset';

export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const TOKEN_LENGTH = 54;

/** Scopes PISTE accepts for Chorus Pro; every client sends `openid`, one vendor documents the second form. */
const ACCEPTED_SCOPES = new Set(['openid', 'openid resource.READ', 'resource.READ openid']);

export interface IssuedToken {
  clientId: string;
  /** Real time (Date.now()), not the simulated clock, so a client's token cache is testable. */
  expiresAtMs: number;
}

/** Opaque bearer tokens issued by the token endpoint, as the gateway sees them. */
export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(readonly lifetimeSeconds: number = DEFAULT_TOKEN_LIFETIME_SECONDS) {
    if (!(lifetimeSeconds > 0)) throw new Error('token lifetime must be > 0 seconds');
  }

  issue(client: PisteClient): string {
    const token = randomToken();
    this.tokens.set(token, {
      clientId: client.clientId,
      expiresAtMs: Date.now() + this.lifetimeSeconds * 1000,
    });
    return token;
  }

  /** The client id behind a still-valid token, or undefined when unknown or expired. */
  clientIdOf(token: string): string | undefined {
    const issued = this.tokens.get(token);
    if (!issued) return undefined;
    if (Date.now() >= issued.expiresAtMs) {
      this.tokens.delete(token);
      return undefined;
    }
    return issued.clientId;
  }
}

function randomToken(): string {
  const bytes = randomBytes(TOKEN_LENGTH);
  let token = '';
  for (const byte of bytes) token += TOKEN_ALPHABET[byte % TOKEN_ALPHABET.length];
  return token;
}

/** The same bytes whether the id or the secret is wrong: PISTE does not tell them apart. */
const INVALID_CLIENT = { error: 'invalid_client', error_description: 'Client authentication failed' };

function oauthError(res: Response, error: string, description: string): void {
  res.status(400).set('Cache-Control', 'no-store').json({ error, error_description: description });
}

/** `POST /api/oauth/token`, client-credentials grant with a form body. */
export function createOAuthRouter(ctx: SimulatorContext, tokens: TokenStore): express.Router {
  const router = express.Router();
  router.post('/api/oauth/token', express.urlencoded({ extended: false, limit: '100kb' }), (req, res) => {
    ctx.counters.recordCall('oauth/token');
    if (!req.is('application/x-www-form-urlencoded')) {
      oauthError(res, 'invalid_request', 'The request body must be application/x-www-form-urlencoded');
      return;
    }
    const form = formOf(req);
    const client = ctx.dataset.pisteClients.find((c) => c.clientId === form.client_id);
    if (!client || client.clientSecret !== form.client_secret) {
      res.status(400).set('Cache-Control', 'no-store').json(INVALID_CLIENT);
      return;
    }
    if (form.grant_type !== 'client_credentials') {
      oauthError(res, 'unsupported_grant_type', 'Only the client_credentials grant type is supported');
      return;
    }
    if (form.scope !== undefined && !ACCEPTED_SCOPES.has(form.scope.trim())) {
      oauthError(res, 'invalid_scope', 'The requested scope is invalid, unknown, or malformed');
      return;
    }
    res
      .status(200)
      .set('Cache-Control', 'no-store')
      .json({
        access_token: tokens.issue(client),
        token_type: 'Bearer',
        expires_in: tokens.lifetimeSeconds,
        scope: 'openid',
      });
  });
  return router;
}

function formOf(req: Request): Record<string, string | undefined> {
  const body: unknown = req.body;
  if (!body || typeof body !== 'object') return {};
  const form: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') form[key] = value;
  }
  return form;
}
