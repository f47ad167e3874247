import type { IncomingHttpHeaders } from 'node:http';
import { DateTime } from 'luxon';

/** Sees the time a Chorus answer says it is, once per answer (`<family>/<path>`). */
export type ServerDateObserver = (operation: string, at: Date) => void;

/**
 * The instant an answer's HTTP `Date` header tells — the Chorus environment's own clock (the
 * simulator's simulated now) — or undefined when absent or unreadable (RFC 9110 forms, via luxon).
 */
export function serverDateOf(headers: IncomingHttpHeaders): Date | undefined {
  const text = headers.date?.trim();
  if (!text) return undefined;
  const parsed = DateTime.fromHTTP(text, { zone: 'utc' });
  return parsed.isValid ? parsed.toJSDate() : undefined;
}
