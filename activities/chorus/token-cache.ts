import { createHmac, randomBytes } from 'node:crypto';

/** The identity a PISTE token belongs to. */
export interface PisteTokenOwner {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

/** A token as the OAuth endpoint issued it. */
export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
}

export interface PisteTokenCacheOptions {
  /** A token is renewed this long before it expires (default 60 s). */
  expiryMarginSeconds?: number;
  /** Milliseconds since the epoch; injectable so tests can hold time still. */
  now?: () => number;
}

interface CachedToken {
  accessToken: string;
  /** Epoch ms after which the token is not handed out any more (expiry minus margin). */
  renewAt: number;
}

export const DEFAULT_EXPIRY_MARGIN_SECONDS = 60;

/**
 * Access tokens per PISTE client, shared by every Chorus client of the process.
 * Concurrent callers missing a token share one token request (single flight).
 */
export class PisteTokenCache {
  private readonly marginMs: number;
  private readonly now: () => number;
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<CachedToken>>();
  // Keys hold an HMAC of the secret under a per-process key: no secret, nothing to brute-force offline.
  private readonly keyingKey = randomBytes(32);

  constructor(options: PisteTokenCacheOptions = {}) {
    const margin = options.expiryMarginSeconds ?? DEFAULT_EXPIRY_MARGIN_SECONDS;
    if (!(margin >= 0)) throw new Error('expiryMarginSeconds must be >= 0');
    this.marginMs = margin * 1000;
    this.now = options.now ?? Date.now;
  }

  /** Cache key: token URL, client id and a keyed hash of the secret. */
  keyOf(owner: PisteTokenOwner): string {
    const secretHash = createHmac('sha256', this.keyingKey).update(owner.clientSecret).digest('base64url');
    return `${owner.tokenUrl} ${owner.clientId} ${secretHash}`;
  }

  /**
   * A usable token for `owner`, calling `issue` only when none is cached.
   * `rejected` is a token the gateway just refused: it is dropped unless someone already replaced it.
   */
  async token(owner: PisteTokenOwner, issue: () => Promise<IssuedToken>, rejected?: string): Promise<string> {
    const key = this.keyOf(owner);
    const cached = this.tokens.get(key);
    if (cached && rejected !== undefined && cached.accessToken === rejected) this.tokens.delete(key);
    else if (cached && this.now() < cached.renewAt) return cached.accessToken;

    let inFlight = this.pending.get(key);
    if (!inFlight) {
      inFlight = this.fetch(key, issue);
      this.pending.set(key, inFlight);
    }
    return (await inFlight).accessToken;
  }

  /** Forgets every token (credentials rotated, tests). */
  clear(): void {
    this.tokens.clear();
  }

  private async fetch(key: string, issue: () => Promise<IssuedToken>): Promise<CachedToken> {
    const requestedAt = this.now();
    try {
      const issued = await issue();
      const lifetimeMs = issued.expiresInSeconds * 1000;
      // A lifetime shorter than twice the margin would never be reused: cap the margin at half of it.
      const margin = Math.min(this.marginMs, lifetimeMs / 2);
      const entry = { accessToken: issued.accessToken, renewAt: requestedAt + lifetimeMs - margin };
      this.tokens.set(key, entry);
      return entry;
    } finally {
      this.pending.delete(key);
    }
  }
}
