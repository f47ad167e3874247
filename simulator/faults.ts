import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';

/**
 * Fault injection, off unless a test or a demo asks for it (PUT/POST /__admin/faults).
 *
 * A rule targets one operation key (`factures/soumettre`, `structures/rechercher`,
 * `oauth/token`) or `*`, and applies to the next `times` matching calls and/or for `forMs`
 * milliseconds of real time (forever when both are omitted), whichever ends first.
 */
export const faultRuleSchema = z
  .object({
    route: z.string().regex(/^(\*|[A-Za-z]+\/[A-Za-z0-9/_-]+)$/, 'expected "*" or "<family>/<operation>"'),
    /** Delay before the call is handled. */
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    /** Probability (0..1) that a call answers `errorStatus` instead of running. */
    errorRate: z.number().min(0).max(1).optional(),
    /** The next N matching calls answer `errorStatus` (deterministic). */
    failNext: z.number().int().positive().optional(),
    errorStatus: z.union([z.literal(500), z.literal(502), z.literal(503)]).optional(),
    /** Answer 429 Too Many Requests with this `Retry-After` (seconds). */
    retryAfterSeconds: z.number().int().min(0).max(86_400).optional(),
    /** The handler runs and commits, then the connection is destroyed: the client never gets the answer. */
    loseAnswer: z.boolean().optional(),
    /** How many matching calls the rule applies to; forever when omitted. */
    times: z.number().int().positive().optional(),
    /**
     * How long (real milliseconds) the rule lasts: a burst is a period, as a gateway's throttling is,
     * not a number of calls waiting for whoever calls next (with little traffic, a count-based rule
     * would be met by the same few calls again and again).
     */
    forMs: z.number().int().positive().max(86_400_000).optional(),
  })
  .strict()
  .refine(
    (r) =>
      r.latencyMs !== undefined ||
      r.errorRate !== undefined ||
      r.failNext !== undefined ||
      r.retryAfterSeconds !== undefined ||
      r.loseAnswer === true,
    {
      message: 'a fault needs at least one of latencyMs, errorRate, failNext, retryAfterSeconds, loseAnswer',
    },
  );

export type FaultRule = z.infer<typeof faultRuleSchema>;

export const faultListSchema = z.array(faultRuleSchema);

/** A rule as stored: what is left of its `times` and of its `failNext`, and when it ends. */
export interface ActiveFault extends FaultRule {
  id: number;
  remainingCalls: number | null;
  remainingFailures: number;
  /** Epoch milliseconds after which the rule no longer applies; null: no end in time. */
  endsAt: number | null;
}

/** What the fault registry decided for one call. */
export interface FaultOutcome {
  latencyMs: number;
  effect:
    | { kind: 'none' }
    | { kind: 'error'; status: number }
    | { kind: 'rateLimited'; retryAfterSeconds: number }
    | { kind: 'loseAnswer' };
}

export class FaultRegistry {
  private rules: ActiveFault[] = [];
  private nextId = 1;

  constructor(
    private readonly random: () => number = Math.random,
    private readonly now: () => number = Date.now,
  ) {}

  list(): ActiveFault[] {
    this.dropEnded();
    return this.rules.map((r) => ({ ...r }));
  }

  add(rule: FaultRule): ActiveFault {
    const active: ActiveFault = {
      ...rule,
      id: this.nextId++,
      // A failNext-only rule ends with its last failure.
      remainingCalls:
        rule.times ?? (rule.failNext !== undefined && onlyFailNext(rule) ? rule.failNext : null),
      remainingFailures: rule.failNext ?? 0,
      endsAt: rule.forMs === undefined ? null : this.now() + rule.forMs,
    };
    this.rules.push(active);
    return { ...active };
  }

  replace(rules: FaultRule[]): ActiveFault[] {
    this.clear();
    return rules.map((r) => this.add(r));
  }

  clear(): void {
    this.rules = [];
  }

  /** Consumes one use of every rule matching `operation` and combines them: latencies add up, the first effect wins. */
  decide(operation: string): FaultOutcome {
    const outcome: FaultOutcome = { latencyMs: 0, effect: { kind: 'none' } };
    this.dropEnded();
    for (const rule of this.rules) {
      if (rule.route !== '*' && rule.route !== operation) continue;
      outcome.latencyMs += rule.latencyMs ?? 0;
      const effect = this.effectOf(rule);
      if (outcome.effect.kind === 'none') outcome.effect = effect;
      if (rule.remainingCalls !== null) rule.remainingCalls -= 1;
    }
    this.rules = this.rules.filter((r) => r.remainingCalls === null || r.remainingCalls > 0);
    return outcome;
  }

  private dropEnded(): void {
    const now = this.now();
    this.rules = this.rules.filter((r) => r.endsAt === null || now < r.endsAt);
  }

  private effectOf(rule: ActiveFault): FaultOutcome['effect'] {
    if (rule.retryAfterSeconds !== undefined) {
      return { kind: 'rateLimited', retryAfterSeconds: rule.retryAfterSeconds };
    }
    const status = rule.errorStatus ?? 503;
    if (rule.remainingFailures > 0) {
      rule.remainingFailures -= 1;
      return { kind: 'error', status };
    }
    if (rule.errorRate !== undefined && this.random() < rule.errorRate) return { kind: 'error', status };
    if (rule.loseAnswer) return { kind: 'loseAnswer' };
    return { kind: 'none' };
  }
}

function onlyFailNext(rule: FaultRule): boolean {
  return (
    rule.latencyMs === undefined &&
    rule.errorRate === undefined &&
    rule.retryAfterSeconds === undefined &&
    !rule.loseAnswer
  );
}

/**
 * Applies the faults for the operation named by `operationOf`. Mount it after the gateway
 * so only authenticated calls to known routes are affected, and before the handler.
 */
export function injectFaults(faults: FaultRegistry, operationOf: (res: Response) => string): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const outcome = faults.decide(operationOf(res));
    const apply = () => {
      switch (outcome.effect.kind) {
        case 'error':
          res
            .status(outcome.effect.status)
            .type('text/plain')
            .send(`Simulated fault ${outcome.effect.status}`);
          return;
        case 'rateLimited':
          res
            .status(429)
            .set('Retry-After', String(outcome.effect.retryAfterSeconds))
            .type('text/plain')
            .send('Too Many Requests');
          return;
        case 'loseAnswer':
          loseAnswerOf(req, res);
          next();
          return;
        case 'none':
          next();
      }
    };
    if (outcome.latencyMs > 0) setTimeout(apply, outcome.latencyMs);
    else apply();
  };
}

/**
 * The handler still runs and commits its effect; when it answers, the socket is destroyed
 * before a byte is written, so the client sees a reset connection (like a timeout after commit).
 */
function loseAnswerOf(req: Request, res: Response): void {
  const destroy = () => {
    req.socket.destroy();
    return res;
  };
  res.write = destroy as unknown as Response['write'];
  res.end = destroy as unknown as Response['end'];
}
