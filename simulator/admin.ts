import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { SimulatorContext } from './context';
import { passwordExpiresAt } from './dataset';
import { faultListSchema, faultRuleSchema, type FaultRegistry } from './faults';

/**
 * `/__admin`: a prefix the real API does not have, outside the gateway. Lets tests and demos
 * read the data set and counters, inject faults and move the simulated clock.
 */
export function createAdminRouter(ctx: SimulatorContext, faults: FaultRegistry): express.Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));

  // Password expiries are shown as they stand on the simulated clock now.
  router.get('/dataset', (_req, res) => {
    const now = ctx.clock.now();
    res.json({
      ...ctx.dataset,
      technicalAccounts: ctx.dataset.technicalAccounts.map((a) => ({
        ...a,
        passwordExpiresAt: passwordExpiresAt(a, now).toISOString(),
      })),
    });
  });

  router.get('/counters', (_req, res) => {
    res.json(ctx.counters.snapshot());
  });
  router.post('/counters/reset', (_req, res) => {
    ctx.counters.reset();
    res.json(ctx.counters.snapshot());
  });

  router.get('/faults', (_req, res) => {
    res.json({ faults: faults.list() });
  });
  router.put('/faults', (req, res) => {
    const rules = parseOr400(res, faultListSchema, faultsBodyOf(req.body));
    if (rules) res.json({ faults: faults.replace(rules) });
  });
  router.post('/faults', (req, res) => {
    const rule = parseOr400(res, faultRuleSchema, req.body);
    if (rule) res.status(201).json({ fault: faults.add(rule) });
  });
  router.delete('/faults', (_req, res) => {
    faults.clear();
    res.json({ faults: [] });
  });

  router.get('/clock', (_req, res) => {
    res.json(clockView(ctx));
  });
  router.post('/clock/advance', (req, res) => {
    const body = parseOr400(res, clockAdvanceSchema, req.body);
    if (!body) return;
    ctx.clock.advance(body.seconds);
    res.json(clockView(ctx));
  });

  router.use((_req, res) => {
    res.status(404).json({ error: 'unknown admin route' });
  });
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    // Broken JSON from express.json(): say so instead of an empty 400.
    if (error instanceof SyntaxError) res.status(400).json({ error: 'the body is not valid JSON' });
    else next(error);
  });
  return router;
}

const clockAdvanceSchema = z
  .object({
    seconds: z
      .number()
      .min(0)
      .max(100 * 365 * 86400),
  })
  .strict();

/** PUT accepts either a bare list or `{faults: [...]}` (what GET returns). */
function faultsBodyOf(body: unknown): unknown {
  if (body && typeof body === 'object' && !Array.isArray(body) && 'faults' in body) return body.faults;
  return body;
}

function clockView(ctx: SimulatorContext) {
  return { now: ctx.clock.now().toISOString(), speed: ctx.clock.speed };
}

/** Parses `body` or answers 400 with one message per field. */
function parseOr400<T>(res: Response, schema: z.ZodType<T>, body: unknown): T | undefined {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  res.status(400).json({
    error: 'invalid body',
    issues: parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })),
  });
  return undefined;
}
