/**
 * The PISTE call quota on the run's real PostgreSQL: two quota objects with their own pools stand
 * for two worker processes. Their grants, replayed through the simulator's own token bucket
 * (simulator/quota.ts), are never refused; a hold-off in one stops the other.
 */
import { performance } from 'node:perf_hooks';
import { QuotaWaitTooLong, RateLimitedCallQuota, windowOf } from '../../activities/chorus/call-quota';
import { RateQuota } from '../../simulator/quota';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

jest.setTimeout(60_000);

const APPLICATION = 'piste-client-complete@127.0.0.1:1';

let database: TestDatabase;
const opened: RateLimitedCallQuota[] = [];
const quotaOf = (callsPerSecond: number, byClientId?: Record<string, number>) => {
  const quota = RateLimitedCallQuota.inPostgres({ callsPerSecond, byClientId }, database.url);
  opened.push(quota);
  return quota;
};

beforeAll(async () => {
  database = await createTestDatabase('call_quota');
});

afterAll(async () => {
  await Promise.all(opened.map((q) => q.close()));
  await database.close();
});

describe('windows', () => {
  it('keep two full windows within one second of calls, with a whole number of calls each', () => {
    for (const rate of [2, 3, 5, 10, 20, 37, 100]) {
      const { points, seconds } = windowOf(rate);
      expect(Number.isInteger(points)).toBe(true);
      expect(2 * points).toBeLessThanOrEqual(rate);
      expect(points / seconds).toBeCloseTo(rate, 6);
    }
  });
});

describe('two workers sharing the quota in PostgreSQL', () => {
  it("never grant more than the simulator's token bucket admits", async () => {
    const rate = 10;
    const workers = [quotaOf(rate), quotaOf(rate)];
    const granted: number[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 36 }, async (_, i) => {
        await workers[i % 2].acquire(APPLICATION, 30_000);
        granted.push(performance.now());
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    let at = 0;
    const bucket = new RateQuota({ callsPerSecond: rate }, () => at);
    const refused = granted
      .sort((a, b) => a - b)
      .filter((time) => {
        at = time;
        return !bucket.take('app').allowed;
      });
    expect(refused).toEqual([]);
    // 36 calls at 4 a window of 0.4 s: at least 8 full windows went by.
    expect(elapsed).toBeGreaterThan(3);
  });

  it('hold every worker off after a 429, and refuse at once a wait longer than allowed', async () => {
    const [first, second] = [quotaOf(20), quotaOf(20)];
    const application = `${APPLICATION}-held`;
    await first.acquire(application, 1_000);
    await first.holdOff(application, 2);
    const refusedAt = performance.now();
    await expect(second.acquire(application, 500)).rejects.toBeInstanceOf(QuotaWaitTooLong);
    expect(performance.now() - refusedAt).toBeLessThan(1_000);
    const waitedFrom = performance.now();
    await second.acquire(application, 10_000);
    expect(performance.now() - waitedFrom).toBeGreaterThan(1_000);
  });

  it('pace an application by its own rate when one is configured, and not at all at 0', async () => {
    const quota = quotaOf(0, { 'client-five': 5 });
    expect(quota.callsPerSecond('client-five@host')).toBe(5);
    expect(quota.callsPerSecond('other@host')).toBe(0);
    const started = performance.now();
    await Promise.all(Array.from({ length: 50 }, () => quota.acquire('other@host', 1_000)));
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('without a database that answers', () => {
  it('each process counts alone instead of stopping', async () => {
    const quota = RateLimitedCallQuota.inPostgres(
      { callsPerSecond: 10 },
      'postgres://nobody:nothing@127.0.0.1:1/none',
    );
    opened.push(quota);
    const granted: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        await quota.acquire(APPLICATION, 10_000);
        granted.push(performance.now());
      }),
    );
    expect(granted).toHaveLength(8);
  });

  it('in memory, grants within the rate too', async () => {
    const quota = RateLimitedCallQuota.inMemory({ callsPerSecond: 10 });
    const started = performance.now();
    await Promise.all(Array.from({ length: 12 }, () => quota.acquire(APPLICATION, 10_000)));
    // 12 calls at 4 a window: the third window opens 0.8 s after the first.
    expect(performance.now() - started).toBeGreaterThan(700);
  });
});
