import type { IncomingHttpHeaders } from 'node:http';
import { parseChorusJson } from '../../domain/chorus-json';
import {
  AccessTokenRejectedError,
  ApiFamilyNotSubscribedError,
  ChorusBusinessError,
  ChorusRateLimitedError,
  ChorusUnavailableError,
  ChorusUnexpectedResponseError,
  ChorusUnrecognisedNoResultError,
  PisteCredentialsRejectedError,
  PisteQuotaExceededError,
  TechnicalAccountRejectedError,
  TechnicalUserDisabledError,
  type ChorusError,
  type ChorusErrorContext,
} from './error-types';
import type { ApiFamily } from './families';
import { keptBody, redactSecrets } from './redaction';
import { FORBIDDEN_SIGNS, isNoResult, QUOTA_WAIT_SECONDS } from './uncertain-facts';

export * from './error-types';

/**
 * The one place where HTTP outcomes become typed errors (API-FACTS §8, §9.2).
 * Pure functions over what came back, so every mapping is unit-tested without a network.
 */

/** What came back over HTTP. */
export interface HttpAnswer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request that produced no HTTP answer. */
export interface TransportFailure {
  /** Node/got error code (`ECONNRESET`, `ECONNREFUSED`, `ETIMEDOUT`…). */
  code?: string;
  timedOut: boolean;
}

/** Who called, where, and what the call was, for messages a person can act on. */
export interface CallScope {
  /** `<family>/<path>` or `oauth/token`. */
  operation: string;
  clientId: string;
  login: string;
  /** `sandbox`, `production`, or the configured host, as shown in messages. */
  environment: string;
  timeoutMs: number;
  /** Values blanked in kept bodies. */
  secrets: readonly string[];
  /** False for writes (`soumettre`, `recycler`, `completer`): a lost answer leaves the outcome unknown. */
  idempotent: boolean;
  /** For non-idempotent calls: what the caller checks before sending again. */
  reconcile?: string;
}

export interface ApiCallScope extends CallScope {
  family: ApiFamily;
  /** False for `health-check`, whose answer has no `codeRetour`. */
  envelope: boolean;
  /** Search operations: HTTP 200 + the operation's "no result" code (uncertain-facts.ts) means an empty list. */
  searchList?: string;
}

/** Codes meaning the request never left this machine: nothing can have been committed. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export type UnauthorizedCause = 'bearer' | 'technical-account' | 'unknown';

/**
 * Tells the two 401s apart by `WWW-Authenticate`: the gateway's bearer check says
 * `error="invalid_token"`, the technical-account check says "login or password incorrects".
 */
