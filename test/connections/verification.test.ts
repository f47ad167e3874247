import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { verifyConnection, type ConnectionVerification } from '../../activities/connection-checks';
import { loadConfig } from '../../platform/config';
import { createLogger } from '../../platform/logger';
import { startSimulator, type RunningSimulator } from '../../simulator/app';
import { FAMILY_SLUGS, type CredentialSet } from '../../simulator/dataset';

/** Layered verification against the simulator: each credential scenario fails at the right check, with a remedy. */
describe('connection verification, check by check', () => {
  let simulator: RunningSimulator;
  const logLines: string[] = [];
  const logger = createLogger(
    { name: 'verification-test', level: 'debug' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString());
        done();
      },
    }),
  );

  beforeAll(async () => {
    simulator = await startSimulator({ port: 0 });
  });
  afterAll(async () => {
    await simulator?.close();
  });

  async function verify(scenario: string): Promise<{ set: CredentialSet; result: ConnectionVerification }> {
    const set = simulator.ctx.dataset.credentials.find((c) => c.scenario === scenario)!;
    const endpoints = loadConfig({ SIMULATOR_URL: simulator.url }).chorus.simulator;
    const result = await verifyConnection(
      {
        id: 'c',
        environment: 'simulator',
        supplierSiret: set.supplierSiret,
        piste: set.piste,
        technicalAccount: set.technicalAccount,
      },
      { endpoints, timeoutMs: 5000, logger },
    );
    return { set, result };
  }
  const failed = (r: ConnectionVerification) =>
    r.checks.filter((c) => c.result === 'failed').map((c) => c.id);

  it('connects with valid credentials, every check green, and reads the password expiry', async () => {
    const { result } = await verify('credentials.valid');
    expect(result.status).toBe('CONNECTED');
    expect(result.checks.map((c) => [c.id, c.result])).toEqual([
      ['piste-oauth', 'ok'],
      ['technical-account', 'ok'],
      ['api-family:transverses', 'ok'],
      ['api-family:structures', 'ok'],
      ['api-family:utilisateurs', 'ok'],
      ['api-family:engagementsJuridiques', 'ok'],
      ['api-family:factures', 'ok'],
      ['supplier-attachment', 'ok'],
      ['password-expiry', 'ok'],
    ]);
    expect(result.daysUntilPasswordExpiry).toBeGreaterThan(390);
    expect(result.idStructureCPP).toEqual(expect.any(Number));
  });

  it.each([
    ['credentials.bad-secret', 'piste-oauth', /identifiant ou le secret/],
    ['credentials.bad-password', 'technical-account', /Compte technique/],
    ['credentials.expired', 'technical-account', /expiré/],
    ['credentials.not-yet-active', 'technical-account', /30 minutes/],
    ['credentials.not-attached', 'supplier-attachment', /Déclarer un raccordement PISTE/],
  ])('%s fails at %s with a remedy naming the screen', async (scenario, check, frenchRemedy) => {
    const { result } = await verify(scenario);
    expect(result.status).toBe('FAILED');
    expect(failed(result)).toEqual([check]);
    const item = result.checks.find((c) => c.id === check)!;
    expect(item.remedy?.fr).toMatch(frenchRemedy);
    expect(item.remedy?.en.length).toBeGreaterThan(40);
  });

  const REQUIRED = ['transverses', 'structures', 'factures'];

  it.each(Object.entries(FAMILY_SLUGS))(
    'credentials.missing-%s fails (or, for a family sending does not need, warns at) only the %s family check',
    async (family, slug) => {
      const { result } = await verify(`credentials.missing-${slug}`);
      const required = REQUIRED.includes(family);
      expect(result.status).toBe(required ? 'FAILED' : 'DEGRADED');
      const item = result.checks.find((c) => c.id === `api-family:${family}`)!;
      expect(item.result).toBe(required ? 'failed' : 'warning');
      expect(failed(result)).toEqual(required ? [`api-family:${family}`] : []);
      expect(item.remedy?.fr).toMatch(/Consentement CGU API/);
      expect(result.checks.find((c) => c.id === 'technical-account')?.result).toBe('ok');
    },
  );

  it('warns (DEGRADED) when the password expires within 30 days', async () => {
    const { result } = await verify('credentials.expiring-soon');
    expect(result.status).toBe('DEGRADED');
    const item = result.checks.find((c) => c.id === 'password-expiry')!;
    expect(item.result).toBe('warning');
    expect(item.message).toMatch(/expires in (9|10) day/);
    expect(result.daysUntilPasswordExpiry).toBeGreaterThanOrEqual(9);
  });

  it('counts down on Chorus’s clock: N simulated days later, N days fewer, whatever the host says', async () => {
    // A clock of its own: moving it must not touch the other tests' simulator.
    const chorus = await startSimulator({ port: 0 });
    try {
      // Expires 20 simulated days after the simulator started; half days keep clear of the Date
      // header's whole seconds.
      chorus.ctx.clock.advance(DAY_S / 2);
      const first = await verifyOn(chorus.url, chorus, 'credentials.expires-on-a-date');
      expect(first.daysUntilPasswordExpiry).toBe(19);
      chorus.ctx.clock.advance(12 * DAY_S);
      const later = await verifyOn(chorus.url, chorus, 'credentials.expires-on-a-date');
      expect(later.daysUntilPasswordExpiry).toBe(7);
      expect(later.status).toBe('DEGRADED');
      expect(later.checks.find((c) => c.id === 'password-expiry')?.message).toMatch(/expires in 7 day/);
      // The time Chorus told, not this host's: 12 and a half days ahead.
      const ahead = (Date.parse(later.chorusTime) - Date.now()) / (DAY_S * 1000);
      expect(ahead).toBeGreaterThan(12.4);
      expect(ahead).toBeLessThan(12.6);

      // "Expiring soon" keeps its meaning a simulated year on (the host's clock would say 375 days).
      chorus.ctx.clock.advance(365 * DAY_S);
      const soon = await verifyOn(chorus.url, chorus, 'credentials.expiring-soon');
      expect(soon.status).toBe('DEGRADED');
      // 10 days after the instant of the answer, read against its Date header (whole seconds).
      expect([9, 10]).toContain(soon.daysUntilPasswordExpiry);
    } finally {
      await chorus.close();
    }
  });

  it('counts on this host’s clock when Chorus’s answers carry no Date header', async () => {
    const chorus = await startSimulator({ port: 0 });
    const proxy = await withoutDateHeader(chorus.url);
    try {
      chorus.ctx.clock.advance(12 * DAY_S);
      const hostNow = new Date(Date.now() - 100 * DAY_S * 1000);
      const result = await verifyOn(proxy.url, chorus, 'credentials.expires-on-a-date', () => hostNow);
      // 20 days after the simulator's start, seen from 100 days before it.
      expect(result.daysUntilPasswordExpiry).toBe(119);
      expect(result.chorusTime).toBe(hostNow.toISOString());
    } finally {
      await proxy.close();
      await chorus.close();
    }
  });

  async function verifyOn(
    url: string,
    chorus: RunningSimulator,
    scenario: string,
    now?: () => Date,
  ): Promise<ConnectionVerification> {
    const set = chorus.ctx.dataset.credentials.find((c) => c.scenario === scenario)!;
    return verifyConnection(
      {
        id: 'c',
        environment: 'simulator',
        supplierSiret: set.supplierSiret,
        piste: set.piste,
        technicalAccount: set.technicalAccount,
      },
      { endpoints: loadConfig({ SIMULATOR_URL: url }).chorus.simulator, timeoutMs: 5000, logger, now },
    );
  }

  it('never logs or reports a secret', async () => {
    const sets = simulator.ctx.dataset.credentials;
    const results = await Promise.all(sets.map((s) => verify(s.scenario)));
    const text = JSON.stringify(results.map((r) => r.result)) + logLines.join('');
    for (const set of sets) {
      expect(text).not.toContain(set.piste.clientSecret);
      expect(text).not.toContain(set.technicalAccount.password);
      expect(text).not.toContain(
        Buffer.from(`${set.technicalAccount.login}:${set.technicalAccount.password}`).toString('base64'),
      );
    }
    expect(text).not.toContain(sets[0].piste.clientId);
  });
});

const DAY_S = 86_400;

/** A pass-through to `target` whose answers carry no `Date` header, as some servers send. */
async function withoutDateHeader(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.sendDate = false;
        const headers = { ...answer.headers };
        delete headers.date;
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
