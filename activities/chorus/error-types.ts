import { API_FAMILY_LABELS, type ApiFamily } from './families';

/** Stable names: Temporal retry policies and workflows match failures on these (NOTES C10). */
export type ChorusErrorType =
  | 'ChorusPisteCredentialsRejected'
  | 'ChorusTechnicalAccountRejected'
  | 'ChorusApiFamilyNotSubscribed'
  | 'ChorusBusinessError'
  | 'ChorusUnavailable'
  | 'ChorusRateLimited'
  | 'ChorusAccessTokenRejected'
  | 'ChorusUnexpectedResponse'
  | 'ChorusTechnicalUserDisabled'
  | 'ChorusQuotaExceeded'
  | 'ChorusUnrecognisedNoResult';

/** What a person does about an error, in the two languages the back-office and the API speak. */
export interface Remedy {
  fr: string;
  en: string;
}

/** JSON-safe summary of an error, without secrets: for Temporal failure details and logs. */
export interface ChorusErrorDetails {
  type: ChorusErrorType;
  retryable: boolean;
  operation: string;
  httpStatus?: number;
  pisteRequestId?: string;
  /** Redacted response body of the failed call, kept for the audit trail. */
  responseBody?: string;
  /** True when a non-idempotent request may have been committed although no answer says so. */
  outcomeUnknown: boolean;
  retryAfterSeconds?: number;
  codeRetour?: number;
  libelle?: string;
  family?: string;
  remedy?: Remedy;
}

/** What every error knows about the call that produced it. */
export interface ChorusErrorContext {
  /** `<family>/<path>` (e.g. `factures/soumettre`) or `oauth/token`. */
  operation: string;
  httpStatus?: number;
  pisteRequestId?: string;
  /** Already redacted (redaction.ts). */
  responseBody?: string;
}

export abstract class ChorusError extends Error {
  abstract readonly type: ChorusErrorType;
  abstract readonly retryable: boolean;
  readonly operation: string;
  readonly httpStatus?: number;
  readonly pisteRequestId?: string;
  readonly responseBody?: string;
  readonly outcomeUnknown: boolean = false;
  readonly retryAfterSeconds?: number;

  protected constructor(message: string, context: ChorusErrorContext) {
    super(message);
    this.name = new.target.name;
    this.operation = context.operation;
    this.httpStatus = context.httpStatus;
    this.pisteRequestId = context.pisteRequestId;
    this.responseBody = context.responseBody;
  }

  toDetails(): ChorusErrorDetails {
    return dropUndefined({
      type: this.type,
      retryable: this.retryable,
      operation: this.operation,
      httpStatus: this.httpStatus,
      pisteRequestId: this.pisteRequestId,
      responseBody: this.responseBody,
      outcomeUnknown: this.outcomeUnknown,
      retryAfterSeconds: this.retryAfterSeconds,
      ...this.extraDetails(),
    });
  }

  protected extraDetails(): Partial<ChorusErrorDetails> {
    return {};
  }
}

/** Where an answer came from, for remedies that name the PISTE application and environment. */
export interface CallerDescription {
  clientId: string;
  login: string;
  environment: string;
}

/** Token endpoint answered 400 invalid_client. */
export class PisteCredentialsRejectedError extends ChorusError {
  readonly type = 'ChorusPisteCredentialsRejected';
  readonly retryable = false;

  constructor(context: ChorusErrorContext, clientId: string, environment: string) {
    super(
      `PISTE refused the OAuth credentials of the application with client id "${clientId}" ` +
        `(HTTP ${context.httpStatus ?? 400} invalid_client) on the ${environment} token endpoint. ` +
        'Either the client id or the client secret is wrong, or the credentials belong to the sandbox ' +
        'application while production is called (each PISTE environment has its own application). ' +
        'Copy both values again from PISTE → "Mes applications" → the application → "OAuth credentials" ' +
        `of the ${environment} environment.`,
      context,
    );
  }
}

/** API call answered 401 "login or password incorrects": the cpro-account header is refused. */
export class TechnicalAccountRejectedError extends ChorusError {
  readonly type = 'ChorusTechnicalAccountRejected';
  readonly retryable = false;