export function unauthorizedCause(answer: HttpAnswer): UnauthorizedCause {
  const challenge = headerText(answer.headers['www-authenticate']).toLowerCase();
  if (challenge.includes('login or password incorrect')) return 'technical-account';
  if (/error\s*=\s*"?invalid_token/.test(challenge)) return 'bearer';
  return 'unknown';
}

/** Seconds to wait from a `Retry-After` header (delta-seconds or HTTP date). */
export function retryAfterSeconds(
  value: string | string[] | undefined,
  now: number = Date.now(),
): number | undefined {
  const text = headerText(value).trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

export function pisteRequestIdOf(headers: IncomingHttpHeaders): string | undefined {
  const id = headerText(headers['x-piste-request-id']);
  return id === '' ? undefined : id;
}

/** Token endpoint: anything but a usable 200 becomes one of these. */
export function errorFromTokenAnswer(answer: HttpAnswer, scope: CallScope): ChorusError {
  const context = contextOf(answer, scope);
  const oauthError = jsonObject(answer.body)?.error;
  if ((answer.statusCode === 400 || answer.statusCode === 401) && oauthError === 'invalid_client') {
    return new PisteCredentialsRejectedError(context, scope.clientId, scope.environment);
  }
  const generic = errorFromGatewayStatus(answer, scope, context);
  if (generic) return generic;
  return new ChorusUnexpectedResponseError(
    context,
    answer.statusCode === 200
      ? 'HTTP 200 without an access_token'
      : `HTTP ${answer.statusCode}${typeof oauthError === 'string' ? ` ${redactSecrets(oauthError, scope.secrets)}` : ''}`,
  );
}

/** API call: `undefined` when the answer is a success (including an empty search). */
export function errorFromApiAnswer(answer: HttpAnswer, scope: ApiCallScope): ChorusError | undefined {
  const context = contextOf(answer, scope);
  const status = answer.statusCode;

  if (status === 401) {
    if (unauthorizedCause(answer) === 'bearer') return new AccessTokenRejectedError(context);
    // An unqualified 401 that survived a token refresh is about the technical account.
    return new TechnicalAccountRejectedError(context, scope.login, scope.environment);
  }
  if (status === 403) return errorFromForbidden(answer, scope, context);
  if (status === 429 && quotaSigns(answer)) {
    return new PisteQuotaExceededError(context, scope, quotaWaitSeconds(answer));
  }

  const envelope = jsonObject(answer.body);
  const codeRetour = integerOf(envelope?.codeRetour);
  if (status === 400 || (status >= 200 && status < 300)) {
    if (codeRetour !== undefined && codeRetour !== 0) {
      // The libelle lands in messages and history: an echoed secret must not ride along.
      const libelle =
        typeof envelope?.libelle === 'string' ? redactSecrets(envelope.libelle, scope.secrets) : '';
      if (status === 200 && scope.searchList !== undefined) {
        if (isNoResult(scope.operation, codeRetour)) return undefined;
        if (isEmptyList(envelope?.[scope.searchList])) {
          return new ChorusUnrecognisedNoResultError(context, codeRetour, libelle);
        }
      }
      return new ChorusBusinessError(context, codeRetour, libelle);
    }
  }
  if (status >= 200 && status < 300) {
    if (scope.envelope && envelope === undefined) {
      return new ChorusUnexpectedResponseError(
        context,
        `HTTP ${status} without a JSON body`,
        reconcileOf(scope),
      );
    }
    return undefined;
  }
  if (status === 400) {
    return new ChorusUnexpectedResponseError(
      context,
      `HTTP 400 without a codeRetour (${headerText(answer.headers['www-authenticate']) || 'no detail'})`,
    );
  }
  return (
    errorFromGatewayStatus(answer, scope, context) ??
    new ChorusUnexpectedResponseError(context, `HTTP ${status}`)
  );
}

/** A success whose body we cannot read: for a write, the outcome is unknown. */
export function errorFromUnreadableAnswer(
  answer: HttpAnswer,
  scope: CallScope,
  problem: string,
): ChorusError {
  return new ChorusUnexpectedResponseError(
    contextOf(answer, scope),
    `HTTP ${answer.statusCode} whose body ${problem}`,
    reconcileOf(scope),
  );
}

/** No HTTP answer at all: timeouts and lost or refused connections. */
export function errorFromTransportFailure(failure: TransportFailure, scope: CallScope): ChorusError {
  const context: ChorusErrorContext = { operation: scope.operation };
  if (failure.timedOut) {
    return new ChorusUnavailableError(
      context,
      { reason: 'timeout', description: `no answer within ${scope.timeoutMs} ms` },
      reconcileOf(scope),
    );
  }
  if (failure.code !== undefined && NOT_SENT_CODES.has(failure.code)) {
    return new ChorusUnavailableError(context, {
      reason: 'connection-refused',
      description: `could not connect (${failure.code})`,
    });
  }
  return new ChorusUnavailableError(
    context,
    {
      reason: 'connection-lost',
      description: `the connection was lost before the answer (${failure.code ?? 'no code'})`,
    },
    reconcileOf(scope),
  );
}

/**
 * The three 403s (API-FACTS §8.1, uncertain-facts.ts FORBIDDEN_SIGNS): a used-up quota (quota
 * headers or body), a disabled technical user (a body or challenge naming the user), else a route
 * the PISTE application has not subscribed (the documented empty body).
 */
function errorFromForbidden(
  answer: HttpAnswer,
  scope: ApiCallScope,
  context: ChorusErrorContext,
): ChorusError {
  if (quotaSigns(answer)) return new PisteQuotaExceededError(context, scope, quotaWaitSeconds(answer));
  const explanation = `${answer.body} ${headerText(answer.headers['www-authenticate'])}`;
  if (FORBIDDEN_SIGNS.value.disabledUser.test(explanation))
    return new TechnicalUserDisabledError(context, scope);
  return new ApiFamilyNotSubscribedError(context, scope.family, scope.clientId, scope.environment);
}

function quotaSigns(answer: HttpAnswer): boolean {
  const remaining = headerText(answer.headers['x-quota-remaining']).trim();
  if (remaining === '0') return true;
  return FORBIDDEN_SIGNS.value.quota.test(answer.body);
}

/** Retry-After, else the quota's reset instant (epoch ms or seconds), else the assumed period. */
function quotaWaitSeconds(answer: HttpAnswer, now: number = Date.now()): number {
  const retryAfter = retryAfterSeconds(answer.headers['retry-after'], now);
  if (retryAfter !== undefined) return retryAfter;
  const reset = Number(headerText(answer.headers['x-quota-reset']).trim());
  if (Number.isFinite(reset) && reset > 0) {
    const resetMs = reset < 1e12 ? reset * 1000 : reset;
    return Math.max(1, Math.ceil((resetMs - now) / 1000));
  }
  return QUOTA_WAIT_SECONDS.value;
}

function integerOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value.trim());
  return undefined;
}

function isEmptyList(value: unknown): boolean {
  return value == null || (Array.isArray(value) && value.length === 0);
}

/** Statuses that mean the same on the token endpoint and the gateway: 408, 429, 5xx. */
function errorFromGatewayStatus(
  answer: HttpAnswer,
  scope: CallScope,
  context: ChorusErrorContext,
): ChorusError | undefined {
  const status = answer.statusCode;
  const wait = retryAfterSeconds(answer.headers['retry-after']);
  if (status === 429) return new ChorusRateLimitedError(context, wait);
  if (status === 408 || status >= 500) {
    return new ChorusUnavailableError(
      context,
      {
        reason: status === 408 ? 'timeout' : 'server-error',
        description: `HTTP ${status}${wait !== undefined ? `, Retry-After ${wait} s` : ''}`,
        retryAfterSeconds: wait,
      },
      reconcileOf(scope),
    );
  }
  return undefined;
}

function reconcileOf(scope: CallScope): string | undefined {
  if (scope.idempotent) return undefined;
  return scope.reconcile ?? 'Check on Chorus Pro whether the change was applied';
}

function contextOf(answer: HttpAnswer, scope: CallScope): ChorusErrorContext {
  return {
    operation: scope.operation,
    httpStatus: answer.statusCode,
    pisteRequestId: pisteRequestIdOf(answer.headers),
    responseBody: keptBody(answer.body, scope.secrets),
  };
}

function jsonObject(text: string): Record<string, unknown> | undefined {
  if (text.trim() === '') return undefined;
  try {
    const value: unknown = parseChorusJson(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function headerText(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}
