import got, { HTTPError, RequestError, TimeoutError, type Got } from 'got';
import type { Logger } from '../../platform/logger';
import { chorusRetries } from '../../platform/metrics';
import type { TransportFailure } from './errors';

/** Per-request data got hands to the hooks: which operation the exchange belongs to. */
export interface ExchangeContext extends Record<string, unknown> {
  operation: string;
  /** 1 for the first send, 2 for the one send after a token refresh. */
  attempt: number;
}

/**
 * The got instance every Chorus and PISTE call goes through: a timeout on every call, got's own
 * retries off except for reads (read-retry.ts; Temporal retries activities), HTTP errors returned as
 * answers, and one log line per exchange from hooks. Nothing here logs headers or bodies: they carry secrets.
 */
export function createChorusHttp(logger: Logger, timeoutMs: number): Got {
  return got.extend({
    timeout: { request: timeoutMs },
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    hooks: {
      afterResponse: [
        (response) => {
          const context = response.request.options.context as Partial<ExchangeContext>;
          const durationMs = Date.now() - response.timings.start;
          const pisteRequestId = response.headers['x-piste-request-id'];
          logger.info(
            {
              operation: context.operation,
              attempt: context.attempt,
              status: response.statusCode,
              durationMs,
              pisteRequestId,
            },
            'chorus call',
          );
          return response;
        },
      ],
      beforeRetry: [
        (options, error, retryCount) => {
          const context = options.context as Partial<ExchangeContext>;
          chorusRetries.inc({ operation: context.operation ?? 'unknown', reason: 'read_retry' });
          logger.info(
            {
              operation: context.operation,
              attempt: context.attempt,
              retry: retryCount,
              failure: error?.response ? `HTTP ${error.response.statusCode}` : (error?.code ?? error?.name),
            },
            'chorus read sent again',
          );
        },
      ],
      beforeError: [
        (error) => {
          // got runs these hooks for non-2xx answers too; afterResponse already logged those.
          if (error instanceof HTTPError) return error;
          const context = error.options.context as Partial<ExchangeContext>;
          const started = error.timings?.start;
          logger.warn(
            {
              operation: context.operation,
              attempt: context.attempt,
              failure: error.code ?? error.name,
              durationMs: started !== undefined ? Date.now() - started : undefined,
            },
            'chorus call failed without an answer',
          );
          return error;
        },
      ],
    },
  });
}

/**
 * Keeps only what classifies a got error (got errors carry the request headers, secrets included);
 * `undefined` for anything that is not a transport failure, which the caller rethrows as is.
 */
export function transportFailureOf(error: unknown): TransportFailure | undefined {
  if (!(error instanceof RequestError)) return undefined;
  return { timedOut: error instanceof TimeoutError, code: error.code };
}
