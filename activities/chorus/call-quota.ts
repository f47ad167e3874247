import pg from 'pg';
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterQueue,
  RateLimiterQueueError,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { chorusQuotaWaiting, chorusQuotaWaitSeconds, secondsSince } from '../../platform/metrics';

/**
 * PISTE counts calls per application (client id): every worker and process calling Chorus with the
 * same client id shares one quota. `acquire` waits for a call's turn; `holdOff` stops every caller of
 * an application for a while (PISTE answered 429 with Retry-After).
 */
export interface ChorusCallQuota {
  /** Resolves when one more call fits; rejects with `QuotaWaitTooLong` rather than wait past `maxWaitMs`. */
  acquire(application: string, maxWaitMs: number): Promise<void>;
  /** No call of this application, in any worker, for `seconds`. */
  holdOff(application: string, seconds: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The call's turn is further away than the caller may wait: the activity is retried after
 * `retryAfterMs` (a hold-off's end; or at once, to queue again, when the queue was too long).
 */
export class QuotaWaitTooLong extends Error {
  constructor(
    readonly waitMs: number,
    readonly retryAfterMs: number = waitMs,
  ) {
    super(`the PISTE application's call quota leaves no turn within ${Math.ceil(waitMs / 1000)} s`);
  }
}

/** How soon a call that gave up in the queue is retried: it queues again, so the quota is not left idle. */
export const REQUEUE_AFTER_MS = 1_000;

export interface CallQuotaSettings {
  /** Calls a second per PISTE application; 0: not limited. */
  callsPerSecond: number;
  /** Calls a second for some applications, by client id (PISTE may grant one application more). */
  byClientId?: Record<string, number>;
}

/**
 * Windows short enough that two full windows back to back stay within one second's quota: PISTE
 * (like the simulator) is taken to be a token bucket holding one second of calls, so a fixed window
 * of `points` calls must satisfy 2 × points ≤ callsPerSecond, with a margin for network jitter.
 * The window is 40 % of a second at most and holds a whole number of calls.
 */
export function windowOf(callsPerSecond: number): { points: number; seconds: number } {
  const points = Math.max(1, Math.floor(callsPerSecond * 0.4));
  return { points, seconds: points / callsPerSecond };
}

/** The table rate-limiter-flexible keeps its counters in (created by migration 0005). */
export const CALL_QUOTA_TABLE = 'chorus_call_quota';

type LimiterFactory = (window: { points: number; seconds: number }, keyPrefix: string) => RateLimiterAbstract;

/**
 * The quota on rate-limiter-flexible: fixed windows counted in the app's PostgreSQL database (shared
 * by every worker), or in memory when given no database (one process). Waiting callers of a process
 * queue in order (RateLimiterQueue), so only the head of each queue asks the database for a turn; a
 * call that finds nobody waiting asks once (one round trip before a Chorus call, not two).
 */
export class RateLimitedCallQuota implements ChorusCallQuota {
  private readonly queues = new Map<
    string,
    { limiter: RateLimiterAbstract; queue: RateLimiterQueue; waiting: number }
  >();

  private constructor(
    private readonly settings: CallQuotaSettings,
    private readonly newLimiter: LimiterFactory,
    private readonly onClose: () => Promise<void> = async () => undefined,
  ) {}

  /** Counts in this process only (tests, a single process without a database). */
  static inMemory(settings: CallQuotaSettings): RateLimitedCallQuota {
    return new RateLimitedCallQuota(
      settings,
      ({ points, seconds }, keyPrefix) => new RateLimiterMemory({ points, duration: seconds, keyPrefix }),
    );
  }

  /**
   * Counts in PostgreSQL at `databaseUrl` over a small pool of its own; should the database not
   * answer, each process falls back to counting alone (the insurance limiter) rather than stopping.
   */
  static inPostgres(settings: CallQuotaSettings, databaseUrl: string): RateLimitedCallQuota {
    const pool = new pg.Pool({
      connectionString: databaseUrl,
      max: 2,
      application_name: 'chorus-call-quota',
      connectionTimeoutMillis: 2_000,
    });
    pool.on('error', () => undefined);
    return new RateLimitedCallQuota(
      settings,
      ({ points, seconds }, keyPrefix) =>
        new RateLimiterPostgres({
          storeClient: pool,
          storeType: 'pool',
          tableName: CALL_QUOTA_TABLE,
          tableCreated: true,
          // Expired rows are overwritten on the next call; a sweep every 5 minutes would hold a timer.
          clearExpiredByTimeout: false,
          keyPrefix,
          points,
          duration: seconds,
          insuranceLimiter: new RateLimiterMemory({ points, duration: seconds, keyPrefix }),
        }),
      () => pool.end(),
    );
  }

  callsPerSecond(application: string): number {
    return this.settings.byClientId?.[clientIdOf(application)] ?? this.settings.callsPerSecond;
  }

  private entry(application: string) {
    const rate = this.callsPerSecond(application);
    if (!(rate > 0)) return undefined;
    const window = windowOf(rate);
    // The rate is part of the key: workers configured differently during a rollout do not share a window.
    const keyPrefix = `${rate}/s`;
    let entry = this.queues.get(`${keyPrefix} ${application}`);
    if (!entry) {
      const limiter = this.newLimiter(window, keyPrefix);
      entry = { limiter, queue: new RateLimiterQueue(limiter), waiting: 0 };
      this.queues.set(`${keyPrefix} ${application}`, entry);
    }
    return entry;
  }

  async acquire(application: string, maxWaitMs: number): Promise<void> {
    const entry = this.entry(application);
    if (!entry) return;
    const started = process.hrtime.bigint();
    let held: RateLimiterRes | null;
    if (entry.waiting === 0) {
      // No call of this process waits: take a turn in one round trip, as the queue would; refused,
      // the answer says how long until the next one.
      const refused = await entry.limiter.consume(application).then(
        () => null,
        (answer: unknown) => {
          if (answer instanceof RateLimiterRes) return answer;
          throw answer;
        },
      );
      if (!refused) {
        chorusQuotaWaitSeconds.observe(secondsSince(started));
        return;
      }
      held = refused;
    } else {
      held = await entry.limiter.get(application).catch(() => null);
    }
    // A call held off by a 429 sees how long at once, instead of queueing for it.
    if (held && held.consumedPoints > entry.limiter.points && held.msBeforeNext > maxWaitMs) {
      throw new QuotaWaitTooLong(held.msBeforeNext);
    }
    chorusQuotaWaiting.inc();
    entry.waiting += 1;
    try {
      await entry.queue.removeTokens(1, application, Math.floor((Date.now() + maxWaitMs) / 1000));
    } catch (error) {
      if (error instanceof RateLimiterQueueError) throw new QuotaWaitTooLong(maxWaitMs, REQUEUE_AFTER_MS);
      throw error;
    } finally {
      entry.waiting -= 1;
      chorusQuotaWaiting.dec();
      chorusQuotaWaitSeconds.observe(secondsSince(started));
    }
  }

  async holdOff(application: string, seconds: number): Promise<void> {
    const entry = this.entry(application);
    if (!entry || !(seconds > 0)) return;
    await entry.limiter.block(application, seconds).catch((error: unknown) => {
      if (!(error instanceof RateLimiterRes)) throw error;
    });
  }

  close(): Promise<void> {
    return this.onClose();
  }
}

/** An application's key: its client id, then where it is (`<client id>@<API host>`). */
export function applicationKey(clientId: string, apiBaseUrl: string): string {
  let host = apiBaseUrl;
  try {
    host = new URL(apiBaseUrl).host;
  } catch {
    // Not a URL: the text itself tells environments apart.
  }
  // The counters' key column holds 255 characters.
  return `${clientId}@${host}`.slice(0, 200);
}

function clientIdOf(application: string): string {
  const at = application.lastIndexOf('@');
  return at < 0 ? application : application.slice(0, at);
}
