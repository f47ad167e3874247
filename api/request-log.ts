import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Histogram } from 'prom-client';
import type { Logger } from '../platform/logger';
import { matchRoute } from './access';

/** A caller's request id is kept when it is 1–128 letters, digits, `.`, `_`, `:` or `-` (UUIDs, ULIDs, trace ids). */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Probes polled every few seconds: logged at debug level so they do not drown the access log. */
const PROBES = new Set(['/healthz', '/metrics']);

/** Paths outside the policy table, as route labels (a bounded set: never the raw URL). */
function publicRoute(path: string): string | undefined {
  if (['/healthz', '/metrics', '/v1/openapi.json', '/docs', '/docs/init.js'].includes(path)) return path;
  if (path.startsWith('/docs/assets/')) return '/docs/assets/*';
  if (path === '/app' || path.startsWith('/app/')) return '/app/*';
  return undefined;
}

/** The route pattern of a request (`/v1/invoices/:id`), also for a method the path does not accept. */
export function routeOf(method: string, path: string): { route: string; id?: string } {
  const found = publicRoute(path);
  if (found) return { route: found };
  const { route, methods } = matchRoute(method, path);
  const matched = route ?? (methods.length > 0 ? matchRoute(methods[0], path).route : undefined);
  if (!matched) return { route: 'unmatched' };
  return {
    route: matched.policy.path,
    ...(matched.id !== undefined ? { id: matched.id.slice(0, 200) } : {}),
  };
}

/** The request id of the request being answered (set by `requestLog`). */
export function requestIdOf(res: Response): string | undefined {
  return res.locals.requestId as string | undefined;
}

/** Names the workflow the request started or found, for its log line (log line → workflow). */
export function noteWorkflow(res: Response, workflowId: string): void {
  res.locals.workflowId = workflowId;
}

/** The logger bound to the request's id, for any other line written while answering it. */
export function requestLogger(res: Response): Logger | undefined {
  return res.locals.logger as Logger | undefined;
}

/**
 * First middleware of the API: gives every request an id (the caller's `X-Request-Id` when sane,
 * else a UUID), echoes it in the answer, and once the answer is sent (or the caller went away:
 * status 499) writes one log line and one histogram sample. Neither headers nor bodies are logged.
 */
export function requestLog(options: {
  logger: Logger;
  httpSeconds: Histogram<'method' | 'route' | 'status'>;
}): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const given = req.header('x-request-id');
    const requestId = given !== undefined && REQUEST_ID.test(given) ? given : randomUUID();
    res.locals.requestId = requestId;
    res.locals.logger = options.logger.child({ requestId });
    res.setHeader('X-Request-Id', requestId);
    // Read now: routers mounted under /v1 rewrite req.url while they answer.
    const method = req.method;
    const { route, id } = routeOf(method, req.path);

    let written = false;
    const write = () => {
      if (written) return;
      written = true;
      const status = res.writableFinished ? res.statusCode : 499;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      options.httpSeconds.observe({ method, route, status: String(status) }, seconds);
      const keyId = (res.locals.principal as { keyId?: string } | undefined)?.keyId;
      const workflowId = res.locals.workflowId as string | undefined;
      const level = PROBES.has(route) && status < 500 ? 'debug' : status >= 500 ? 'warn' : 'info';
      options.logger[level](
        {
          requestId,
          method,
          route,
          ...(id !== undefined ? { id } : {}),
          status,
          durationMs: Math.round(seconds * 1e4) / 10,
          ...(keyId ? { keyId } : {}),
          ...(workflowId ? { workflowId } : {}),
        },
        'request',
      );
    };
    res.once('finish', write);
    res.once('close', write);
    next();
  };
}