  constructor(context: ChorusErrorContext, login: string, environment: string) {
    super(
      `Chorus Pro (${environment}) refused the technical account "${login}" on ${context.operation} ` +
        '(HTTP 401 "login or password incorrects"). Either the login or the password is wrong, the ' +
        'password has expired, or the account is not active yet (a new technical account becomes usable ' +
        "about 30 minutes after its creation). Check it in the Chorus Pro portal as the structure's " +
        '"Gestionnaire principal" → "Raccordements EDI et API" → "Compte technique", and enter the ' +
        'current login and password again.',
      context,
    );
  }
}

/** API call answered 403: the PISTE application is not subscribed to this family. */
export class ApiFamilyNotSubscribedError extends ChorusError {
  readonly type = 'ChorusApiFamilyNotSubscribed';
  readonly retryable = false;
  readonly family: string;
  readonly remedy: Remedy;

  constructor(context: ChorusErrorContext, family: ApiFamily, clientId: string, environment: string) {
    const label = API_FAMILY_LABELS[family];
    super(
      `The PISTE application with client id "${clientId}" may not call the "${label}" API ` +
        `(HTTP 403 with an empty body on ${context.operation}: route not subscribed). In PISTE, accept the ` +
        `terms of use (CGU) of the "${label}" API for the ${environment} environment, then attach the ` +
        `"${label}" API to the application ("Mes applications" → edit → select the API → "Valider mes ` +
        'choix CGU" → save). If every API family answers 403, the technical user may have been disabled instead.',
      context,
    );
    this.family = label;
    this.remedy = {
      fr:
        `Route non souscrite : l'application PISTE n'a pas accès à l'API « ${label} » (403 sans contenu). Dans PISTE, ` +
        `acceptez les CGU de l'API « ${label} » (${environment}), puis « Mes applications » → modifier → sélectionnez ` +
        "l'API → « Valider mes choix CGU » → enregistrer. Si toutes les API répondent 403, le compte technique a peut-être été désactivé.",
      en:
        `Route not subscribed: the PISTE application may not call the "${label}" API (403, empty body). In PISTE, accept ` +
        `the terms of use of the "${label}" API (${environment}), then "My applications" → edit → select the API → ` +
        '"Valider mes choix CGU" → save. If every API answers 403, the technical user may have been disabled.',
    };
  }

  protected override extraDetails(): Partial<ChorusErrorDetails> {
    return { family: this.family, remedy: this.remedy };
  }
}

/** 403 naming a disabled technical user (after a first 401): someone disabled or changed it in the portal. */
export class TechnicalUserDisabledError extends ChorusError {
  readonly type = 'ChorusTechnicalUserDisabled';
  readonly retryable = false;
  readonly remedy: Remedy;

  constructor(context: ChorusErrorContext, caller: CallerDescription) {
    super(
      `Chorus Pro (${caller.environment}) refuses the technical user "${caller.login}" on ${context.operation}: ` +
        'it has been disabled (HTTP 403 naming the user, after a 401). This is not a missing API subscription: ' +
        'nothing in PISTE needs changing. In the Chorus Pro portal, as the structure\'s "Gestionnaire principal", ' +
        'open "Raccordements EDI et API" → "Compte technique", re-activate the account or create a new one, then ' +
        'enter its login and password here.',
      context,
    );
    this.remedy = {
      fr:
        `Compte technique désactivé : Chorus Pro refuse l'utilisateur technique ${caller.login} (403 après un 401). ` +
        "Ce n'est pas un abonnement PISTE manquant. Dans Chorus Pro, en gestionnaire principal, « Raccordements EDI et API » → " +
        '« Compte technique » : réactivez le compte ou créez-en un autre, puis saisissez ici son login et son mot de passe.',
      en:
        `Technical user disabled: Chorus Pro refuses the technical user ${caller.login} (403 after a 401). ` +
        'This is not a missing PISTE subscription. In Chorus Pro, as main manager, "Raccordements EDI et API" → ' +
        '"Compte technique": re-activate the account or create another one, then enter its login and password here.',
    };
  }

