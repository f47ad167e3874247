import { FaultRegistry } from '../../simulator/faults';
import { startSimulatorHarness, type SimulatorHarness } from './simulator-harness';

let h: SimulatorHarness;
beforeAll(async () => {
  h = await startSimulatorHarness();
});
afterAll(() => h.close());
afterEach(async () => {
  await h.admin('DELETE', 'faults');
});

const addFault = async (fault: Record<string, unknown>) => {
  const reply = await h.admin('POST', 'faults', fault);
  expect(reply.status).toBe(201);
};
const calls = async (operation: string) =>
  ((await h.admin('GET', 'counters')).body as { calls: Record<string, number> }).calls[operation] ?? 0;
const modes = () => h.call('transverses/v1/recuperer/modereglements');
const timed = async <T>(action: () => Promise<T>) => {
  const started = Date.now();
  const result = await action();
  return { result, ms: Date.now() - started };
};

describe('fault injection', () => {
  it('is off by default', async () => {
    expect((await h.admin('GET', 'faults')).body).toEqual({ faults: [] });
    expect((await modes()).status).toBe(200);
  });

  it('adds latency to the next `times` calls of a route', async () => {
    await addFault({ route: 'transverses/recuperer/modereglements', latencyMs: 400, times: 1 });
    const slow = await timed(modes);
    expect(slow.result.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(380);
    const fast = await timed(modes);
    expect(fast.ms).toBeLessThan(300);
  });

  it('fails the next N calls with the chosen 5xx, without running the handler', async () => {
    await addFault({ route: 'structures/rechercher', failNext: 2, errorStatus: 502 });
    const before = await calls('structures/rechercher');
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await h.call('structures/v1/rechercher', { body: {} })).status);
    expect(statuses).toEqual([502, 502, 200]);
    expect(await calls('structures/rechercher')).toBe(before + 1);
    expect((await h.admin('GET', 'faults')).body).toEqual({ faults: [] });
  });

  it('fails at errorRate (1 = always) for `times` calls, 503 by default', async () => {
    await addFault({ route: 'transverses/recuperer/modereglements', errorRate: 1, times: 2 });
    expect([(await modes()).status, (await modes()).status, (await modes()).status]).toEqual([503, 503, 200]);
    await addFault({ route: 'transverses/recuperer/modereglements', errorRate: 0, errorStatus: 500 });
    expect((await modes()).status).toBe(200);
  });

  it('answers 429 with Retry-After', async () => {
    await addFault({ route: '*', retryAfterSeconds: 7, times: 1 });
    const limited = await h.call('structures/v1/rechercher', { body: {} });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('7');
    expect((await h.call('structures/v1/rechercher', { body: {} })).status).toBe(200);
  });

  it('loses the answer of a call that committed: the file is stored, the client sees a reset connection', async () => {
    await addFault({ route: 'transverses/ajouter/fichier', loseAnswer: true, times: 1 });
    const before = await calls('transverses/ajouter/fichier');
    const upload = (name: string) =>
      h.call('transverses/v1/ajouter/fichier', {
        body: {
          pieceJointeFichier: Buffer.from('%PDF-1.4 test').toString('base64'),
          pieceJointeNom: name,
          pieceJointeTypeMime: 'application/pdf',
          pieceJointeExtension: 'PDF',
        },
      });
    await expect(upload('perdue.pdf')).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(await calls('transverses/ajouter/fichier')).toBe(before + 1);
    const next = await upload('suivante.pdf');
    expect(next.body.codeRetour).toBe(0);
    const lostId = (next.body.pieceJointeId as number) - 1;
    expect(h.sim.ctx.files.get(lostId)?.name).toBe('perdue.pdf');
  });

  it('applies to the token endpoint as oauth/token', async () => {
    await addFault({ route: 'oauth/token', failNext: 1 });
    const { piste } = h.credentials('credentials.valid');
    const form = {
      grant_type: 'client_credentials',
      client_id: piste.clientId,
      client_secret: piste.clientSecret,
    };
    expect((await h.requestToken(form)).status).toBe(503);
    expect((await h.requestToken(form)).status).toBe(200);
  });

  it('only reaches calls the gateway let through, so it does not hide gateway answers', async () => {
    await addFault({ route: '*', failNext: 1 });
    expect((await h.call('transverses/v1/health-check', { method: 'GET', bearer: null })).status).toBe(400);
    expect((await h.call('transverses/v1/unknown')).status).toBe(403);
    expect((await h.call('transverses/v1/health-check', { method: 'GET' })).status).toBe(503);
  });

  it('adds up the latencies of matching rules and keeps the first effect', async () => {
    await h.admin('PUT', 'faults', [
      { route: '*', latencyMs: 150 },
      { route: 'transverses/recuperer/modereglements', latencyMs: 150, failNext: 1, errorStatus: 500 },
    ]);
    const first = await timed(modes);
    expect(first.result.status).toBe(500);
    expect(first.ms).toBeGreaterThanOrEqual(280);
    // The second rule keeps its latency (no `times`) once its failures are used up.
    const listed = (await h.admin('GET', 'faults')).body as {
      faults: { route: string; remainingFailures: number }[];
    };
    expect(listed.faults.map((f) => [f.route, f.remainingFailures])).toEqual([
      ['*', 0],
      ['transverses/recuperer/modereglements', 0],
    ]);
    const second = await timed(modes);
    expect(second.result.status).toBe(200);
    expect(second.ms).toBeGreaterThanOrEqual(280);
  });
});

describe('a fault for a period (forMs)', () => {
  it('applies to every matching call until its time is up, however few or many calls come', () => {
    let now = 1_000_000;
    const registry = new FaultRegistry(Math.random, () => now);
    registry.add({ route: '*', retryAfterSeconds: 1, forMs: 3_000 });
    for (let i = 0; i < 5; i++) expect(registry.decide('factures/soumettre').effect.kind).toBe('rateLimited');
    now += 2_999;
    expect(registry.decide('structures/rechercher').effect.kind).toBe('rateLimited');
    now += 1;
    expect(registry.decide('structures/rechercher').effect.kind).toBe('none');
    expect(registry.list()).toEqual([]);
  });

  it('ends with its last call or with its time, whichever comes first', () => {
    let now = 0;
    const registry = new FaultRegistry(Math.random, () => now);
    registry.add({ route: '*', latencyMs: 10, times: 2, forMs: 60_000 });
    registry.add({ route: 'factures/soumettre', loseAnswer: true, times: 5, forMs: 1_000 });
    expect(registry.list().map((r) => r.endsAt)).toEqual([60_000, 1_000]);
    expect(registry.decide('factures/soumettre')).toEqual({ latencyMs: 10, effect: { kind: 'loseAnswer' } });
    now = 1_000; // the lost answers' period is over, one latency call is left
    expect(registry.decide('factures/soumettre')).toEqual({ latencyMs: 10, effect: { kind: 'none' } });
    expect(registry.decide('factures/soumettre')).toEqual({ latencyMs: 0, effect: { kind: 'none' } });
  });
});
