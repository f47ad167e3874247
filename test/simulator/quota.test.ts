import { startFacturesHarness, type FacturesHarness } from './factures-harness';

/** The opt-in PISTE rate quota: off by default, 429 with Retry-After beyond it, counted per application. */
describe('simulator PISTE rate quota', () => {
  let h: FacturesHarness;
  beforeAll(async () => {
    h = await startFacturesHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const admin = async (method: string, body?: unknown) => {
    const response = await fetch(`${h.sim.url}/__admin/quota`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  /** A health check with a fresh token each time: only the status matters (a 429 has a text body). */
  const search = async () => {
    const credentials = h.sim.ctx.dataset.credentials.find((c) => c.scenario === 'credentials.valid')!;
    token ??= await tokenFor(credentials.piste);
    const response = await fetch(`${h.sim.url}/cpro/transverses/v1/health-check`, {
      headers: {
        authorization: `Bearer ${token}`,
        'cpro-account': Buffer.from(
          `${credentials.technicalAccount.login}:${credentials.technicalAccount.password}`,
        ).toString('base64'),
      },
    });
    await response.text();
    return { status: response.status, retryAfter: response.headers.get('retry-after') };
  };
  let token: string | undefined;
  const tokenFor = async (piste: { clientId: string; clientSecret: string }) => {
    const response = await fetch(`${h.sim.url}/api/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: piste.clientId,
        client_secret: piste.clientSecret,
        scope: 'openid',
      }).toString(),
    });
    return ((await response.json()) as { access_token: string }).access_token;
  };

  it('lets every call through when no quota is set', async () => {
    expect((await admin('GET')).body.quota).toBeNull();
    const statuses = await Promise.all(Array.from({ length: 10 }, async () => (await search()).status));
    expect(statuses.every((s) => s === 200)).toBe(true);
  });

  it('answers 429 with Retry-After beyond the quota, and counts admitted and refused calls', async () => {
    expect((await admin('PUT', { callsPerSecond: 3 })).status).toBe(200);
    const answers = await Promise.all(Array.from({ length: 8 }, () => search()));
    const refused = answers.filter((a) => a.status === 429).length;
    expect(refused).toBeGreaterThanOrEqual(4);
    expect(answers.find((a) => a.status === 429)?.retryAfter).toBe('1');
    const view = (await admin('GET')).body as {
      admitted: Record<string, number>;
      refused: Record<string, number>;
    };
    expect(Object.values(view.refused).reduce((a, b) => a + b, 0)).toBe(refused);
    expect(Object.values(view.admitted).reduce((a, b) => a + b, 0)).toBe(8 - refused);
    // One more call a second later stretches the span the admitted calls were spread over.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await search()).status).toBe(200);
    const later = (await admin('GET')).body as { admittedOverMs: number };
    expect(later.admittedOverMs).toBeGreaterThanOrEqual(900);
    expect(later.admittedOverMs).toBeLessThan(10_000);

    const response = await fetch(`${h.sim.url}/cpro/factures/v1/rechercher/fournisseur`, { method: 'POST' });
    expect(response.status).toBe(400); // no token: the gateway answers before the quota
  });

  it('refuses a malformed setting with a message per field, and lifts the quota on DELETE', async () => {
    const bad = await admin('PUT', { callsPerSecond: -1 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('callsPerSecond');
    expect((await admin('DELETE')).body.quota).toBeNull();
    const statuses = await Promise.all(Array.from({ length: 10 }, async () => (await search()).status));
    expect(statuses.every((s) => s === 200)).toBe(true);
  });
});
