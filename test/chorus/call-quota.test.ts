/**
 * The PISTE call quota on the run's real PostgreSQL: two quota objects with their own pools stand
 * for two worker processes. Their grants, replayed through the simulator's own token bucket
 * (simulator/quota.ts), are never refused; a hold-off in one stops the other. Calls through the
 * Chorus client to the real simulator wait for their turn as long as their activity's time allows
 * (the SDK's MockActivityEnvironment gives the call an activity context with its timeouts).
 */
import { performance } from 'node:perf_hooks';
import { MockActivityEnvironment } from '@temporalio/testing';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import {
  QuotaWaitTooLong,
  RateLimitedCallQuota,
  REQUEUE_AFTER_MS,
  windowOf,
} from '../../activities/chorus/call-quota';
import { ChorusClient } from '../../activities/chorus/client';
import { ChorusRateLimitedError } from '../../activities/chorus/error-types';
import { PisteTokenCache } from '../../activities/chorus/token-cache';
import { quotaWaitDeadline, requeueDelayMs } from '../../activities/chorus/quota-wait';
import { LOCAL_QUOTA_WAIT_MS, LOCAL_RETRY_THRESHOLD_MS } from '../../workflows/contracts/failures';
import { RateQuota } from '../../simulator/quota';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { SimulatorHarness } from './simulator-harness';

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

  it('asks the counters once for a call that finds nobody waiting, and reads them first when some do', async () => {
    const reads = jest.spyOn(RateLimiterMemory.prototype, 'get');
    const takes = jest.spyOn(RateLimiterMemory.prototype, 'consume');
    try {
      const quota = RateLimitedCallQuota.inMemory({ callsPerSecond: 10 });
      await quota.acquire(APPLICATION, 10_000);
      expect(takes).toHaveBeenCalledTimes(1);
      expect(reads).not.toHaveBeenCalled();
      // Four a window: of five more, two wait; a call made while they wait reads the counters first.
      const waiting = Array.from({ length: 5 }, () => quota.acquire(APPLICATION, 10_000));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(reads).not.toHaveBeenCalled();
      await quota.acquire(APPLICATION, 10_000);
      expect(reads).toHaveBeenCalledTimes(1);
      await Promise.all(waiting);
    } finally {
      reads.mockRestore();
      takes.mockRestore();
    }
  });
});

describe('how long a call may wait for its turn', () => {
  const now = 1_000_000;
  const attempt = (startToCloseTimeoutMs: number, scheduleToCloseTimeoutMs = 0) => ({
    scheduledTimestampMs: now - 5_000,
    scheduleToCloseTimeoutMs,
    currentAttemptScheduledTimestampMs: now - 1_000,
    startToCloseTimeoutMs,
  });

  it("is the HTTP timeout outside an activity, the activity's time less the call's reserve in one", () => {
    expect(quotaWaitDeadline(now, 30_000, undefined)).toBe(now + 30_000);
    // 2 minutes from the attempt's scheduling, 1 s ago: 119 s left, 30 s of it kept for the call.
    expect(quotaWaitDeadline(now, 30_000, attempt(120_000))).toBe(now + 89_000);
    // A short activity keeps half of what is left for the call.
    expect(quotaWaitDeadline(now, 30_000, attempt(21_000))).toBe(now + 10_000);
    // The whole activity's limit, when set, bounds it too.
    expect(quotaWaitDeadline(now, 30_000, attempt(120_000, 65_000))).toBe(now + 30_000);
    expect(quotaWaitDeadline(now, 30_000, attempt(1_000))).toBe(now);
  });

  it('is short in a local activity, whose retry then waits on a workflow timer, not in its task', () => {
    const local = { ...attempt(120_000), isLocal: true };
    expect(quotaWaitDeadline(now, 30_000, local)).toBe(now + LOCAL_QUOTA_WAIT_MS);
    // Less time left than that: the activity's own bound still holds.
    expect(quotaWaitDeadline(now, 30_000, { ...attempt(3_000), isLocal: true })).toBe(now + 1_000);
    expect(requeueDelayMs(REQUEUE_AFTER_MS, local)).toBe(LOCAL_RETRY_THRESHOLD_MS);
    expect(requeueDelayMs(REQUEUE_AFTER_MS, attempt(120_000))).toBe(REQUEUE_AFTER_MS);
    expect(requeueDelayMs(20_000, local)).toBe(20_000);
  });
});

describe('Chorus calls queued behind the quota, against the simulator', () => {
  let harness: SimulatorHarness;
  beforeAll(async () => {
    harness = await SimulatorHarness.start();
  });
  afterAll(() => harness.close());

  // 2 calls a second: one call a half-second window; the HTTP timeout is 1 s.
  const HTTP_TIMEOUT_MS = 1_000;
  const CALLS = 6;
  const clientFor = (quota: RateLimitedCallQuota) =>
    new ChorusClient({
      endpoints: harness.endpoints,
      environment: 'simulator',
      credentials: harness.credentials('credentials.valid'),
      timeoutMs: HTTP_TIMEOUT_MS,
      tokenCache: new PisteTokenCache(),
      logger: harness.logger,
      callQuota: quota,
    });

  it("are sent after waiting longer than their HTTP timeout while within their activity's time", async () => {
    await harness.resetCounters();
    const client = clientFor(quotaOf(2));
    const activity = new MockActivityEnvironment({
      currentAttemptScheduledTimestampMs: Date.now(),
      scheduledTimestampMs: Date.now(),
      startToCloseTimeoutMs: 30_000,
      scheduleToCloseTimeoutMs: 0,
    });
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: CALLS }, () => activity.run(() => client.healthCheck())),
    );
    expect(answers).toHaveLength(CALLS);
    // Six turns half a second apart: the last waited well past the 1 s HTTP timeout.
    expect(performance.now() - started).toBeGreaterThan(2 * HTTP_TIMEOUT_MS);
    expect(await harness.calls('transverses/health-check')).toBe(CALLS);
  });

  it('give up unsent past their HTTP timeout outside an activity, to be retried soon', async () => {
    await harness.resetCounters();
    const client = clientFor(quotaOf(2));
    const outcomes = await Promise.allSettled(Array.from({ length: CALLS }, () => client.healthCheck()));
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(refused.length).toBeGreaterThan(0);
    for (const error of refused) {
      expect(error).toBeInstanceOf(ChorusRateLimitedError);
      // Not held off by a 429: the call queues again after a second, not after the wait it gave up.
      expect((error as ChorusRateLimitedError).retryAfterSeconds).toBe(1);
    }
    expect(await harness.calls('transverses/health-check')).toBe(CALLS - refused.length);
  });
});
