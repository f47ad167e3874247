import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { simulatorLogger, type Logger } from './logger';
import { createAdminRouter } from './admin';
import { SimulatorClock, SimulatorCounters, SimulatorFiles, type SimulatorContext } from './context';
import { buildDataset } from './dataset';
import { chorusJsonBody } from './envelope';
import { createFacturesRouter } from './factures/router';
import { FaultRegistry, injectFaults } from './faults';
import { createQuotaRouter, enforceQuota, RateQuota } from './quota';
import { pisteGateway, routeOf } from './gateway';
import { DEFAULT_TOKEN_LIFETIME_SECONDS, TokenStore, createOAuthRouter } from './oauth';
import { createEngagementsRouter } from './routes/engagements';
import { createStructuresRouter } from './routes/structures';
import { createTransversesRouter } from './routes/transverses';
import { createUtilisateursRouter } from './routes/utilisateurs';

export interface SimulatorOptions {
  /** Simulated seconds per real second (86400: a day per second). Env SIMULATOR_CLOCK_SPEED, default 1. */
  clockSpeed?: number;
  /** Bearer token lifetime in real seconds. Env SIMULATOR_TOKEN_LIFETIME_SECONDS, default 3600. */
  tokenLifetimeSeconds?: number;
  /** PISTE calls a second per application, beyond which 429 (off by default). Env SIMULATOR_QUOTA_CALLS_PER_SECOND. */
  quotaCallsPerSecond?: number;
  /** Simulated time at start; the data set's dates are relative to it. Default: now. */
  now?: Date;
  logger?: Logger;
}

export interface RunningSimulator {
  url: string;
  port: number;
  ctx: SimulatorContext;
  faults: FaultRegistry;
  quota: RateQuota;
  close(): Promise<void>;
}

/** Builds the PISTE + Chorus Pro simulator app without listening (see startSimulator). */
export function createSimulator(options: SimulatorOptions = {}): {
  app: express.Express;
  ctx: SimulatorContext;
  faults: FaultRegistry;
  quota: RateQuota;
} {
  const clockSpeed = options.clockSpeed ?? numberFromEnv('SIMULATOR_CLOCK_SPEED') ?? 1;
  const tokenLifetimeSeconds =
    options.tokenLifetimeSeconds ??
    numberFromEnv('SIMULATOR_TOKEN_LIFETIME_SECONDS') ??
    DEFAULT_TOKEN_LIFETIME_SECONDS;
  const logger = options.logger ?? simulatorLogger();
  const clock = new SimulatorClock(clockSpeed, options.now ?? new Date());
  const ctx: SimulatorContext = {
    dataset: buildDataset(clock.now()),
    clock,
    counters: new SimulatorCounters(),
    files: new SimulatorFiles(),
    disabledAccountsTold: new Set(),
  };
  const faults = new FaultRegistry();
  const quotaCallsPerSecond =
    options.quotaCallsPerSecond ?? numberFromEnv('SIMULATOR_QUOTA_CALLS_PER_SECOND');
  const quota = new RateQuota(
    quotaCallsPerSecond === undefined ? undefined : { callsPerSecond: quotaCallsPerSecond },
  );
  const tokens = new TokenStore(tokenLifetimeSeconds);

  const app = express();
  app.disable('x-powered-by');
  app.use(simulatedDate(clock));
  app.use(requestLog(logger));
  app.use('/__admin/quota', createQuotaRouter(quota));
  app.use('/__admin', createAdminRouter(ctx, faults));

  app.use(
    '/api/oauth/token',
    injectFaults(faults, () => 'oauth/token'),
  );
  app.use(createOAuthRouter(ctx, tokens));

  const cpro = express.Router();
  cpro.use(express.text({ type: () => true, limit: '20mb' }));
  cpro.use(pisteGateway(ctx, tokens));
  cpro.use(enforceQuota(quota));
  cpro.use(injectFaults(faults, (res) => routeOf(res)?.operationKey ?? '*'));
  cpro.use(chorusJsonBody);
  cpro.use('/transverses/v1', createTransversesRouter(ctx));
  cpro.use('/structures/v1', createStructuresRouter(ctx));
  cpro.use('/utilisateurs/v1', createUtilisateursRouter(ctx));
  cpro.use('/engagementsJuridiques/v1', createEngagementsRouter(ctx));
  cpro.use('/factures/v1', createFacturesRouter(ctx));
  // A route the gateway knows but no router answered: same as an unknown route.
  cpro.use((_req, res) => {
    res.status(403).end();
  });
  app.use('/cpro', cpro);

  app.use((_req, res) => {
    res.status(404).end();
  });
  app.use(errorHandler(logger));
  return { app, ctx, faults, quota };
}

/** Starts the simulator on `port` (0: a free port) and `host` (default 127.0.0.1). */
export async function startSimulator(
  options: SimulatorOptions & { port?: number; host?: string } = {},
): Promise<RunningSimulator> {
  const { app, ctx, faults, quota } = createSimulator(options);
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<import('node:http').Server>((resolve, reject) => {
    const s = app.listen(options.port ?? 0, host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    ctx,
    faults,
    quota,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets would hold close() open until they time out.
        server.closeAllConnections();
      }),
  };
}

function numberFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

/**
 * Every answer's `Date` header tells the simulated now, as a real server's tells its own clock:
 * clients read Chorus's time from it (Node would otherwise send the host's time).
 */
function simulatedDate(clock: SimulatorClock) {
  return (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Date', clock.now().toUTCString());
    next();
  };
}

/** Adds `x-piste-request-id` and logs method, path, status and duration — never headers or bodies. */
function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const requestId = randomUUID();
    const started = process.hrtime.bigint();
    res.set('x-piste-request-id', requestId);
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      logger.debug(
        { requestId, method: req.method, path: req.path, status: res.statusCode, durationMs },
        'call',
      );
    });
    next();
  };
}

function errorHandler(logger: Logger) {
  return (error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = httpStatusOf(error);
    if (status >= 500) logger.error({ err: error }, 'simulator error');
    if (!res.headersSent) res.status(status).end();
  };
}

function httpStatusOf(error: unknown): number {
  if (error && typeof error === 'object' && 'status' in error && typeof error.status === 'number') {
    return error.status;
  }
  return 500;
}
