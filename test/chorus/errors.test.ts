import {
  ChorusBusinessError,
  errorFromApiAnswer,
  errorFromTokenAnswer,
  errorFromTransportFailure,
  errorFromUnreadableAnswer,
  retryAfterSeconds,
  unauthorizedCause,
  type ApiCallScope,
  type HttpAnswer,
} from '../../activities/chorus/errors';
import { toApplicationFailure, NON_RETRYABLE_CHORUS_FAILURE_TYPES } from '../../activities/chorus/failure';
import { keptBody, redactSecrets, MAX_KEPT_BODY_CHARS } from '../../activities/chorus/redaction';
import { ApplicationFailure } from '@temporalio/common';

const SECRETS = { clientSecret: 'client-secret-xyz', password: 'Tech-Password-1', token: 'AbCdEf0123456789' };
const cproAccount = Buffer.from(`TECH_1_x@cpro.fr:${SECRETS.password}`).toString('base64');

const scope = (overrides: Partial<ApiCallScope> = {}): ApiCallScope => ({
  operation: 'structures/rechercher',
  family: 'structures',
  clientId: 'client-id-1',
  login: 'TECH_1_x@cpro.fr',
  environment: 'sandbox (qualification)',
  timeoutMs: 5000,
  secrets: [SECRETS.clientSecret, SECRETS.password, SECRETS.token, cproAccount],
  idempotent: true,
  envelope: true,
  ...overrides,
});

const soumettre = scope({
  operation: 'factures/soumettre',
  family: 'factures',
  idempotent: false,
  reconcile: 'Look the invoice up by numeroFacture',
});

const answer = (statusCode: number, body = '', headers: HttpAnswer['headers'] = {}): HttpAnswer => ({
  statusCode,
  body,
  headers: { 'x-piste-request-id': 'req-42', ...headers },
});

