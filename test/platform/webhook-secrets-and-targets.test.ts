import { WebhookTargetPolicy } from '../../activities/webhook-outbox/targets';
import { retryDelayMs, DEFAULT_BACKOFF } from '../../activities/webhook-outbox/dispatcher';
import { createTestRecords } from '../helpers/database';

describe('webhook signing secrets (real PostgreSQL)', () => {
  let records: Awaited<ReturnType<typeof createTestRecords>>;
  beforeAll(async () => {
    records = await createTestRecords('webhook_secrets');
  });
  afterAll(async () => {
    await records?.close();
  });

  it('signs with the fallback key until a connection has its own, then with both during an overlap, then the new one', async () => {
    const t0 = new Date('2026-12-01T10:00:00Z');
    const hour = 3_600_000;
    expect(await records.webhookSecrets.signing('acme', t0)).toEqual(['test-webhook-secret']);
    const first = await records.webhookSecrets.rotate('acme', 2 * hour, t0);
    expect(first.previousRetireAt).toBeUndefined();
    expect(await records.webhookSecrets.signing('acme', t0)).toEqual([first.secret]);
    const t1 = new Date(t0.getTime() + hour);
    const second = await records.webhookSecrets.rotate('acme', 2 * hour, t1);
    expect(second.previousRetireAt).toBe(new Date(t1.getTime() + 2 * hour).toISOString());
    expect(await records.webhookSecrets.signing('acme', new Date(t1.getTime() + hour))).toEqual([
      second.secret,
      first.secret,
    ]);
    expect(await records.webhookSecrets.signing('acme', new Date(t1.getTime() + 3 * hour))).toEqual([
      second.secret,
    ]);
    // Sealed at rest.
    const stored = JSON.stringify(await records.db.selectFrom('webhook_secrets').selectAll().execute());
    expect(stored).not.toContain(first.secret);
    expect(stored).not.toContain(second.secret);
  });
});

describe('webhook targets (SSRF guard)', () => {
  const strict = new WebhookTargetPolicy();
  it.each([
    ['http://127.0.0.1:8080/h', 'loopback'],
    ['http://localhost/h', 'loopback'],
    ['http://10.1.2.3/h', 'private'],
    ['http://172.16.0.1/h', 'private'],
    ['http://192.168.0.1/h', 'private'],
    ['http://169.254.169.254/latest/meta-data', 'linkLocal'],
    ['http://[fe80::1]/h', 'linkLocal'],
    ['http://[fd00::1]/h', 'uniqueLocal'],
    ['http://[::ffff:10.0.0.1]/h', 'private'],
    ['http://100.64.0.1/h', 'carrierGradeNat'],
    ['http://0.0.0.0/h', 'unspecified'],
  ])('refuses %s (%s)', async (url, range) => {
    const verdict = await strict.check(url);
    expect(verdict).toEqual({ allowed: false, reason: expect.stringContaining(`a ${range} address`) });
  });

  it('accepts public addresses, refuses other schemes, and allows what the allow-list names', async () => {
    expect(await strict.check('https://93.184.216.34/hooks')).toEqual({ allowed: true });
    expect(await strict.check('ftp://93.184.216.34/')).toEqual({
      allowed: false,
      reason: expect.stringMatching(/http/),
    });
    const allowed = new WebhookTargetPolicy(['localhost', '10.1.0.0/16', '::1']);
    expect(await allowed.check('http://localhost:3000/h')).toEqual({ allowed: true });
    expect(await allowed.check('http://10.1.200.3/h')).toEqual({ allowed: true });
    expect((await allowed.check('http://10.2.0.1/h')).allowed).toBe(false);
    expect(await allowed.check('http://[::1]:9/h')).toEqual({ allowed: true });
  });

  it('retries with exponential backoff, capped', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, DEFAULT_BACKOFF))).toEqual([
      10_000, 20_000, 40_000, 80_000,
    ]);
    expect(retryDelayMs(30, DEFAULT_BACKOFF)).toBe(DEFAULT_BACKOFF.maxMs);
    expect(DEFAULT_BACKOFF.giveUpAfterMs).toBeGreaterThanOrEqual(3 * 24 * 3_600_000);
  });
});
