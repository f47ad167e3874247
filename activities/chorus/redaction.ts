import { redactSecrets } from '../../platform/redaction';

/**
 * Response bodies of failed calls are kept on errors for the audit trail. They travel into
 * workflow history and logs, so every known secret is blanked before a body is kept (with the one
 * redaction of platform/redaction.ts).
 */

export { REDACTED, redactSecrets } from '../../platform/redaction';

/** Long enough to show a Chorus envelope or a gateway error, short enough for a Temporal payload. */
export const MAX_KEPT_BODY_CHARS = 4000;

/** The form of a response body kept on an error: redacted, then bounded. */
export function keptBody(text: string, secrets: readonly string[]): string | undefined {
  if (text === '') return undefined;
  const redacted = redactSecrets(text, secrets);
  return redacted.length > MAX_KEPT_BODY_CHARS
    ? `${redacted.slice(0, MAX_KEPT_BODY_CHARS)}… [truncated, ${redacted.length} chars]`
    : redacted;
}