describe('errors: one place maps HTTP outcomes to typed errors', () => {
  it('token endpoint 400 invalid_client → PISTE credentials rejected, naming the remedy', () => {
    const error = errorFromTokenAnswer(
      answer(400, '{"error":"invalid_client","error_description":"Client authentication failed"}'),
      { ...scope(), operation: 'oauth/token' },
    );
    expect(error.type).toBe('ChorusPisteCredentialsRejected');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/client id or the client secret is wrong/);
    expect(error.message).toMatch(/sandbox application while production is called/);
    expect(error.message).toContain('client-id-1');
  });

  it('token endpoint 5xx and 429 are retryable', () => {
    const tokenScope = { ...scope(), operation: 'oauth/token' };
    expect(errorFromTokenAnswer(answer(502), tokenScope).type).toBe('ChorusUnavailable');
    const limited = errorFromTokenAnswer(answer(429, '', { 'retry-after': '7' }), tokenScope);
    expect(limited.type).toBe('ChorusRateLimited');
    expect(limited.retryAfterSeconds).toBe(7);
  });

  it('tells the bearer 401 from the technical-account 401 by WWW-Authenticate', () => {
    expect(
      unauthorizedCause(
        answer(401, '', { 'www-authenticate': 'Bearer realm="DefaultRealm", error="invalid_token"' }),
      ),
    ).toBe('bearer');
    expect(
      unauthorizedCause(
        answer(401, '', {
          'www-authenticate':
            'Bearer realm="PISTE",error="Unauthorized",error_description="login or password incorrects"',
        }),
      ),
    ).toBe('technical-account');
    expect(unauthorizedCause(answer(401))).toBe('unknown');
  });

  it('401 login or password incorrects → technical account rejected, naming the three causes', () => {
    const error = errorFromApiAnswer(
      answer(401, '', { 'www-authenticate': 'Bearer error_description="login or password incorrects"' }),
      scope(),
    );
    expect(error?.type).toBe('ChorusTechnicalAccountRejected');
    expect(error?.retryable).toBe(false);
    expect(error?.message).toMatch(/password has expired/);
    expect(error?.message).toMatch(/not active yet/);
    expect(error?.message).toMatch(/30 minutes/);
    expect(error?.pisteRequestId).toBe('req-42');
  });

  it('a 401 invalid_token that survives the refresh → access token rejected, retryable', () => {
    const error = errorFromApiAnswer(
      answer(401, '', { 'www-authenticate': 'Bearer error="invalid_token"' }),
      scope(),
    );
    expect(error?.type).toBe('ChorusAccessTokenRejected');
    expect(error?.retryable).toBe(true);
  });

  it('403 → API family not subscribed, with the PISTE label and the remedy', () => {
    const error = errorFromApiAnswer(
      answer(403),
      scope({ family: 'engagementsJuridiques', operation: 'engagementsJuridiques/rechercher' }),
    );
    expect(error?.type).toBe('ChorusApiFamilyNotSubscribed');
    expect(error?.retryable).toBe(false);
    expect(error?.message).toContain('"Engagements"');
    expect(error?.message).toMatch(/accept the terms of use/);
    expect(error?.message).toMatch(/attach the "Engagements" API to the application/);
    expect(error?.toDetails().family).toBe('Engagements');
  });

  it('codeRetour ≠ 0 on 400 or on 200 → business error keeping codeRetour and libelle', () => {
    for (const status of [400, 200]) {
      const error = errorFromApiAnswer(
        answer(status, '{"codeRetour":20301,"libelle":"GDP_MSG_11.001"}'),
        scope(),
      );
      expect(error).toBeInstanceOf(ChorusBusinessError);
      const business = error as ChorusBusinessError;
      expect(business.codeRetour).toBe(20301);
      expect(business.libelle).toBe('GDP_MSG_11.001');
      expect(business.retryable).toBe(false);
      expect(business.responseBody).toContain('GDP_MSG_11.001');
    }
  });

  it('an empty search (200 + codeRetour 20000) is not an error, but 20000 elsewhere is', () => {
    const empty = answer(200, '{"codeRetour":20000,"libelle":"TRA_MSG_00.015","listeStructures":[]}');
    expect(errorFromApiAnswer(empty, scope({ searchList: 'listeStructures' }))).toBeUndefined();
    expect(errorFromApiAnswer(empty, scope())?.type).toBe('ChorusBusinessError');
    expect(
      errorFromApiAnswer(
        answer(400, '{"codeRetour":20000,"libelle":"GDP_MSG_11.008"}'),
        scope({ searchList: 'x' }),
      )?.type,
    ).toBe('ChorusBusinessError');
  });

  it('5xx → unavailable and retryable; on soumettre the outcome is unknown', () => {
    const onSearch = errorFromApiAnswer(answer(500, 'Internal error'), scope());
    expect(onSearch?.type).toBe('ChorusUnavailable');
    expect(onSearch?.retryable).toBe(true);
    expect(onSearch?.outcomeUnknown).toBe(false);

    const onSubmit = errorFromApiAnswer(answer(503, '', { 'retry-after': '30' }), soumettre);
    expect(onSubmit?.type).toBe('ChorusUnavailable');
    expect(onSubmit?.outcomeUnknown).toBe(true);
    expect(onSubmit?.retryAfterSeconds).toBe(30);
    expect(onSubmit?.message).toMatch(/may have been committed/);
    expect(onSubmit?.message).toMatch(/Look the invoice up by numeroFacture/);
  });

  it('429 → rate limited with Retry-After, never an unknown outcome', () => {
    const error = errorFromApiAnswer(answer(429, '', { 'retry-after': '12' }), soumettre);
    expect(error?.type).toBe('ChorusRateLimited');
    expect(error?.retryable).toBe(true);
    expect(error?.retryAfterSeconds).toBe(12);
    expect(error?.outcomeUnknown).toBe(false);
  });

  it('timeouts and lost connections are retryable; only writes get an unknown outcome', () => {
    const timeout = errorFromTransportFailure({ timedOut: true, code: 'ETIMEDOUT' }, soumettre);
    expect(timeout.type).toBe('ChorusUnavailable');
    expect(timeout.outcomeUnknown).toBe(true);
    expect(timeout.message).toContain('5000 ms');

    const reset = errorFromTransportFailure({ timedOut: false, code: 'ECONNRESET' }, scope());
    expect(reset.retryable).toBe(true);
    expect(reset.outcomeUnknown).toBe(false);

    const refused = errorFromTransportFailure({ timedOut: false, code: 'ECONNREFUSED' }, soumettre);
    expect(refused.retryable).toBe(true);
    expect(refused.outcomeUnknown).toBe(false); // nothing was sent
  });

  it('unexpected answers: 404 is not retryable; an unreadable 2xx on a write is an unknown outcome', () => {
    expect(errorFromApiAnswer(answer(404), scope())?.type).toBe('ChorusUnexpectedResponse');
    expect(errorFromApiAnswer(answer(404), scope())?.retryable).toBe(false);
    const unreadable = errorFromUnreadableAnswer(answer(200, '{}'), soumettre, 'lacks identifiantFactureCPP');
    expect(unreadable.outcomeUnknown).toBe(true);
    expect(unreadable.retryable).toBe(true);
  });

  it('health-check answers without an envelope are successes', () => {
    expect(
      errorFromApiAnswer(
        answer(200, '{"body":"ok","statusCode":"OK","statusCodeValue":200}'),
        scope({ envelope: false, operation: 'transverses/health-check', family: 'transverses' }),
      ),
    ).toBeUndefined();
  });

  it('parses Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterSeconds('120')).toBe(120);
    expect(retryAfterSeconds(new Date(Date.UTC(2030, 0, 1, 0, 1)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(
      60,
    );
    expect(retryAfterSeconds(undefined)).toBeUndefined();
    expect(retryAfterSeconds('soon')).toBeUndefined();
  });
});

describe('kept bodies and messages carry no secret', () => {
  it('blanks known secrets, secret members and bearer values', () => {
    const echoed = JSON.stringify({
      access_token: 'zzzzzzzz',
      client_secret: SECRETS.clientSecret,
      note: `cpro-account was ${cproAccount}; header Bearer ${SECRETS.token}`,
      password: 'anything',
    });
    const kept = redactSecrets(echoed, scope().secrets);
    for (const secret of [...Object.values(SECRETS), cproAccount, 'zzzzzzzz', 'anything']) {
      expect(kept).not.toContain(secret);
    }
    expect(kept).toContain('[redacted]');
  });

  it('bounds kept bodies', () => {
    expect(keptBody('x'.repeat(MAX_KEPT_BODY_CHARS * 2), [])!.length).toBeLessThan(MAX_KEPT_BODY_CHARS + 50);
    expect(keptBody('', [])).toBeUndefined();
  });

  it('no error message or kept body holds a secret, whatever the answer', () => {
    const leaky = `{"codeRetour":1,"libelle":"echo ${SECRETS.password} ${cproAccount} ${SECRETS.clientSecret}"}`;
    const errors = [
      errorFromApiAnswer(answer(400, leaky), scope()),
      errorFromApiAnswer(answer(500, leaky), soumettre),
      errorFromApiAnswer(answer(403, leaky), scope()),
      errorFromApiAnswer(answer(401, leaky), scope()),
      errorFromTokenAnswer(
        answer(400, `{"error":"invalid_client","echo":"${SECRETS.clientSecret}"}`),
        scope(),
      ),
    ];
    for (const error of errors) {
      const text = JSON.stringify(error?.toDetails());
      for (const secret of [...Object.values(SECRETS), cproAccount]) expect(text).not.toContain(secret);
    }
  });
});

describe('toApplicationFailure', () => {
  it('carries type, retryability, Retry-After delay and secret-free details', () => {
    const limited = errorFromApiAnswer(answer(429, '', { 'retry-after': '9' }), scope())!;
    const failure = toApplicationFailure(limited);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.type).toBe('ChorusRateLimited');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.nextRetryDelay).toBe('9s');
    expect(failure.details?.[0]).toMatchObject({ type: 'ChorusRateLimited', retryAfterSeconds: 9 });

    const unavailable = toApplicationFailure(
      errorFromApiAnswer(answer(503, '', { 'retry-after': '4' }), scope())!,
    );
    expect(unavailable.nextRetryDelay).toBe('4s');

    const business = toApplicationFailure(
      errorFromApiAnswer(answer(400, '{"codeRetour":5,"libelle":"x"}'), scope())!,
    );
    expect(business.nonRetryable).toBe(true);
    expect(business.details?.[0]).toMatchObject({ codeRetour: 5, libelle: 'x' });
  });

  it('lists exactly the non-retryable types', () => {
    expect([...NON_RETRYABLE_CHORUS_FAILURE_TYPES].sort()).toEqual(
      [
        'ChorusApiFamilyNotSubscribed',
        'ChorusBusinessError',
        'ChorusPisteCredentialsRejected',
        'ChorusTechnicalAccountRejected',
        'ChorusTechnicalUserDisabled',
      ].sort(),
    );
  });

  it('passes other errors through as retryable failures', () => {
    const failure = toApplicationFailure(new TypeError('bug'));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toBe('bug');
  });
});
