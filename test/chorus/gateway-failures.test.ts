import type { ChorusClient } from '../../activities/chorus/client';
import { ChorusError, type ChorusErrorType } from '../../activities/chorus/errors';
import { BEARER_TOKEN_SHAPE, exactAmountsInvoice, SimulatorHarness } from './simulator-harness';

let harness: SimulatorHarness;
const seenErrors: ChorusError[] = [];

beforeAll(async () => {
  harness = await SimulatorHarness.start();
});

afterAll(async () => {
  await harness.close();
});

/** Runs `call`, expects a typed Chorus error of `type`, and keeps it for the secret scan. */
async function expectChorusError(call: Promise<unknown>, type: ChorusErrorType): Promise<ChorusError> {
  const error: unknown = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChorusError);
  const chorusError = error as ChorusError;
  expect(chorusError.type).toBe(type);
  seenErrors.push(chorusError);
  return chorusError;
}

describe('gateway failures become typed errors that name the remedy', () => {
  it('wrong PISTE secret → ChorusPisteCredentialsRejected, not retryable', async () => {
    const error = await expectChorusError(
      harness.client('credentials.bad-secret').healthCheck(),
      'ChorusPisteCredentialsRejected',
    );
    expect(error.retryable).toBe(false);
    expect(error.httpStatus).toBe(400);
    expect(error.operation).toBe('oauth/token');
    expect(error.message).toMatch(/client id or the client secret is wrong/);
    expect(error.message).toMatch(/sandbox/);
  });

  it.each(['credentials.bad-password', 'credentials.expired', 'credentials.not-yet-active'])(
    '%s → ChorusTechnicalAccountRejected, not retryable',
    async (scenario) => {
      const error = await expectChorusError(
        harness.client(scenario).activeSupplierStructures(),
        'ChorusTechnicalAccountRejected',
      );
      expect(error.retryable).toBe(false);
      expect(error.httpStatus).toBe(401);
      expect(error.message).toContain(harness.credentialSet(scenario).technicalAccount.login);
      expect(error.message).toMatch(/login or the password is wrong, the password has expired/);
      expect(error.message).toMatch(/not active yet.*30 minutes/);
      expect(error.pisteRequestId).toEqual(expect.any(String));
    },
  );

  it('a technical-account 401 is not mistaken for an expired bearer: no token refresh', async () => {
    await harness.resetCounters();
    await expectChorusError(
      harness.client('credentials.bad-password').paymentModes(),
      'ChorusTechnicalAccountRejected',
    );
    expect(await harness.calls('oauth/token')).toBe(1);
  });

  const familyProbes: Array<[string, string, (client: ChorusClient) => Promise<unknown>]> = [
    ['transverses', 'Transverses', (c) => c.paymentModes()],
    ['structures', 'Structures', (c) => c.searchStructures({ structure: { identifiantStructure: '1' } })],
    ['utilisateurs', 'Utilisateurs', (c) => c.myAttachments()],
    ['engagements', 'Engagements', (c) => c.searchEngagements({ numeroEngagementJuridique: 'EJ-1' })],
    ['factures', 'Factures', (c) => c.searchSupplierInvoices({ numeroFacture: 'F-1' })],
  ];

  it.each(familyProbes)(
    'PISTE application without %s → ChorusApiFamilyNotSubscribed naming "%s"',
    async (slug, label, probe) => {
      const client = harness.client(`credentials.missing-${slug}`);
      const error = await expectChorusError(probe(client), 'ChorusApiFamilyNotSubscribed');
      expect(error.retryable).toBe(false);
      expect(error.httpStatus).toBe(403);
      expect(error.toDetails().family).toBe(label);
      expect(error.message).toContain(`"${label}" API`);
      expect(error.message).toMatch(/accept the terms of use \(CGU\)/);
      expect(error.message).toMatch(/for the simulator environment/);
      expect(error.message).toMatch(/attach the ".*" API to the application/);

      // Only that family is refused: another one answers.
      const other = familyProbes.find(([s]) => s !== slug)!;
      await expect(other[2](client)).resolves.toBeDefined();
    },
  );

  it('technical account not attached to the supplier: the supplier is not listed and soumettre is refused', async () => {
    const client = harness.client('credentials.not-attached');
    const supplier = harness.structure('supplier.default');
    const active = await client.activeSupplierStructures();
    expect(active.listeStructures.map((s) => s.idStructureCPP)).not.toContain(supplier.idStructureCPP);

    const error = await expectChorusError(
      client.submitInvoice(exactAmountsInvoice(harness, 'NA-2026-0001')),
      'ChorusBusinessError',
    );
    expect(error.toDetails()).toMatchObject({ codeRetour: expect.any(Number), libelle: expect.any(String) });
    expect(error.retryable).toBe(false);
  });

  it('a password expiring soon still works and its expiry date is readable', async () => {
    const client = harness.client('credentials.expiring-soon');
    const [supplier] = (await client.activeSupplierStructures()).listeStructures;
    const structure = await client.consultStructure({
      idStructureCPP: supplier.idStructureCPP,
      codeLangue: 'fr',
    });
    const expiry = Date.parse(structure.informationGenerales?.dateExpirationMotPasseCompteTech ?? '');
    expect(expiry - Date.now()).toBeLessThan(11 * 86400 * 1000);
    expect(expiry - Date.now()).toBeGreaterThan(0);
  });

  it('no secret or token in any error message, kept body or log line', () => {
    expect(seenErrors.length).toBeGreaterThan(10);
    expect(harness.logLines.some((l) => l.includes('"errorType":"ChorusTechnicalAccountRejected"'))).toBe(
      true,
    );
    const texts = [
      ...seenErrors.map((e) => `${e.message} ${JSON.stringify(e.toDetails())}`),
      ...harness.logLines,
    ];
    for (const text of texts) {
      for (const secret of harness.secrets()) expect(text).not.toContain(secret);
      expect(text).not.toMatch(BEARER_TOKEN_SHAPE);
    }
  });
});
