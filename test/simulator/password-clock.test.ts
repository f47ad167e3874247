import { startSimulatorHarness, type SimulatorHarness } from './simulator-harness';

/**
 * The demo runs the simulated clock at a day per second: the valid account must still work two
 * simulated years later, and "expiring soon" / "expired" must still mean that, on the simulated now.
 */

let h: SimulatorHarness;
beforeAll(async () => {
  h = await startSimulatorHarness({ clockSpeed: 86400 });
});
afterAll(async () => {
  await h.close();
});

const DAY_MS = 86_400_000;

async function daysOfPasswordLeft(scenario: string): Promise<number> {
  const supplierId = h.sim.ctx.dataset.structures.find(
    (s) => s.scenario === 'supplier.default',
  )!.idStructureCPP;
  const reply = await h.call('structures/v1/consulter', {
    body: { idStructureCPP: supplierId },
    as: scenario,
  });
  expect(reply.status).toBe(200);
  const expiry = Date.parse(
    String((reply.body.informationGenerales as Record<string, unknown>).dateExpirationMotPasseCompteTech),
  );
  const clock = (await h.admin('GET', 'clock')).body as { now: string };
  return (expiry - Date.parse(clock.now)) / DAY_MS;
}

describe('password expiry on the simulated clock', () => {
  it('keeps account.valid valid, expiring-soon soon and expired expired two simulated years later', async () => {
    await h.admin('POST', 'clock/advance', { seconds: 2 * 365 * 86400 });
    const probe = (as: string) => h.call('transverses/v1/health-check', { method: 'GET', as });

    expect((await probe('credentials.valid')).status).toBe(200);
    // A day per real second: a few days may pass between the answer and the clock read.
    expect(await daysOfPasswordLeft('credentials.valid')).toBeGreaterThan(390);

    expect((await probe('credentials.expiring-soon')).status).toBe(200);
    const soon = await daysOfPasswordLeft('credentials.expiring-soon');
    expect(soon).toBeGreaterThan(0);
    expect(soon).toBeLessThanOrEqual(10);

    const expired = await probe('credentials.expired');
    expect(expired.status).toBe(401);
    expect(expired.headers['www-authenticate']).toContain('login or password incorrects');

    // The admin view agrees with what consulter says.
    const { body } = await h.admin('GET', 'dataset');
    const valid = (body.technicalAccounts as Array<{ scenario: string; passwordExpiresAt: string }>).find(
      (a) => a.scenario === 'account.valid',
    )!;
    const clock = (await h.admin('GET', 'clock')).body as { now: string };
    expect((Date.parse(valid.passwordExpiresAt) - Date.parse(clock.now)) / DAY_MS).toBeGreaterThan(390);
  });

  it("tells the simulated now in every answer's Date header, as a real server tells its clock", async () => {
    const replies = [
      await h.call('transverses/v1/health-check', { method: 'GET' }),
      await h.call('transverses/v1/health-check', { method: 'GET', as: 'credentials.expired' }),
      await h.requestToken({ grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'x' }),
    ];
    const clock = Date.parse(((await h.admin('GET', 'clock')).body as { now: string }).now);
    expect(replies.map((r) => r.status)).toEqual([200, 401, 400]);
    for (const reply of replies) {
      const told = Date.parse(String(reply.headers.date));
      // Two simulated years ahead of the host; a day per real second, a second's resolution.
      expect(told - Date.now()).toBeGreaterThan(700 * DAY_MS);
      expect(Math.abs(clock - told) / DAY_MS).toBeLessThan(5);
    }
  });

  it('lets a fixed expiry happen once: account.expires-on-a-date is expired two years later', async () => {
    const reply = await h.call('transverses/v1/health-check', {
      method: 'GET',
      as: 'credentials.expires-on-a-date',
    });
    expect(reply.status).toBe(401);
  });
});
