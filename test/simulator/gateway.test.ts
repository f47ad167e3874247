import { API_FAMILIES, FAMILY_SLUGS, type ApiFamily } from '../../simulator/dataset';
import {
  cproAccountOf,
  startSimulatorHarness,
  type CallOptions,
  type SimulatorHarness,
} from './simulator-harness';

const MISSING_TOKEN =
  'Bearer realm="DefaultRealm", error="invalid_request", error_description="Unable to find token in the message"';
const INVALID_TOKEN =
  'Bearer realm="DefaultRealm", error="invalid_token", error_description="The access token is invalid or has expired"';
const ACCOUNT_REJECTED =
  'Bearer realm="PISTE",error="Unauthorized",error_description="login or password incorrects"';

/** One route per family that every client may call with `{}`. */
const PROBE: Record<ApiFamily, { path: string; method: 'GET' | 'POST' }> = {
  transverses: { path: 'transverses/v1/health-check', method: 'GET' },
  structures: { path: 'structures/v1/rechercher', method: 'POST' },
  utilisateurs: { path: 'utilisateurs/v1/monCompte/recuperer/rattachements', method: 'POST' },
  engagementsJuridiques: { path: 'engagementsJuridiques/v1/rechercher', method: 'POST' },
  factures: { path: 'factures/v1/rechercher/fournisseur', method: 'POST' },
};

let h: SimulatorHarness;
beforeAll(async () => {
  h = await startSimulatorHarness();
});
afterAll(() => h.close());

const probe = (family: ApiFamily, options: CallOptions & { as?: string } = {}) =>
  h.call(PROBE[family].path, { method: PROBE[family].method, ...options });

describe('PISTE gateway', () => {
  it('lets a valid caller through, health-check included, with an x-piste-request-id', async () => {
    const reply = await probe('transverses');
    expect(reply.status).toBe(200);
    expect(reply.headers['x-piste-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  describe('1. bearer token present', () => {
    it.each([
      ['no Authorization header', null],
      ['an empty bearer', ''],
    ])('answers 400 invalid_request for %s, before any other check', async (_label, bearer) => {
      // Unknown route and no technical account too: the missing token wins.
      const reply = await h.call('nowhere/v1/nothing', { bearer, cproAccount: null });
      expect(reply.status).toBe(400);
      expect(reply.headers['www-authenticate']).toBe(MISSING_TOKEN);
    });

    it('answers 400 for a Basic Authorization header', async () => {
      const { piste } = h.credentials('credentials.valid');
      const basic = Buffer.from(`${piste.clientId}:${piste.clientSecret}`).toString('base64');
      const reply = await h.call('transverses/v1/health-check', {
        method: 'GET',
        bearer: null,
        headers: { authorization: `Basic ${basic}` },
      });
      expect(reply.status).toBe(400);
    });
  });

  describe('2. bearer token valid', () => {
    it('answers 401 invalid_token for an unknown token, before the route and account checks', async () => {
      const reply = await h.call('nowhere/v1/nothing', { bearer: 'x'.repeat(54), cproAccount: 'garbage' });
      expect(reply.status).toBe(401);
      expect(reply.headers['www-authenticate']).toBe(INVALID_TOKEN);
      expect(reply.text).toBe('');
    });

    it('tells "refresh the token" apart from "technical account rejected"', () => {
      expect(INVALID_TOKEN).not.toEqual(ACCOUNT_REJECTED);
    });
  });

  describe('3. route known and API family subscribed', () => {
    it.each(API_FAMILIES.map((f) => [FAMILY_SLUGS[f], f] as const))(
      'credentials.missing-%s: 403 with an empty body on that family only',
      async (slug, missing) => {
        const scenario = `credentials.missing-${slug}`;
        const refused = await probe(missing, { as: scenario });
        expect(refused.status).toBe(403);
        expect(refused.text).toBe('');
        // The route check comes before the technical account check.
        expect((await probe(missing, { as: scenario, cproAccount: 'garbage' })).status).toBe(403);
        for (const other of API_FAMILIES.filter((f) => f !== missing)) {
          const reply = await probe(other, { as: scenario });
          expect([other, reply.status]).not.toEqual([other, 403]);
          expect([other, reply.status]).not.toEqual([other, 401]);
        }
      },
    );

    it.each([
      ['POST', 'transverses/v1/rechercherStructure'],
      ['POST', 'transverses/v1/consulter/cr'],
      ['POST', 'factures/v1/consulter/cr'],
      ['POST', 'transverses/v1/recuperer/utilisateurCourant'],
      ['POST', 'facturesTravaux/v1/rechercher'],
      ['POST', 'structures/v2/rechercher'],
      ['POST', 'structures/rechercher'],
      ['GET', 'structures/v1/rechercher'],
      ['POST', 'transverses/v1/health-check'],
      ['POST', 'nowhere'],
    ] as const)('answers 403 with an empty body to an unknown route: %s %s', async (method, path) => {
      const reply = await h.call(path, { method, cproAccount: 'garbage' });
      expect(reply.status).toBe(403);
      expect(reply.text).toBe('');
    });
  });

  describe('4. technical account (cpro-account)', () => {
    const valid = () => h.credentials('credentials.valid').technicalAccount;
    const cases: [string, () => string | null][] = [
      ['no cpro-account header', () => null],
      ['a value that is not base64', () => 'not base64 at all!'],
      ['base64 without a colon', () => Buffer.from(valid().login).toString('base64')],
      ['an unknown login', () => cproAccountOf('TECH_9_00000000000000@cpro.fr', valid().password)],
      ['a wrong password', () => cproAccountOf(valid().login, 'Wrong-Password-0')],
      ['a password in another case', () => cproAccountOf(valid().login, valid().password.toUpperCase())],
    ];
    it.each(cases)('answers 401 "login or password incorrects" for %s', async (_label, header) => {
      const reply = await probe('structures', { cproAccount: header() });
      expect(reply.status).toBe(401);
      expect(reply.headers['www-authenticate']).toBe(ACCOUNT_REJECTED);
      expect(reply.text).toBe('');
    });

    it.each(['credentials.bad-password', 'credentials.expired', 'credentials.not-yet-active'])(
      'answers 401 for %s',
      async (scenario) => {
        const reply = await probe('transverses', { as: scenario });
        expect(reply.status).toBe(401);
        expect(reply.headers['www-authenticate']).toBe(ACCOUNT_REJECTED);
      },
    );

    it('accepts credentials.expires-on-a-date until its password expires on the simulated clock', async () => {
      expect((await probe('transverses', { as: 'credentials.expires-on-a-date' })).status).toBe(200);
      await h.admin('POST', 'clock/advance', { seconds: 21 * 86400 });
      const reply = await probe('transverses', { as: 'credentials.expires-on-a-date' });
      expect(reply.status).toBe(401);
      expect(reply.headers['www-authenticate']).toBe(ACCOUNT_REJECTED);
      expect((await probe('transverses')).status).toBe(200);
      expect((await probe('transverses', { as: 'credentials.expiring-soon' })).status).toBe(200);
    });
  });

  it('puts the caller in the counters under <family>/<operation>', async () => {
    const { body } = await h.admin('GET', 'counters');
    expect((body as { calls: Record<string, number> }).calls['transverses/health-check']).toBeGreaterThan(0);
  });
});
