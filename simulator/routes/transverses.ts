import express from 'express';
import type { SimulatorContext } from '../context';

export function createTransversesRouter(ctx: SimulatorContext): express.Router {
  const router = express.Router();
  router.get('/health-check', (_req, res) => {
    ctx.counters.recordCall('transverses/health-check');
    res.json({
      body: "L'API CPRO est actuellement disponible et fonctionnel.",
      statusCode: 'OK',
      statusCodeValue: 200,
    });
  });
  return router;
}
