import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Client } from '@temporalio/client';
import type { Logger } from '../platform/logger';

export interface AppDependencies {
  client: Client;
  logger: Logger;
  /** How long /healthz waits for Temporal before answering 503. */
  healthTimeoutMs?: number;
}

export interface ErrorBody {
  error: { code: string; message: string };
}

const errorBody = (code: string, message: string): ErrorBody => ({ error: { code, message } });

/** Temporal answers when a cheap frontend call succeeds within the deadline. */
async function temporalAnswers(client: Client, timeoutMs: number): Promise<boolean> {
  try {
    await client.connection.withDeadline(Date.now() + timeoutMs, () =>
      client.workflowService.getSystemInfo({}),
    );
    return true;
  } catch {
    return false;
  }
}

export function createApp({ client, logger, healthTimeoutMs = 2_000 }: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));

  app.get('/healthz', async (_req, res) => {
    if (await temporalAnswers(client, healthTimeoutMs)) {
      res.json({ status: 'ok', temporal: 'ok' });
    } else {
      res.status(503).json({ status: 'unavailable', temporal: 'unreachable' });
    }
  });

  app.use((req, res) => {
    res.status(404).json(errorBody('not_found', `No route for ${req.method} ${req.path}`));
  });

  const onError: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
    const status = (err as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // body-parser and friends: the request itself is wrong.
      res.status(status).json(errorBody('bad_request', (err as Error).message));
      return;
    }
    logger.error({ err }, 'unhandled API error');
    res.status(500).json(errorBody('internal_error', 'Internal error; see the server log.'));
  };
  app.use(onError);
  return app;
}
