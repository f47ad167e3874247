import type { Got } from 'got';
import { z } from 'zod';
import { errorFromTokenAnswer, errorFromTransportFailure, type CallScope, type HttpAnswer } from './errors';
import { transportFailureOf, type ExchangeContext } from './http';
import type { IssuedToken, PisteTokenOwner } from './token-cache';

/** Success body of the PISTE token endpoint (API-FACTS §1.1); other members are ignored. */
const TokenAnswer = z.object({
  access_token: z.string().min(1),
  // PISTE issues 3600 s tokens; a missing lifetime is taken as that.
  expires_in: z.coerce.number().positive().default(3600),
});

export const TOKEN_OPERATION = 'oauth/token';

/** OAuth2 client-credentials grant against the PISTE token endpoint. */
export async function requestPisteToken(
  http: Got,
  owner: PisteTokenOwner,
  scope: CallScope,
): Promise<IssuedToken> {
  const context: ExchangeContext = { operation: TOKEN_OPERATION, attempt: 1 };
  let answer: HttpAnswer;
  try {
    const response = await http.post(owner.tokenUrl, {
      form: {
        grant_type: 'client_credentials',
        client_id: owner.clientId,
        client_secret: owner.clientSecret,
        scope: 'openid',
      },
      headers: { accept: 'application/json' },
      responseType: 'text',
      context,
    });
    answer = { statusCode: response.statusCode, headers: response.headers, body: response.body };
  } catch (error) {
    const failure = transportFailureOf(error);
    if (failure === undefined) throw error;
    throw errorFromTransportFailure(failure, scope);
  }

  if (answer.statusCode === 200) {
    const parsed = TokenAnswer.safeParse(parseJson(answer.body));
    if (parsed.success) {
      return { accessToken: parsed.data.access_token, expiresInSeconds: parsed.data.expires_in };
    }
  }
  throw errorFromTokenAnswer(answer, scope);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
