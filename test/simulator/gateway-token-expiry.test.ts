import { startSimulatorHarness, type SimulatorHarness } from './simulator-harness';

const INVALID_TOKEN =
  'Bearer realm="DefaultRealm", error="invalid_token", error_description="The access token is invalid or has expired"';

let h: SimulatorHarness;
beforeAll(async () => {
  // A simulated day per real second: token expiry must still follow real time.
  h = await startSimulatorHarness({ tokenLifetimeSeconds: 1, clockSpeed: 86400 });
});
afterAll(() => h.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('expires bearer tokens after tokenLifetimeSeconds of real time, not simulated time', async () => {
  const { piste } = h.credentials('credentials.valid');
  const form = {
    grant_type: 'client_credentials',
    client_id: piste.clientId,
    client_secret: piste.clientSecret,
  };
  const issued = await h.requestToken(form);
  expect(issued.body.expires_in).toBe(1);
  const bearer = String(issued.body.access_token);

  await sleep(300); // about 7 simulated hours
  expect((await h.call('transverses/v1/health-check', { method: 'GET', bearer })).status).toBe(200);

  await sleep(1000);
  const expired = await h.call('transverses/v1/health-check', { method: 'GET', bearer });
  expect(expired.status).toBe(401);
  expect(expired.headers['www-authenticate']).toBe(INVALID_TOKEN);
  expect(expired.text).toBe('');

  const renewed = String((await h.requestToken(form)).body.access_token);
  expect((await h.call('transverses/v1/health-check', { method: 'GET', bearer: renewed })).status).toBe(200);
});
