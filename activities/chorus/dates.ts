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
  // A tracker reads the same few hundred texts at every poll: time-zone arithmetic is done once each.
  if (memo.has(trimmed)) return memo.get(trimmed);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  const instant = parseInstant(trimmed);
  memo.set(trimmed, instant);
  return instant;
}

const MEMO_LIMIT = 10_000;
const memo = new Map<string, string | undefined>();
const SHORT_FORM = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/;

function parseInstant(text: string): string | undefined {
  const zone = DATE_TIMES.value.zoneOfShortForm;
  const short = SHORT_FORM.exec(text);
  const parsed = short
    ? DateTime.fromObject(
        {
          year: Number(short[1]),
          month: Number(short[2]),
          day: Number(short[3]),
          hour: Number(short[4] ?? 0),
          minute: Number(short[5] ?? 0),
          second: Number(short[6] ?? 0),
        },
        { zone },
      )
    : /^\d{4}-\d{2}-\d{2}T/.test(text)
      ? DateTime.fromISO(text, { setZone: true, zone })
      : undefined;
  if (!parsed?.isValid) return undefined;
  return parsed.toISO({ suppressMilliseconds: false }) ?? undefined;
}
