import type { Got, Response } from 'got';
import { parseChorusJson, stringifyChorusJson } from '../../domain/chorus-json';
import type { ChorusEndpoints, ChorusEnvironment } from '../../platform/config';
import type { Logger } from '../../platform/logger';
import { chorusCalls, chorusCallSeconds, chorusRetries, secondsSince } from '../../platform/metrics';
import { applicationKey, QuotaWaitTooLong, type ChorusCallQuota } from './call-quota';
import { ChorusRateLimitedError } from './error-types';
import {
  errorFromApiAnswer,
  errorFromTransportFailure,
  errorFromUnreadableAnswer,
  isChorusError,
  retryAfterSeconds,
  unauthorizedCause,
  type ApiCallScope,
  type CallScope,
  type HttpAnswer,
} from './errors';
import { createChorusHttp, transportFailureOf, type ExchangeContext } from './http';
import { operationName, type ChorusOperation } from './operations';
import { requestPisteToken, TOKEN_OPERATION } from './piste-oauth';
import { quotaWaitDeadline, requeueDelayMs } from './quota-wait';
import { retryOptionsFor } from './read-retry';
import { serverDateOf, type ServerDateObserver } from './server-date';
import type { PisteTokenCache, PisteTokenOwner } from './token-cache';

/** Sees each parsed JSON answer of an operation (`<family>/<path>`), before it is validated. */
export type AnswerObserver = (operation: string, answer: unknown) => void;

/** What a supplier types into our service to connect it to Chorus Pro. */
export interface ChorusCredentials {
  piste: { clientId: string; clientSecret: string };
  technicalAccount: { login: string; password: string };
}

export interface PisteGatewayOptions {
  endpoints: ChorusEndpoints;
  /** Named in error messages; guessed from the token URL when absent. */
  environment?: ChorusEnvironment;
  credentials: ChorusCredentials;
  timeoutMs: number;
  tokenCache: PisteTokenCache;
  logger: Logger;
  onAnswer?: AnswerObserver;
  /** Sees the `Date` header of every API answer: the environment's own time (connection-checks.ts). */
  onServerDate?: ServerDateObserver;
  /** The PISTE application's call quota across workers; absent: calls are not paced. */
  callQuota?: ChorusCallQuota;
}

/**
 * One supplier connection's way through the PISTE gateway: bearer token, `cpro-account` header,
 * one refresh-and-resend when the bearer is refused, and every outcome turned into a typed error.
 */
export class PisteGateway {
  private readonly http: Got;
  private readonly owner: PisteTokenOwner;
  private readonly cproAccount: string;
  private readonly environment: string;
  /** What PISTE counts calls by: the application (client id) in this environment. */
  private readonly application: string;

  constructor(private readonly options: PisteGatewayOptions) {
    this.http = createChorusHttp(options.logger, options.timeoutMs);
    const { piste, technicalAccount } = options.credentials;
    this.owner = { tokenUrl: options.endpoints.tokenUrl, ...piste };
    this.cproAccount = Buffer.from(`${technicalAccount.login}:${technicalAccount.password}`, 'utf8').toString(
      'base64',
    );
    this.environment = environmentLabel(options.environment, options.endpoints);
    this.application = applicationKey(piste.clientId, options.endpoints.apiBaseUrl);
  }

  async send<Request, Response>(
    operation: ChorusOperation<Request, Response>,
    body: Request,
  ): Promise<Response> {
    const started = process.hrtime.bigint();
    const name = operationName(operation);
    try {
      let token = await this.accessToken();
      let answer = await this.exchange(operation, body, token, 1);
      // The gateway refused the bearer before Chorus saw the call: resending is safe, even for soumettre.
      if (answer.statusCode === 401 && unauthorizedCause(answer) !== 'technical-account') {
        chorusRetries.inc({ operation: name, reason: 'token_refresh' });
        token = await this.accessToken(token);
        answer = await this.exchange(operation, body, token, 2);
      }
      const scope = this.apiScope(operation, token);
      const error = errorFromApiAnswer(answer, scope);
      if (error) throw error;
      const result = readAnswer(operation, answer, scope, this.options.onAnswer);
      observeCall(name, started);
      return result;
    } catch (error) {
      observeCall(name, started, error);
      if (isChorusError(error)) {
        this.options.logger.warn(
          {
            operation: error.operation,
            errorType: error.type,
            retryable: error.retryable,
            outcomeUnknown: error.outcomeUnknown,
            status: error.httpStatus,
            pisteRequestId: error.pisteRequestId,
          },
          'chorus call failed',
        );
      }
      throw error;
    }
  }

  /** Asks PISTE for a token (or reuses a cached one): the first layer of a connection, alone. */
  async ensureAccessToken(): Promise<void> {
    await this.accessToken();
  }

  private accessToken(rejected?: string): Promise<string> {
    const scope: CallScope = { ...this.baseScope(), operation: TOKEN_OPERATION, idempotent: true };
    return this.options.tokenCache.token(
      this.owner,
      async () => {
        const started = process.hrtime.bigint();
        try {
          const token = await requestPisteToken(this.http, this.owner, scope);
          observeCall(TOKEN_OPERATION, started);
          return token;
        } catch (error) {
          observeCall(TOKEN_OPERATION, started, error);
          throw error;
        }
      },
      rejected,
    );
  }

