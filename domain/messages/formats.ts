import type { Lang } from './catalogue';

/**
 * Value formats a placeholder may name (`{total:amount}`, `{after:duration}`, `{at:datetime}`,
 * `{on:date}`): French typography for French sentences; English sentences keep the value as the
 * API gives it. Total: a value a format cannot read is shown as it is.
 */
export const FORMAT_KINDS = ['amount', 'duration', 'datetime', 'date'] as const;
export type FormatKind = (typeof FORMAT_KINDS)[number];

export function isFormatKind(kind: string): kind is FormatKind {
  return (FORMAT_KINDS as readonly string[]).includes(kind);
}

/** Narrow no-break space: the French thousands separator (and before « € »). */
const NNBSP = '\u202f';

/** "1234.5" → « 1 234,50 » (two decimals at least, more when given). */
function amountFr(value: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) return value;
  const [, sign, whole, fraction = ''] = m;
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, NNBSP);
  const decimals = fraction.replace(/0+$/, '').padEnd(2, '0');
  return `${sign}${grouped},${decimals}`;
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?|d|days?)$/i;
const UNITS_FR: Array<[RegExp, string, string]> = [
  [/^(ms|milliseconds?)$/i, 'milliseconde', 'millisecondes'],
  [/^(s|secs?|seconds?)$/i, 'seconde', 'secondes'],
  [/^(m|mins?|minutes?)$/i, 'minute', 'minutes'],
  [/^(h|hours?)$/i, 'heure', 'heures'],
  [/^(d|days?)$/i, 'jour', 'jours'],
];

/** "2 days" → « 2 jours », "1.5 minutes" → « 1,5 minute ». */
function durationFr(value: string): string {
  const m = DURATION.exec(value.trim());
  if (!m) return value;
  const [, amount, unit] = m;
  const [, one, many] = UNITS_FR.find(([pattern]) => pattern.test(unit))!;
  return `${amount.replace('.', ',')} ${Number(amount) >= 2 ? many : one}`;
}

// Built on first use: workflow code imports the catalogue too and never formats instants.
let paris: Intl.DateTimeFormat | undefined;
const parisTime = () =>
  (paris ??= new Intl.DateTimeFormat('fr-FR', {
    timeZone: 'Europe/Paris',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }));

/** A time without a zone, as Chorus Pro gives its own (Paris) times: "2026-12-29 17:21". */
const WALL_CLOCK = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d)(?::(\d\d))?$/;

/**
 * An ISO instant → « 28/11/2026 14:03:07 » (Paris time, the back-office's one format with
 * seconds); a time without a zone is already Paris time and is only rewritten.
 */
function datetimeFr(value: string): string {
  const wall = WALL_CLOCK.exec(value.trim());
  if (wall) return `${wall[3]}/${wall[2]}/${wall[1]} ${wall[4]}:${wall[5]}:${wall[6] ?? '00'}`;
  if (!/^\d{4}-\d\d-\d\dT/.test(value)) return dateFr(value);
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : parisTime().format(d).replace(',', '');
}

/** "2026-11-28" → « 28/11/2026 ». */
function dateFr(value: string): string {
  const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(value.trim());
  return m ? `${m[3]}/${m[2]}/${m[1]}` : value;
}

const FRENCH: Record<FormatKind, (value: string) => string> = {
  amount: amountFr,
  duration: durationFr,
  datetime: datetimeFr,
  date: dateFr,
};

export function formatValue(kind: FormatKind, value: string, lang: Lang): string {
  return lang === 'fr' ? FRENCH[kind](value) : value;
}
