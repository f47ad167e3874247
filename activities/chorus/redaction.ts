/**
 * Response bodies of failed calls are kept on errors for the audit trail. They travel into
 * workflow history and logs, so every known secret is blanked before a body is kept.
 */

export const REDACTED = '[REDACTED]';

/** Long enough to show a Chorus envelope or a gateway error, short enough for a Temporal payload. */
export const MAX_KEPT_BODY_CHARS = 4000;

/** JSON members that carry a secret whatever their value (an echoed token, a password field). */
const SECRET_MEMBER =
  /("(?:access_token|client_secret|password|motDePasse|cpro-account|authorization)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;

/** Form-encoded or header-like `name=value` pairs carrying a secret. */
const SECRET_PAIR = /\b(client_secret|password|access_token)=[^&\s"]*/gi;

/** Bearer values in echoed headers. */
const BEARER_VALUE = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/g;

/** Secrets shorter than this are not searched for verbatim: they would blank innocent text. */
const MIN_VERBATIM_SECRET_LENGTH = 4;

/** Blanks every given secret and every secret-looking member; keeps the rest readable. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_VERBATIM_SECRET_LENGTH) out = out.split(secret).join(REDACTED);
  }
  return out
    .replace(SECRET_MEMBER, `$1"${REDACTED}"`)
    .replace(SECRET_PAIR, `$1=${REDACTED}`)
    .replace(BEARER_VALUE, `$1${REDACTED}`);
}

/** The form of a response body kept on an error: redacted, then bounded. */
export function keptBody(text: string, secrets: readonly string[]): string | undefined {
  if (text === '') return undefined;
  const redacted = redactSecrets(text, secrets);
  return redacted.length > MAX_KEPT_BODY_CHARS
    ? `${redacted.slice(0, MAX_KEPT_BODY_CHARS)}… [truncated, ${redacted.length} chars]`
    : redacted;
}
