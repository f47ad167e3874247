import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `x-chorus-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">[,v1=…]`: one v1 per signing
 * secret in force, so a receiver rotating its secret accepts either during the overlap.
 */
export function signatureHeader(body: string, secrets: readonly string[], at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return [
    `t=${t}`,
    ...secrets.map((s) => `v1=${createHmac('sha256', s).update(`${t}.${body}`).digest('hex')}`),
  ].join(',');
}

export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * The receiver's check: a v1 made with `secret` over this exact body, and a timestamp within the
 * tolerance of the receiver's clock (a replayed old request is refused).
 */
export function verifySignature(
  body: string,
  header: string,
  secret: string,
  now = new Date(),
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): boolean {
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  return parts
    .filter(([k, v]) => k === 'v1' && v !== undefined)
    .some(([, v]) => {
      const given = Buffer.from(v);
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}
