import { startSimulatorHarness, type SimulatorHarness } from './simulator-harness';

let h: SimulatorHarness;
beforeAll(async () => {
  h = await startSimulatorHarness();
});
afterAll(() => h.close());

const complete = () => h.credentials('credentials.valid').piste;

describe('POST /api/oauth/token', () => {
  it('issues an opaque bearer token for client_credentials with scope openid', async () => {
    const reply = await h.requestToken({
      grant_type: 'client_credentials',
      client_id: complete().clientId,
      client_secret: complete().clientSecret,
      scope: 'openid',
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      access_token: expect.stringMatching(/^[A-Za-z0-9]{50,60}$/),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'openid',
    });
  });

  it.each([
    ['"openid resource.READ"', 'openid resource.READ'],
    ['no scope at all', undefined],
  ])('accepts %s', async (_label, scope) => {
    const form: Record<string, string> = {
      grant_type: 'client_credentials',
      client_id: complete().clientId,
      client_secret: complete().clientSecret,
    };
    if (scope) form.scope = scope;
    const reply = await h.requestToken(form);
    expect(reply.status).toBe(200);
    expect(reply.body.scope).toBe('openid');
  });

  it('gives a different token on each call', async () => {
    const form = {
      grant_type: 'client_credentials',
      client_id: complete().clientId,
      client_secret: complete().clientSecret,
    };
    const [a, b] = await Promise.all([h.requestToken(form), h.requestToken(form)]);
    expect(a.body.access_token).not.toEqual(b.body.access_token);
  });

  it('answers a byte-identical 400 invalid_client for an unknown id and for a wrong secret', async () => {
    const unknownId = await h.requestToken({
      grant_type: 'client_credentials',
      client_id: 'no-such-client',
      client_secret: complete().clientSecret,
      scope: 'openid',
    });
    const badSecret = h.credentials('credentials.bad-secret').piste;
    const wrongSecret = await h.requestToken({
      grant_type: 'client_credentials',
      client_id: badSecret.clientId,
      client_secret: badSecret.clientSecret,
      scope: 'openid',
    });
    expect(unknownId.status).toBe(400);
    expect(unknownId.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    expect(wrongSecret.status).toBe(400);
    expect(wrongSecret.text).toBe(unknownId.text);
  });

  it('answers 400 unsupported_grant_type for another grant', async () => {
    const reply = await h.requestToken({
      grant_type: 'password',
      client_id: complete().clientId,
      client_secret: complete().clientSecret,
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toBe('unsupported_grant_type');
  });

  it('answers 400 invalid_scope for an unknown scope', async () => {
    const reply = await h.requestToken({
      grant_type: 'client_credentials',
      client_id: complete().clientId,
      client_secret: complete().clientSecret,
      scope: 'admin',
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toBe('invalid_scope');
  });

  it('wants a form body, not JSON', async () => {
    const reply = await h.requestToken(
      {
        grant_type: 'client_credentials',
        client_id: complete().clientId,
        client_secret: complete().clientSecret,
      },
      'application/json',
    );
    expect(reply.status).toBe(400);
    expect(reply.body.error).toBe('invalid_request');
  });

  it('counts token calls', async () => {
    const before = (await h.admin('GET', 'counters')).body as { calls: Record<string, number> };
    await h.requestToken({ grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' });
    const after = (await h.admin('GET', 'counters')).body as { calls: Record<string, number> };
    expect(after.calls['oauth/token']).toBe((before.calls['oauth/token'] ?? 0) + 1);
  });
});
