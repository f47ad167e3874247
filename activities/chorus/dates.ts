import { DateTime } from 'luxon';
import { DATE_TIMES } from './uncertain-facts';

/**
 * Chorus date-texts as ISO 8601 instants that keep their offset (uncertain-facts.ts DATE_TIMES):
 * `2019-07-11T15:45:39.674+02:00` stays as it is (milliseconds added when missing), and the short
 * `YYYY-MM-DD HH:MM` form — French time — gets the Paris offset of that moment
 * (`2026-11-28 14:03` → `2026-11-28T14:03:00.000+01:00`). Undefined for anything else.
 */
export function chorusInstant(text: string | null | undefined): string | undefined {
  const trimmed = text?.trim();
  if (!trimmed) return undefined;
  const zone = DATE_TIMES.value.zoneOfShortForm;
  const parsed = /^\d{4}-\d{2}-\d{2}T/.test(trimmed)
    ? DateTime.fromISO(trimmed, { setZone: true, zone })
    : SHORT_FORMS.map((format) => DateTime.fromFormat(trimmed, format, { zone })).find((d) => d.isValid);
  if (!parsed?.isValid) return undefined;
  return parsed.toISO({ suppressMilliseconds: false }) ?? undefined;
}

const SHORT_FORMS = ['yyyy-MM-dd HH:mm', 'yyyy-MM-dd HH:mm:ss', 'yyyy-MM-dd'];