  private async exchange<Request>(
    operation: ChorusOperation<Request, unknown>,
    body: Request,
    token: string,
    attempt: number,
  ): Promise<HttpAnswer> {
    const url = `${this.options.endpoints.apiBaseUrl}/${operation.family}/v1/${operation.path}`;
    const context: ExchangeContext = { operation: operationName(operation), attempt };
    try {
      const response = await this.paced(context.operation, () =>
        this.http(url, {
          method: operation.method,
          headers: {
            authorization: `Bearer ${token}`,
            'cpro-account': this.cproAccount,
            'content-type': 'application/json;charset=utf-8',
            accept: 'application/json;charset=utf-8',
          },
          body: operation.method === 'POST' ? stringifyChorusJson(body ?? {}) : undefined,
          responseType: 'text',
          context,
          // A read met by a 5xx is sent again within this turn of the quota (rare: not paced again).
          retry: retryOptionsFor(operation),
        }),
      );
      const { onServerDate } = this.options;
      const serverDate = onServerDate ? serverDateOf(response.headers) : undefined;
      if (onServerDate && serverDate) onServerDate(context.operation, serverDate);
      return { statusCode: response.statusCode, headers: response.headers, body: response.body };
    } catch (error) {
      const failure = transportFailureOf(error);
      if (failure === undefined) throw error;
      throw errorFromTransportFailure(failure, this.apiScope(operation, token));
    }
  }

  /**
   * One HTTP call under the application's call quota: it waits for its turn, and a plain 429 (PISTE's
   * spike arrest, which answers before Chorus sees the call, so resending is safe even for soumettre)
   * holds every caller of the application off for its Retry-After, then is sent again while the wait
   * fits; otherwise the 429 stands and the activity is retried after it. In an activity the wait is
   * bounded by the activity's own time less a reserve for the call (quotaWaitDeadline).
   */
  private async paced(operation: string, send: () => Promise<Response<string>>): Promise<Response<string>> {
    const quota = this.options.callQuota;
    if (!quota) return send();
    const deadline = quotaWaitDeadline(Date.now(), this.options.timeoutMs);
    for (;;) {
      try {
        await quota.acquire(this.application, Math.max(0, deadline - Date.now()));
      } catch (error) {
        if (!(error instanceof QuotaWaitTooLong)) throw error;
        throw new ChorusRateLimitedError({ operation }, Math.ceil(requeueDelayMs(error.retryAfterMs) / 1000));
      }
      const response = await send();
      // A used-up quota (X-Quota-* headers) is PisteQuotaExceeded's, with its own remedy and wait.
      if (response.statusCode !== 429 || response.headers['x-quota-remaining'] !== undefined) return response;
      const waitSeconds = retryAfterSeconds(response.headers['retry-after']) ?? 1;
      await quota.holdOff(this.application, waitSeconds);
      if (Date.now() + waitSeconds * 1000 >= deadline) return response;
      chorusRetries.inc({ operation, reason: 'rate_limited' });
    }
  }

  private baseScope(): Omit<CallScope, 'operation' | 'idempotent'> {
    const { piste, technicalAccount } = this.options.credentials;
    return {
      clientId: piste.clientId,
      login: technicalAccount.login,
      environment: this.environment,
      timeoutMs: this.options.timeoutMs,
      secrets: [piste.clientSecret, technicalAccount.password, this.cproAccount],
    };
  }

  private apiScope(operation: ChorusOperation<unknown, unknown>, token: string): ApiCallScope {
    const base = this.baseScope();
    return {
      ...base,
      secrets: [...base.secrets, token],
      operation: operationName(operation),
      family: operation.family,
      idempotent: operation.idempotent,
      reconcile: operation.reconcile,
      searchList: operation.searchList,
      envelope: operation.envelope,
    };
  }
}

/** Counts one call and its duration; the outcome is "ok" or the error type (`ChorusRateLimited` → `rate_limited`). */
function observeCall(operation: string, started: bigint, error?: unknown): void {
  const outcome =
    error === undefined
      ? 'ok'
      : isChorusError(error)
        ? error.type
            .replace(/^Chorus/, '')
            .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
            .toLowerCase()
        : 'error';
  chorusCalls.inc({ operation, outcome });
  chorusCallSeconds.observe({ operation, outcome }, secondsSince(started));
}

function readAnswer<Response>(
  operation: ChorusOperation<unknown, Response>,
  answer: HttpAnswer,
  scope: ApiCallScope,
  onAnswer?: AnswerObserver,
): Response {
  let json: unknown;
  try {
    json = parseChorusJson(answer.body);
  } catch {
    throw errorFromUnreadableAnswer(answer, scope, 'is not JSON');
  }
  onAnswer?.(scope.operation, json);
  const parsed = operation.answer.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
    throw errorFromUnreadableAnswer(answer, scope, `does not have the documented shape (at ${where})`);
  }
  return parsed.data;
}

const ENVIRONMENT_LABELS: Record<ChorusEnvironment, string> = {
  simulator: 'simulator',
  sandbox: 'sandbox (qualification)',
  production: 'production',
};

/** How messages name the environment, so a person knows which PISTE application to fix. */
function environmentLabel(environment: ChorusEnvironment | undefined, endpoints: ChorusEndpoints): string {
  if (environment) return ENVIRONMENT_LABELS[environment];
  const host = hostOf(endpoints.tokenUrl);
  if (host.endsWith('piste.gouv.fr') || host.endsWith('aife.economie.gouv.fr')) {
    return ENVIRONMENT_LABELS[host.startsWith('sandbox') ? 'sandbox' : 'production'];
  }
  return host;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
