import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from './errors';

/**
 * Visibility page tokens are handed out signed (HMAC-SHA256 over the query they belong to and the
 * server's token), so the API only ever passes Temporal a token it issued itself for that same
 * query; anything else is a 400 at once. The key is derived from the payload keys, so every API
 * instance accepts the tokens of the others.
 */
export class PageTokens {
  constructor(private readonly key: Buffer) {}

  private mac(query: string, raw: Uint8Array): Buffer {
    return createHmac('sha256', this.key).update(query).update('\n').update(raw).digest();
  }

  sign(query: string, raw: Uint8Array): string {
    return `${Buffer.from(raw).toString('base64url')}.${this.mac(query, raw).toString('base64url')}`;
  }

  open(query: string, token: string): Uint8Array {
    const refuse = () =>
      new ApiError(400, 'validation_failed', 'Bad page token.', {
        pageToken: 'not a page token this API gave for this same query: start again without pageToken',
      });
    const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m) throw refuse();
    const raw = Buffer.from(m[1], 'base64url');
    const given = Buffer.from(m[2], 'base64url');
    const expected = this.mac(query, raw);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refuse();
    return raw;
  }
}