  protected override extraDetails(): Partial<ChorusErrorDetails> {
    return { remedy: this.remedy };
  }
}

/** PISTE refused the call because the application's quota is used up (403 or 429 with quota signs). */
export class PisteQuotaExceededError extends ChorusError {
  readonly type = 'ChorusQuotaExceeded';
  // Retried only after the quota resets (nextRetryDelay), so it never loops.
  readonly retryable = true;
  override readonly retryAfterSeconds: number;
  readonly remedy: Remedy;

  constructor(context: ChorusErrorContext, caller: CallerDescription, waitSeconds: number) {
    super(
      `PISTE refused ${context.operation} for the application with client id "${caller.clientId}" ` +
        `(${caller.environment}): its quota of calls is used up (HTTP ${context.httpStatus ?? 403} with quota ` +
        `information). The call is retried in ${waitSeconds} s, when the quota resets. If this happens often, ` +
        'spread the polling or ask PISTE for a larger quota; nothing is wrong with the subscriptions or the account.',
      context,
    );
    this.retryAfterSeconds = waitSeconds;
    this.remedy = {
      fr:
        `Quota PISTE atteint pour l'application ${caller.clientId} : l'appel est refusé et sera retenté dans ${waitSeconds} s. ` +
        'Les abonnements et le compte technique ne sont pas en cause ; si cela se répète, espacez les appels ou demandez à PISTE un quota plus élevé.',
      en:
        `PISTE quota reached for application ${caller.clientId}: the call is refused and retried in ${waitSeconds} s. ` +
        'Subscriptions and the technical account are fine; if this repeats, spread the calls or ask PISTE for a larger quota.',
    };
  }

  protected override extraDetails(): Partial<ChorusErrorDetails> {
    return { remedy: this.remedy };
  }
}

/**
 * A search answered HTTP 200 with an empty list and a codeRetour that is not a known "no result"
 * code of that operation: not an empty result we can trust, not a refusal of the request either.
 */
export class ChorusUnrecognisedNoResultError extends ChorusError {
  readonly type = 'ChorusUnrecognisedNoResult';
  // Kept alive and visible: retried slowly until the code is added to the table.
  readonly retryable = true;
  override readonly retryAfterSeconds = 300;
  readonly codeRetour: number;
  readonly libelle: string;

  constructor(context: ChorusErrorContext, codeRetour: number, libelle: string) {
    super(
      `Chorus Pro answered ${context.operation} with an empty list and codeRetour ${codeRetour} ("${libelle}"), ` +
        'which is not a known "no result" code of this operation. The call is retried in 5 minutes; if it is ' +
        'how this environment says "nothing found", add it to NO_RESULT_CODES in activities/chorus/uncertain-facts.ts ' +
        '(docs/chorus-facts.md).',
      context,
    );
    this.codeRetour = codeRetour;
    this.libelle = libelle;
  }

  protected override extraDetails(): Partial<ChorusErrorDetails> {
    return { codeRetour: this.codeRetour, libelle: this.libelle };
  }
}

/** Chorus answered with a non-zero codeRetour: the request itself must change. */
export class ChorusBusinessError extends ChorusError {
  readonly type = 'ChorusBusinessError';
  readonly retryable = false;
  readonly codeRetour: number;
  readonly libelle: string;

  constructor(context: ChorusErrorContext, codeRetour: number, libelle: string) {
    super(
      `Chorus Pro refused ${context.operation}: codeRetour ${codeRetour}, "${libelle}". ` +
        'Correct the data named by this message; sending the same request again will fail the same way.',
      context,
    );
    this.codeRetour = codeRetour;
    this.libelle = libelle;
  }

  protected override extraDetails(): Partial<ChorusErrorDetails> {
    return { codeRetour: this.codeRetour, libelle: this.libelle };
  }
}

/** How a call failed to produce an answer we can use. */
export type UnavailabilityCause = 'timeout' | 'server-error' | 'connection-lost' | 'connection-refused';

