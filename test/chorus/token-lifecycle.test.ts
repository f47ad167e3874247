import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChorusClient } from '../../activities/chorus/client';
import { ChorusError } from '../../activities/chorus/errors';
import { PisteTokenCache } from '../../activities/chorus/token-cache';
import { createLogger } from '../../platform/logger';
import { SimulatorHarness } from './simulator-harness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('token cache against the simulator (3600 s tokens)', () => {
  let harness: SimulatorHarness;
  beforeAll(async () => {
    harness = await SimulatorHarness.start();
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.resetCounters());

  it('reuses one token across calls and across clients of the same PISTE application', async () => {
    const cache = new PisteTokenCache();
    const client = harness.client('credentials.valid', { tokenCache: cache });
    await client.healthCheck();
    await client.paymentModes();
    await client.activeSupplierStructures();
    await harness.client('credentials.valid', { tokenCache: cache }).healthCheck();
    expect(await harness.calls('oauth/token')).toBe(1);
    expect(await harness.calls('transverses/health-check')).toBe(2);
  });

  it('single flight: concurrent calls with an empty cache make one token request', async () => {
    const client = harness.client('credentials.valid');
    const answers = await Promise.all(Array.from({ length: 12 }, () => client.healthCheck()));
    expect(answers).toHaveLength(12);
    expect(await harness.calls('oauth/token')).toBe(1);
    expect(await harness.calls('transverses/health-check')).toBe(12);
  });

  it('keeps one token per PISTE application', async () => {
    const cache = new PisteTokenCache();
    await harness.client('credentials.valid', { tokenCache: cache }).healthCheck();
    await harness.client('credentials.missing-factures', { tokenCache: cache }).healthCheck();
    await harness.client('credentials.valid', { tokenCache: cache }).healthCheck();
    expect(await harness.calls('oauth/token')).toBe(2);
  });
});

describe('token expiry against the simulator (1 s tokens)', () => {
  let harness: SimulatorHarness;
  beforeAll(async () => {
    harness = await SimulatorHarness.start({ tokenLifetimeSeconds: 1 });
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.resetCounters());

  it('renews an expired token before calling, without a 401', async () => {
    const linesBefore = harness.logLines.length;
    const client = harness.client('credentials.valid');
    await client.healthCheck();
    await sleep(1200);
    await client.healthCheck();
    expect(await harness.calls('oauth/token')).toBe(2);
    expect(harness.logLines.slice(linesBefore).join('')).not.toContain('"attempt":2');
  });

  it('refreshes once and resends when the gateway answers 401 invalid_token', async () => {
    // A cache whose clock stands still keeps handing out the token the gateway has expired.
    const frozen = Date.now();
    const client = harness.client('credentials.valid', {
      tokenCache: new PisteTokenCache({ now: () => frozen }),
    });
    await client.healthCheck();
    await sleep(1200);
    const linesBefore = harness.logLines.length;

    await expect(client.paymentModes()).resolves.toMatchObject({ codeRetour: 0 });

    expect(await harness.calls('oauth/token')).toBe(2);
    expect(await harness.calls('transverses/recuperer/modereglements')).toBe(1);
    const lines = harness.logLines.slice(linesBefore).join('');
    expect(lines).toContain('"operation":"transverses/recuperer/modereglements","attempt":1,"status":401');
    expect(lines).toContain('"operation":"transverses/recuperer/modereglements","attempt":2,"status":200');
  });

  it('concurrent callers refused with the same expired token share one refresh', async () => {
    const frozen = Date.now();
    const client = harness.client('credentials.valid', {
      tokenCache: new PisteTokenCache({ now: () => frozen }),
    });
    await client.healthCheck();
    await sleep(1200);
    await Promise.all(Array.from({ length: 6 }, () => client.healthCheck()));
    expect(await harness.calls('oauth/token')).toBe(2);
    expect(await harness.calls('transverses/health-check')).toBe(7);
  });
});

describe('exactly one refresh-and-resend', () => {
  let server: Server;
  let url: string;
  const hits = { token: 0, api: 0 };

  beforeAll(async () => {
    // A gateway that refuses every bearer: the client must give up after one refresh.
    server = createServer((req, res) => {
      if (req.url === '/token') {
        hits.token += 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: `t${hits.token}`, token_type: 'Bearer', expires_in: 3600 }));
        return;
      }
      hits.api += 1;
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="DefaultRealm", error="invalid_token"' });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );

  it('stops after one resend with a retryable ChorusAccessTokenRejected', async () => {
    const client = new ChorusClient({
      endpoints: { tokenUrl: `${url}/token`, apiBaseUrl: `${url}/cpro` },
      credentials: {
        piste: { clientId: 'id', clientSecret: 'secret-value' },
        technicalAccount: { login: 'TECH_1@cpro.fr', password: 'pw-value' },
      },
      timeoutMs: 2000,
      tokenCache: new PisteTokenCache(),
      logger: createLogger({ level: 'silent' }),
    });
    const error = await client.paymentModes().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChorusError);
    expect((error as ChorusError).type).toBe('ChorusAccessTokenRejected');
    expect((error as ChorusError).retryable).toBe(true);
    expect(hits).toEqual({ token: 2, api: 2 });
  });
});
