import got, { type Method } from 'got';
import { parseChorusJson, stringifyChorusJson } from '../../domain/chorus-json';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../simulator/app';
import { credentialsByScenario, type CredentialSet } from '../../simulator/dataset';

/** Real HTTP against a simulator started on a free port, for the core (non-Factures) tests. */

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed with exact decimals, or {} when empty / not JSON. */
  body: Record<string, unknown> & { codeRetour?: number; libelle?: string };
}

export interface CallOptions {
  method?: Method;
  body?: unknown;
  /** Raw body sent as is (takes precedence over `body`). */
  rawBody?: string;
  /** `null` sends no Authorization header. */
  bearer?: string | null;
  /** `null` sends no cpro-account header; a string is sent verbatim. */
  cproAccount?: string | null;
  /** Extra headers, applied last. */
  headers?: Record<string, string>;
}

export interface SimulatorHarness {
  sim: RunningSimulator;
  credentials(scenario: string): CredentialSet;
  requestToken(form: Record<string, string>, contentType?: string): Promise<Reply>;
  /** A fresh bearer token for a credentials scenario. */
  tokenFor(scenario: string): Promise<string>;
  /** Calls `/cpro/<path>` as the given credentials scenario (default `credentials.valid`). */
  call(path: string, options?: CallOptions & { as?: string }): Promise<Reply>;
  admin(method: Method, path: string, body?: unknown): Promise<Reply>;
  close(): Promise<void>;
}

export function cproAccountOf(login: string, password: string): string {
  return Buffer.from(`${login}:${password}`, 'utf8').toString('base64');
}

export async function startSimulatorHarness(options: SimulatorOptions = {}): Promise<SimulatorHarness> {
  const sim = await startSimulator({ port: 0, ...options });
  const tokens = new Map<string, string>();

  const send = async (
    method: Method,
    url: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<Reply> => {
    const response = await got(url, {
      method,
      headers,
      body,
      throwHttpErrors: false,
      retry: 0,
      followRedirect: false,
      timeout: 30_000,
    });
    return {
      status: response.statusCode,
      headers: response.headers,
      text: response.body,
      body: parse(response.body),
    };
  };

  const requestToken = (form: Record<string, string>, contentType = 'application/x-www-form-urlencoded') =>
    send(
      'POST',
      `${sim.url}/api/oauth/token`,
      { 'content-type': contentType },
      contentType.includes('json') ? JSON.stringify(form) : new URLSearchParams(form).toString(),
    );

  const credentials = (scenario: string) => credentialsByScenario(sim.ctx.dataset, scenario);

  const tokenFor = async (scenario: string) => {
    const cached = tokens.get(scenario);
    if (cached) return cached;
    const { piste } = credentials(scenario);
    const reply = await requestToken({
      grant_type: 'client_credentials',
      client_id: piste.clientId,
      client_secret: piste.clientSecret,
      scope: 'openid',
    });
    if (reply.status !== 200) throw new Error(`token for ${scenario}: HTTP ${reply.status} ${reply.text}`);
    const token = String(reply.body.access_token);
    tokens.set(scenario, token);
    return token;
  };

  return {
    sim,
    credentials,
    requestToken,
    tokenFor,
    async call(
      path,
      { as = 'credentials.valid', method = 'POST', body, rawBody, bearer, cproAccount, headers: extra } = {},
    ) {
      const headers: Record<string, string> = { 'content-type': 'application/json;charset=utf-8' };
      const token = bearer === undefined ? await tokenFor(as) : bearer;
      if (token !== null) headers.authorization = `Bearer ${token}`;
      const { technicalAccount } = credentials(as);
      const account =
        cproAccount === undefined
          ? cproAccountOf(technicalAccount.login, technicalAccount.password)
          : cproAccount;
      if (account !== null) headers['cpro-account'] = account;
      Object.assign(headers, extra);
      const payload =
        rawBody ?? (body === undefined ? (method === 'GET' ? undefined : '{}') : stringifyChorusJson(body));
      return send(method, `${sim.url}/cpro/${path}`, headers, payload);
    },
    admin: (method, path, body) =>
      send(
        method,
        `${sim.url}/__admin/${path}`,
        { 'content-type': 'application/json' },
        body === undefined ? undefined : JSON.stringify(body),
      ),
    close: () => sim.close(),
  };
}

function parse(text: string): Reply['body'] {
  if (!text) return {};
  try {
    const value = parseChorusJson(text);
    return value && typeof value === 'object' ? (value as Reply['body']) : {};
  } catch {
    return {};
  }
}