/** 5xx, timeouts, lost connections: temporary, Temporal retries the activity. */
export class ChorusUnavailableError extends ChorusError {
  readonly type = 'ChorusUnavailable';
  readonly retryable = true;
  override readonly outcomeUnknown: boolean;
  override readonly retryAfterSeconds?: number;
  readonly reason: UnavailabilityCause;

  constructor(
    context: ChorusErrorContext,
    what: { reason: UnavailabilityCause; description: string; retryAfterSeconds?: number },
    reconcile?: string,
  ) {
    const unknown = reconcile !== undefined;
    super(
      `Chorus Pro did not complete ${context.operation}: ${what.description}. This is usually temporary; ` +
        'the call is retried later.' +
        (unknown
          ? ` Outcome unknown: the request may have been committed. ${reconcile} before sending it again.`
          : ''),
      context,
    );
    this.reason = what.reason;
    this.outcomeUnknown = unknown;
    this.retryAfterSeconds = what.retryAfterSeconds;
  }
}

/** 429: PISTE quota reached for this application. */
export class ChorusRateLimitedError extends ChorusError {
  readonly type = 'ChorusRateLimited';
  readonly retryable = true;
  override readonly retryAfterSeconds?: number;

  constructor(context: ChorusErrorContext, retryAfterSeconds: number | undefined) {
    // Without an HTTP status the call was not sent: the configured quota (CHORUS_CALLS_PER_SECOND) had no turn in time.
    const sent = context.httpStatus !== undefined;
    super(
      (sent
        ? `PISTE limited the rate of calls (HTTP 429 on ${context.operation})`
        : `The PISTE application's call quota (CHORUS_CALLS_PER_SECOND) had no turn for ${context.operation} in time`) +
        (retryAfterSeconds !== undefined
          ? sent
            ? `; it asks to wait ${retryAfterSeconds} s`
            : `; the next is ${retryAfterSeconds} s away`
          : '') +
        '. The call is retried after that delay; if this happens often, spread the polling or ask PISTE ' +
        'for a larger quota.',
      context,
    );
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A freshly issued bearer token was refused again right after the one refresh. */
export class AccessTokenRejectedError extends ChorusError {
  readonly type = 'ChorusAccessTokenRejected';
  readonly retryable = true;

  constructor(context: ChorusErrorContext) {
    super(
      `The PISTE gateway refused a freshly issued access token on ${context.operation} (HTTP 401 ` +
        'invalid_token after one refresh). The gateway is probably inconsistent for a moment; the call is ' +
        'retried later. If it persists, check that the token URL and API URL belong to the same environment.',
      context,
    );
  }
}

/** An answer that fits no documented shape (404, 415, malformed 400, a 2xx we cannot read). */
export class ChorusUnexpectedResponseError extends ChorusError {
  readonly type = 'ChorusUnexpectedResponse';
  readonly retryable: boolean;
  override readonly outcomeUnknown: boolean;

  constructor(context: ChorusErrorContext, description: string, reconcile?: string) {
    const unknown = reconcile !== undefined;
    super(
      `Chorus Pro answered ${context.operation} in an unexpected way: ${description}.` +
        (unknown
          ? ` Outcome unknown: the request may have been committed. ${reconcile} before sending it again.`
          : ' Report it with the PISTE request id; retrying the same request is not expected to help.'),
      context,
    );
    // When a write may have happened, the caller must reconcile and may then resend.
    this.retryable = unknown;
    this.outcomeUnknown = unknown;
  }
}

/** Every type whose failure a retry cannot fix; give it to `nonRetryableErrorTypes`. */
export const NON_RETRYABLE_CHORUS_ERROR_TYPES: readonly ChorusErrorType[] = [
  'ChorusPisteCredentialsRejected',
  'ChorusTechnicalAccountRejected',
  'ChorusApiFamilyNotSubscribed',
  'ChorusBusinessError',
  'ChorusTechnicalUserDisabled',
];

export function isChorusError(value: unknown): value is ChorusError {
  return value instanceof ChorusError;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
