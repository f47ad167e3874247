import { DateTime } from 'luxon';
import type { StructureRecord } from '../dataset';

/**
 * Chorus Pro writes dates in French local time: `YYYY-MM-DD` for plain dates and
 * `YYYY-MM-DD HH:MM` for date-times (API-FACTS §3.3). Both sort correctly as text, which is
 * how the search filters compare them.
 */

const PARIS = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function parisParts(at: Date): Record<'year' | 'month' | 'day' | 'hour' | 'minute', string> {
  const parts = Object.fromEntries(PARIS.formatToParts(at).map((p) => [p.type, p.value]));
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute };
}

/** `2026-11-28` */
export function chorusDate(at: Date): string {
  const p = parisParts(at);
  return `${p.year}-${p.month}-${p.day}`;
}

/** `2026-11-28 14:03` */
export function chorusDateTime(at: Date): string {
  const p = parisParts(at);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

export const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;
const SHORT_DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A real calendar date written `YYYY-MM-DD` (rejects 2026-02-30). */
export function isCalendarDate(text: string): boolean {
  if (!PLAIN_DATE.test(text)) return false;
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(text);
}

/**
 * A search bound as a Chorus short date-time, or undefined when unreadable. Accepts
 * `YYYY-MM-DD` (start or end of that day), `YYYY-MM-DD HH:MM` (French time) and ISO 8601 with an
 * offset (what clients built on `time.Time` send).
 */
export function dateTimeBound(text: string, end: 'from' | 'to'): string | undefined {
  const trimmed = text.trim();
  if (isCalendarDate(trimmed)) return `${trimmed} ${end === 'from' ? '00:00' : '23:59'}`;
  if (SHORT_DATE_TIME.test(trimmed) && isCalendarDate(trimmed.slice(0, 10))) return trimmed;
  if (ISO_DATE_TIME.test(trimmed)) {
    const at = new Date(trimmed);
    if (!Number.isNaN(at.getTime())) return chorusDateTime(at);
  }
  return undefined;
}

/** A plain-date search bound: `YYYY-MM-DD`, or the French date of a date-time. */
export function dateBound(text: string): string | undefined {
  const bound = dateTimeBound(text, 'from');
  return bound?.slice(0, 10);
}

/** `2019-07-11T15:45:39.674+02:00`: the full ISO 8601 form the real platform writes in places (API-FACTS §3.3). */
export function offsetDateTime(at: Date): string {
  const text = DateTime.fromJSDate(at, { zone: 'Europe/Paris' }).toISO({ suppressMilliseconds: false });
  if (text === null) throw new RangeError(`not a valid instant: ${String(at)}`);
  return text;
}

/** A date-time of an invoice, in the form its buyer's scenario uses (`format.offset-dates`: ISO with offset). */
export function invoiceDateTime(buyer: Pick<StructureRecord, 'dateTimes'>, at: Date): string {
  return buyer.dateTimes === 'offset' ? offsetDateTime(at) : chorusDateTime(at);
}
