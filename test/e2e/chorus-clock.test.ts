/**
 * Chorus's clock, end to end: the simulator's runs ahead of ours (a day per second in the demo).
 * The password-expiry countdown and DEGRADED follow the simulator's clock, and two simulated years
 * on the stack's connection still deposits invoices.
 */
import { credentialsByScenario } from '../../simulator/dataset';
import type { InvoiceView } from '../../workflows/contracts/invoice';
import { invoiceBody, startStack, type Stack } from './stack-harness';

const DAY = 86_400;
const DAY_MS = DAY * 1000;

interface ConnectionAnswer {
  id: string;
  status: string;
  checks: Array<{ id: string; result: string; message: string }>;
  passwordExpiresOn: string | null;
  passwordExpiresInDays: number | null;
  chorusTime: string | null;
}

describe("password expiry on Chorus's clock, and a stack that runs for simulated years", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function create(id: string, scenario: string): Promise<void> {
    const set = credentialsByScenario(stack.simulator.ctx.dataset, scenario);
    const response = await stack.http.post('v1/connections', {
      json: {
        id,
        supplierSiret: set.supplierSiret,
        environment: 'simulator',
        piste: set.piste,
        technicalAccount: set.technicalAccount,
      },
    });
    expect(response.statusCode).toBe(202);
  }

  /** POST …/verify: the verification's result (it answers within seconds against the simulator). */
  async function verify(id: string): Promise<ConnectionAnswer> {
    const response = await stack.http.post(`v1/connections/${id}/verify`);
    expect(response.statusCode).toBe(200);
    return response.body as unknown as ConnectionAnswer;
  }

  async function settled(id: string): Promise<ConnectionAnswer> {
    return stack.waitUntil(async () => {
      const view = (await stack.http.get(`v1/connections/${id}`)).body as unknown as ConnectionAnswer;
      return view.status === 'VERIFYING' || view.status === 'UNKNOWN' ? undefined : view;
    }, `connection ${id} verified`);
  }

  /** How far ahead of this host the Chorus time a connection shows is, in days. */
  const daysAhead = (view: ConnectionAnswer) => (Date.parse(view.chorusTime!) - Date.now()) / DAY_MS;

  it('counts down on the simulator’s clock: N simulated days later, the countdown is N days shorter', async () => {
    // Half a day keeps clear of the Date header's whole seconds. This password expires 20 simulated
    // days after the simulator's start and is never renewed.
    stack.simulator.ctx.clock.advance(DAY / 2);
    await create('clock-dated', 'credentials.expires-on-a-date');
    const first = await settled('clock-dated');
    expect(first).toMatchObject({ status: 'DEGRADED', passwordExpiresInDays: 19 });
    expect(first.checks.find((c) => c.id === 'password-expiry')).toMatchObject({ result: 'warning' });

    stack.simulator.ctx.clock.advance(12 * DAY);
    const later = await verify('clock-dated');
    expect(later).toMatchObject({ status: 'DEGRADED', passwordExpiresInDays: 7 });
    expect(later.checks.find((c) => c.id === 'password-expiry')?.message).toMatch(/expires in 7 day/);
    // The time the simulator told, not this host's.
    expect(daysAhead(later)).toBeGreaterThan(12.4);
    expect(daysAhead(later)).toBeLessThan(12.6);
    // The expiry date itself does not move.
    expect(later.passwordExpiresOn).toBe(first.passwordExpiresOn);
  });

  it('two simulated years on, the valid account still deposits, and "expiring soon" and "expired" keep their meaning', async () => {
    stack.simulator.ctx.clock.advance(2 * 365 * DAY);

    const connection = await verify(stack.connectionId);
    expect(connection.status).toBe('CONNECTED');
    expect(connection.passwordExpiresInDays).toBeGreaterThan(390);
    expect(daysAhead(connection)).toBeGreaterThan(2 * 365);

    const deposited = (v: InvoiceView) => v.status === 'TRACKING' && v.chorusInvoiceId !== undefined;
    const id = await stack.submit(invoiceBody(stack, 'buyer.no-requirement'));
    await stack.waitFor(id, deposited, 'deposited two simulated years on');
    stack.simulator.ctx.clock.advance(40 * DAY);
    await stack.waitFor(id, (v) => v.status === 'PAID', 'PAID two simulated years on');

    // Ten days before expiry on the simulator's clock (the host's would say about 770).
    await create('clock-soon', 'credentials.expiring-soon');
    const soon = await settled('clock-soon');
    expect(soon.status).toBe('DEGRADED');
    expect([9, 10]).toContain(soon.passwordExpiresInDays);

    // The dated password has expired meanwhile: every call answers 401.
    const dated = await verify('clock-dated');
    expect(dated.status).toBe('FAILED');
    expect(dated.checks.filter((c) => c.result === 'failed').map((c) => c.id)).toEqual(['technical-account']);
  });
});
