import { PisteTokenCache, type IssuedToken, type PisteTokenOwner } from '../../activities/chorus/token-cache';

const owner: PisteTokenOwner = {
  tokenUrl: 'https://sandbox-oauth.piste.gouv.fr/api/oauth/token',
  clientId: 'client-a',
  clientSecret: 'very-secret-value',
};

/** A token endpoint stand-in that counts requests and answers when told to. */
function tokenIssuer(lifetimeSeconds = 3600) {
  let issued = 0;
  const waiting: Array<() => void> = [];
  return {
    get count() {
      return issued;
    },
    issue: async (): Promise<IssuedToken> => {
      issued += 1;
      const n = issued;
      await new Promise<void>((resolve) => waiting.push(resolve));
      return { accessToken: `token-${n}`, expiresInSeconds: lifetimeSeconds };
    },
    releaseAll() {
      while (waiting.length > 0) waiting.shift()!();
    },
  };
}

async function settled<T>(promise: Promise<T>, issuer: { releaseAll(): void }): Promise<T> {
  await new Promise((resolve) => setImmediate(resolve));
  issuer.releaseAll();
  return promise;
}

describe('PisteTokenCache', () => {
  it('keys tokens by token URL, client id and a hash that does not reveal the secret', () => {
    const cache = new PisteTokenCache();
    const key = cache.keyOf(owner);
    expect(key).toContain(owner.clientId);
    expect(key).toContain(owner.tokenUrl);
    expect(key).not.toContain(owner.clientSecret);
    expect(cache.keyOf({ ...owner, clientSecret: 'another-secret' })).not.toBe(key);
    expect(cache.keyOf({ ...owner, tokenUrl: 'https://oauth.piste.gouv.fr/api/oauth/token' })).not.toBe(key);
  });

  it('reuses a token until the expiry margin', async () => {
    let now = 1_000_000;
    const cache = new PisteTokenCache({ expiryMarginSeconds: 60, now: () => now });
    const issuer = tokenIssuer(3600);

    expect(await settled(cache.token(owner, issuer.issue), issuer)).toBe('token-1');
    now += 3000 * 1000;
    expect(await cache.token(owner, issuer.issue)).toBe('token-1');
    now += 541 * 1000; // 3541 s: inside the 60 s margin
    expect(await settled(cache.token(owner, issuer.issue), issuer)).toBe('token-2');
    expect(issuer.count).toBe(2);
  });

  it('shares one token request between concurrent callers (single flight)', async () => {
    const cache = new PisteTokenCache();
    const issuer = tokenIssuer();
    const callers = Array.from({ length: 10 }, () => cache.token(owner, issuer.issue));
    const tokens = await settled(Promise.all(callers), issuer);
    expect(new Set(tokens)).toEqual(new Set(['token-1']));
    expect(issuer.count).toBe(1);
  });

  it('keeps separate tokens for separate PISTE clients', async () => {
    const cache = new PisteTokenCache();
    const issuer = tokenIssuer();
    const [a, b] = await settled(
      Promise.all([
        cache.token(owner, issuer.issue),
        cache.token({ ...owner, clientId: 'client-b' }, issuer.issue),
      ]),
      issuer,
    );
    expect(a).not.toBe(b);
    expect(issuer.count).toBe(2);
  });

  it('drops a rejected token once, even when several callers report it', async () => {
    const cache = new PisteTokenCache();
    const issuer = tokenIssuer();
    const first = await settled(cache.token(owner, issuer.issue), issuer);

    const refreshed = await settled(
      Promise.all([cache.token(owner, issuer.issue, first), cache.token(owner, issuer.issue, first)]),
      issuer,
    );
    expect(refreshed).toEqual(['token-2', 'token-2']);
    // A late report about the old token does not throw the new one away.
    expect(await cache.token(owner, issuer.issue, first)).toBe('token-2');
    expect(issuer.count).toBe(2);
  });

  it('caps the margin at half the lifetime so short-lived tokens are still reused', async () => {
    let now = 0;
    const cache = new PisteTokenCache({ expiryMarginSeconds: 60, now: () => now });
    const issuer = tokenIssuer(10);
    await settled(cache.token(owner, issuer.issue), issuer);
    now = 4_000;
    expect(await cache.token(owner, issuer.issue)).toBe('token-1');
    now = 5_000;
    expect(await settled(cache.token(owner, issuer.issue), issuer)).toBe('token-2');
  });

  it('passes a failed token request to every waiting caller and tries again next time', async () => {
    const cache = new PisteTokenCache();
    let calls = 0;
    const failing = async (): Promise<IssuedToken> => {
      calls += 1;
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error('token endpoint down');
    };
    const results = await Promise.allSettled([cache.token(owner, failing), cache.token(owner, failing)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    await expect(cache.token(owner, failing)).rejects.toThrow('token endpoint down');
    expect(calls).toBe(2);
  });
});
