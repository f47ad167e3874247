import { startSimulatorHarness, type SimulatorHarness } from './simulator-harness';

let h: SimulatorHarness;
beforeAll(async () => {
  h = await startSimulatorHarness();
});
afterAll(() => h.close());

interface Issue {
  path: string;
  message: string;
}

describe('/__admin', () => {
  it('GET dataset tags every entry with its scenario', async () => {
    const { status, body } = await h.admin('GET', 'dataset');
    expect(status).toBe(200);
    const dataset = body as Record<string, { scenario: string }[]>;
    for (const list of ['pisteClients', 'technicalAccounts', 'credentials', 'structures']) {
      expect(dataset[list].length).toBeGreaterThan(0);
      for (const entry of dataset[list]) expect(entry.scenario).toMatch(/^[a-z]+\.[a-z-]+$/);
    }
    expect(dataset.credentials.map((c) => c.scenario)).toContain('credentials.missing-engagements');
  });

  it('is outside the gateway', async () => {
    expect((await h.admin('GET', 'clock')).status).toBe(200);
  });

  it('GET counters counts calls per operation; reset empties them', async () => {
    await h.call('transverses/v1/health-check', { method: 'GET' });
    await h.call('transverses/v1/health-check', { method: 'GET' });
    const { body } = await h.admin('GET', 'counters');
    expect(body).toEqual({
      calls: expect.objectContaining({ 'transverses/health-check': 2, 'oauth/token': 1 }),
      invoices: {},
      duplicatesRefused: 0,
    });
    expect((await h.admin('POST', 'counters/reset')).body).toEqual({
      calls: {},
      invoices: {},
      duplicatesRefused: 0,
    });
  });

  it('counters cannot be written', async () => {
    expect((await h.admin('PUT', 'counters', { calls: {} })).status).toBe(404);
    expect((await h.admin('POST', 'counters', { calls: {} })).status).toBe(404);
  });

  describe('faults', () => {
    afterEach(() => h.admin('DELETE', 'faults'));

    it('POST adds one, PUT replaces all, DELETE clears', async () => {
      const added = await h.admin('POST', 'faults', {
        route: 'factures/soumettre',
        loseAnswer: true,
        times: 1,
      });
      expect(added.status).toBe(201);
      expect(added.body.fault).toMatchObject({
        id: expect.any(Number),
        route: 'factures/soumettre',
        remainingCalls: 1,
      });
      const replaced = await h.admin('PUT', 'faults', {
        faults: [
          { route: '*', latencyMs: 50 },
          { route: 'structures/rechercher', failNext: 3 },
        ],
      });
      expect(replaced.status).toBe(200);
      const listed = (await h.admin('GET', 'faults')).body as {
        faults: { route: string; remainingCalls: number | null }[];
      };
      expect(listed.faults.map((f) => [f.route, f.remainingCalls])).toEqual([
        ['*', null],
        ['structures/rechercher', 3],
      ]);
      expect((await h.admin('DELETE', 'faults')).body).toEqual({ faults: [] });
      expect((await h.admin('GET', 'faults')).body).toEqual({ faults: [] });
    });

    it('answers 400 with one message per bad field', async () => {
      const reply = await h.admin('POST', 'faults', {
        route: 'not a route',
        errorRate: 2,
        errorStatus: 404,
        latencyMs: -1,
        times: 0,
      });
      expect(reply.status).toBe(400);
      const paths = (reply.body.issues as Issue[]).map((i) => i.path).sort();
      expect(paths).toEqual(['errorRate', 'errorStatus', 'latencyMs', 'route', 'times']);
      for (const issue of reply.body.issues as Issue[]) expect(issue.message).not.toBe('');
    });

    it.each([
      ['a rule without any effect', { route: '*', times: 2 }],
      ['an unknown field', { route: '*', latencyMs: 10, colour: 'red' }],
      ['a route that is not a string', { route: 3, latencyMs: 10 }],
      ['a non-integer Retry-After', { route: '*', retryAfterSeconds: 1.5 }],
    ])('refuses %s', async (_label, fault) => {
      const reply = await h.admin('POST', 'faults', fault);
      expect(reply.status).toBe(400);
      expect(reply.body.issues).toEqual(
        expect.arrayContaining([expect.objectContaining({ message: expect.any(String) })]),
      );
    });

    it('PUT refuses a list with one bad rule and keeps the previous rules', async () => {
      await h.admin('POST', 'faults', { route: '*', latencyMs: 1 });
      const reply = await h.admin('PUT', 'faults', [{ route: '*', latencyMs: 1 }, { route: '*' }]);
      expect(reply.status).toBe(400);
      expect((reply.body.issues as Issue[])[0].path).toBe('1');
      expect(((await h.admin('GET', 'faults')).body.faults as unknown[]).length).toBe(1);
    });

    it('answers 400 to broken JSON', async () => {
      const reply = await fetch(`${h.sim.url}/__admin/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"route": ',
      });
      expect(reply.status).toBe(400);
      expect(await reply.json()).toEqual({ error: expect.any(String) });
    });
  });

  describe('clock', () => {
    it('GET shows the simulated time and speed; advance moves it forward', async () => {
      const before = (await h.admin('GET', 'clock')).body as { now: string; speed: number };
      expect(before.speed).toBe(1);
      const after = (await h.admin('POST', 'clock/advance', { seconds: 86400 })).body as { now: string };
      const moved = (Date.parse(after.now) - Date.parse(before.now)) / 1000;
      expect(moved).toBeGreaterThanOrEqual(86400);
      expect(moved).toBeLessThan(86400 + 5);
    });

    it.each([
      ['a negative duration', { seconds: -1 }],
      ['a string', { seconds: 'a day' }],
      ['no seconds', {}],
      ['an unknown field', { seconds: 1, days: 1 }],
    ])('refuses %s', async (_label, body) => {
      const reply = await h.admin('POST', 'clock/advance', body);
      expect(reply.status).toBe(400);
      expect((reply.body.issues as Issue[]).length).toBeGreaterThan(0);
    });
  });
});
