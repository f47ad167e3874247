/**
 * The PISTE call quota across workers, end to end: two workers on one task queue, each counting
 * through its own pool in the stack's PostgreSQL, against the simulator's opt-in quota (a token
 * bucket per PISTE application, 429 with Retry-After beyond it, counted by the simulator itself).
 */
import got from 'got';
import type { InvoiceView } from '../../workflows/contracts/invoice';
import { invoiceBody, startStack, type Stack } from './stack-harness';

/** What the service is configured with: the PISTE application's quota, in calls a second. */
const CALLS_PER_SECOND = 5;

interface QuotaView {
  admitted: Record<string, number>;
  refused: Record<string, number>;
}

describe('Chorus calls under the PISTE quota, two workers', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      callsPerSecond: CALLS_PER_SECOND,
      workers: 2,
      // The tracker's polls count towards the quota too: kept calm so the invoices' own calls show.
      tracker: { fastest: '2 seconds', slowest: '5 seconds' },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const admin = got.extend({ responseType: 'json', retry: { limit: 0 } });
  const setQuota = (callsPerSecond: number) =>
    admin.put(`${stack.simulator.url}/__admin/quota`, { json: { callsPerSecond } });
  const quotaCounts = async () => {
    const { body } = await admin.get<QuotaView>(`${stack.simulator.url}/__admin/quota`);
    const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    return { admitted: sum(body.admitted), refused: sum(body.refused) };
  };
  const deposited = (v: InvoiceView) => v.chorusInvoiceId !== undefined || v.status === 'FAILED';
  const submitAll = (count: number) =>
    Promise.all(
      Array.from({ length: count }, () => stack.submit(invoiceBody(stack, 'buyer.no-requirement'))),
    );

  it('never exceed the quota the simulator counts when ours is the same: no 429', async () => {
    await setQuota(CALLS_PER_SECOND);
    const calledBefore = stack.logLines.length;
    const ids = await submitAll(10);
    const views = await Promise.all(ids.map((id) => stack.waitFor(id, deposited, 'deposit', 120_000)));
    expect(views.map((v) => v.status).filter((s) => s === 'FAILED')).toEqual([]);
    const counts = await quotaCounts();
    // Upload and soumettre at least, for each of the ten.
    expect(counts.admitted).toBeGreaterThanOrEqual(20);
    expect(counts.refused).toBe(0);
    // Both workers called Chorus: the quota held across them, not within one.
    const calls = stack.logLines.slice(calledBefore).filter((line) => line.includes('"msg":"chorus call"'));
    expect(calls.filter((line) => line.includes('"worker":2')).length).toBeGreaterThan(0);
    expect(calls.filter((line) => !line.includes('"worker":')).length).toBeGreaterThan(0);
  });

  it('wait out 429s when PISTE allows less than configured: invoices are delayed, none fails', async () => {
    await setQuota(2);
    const ids = await submitAll(6);
    const views = await Promise.all(ids.map((id) => stack.waitFor(id, deposited, 'deposit', 120_000)));
    expect(views.map((v) => v.status).filter((s) => s === 'FAILED')).toEqual([]);
    expect(views.every((v) => v.chorusInvoiceId !== undefined)).toBe(true);
    expect((await quotaCounts()).refused).toBeGreaterThan(0);
    // The 429s were resent by the Chorus client after their Retry-After, under every worker's hold-off.
    const metrics = await got(`${stack.workerHealth.url}/metrics`).text();
    expect(metrics).toMatch(/chorus_api_retries_total\{operation="[^"]+",reason="rate_limited"\} [1-9]/);
    await admin.delete(`${stack.simulator.url}/__admin/quota`);
  });
});
