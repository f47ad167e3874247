import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { callerOf } from './context';

/**
 * An opt-in PISTE rate quota: each PISTE application may make `callsPerSecond` calls a second (a
 * token bucket holding one second of calls); beyond, the gateway answers 429 with `Retry-After`
 * and no quota headers — a short spike arrest, not the used-up daily quota of `piste.quota-exhausted`.
 * Off unless `SIMULATOR_QUOTA_CALLS_PER_SECOND` or `PUT /__admin/quota` sets it.
 */
export const quotaSettingsSchema = z
  .object({
    /** Calls a second per PISTE application (client id). */
    callsPerSecond: z.number().positive().max(100_000),
  })
  .strict();

export type QuotaSettings = z.infer<typeof quotaSettingsSchema>;

interface Bucket {
  tokens: number;
  refilledAt: number;
}

export class RateQuota {
  private settings?: QuotaSettings;
  private readonly buckets = new Map<string, Bucket>();
  /** Calls let through and refused since the quota was last set, per PISTE client id. */
  private admitted: Record<string, number> = {};
  private refused: Record<string, number> = {};
  /** When the first and the last admitted call came (the clock's milliseconds), since the quota was last set. */
  private admittedSpan?: { first: number; last: number };

  constructor(
    settings?: QuotaSettings,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (settings) this.set(settings);
  }

  set(settings: QuotaSettings): void {
    this.settings = settings;
    this.buckets.clear();
    this.admitted = {};
    this.refused = {};
    this.admittedSpan = undefined;
  }

  clear(): void {
    this.settings = undefined;
    this.buckets.clear();
  }

  /** Whether this client may call now; otherwise the seconds until it may. */
  take(clientId: string): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    if (!this.settings) return { allowed: true };
    const rate = this.settings.callsPerSecond;
    const now = this.now();
    const bucket = this.buckets.get(clientId) ?? { tokens: rate, refilledAt: now };
    bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.refilledAt) / 1000) * rate);
    bucket.refilledAt = now;
    this.buckets.set(clientId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.admitted[clientId] = (this.admitted[clientId] ?? 0) + 1;
      this.admittedSpan = { first: this.admittedSpan?.first ?? now, last: now };
      return { allowed: true };
    }
    this.refused[clientId] = (this.refused[clientId] ?? 0) + 1;
    // Retry-After counts whole seconds: the next token is always less than a second away.
    return { allowed: false, retryAfterSeconds: 1 };
  }

  view() {
    return {
      quota: this.settings ?? null,
      admitted: { ...this.admitted },
      refused: { ...this.refused },
      /** Milliseconds from the first admitted call to the last: the time the calls were spread over. */
      admittedOverMs: this.admittedSpan ? this.admittedSpan.last - this.admittedSpan.first : 0,
    };
  }
}

/** Mounted after the gateway (the caller is known) and before fault injection. */
export function enforceQuota(quota: RateQuota): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const decision = quota.take(callerOf(res).client.clientId);
    if (decision.allowed) {
      next();
      return;
    }
    res
      .status(429)
      .set('Retry-After', String(decision.retryAfterSeconds))
      .type('text/plain')
      .send('Too Many Requests');
  };
}

/** `/__admin/quota`: GET the setting and the counts, PUT `{callsPerSecond}` (counts restart), DELETE. */
export function createQuotaRouter(quota: RateQuota): express.Router {
  const router = express.Router();
  router.use(express.json({ limit: '16kb' }));
  router.get('/', (_req, res) => {
    res.json(quota.view());
  });
  router.put('/', (req, res) => {
    const parsed = quotaSettingsSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({
        error: 'invalid body',
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })),
      });
      return;
    }
    quota.set(parsed.data);
    res.json(quota.view());
  });
  router.delete('/', (_req, res) => {
    quota.clear();
    res.json(quota.view());
  });
  return router;
}
