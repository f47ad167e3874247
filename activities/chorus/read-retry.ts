import type { RequiredRetryOptions, RetryObject } from 'got';
import type { ChorusOperation } from './operations';

/**
 * Reads retried in place: a read that meets a 5xx, a lost or refused connection, or a timeout is
 * sent again at once (a few hundred milliseconds apart, jittered) inside the same call, so that an
 * activity making several Chorus calls does not fail as a whole on one of them. got's own retry
 * does it, per request; writes are never retried here (a lost answer leaves their outcome unknown),
 * nor are 429s and quota answers (their wait is long: Temporal's retry honours it).
 */
export const READ_RETRY_LIMIT = 3;

/** A timed-out call already cost a whole timeout: sent again once only. */
const TIMEOUT_RETRY_LIMIT = 1;

const BASE_DELAY_MS = 150;

const NO_RETRY: Partial<RequiredRetryOptions> = { limit: 0 };

const READ_RETRY: Partial<RequiredRetryOptions> = {
  limit: READ_RETRY_LIMIT,
  methods: ['GET', 'POST'],
  statusCodes: [500, 502, 503, 504],
  // got's defaults, the connection failures: ETIMEDOUT is its timeout.
  errorCodes: [
    'ETIMEDOUT',
    'ECONNRESET',
    'EADDRINUSE',
    'ECONNREFUSED',
    'EPIPE',
    'ENOTFOUND',
    'ENETUNREACH',
    'EAI_AGAIN',
  ],
  // A 503's Retry-After longer than this is left to Temporal's retry.
  maxRetryAfter: 2_000,
  calculateDelay: readRetryDelay,
};

/** got's retry option for one operation: the read policy for reads, none for writes. */
export function retryOptionsFor(operation: ChorusOperation<unknown, unknown>): Partial<RequiredRetryOptions> {
  return operation.read ? READ_RETRY : NO_RETRY;
}

/** 0 (no retry) where got's own rules say so; else 150 ms, 300 ms, 600 ms, each ±50 %. */
function readRetryDelay({ attemptCount, error, computedValue, retryAfter }: RetryObject): number {
  if (computedValue === 0) return 0;
  if (error.name === 'TimeoutError' && attemptCount > TIMEOUT_RETRY_LIMIT) return 0;
  if (retryAfter !== undefined) return computedValue;
  const base = BASE_DELAY_MS * 2 ** (attemptCount - 1);
  return Math.round(base * (0.5 + Math.random()));
}
