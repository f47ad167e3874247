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
