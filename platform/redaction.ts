/**
 * The one redaction: every place that shows or keeps data a secret could hide in — logs (pino),
 * the Chorus client's kept error bodies, the audit timeline and raw histories — uses this module's
 * vocabulary of secret names and its cleaners. No secret, token, sealed string or file content
 * comes out of them, even if one ever got in.
 */

/** Member names whose values are secrets wherever they appear (JSON members, log fields, form pairs). */
export const SECRET_NAMES = [
  'clientSecret',
  'client_secret',
  'password',
  'passwd',
  'motDePasse',
  'access_token',
  'accessToken',
  'token',
  'authorization',
  'cpro-account',
  'cproAccount',
  'apiKey',
  'api-key',
  'secret',
  'sealingKey',
  'encryptionKey',
  'privateKey',
  'private-key',
  'credentials',
  'contentBase64',
  'pieceJointeFichier',
] as const;

export const REDACTED = '[redacted]';

/** A key whose value is never shown, whatever it holds (case-insensitive, also inside longer names). */
export const SECRET_KEY =
  /secret|password|passwd|token|authorization|motDePasse|contentBase64|pieceJointeFichier|cpro-?account|api-?key|private-?key|credentials|sealingKey|encryptionKey/i;

/** Secret-named words that may prefix a `=value` or `: value` in free text. */
const SECRET_WORD = 'secret|password|passwd|token|authorization|motDePasse|cpro-account|api-?key';

const LONG_BASE64_RUN = /[A-Za-z0-9+/_-]{40,}={0,2}/g;
const WHOLE_BASE64 = /^[A-Za-z0-9+/_-]{40,}={0,2}$/;

/** Base64 content or an opaque token: long, and mixing upper case, lower case and digits (hex digests are kept). */
function looksLikeBase64(text: string): boolean {
  return text.length >= 40 && /[A-Z]/.test(text) && /[a-z]/.test(text) && /[0-9]/.test(text);
}

/** Removes secrets from free text: bearer/basic credentials, sealed strings, `secret=…` pairs, base64 runs. */
export function redactText(text: string): string {
  return text
    .replace(/sealed:v\d+:[^\s"',;)]*/gi, REDACTED)
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`)
    .replace(
      new RegExp(
        `\\b([\\w-]*(?:${SECRET_WORD})[\\w-]*)(["']?\\s*[=:]\\s*["']?)(?!(?:Bearer|Basic)\\s|\\[redacted\\])([^\\s"'&,;]+)`,
        'gi',
      ),
      `$1$2${REDACTED}`,
    )
    .replace(LONG_BASE64_RUN, (run) =>
      looksLikeBase64(run) ? `[dropped: ${run.length} base64 characters]` : run,
    );
}

/**
 * A deep copy of `value` that is safe to show: values under secret-looking keys become
 * "[redacted]", long base64 strings and binary data are dropped, strings are cleaned by
 * `redactText`, URLs lose their query strings and credentials.
 */
export function redact(value: unknown, key = ''): unknown {
  if (key && SECRET_KEY.test(key)) return REDACTED;
  if (value === null || value === undefined) return value;
  if (typeof value === 'string') {
    if (WHOLE_BASE64.test(value) && looksLikeBase64(value))
      return `[dropped: ${value.length} base64 characters]`;
    if (/url$/i.test(key)) return redactUrl(value);
    return redactText(value);
  }
  if (typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return `[dropped: ${value.length} bytes]`;
  if (Array.isArray(value)) return value.map((v) => redact(v));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redact(v, k);
  return out;
}

/** A URL without user info and without its query string (which may carry a token). */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    const query = url.search ? `?${REDACTED}` : '';
    return redactText(`${url.protocol}//${url.host}${url.pathname}${query}`);
  } catch {
    return redactText(text);
  }
}

/** Secrets shorter than this are not searched for verbatim: they would blank innocent text. */
const MIN_VERBATIM_SECRET_LENGTH = 4;

const quoted = (name: string) => name.replace(/[-]/g, '\\-');

/** JSON members that carry a secret whatever their value. */
const SECRET_MEMBER = new RegExp(
  `("(?:${SECRET_NAMES.map(quoted).join('|')})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`,
  'gi',
);

/** Blanks every given secret verbatim, then whatever `redactText` finds; keeps the rest readable. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_VERBATIM_SECRET_LENGTH) out = out.split(secret).join(REDACTED);
  }
  return redactText(out.replace(SECRET_MEMBER, `$1"${REDACTED}"`));
}

/** pino `redact.paths` for the secret names, at the top level and a few levels deep. */
export function logRedactionPaths(): string[] {
  return SECRET_NAMES.flatMap((name) => {
    const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : `["${name}"]`;
    const dotted = key.startsWith('[') ? key : `.${key}`;
    return [key, `*${dotted}`, `*.*${dotted}`, `*.*.*${dotted}`];
  });
}
