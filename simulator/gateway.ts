import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { CallerIdentity, SimulatorContext } from './context';
import { API_FAMILIES, passwordExpiresAt, type ApiFamily, type TechnicalAccount } from './dataset';
import type { TokenStore } from './oauth';

/**
 * Every route the simulated PISTE gateway knows, per API family, as `<METHOD> <operation>`.
 * Anything else answers 403 like the real gateway (API-FACTS §4.1 notes, §9.2).
 * The Factures routes are implemented in simulator/factures/router.ts.
 */
export const KNOWN_ROUTES: Record<ApiFamily, readonly string[]> = {
  transverses: [
    'GET health-check',
    'POST ajouter/fichier',
    'POST recuperer/structures/actives/fournisseur',
    'POST recuperer/coordbanc/valides',
    'POST recuperer/cadrefacturation',
    'POST recuperer/motifs/exonerationtva',
    'POST recuperer/modereglements',
    'POST recuperer/typespj',
  ],
  structures: ['POST rechercher', 'POST consulter', 'POST rechercher/services', 'POST consulter/service'],
  utilisateurs: ['POST monCompte/recuperer/rattachements'],
  engagementsJuridiques: ['POST rechercher'],
  factures: [
    'POST soumettre',
    'POST rechercher/fournisseur',
    'POST consulter/fournisseur',
    'POST consulter/historique',
    'POST recycler',
    'POST completer',
  ],
};

/** What the gateway learnt about a call, kept in `res.locals.route` for fault injection and logs. */
export interface GatewayRoute {
  family: ApiFamily;
  /** `<family>/<operation>`, the key of counters and faults (`structures/rechercher/services`). */
  operationKey: string;
}

export function routeOf(res: Response): GatewayRoute | undefined {
  return res.locals.route as GatewayRoute | undefined;
}

const MISSING_TOKEN =
  'Bearer realm="DefaultRealm", error="invalid_request", error_description="Unable to find token in the message"';
const INVALID_TOKEN =
  'Bearer realm="DefaultRealm", error="invalid_token", error_description="The access token is invalid or has expired"';
const TECHNICAL_ACCOUNT_REJECTED =
  'Bearer realm="PISTE",error="Unauthorized",error_description="login or password incorrects"';

/** Parses `/cpro/<family>/v1/<operation>` (path relative to the gateway's mount point `/cpro`). */
export function recognise(method: string, path: string): GatewayRoute | undefined {
  const match = /^\/([^/]+)\/v1\/(.+?)\/?$/.exec(path);
  if (!match) return undefined;
  const family = API_FAMILIES.find((f) => f === match[1]);
  if (!family) return undefined;
  const operation = match[2];
  if (!KNOWN_ROUTES[family].includes(`${method.toUpperCase()} ${operation}`)) return undefined;
  return { family, operationKey: `${family}/${operation}` };
}

/**
 * The PISTE gateway in front of every `/cpro/` route. Checks, in this order: a bearer token
 * is present (400), it is valid (401), the route exists and the client subscribed to its
 * family (403, empty body), the `cpro-account` technical account is accepted (401).
 */
export function pisteGateway(ctx: SimulatorContext, tokens: TokenStore): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const bearer = bearerOf(req);
    if (bearer === undefined) {
      res.status(400).set('WWW-Authenticate', MISSING_TOKEN).end();
      return;
    }
    const clientId = tokens.clientIdOf(bearer);
    const client = ctx.dataset.pisteClients.find((c) => c.clientId === clientId);
    if (!client) {
      res.status(401).set('WWW-Authenticate', INVALID_TOKEN).end();
      return;
    }
    if (client.quotaExhausted) {
      refuseForQuota(res);
      return;
    }
    const route = recognise(req.method, req.path);
    if (!route || !client.families.includes(route.family)) {
      res.status(403).end();
      return;
    }
    const account = technicalAccountOf(ctx, req.get('cpro-account'));
    if (!account) {
      res.status(401).set('WWW-Authenticate', TECHNICAL_ACCOUNT_REJECTED).end();
      return;
    }
    if (account.disabled) {
      refuseDisabledUser(ctx, res, account);
      return;
    }
    const caller: CallerIdentity = { client, account };
    res.locals.caller = caller;
    res.locals.route = route;
    next();
  };
}

/** Real seconds until a used-up quota is granted again (simulator-specific). */
const QUOTA_RESET_SECONDS = 3600;

/** A refusal the gateway explains, in the shape some API gateways use (see simulator/README.md). */
function sendGatewayRefusal(
  res: Response,
  status: number,
  httpMessage: string,
  moreInformation: string,
): void {
  res
    .status(status)
    .type('application/json')
    .send(JSON.stringify({ httpCode: String(status), httpMessage, moreInformation }));
}

/** A used-up PISTE quota: 403 with quota headers and a body that says so, never an empty 403. */
function refuseForQuota(res: Response): void {
  res.set({
    'X-Quota-Limit': '10000',
    'X-Quota-Remaining': '0',
    'X-Quota-Reset': String(Date.now() + QUOTA_RESET_SECONDS * 1000),
    'Retry-After': String(QUOTA_RESET_SECONDS),
  });
  sendGatewayRefusal(res, 403, 'Forbidden', 'Quota exceeded for this application');
}

/** A disabled technical user (OCA issue #349): the first call is a plain 401, every later one a 403 that says why. */
function refuseDisabledUser(ctx: SimulatorContext, res: Response, account: TechnicalAccount): void {
  if (ctx.disabledAccountsTold.has(account.login)) {
    sendGatewayRefusal(res, 403, 'Forbidden', 'Utilisateur technique desactive : acces refuse');
    return;
  }
  ctx.disabledAccountsTold.add(account.login);
  res.status(401).set('WWW-Authenticate', TECHNICAL_ACCOUNT_REJECTED).end();
}

function bearerOf(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return match?.[1];
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The account named by a `cpro-account` header (base64 of `login:password`) if it may call the API now. */
function technicalAccountOf(ctx: SimulatorContext, header: string | undefined): TechnicalAccount | undefined {
  const encoded = header?.trim();
  if (!encoded || !BASE64.test(encoded)) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  const login = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  const account = ctx.dataset.technicalAccounts.find((a) => a.login === login);
  if (!account || account.password !== password || !account.active) return undefined;
  // Password expiry follows the simulated clock (see PasswordExpiry in dataset.ts).
  const now = ctx.clock.now();
  if (passwordExpiresAt(account, now).getTime() <= now.getTime()) return undefined;
  return account;
}
