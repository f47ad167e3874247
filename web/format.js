// How values read in French: one date format (with seconds in the journal), amounts with their
// currency, durations and sizes.

const DATE = new Intl.DateTimeFormat('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric' });
const TIME = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit' });
const TIME_SECONDS = new Intl.DateTimeFormat('fr-FR', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** A time without a zone, as Chorus Pro gives its own (Paris) times: "2026-12-29 17:21". */
const WALL_CLOCK = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d)(?::(\d\d))?$/;

/**
 * An ISO instant → « 28/11/2026 14:03 » (« 14:03:07 » with seconds) in the reader's time; a time
 * without a zone (Chorus Pro's, in Paris) is only rewritten; a plain date → « 28/11/2026 ».
 */
export function dateTime(value, { seconds = false } = {}) {
  if (!value) return '';
  if (/^\d{4}-\d\d-\d\d$/.test(value)) return day(value);
  const wall = WALL_CLOCK.exec(String(value).trim());
  if (wall)
    return `${wall[3]}/${wall[2]}/${wall[1]} ${wall[4]}:${wall[5]}${seconds ? `:${wall[6] ?? '00'}` : ''}`;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return `${DATE.format(d)} ${(seconds ? TIME_SECONDS : TIME).format(d)}`;
}

/** "2026-11-28" → « 28/11/2026 ». */
export function day(value) {
  const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(String(value ?? ''));
  return m ? `${m[3]}/${m[2]}/${m[1]}` : dateTime(value);
}

/** "622.44" → « 622,44 » (the decimal string is formatted as such: no float on the way). */
export function amount(value) {
  if (!/^-?\d+(\.\d+)?$/.test(String(value ?? '').trim())) return String(value ?? '');
  return new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 6 }).format(
    String(value).trim(),
  );
}

/** "622.44", "EUR" → « 622,44 € ». */
export function money(value, currency = 'EUR') {
  if (!/^-?\d+(\.\d+)?$/.test(String(value ?? '').trim())) return String(value ?? '');
  return new Intl.NumberFormat('fr-FR', { style: 'currency', currency }).format(String(value).trim());
}

/** "2" → « 2 », "0.5" → « 0,5 ». */
export function quantity(value) {
  if (!/^-?\d+(\.\d+)?$/.test(String(value ?? '').trim())) return String(value ?? '');
  return new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 6 }).format(String(value).trim());
}

const UNITS = [
  [/^(ms|milliseconds?)$/i, 'milliseconde', 'millisecondes'],
  [/^(s|secs?|seconds?)$/i, 'seconde', 'secondes'],
  [/^(m|mins?|minutes?)$/i, 'minute', 'minutes'],
  [/^(h|hours?)$/i, 'heure', 'heures'],
  [/^(d|days?)$/i, 'jour', 'jours'],
];

/** "2 days" → « 2 jours ». */
export function duration(value) {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(String(value ?? '').trim());
  const unit = m && UNITS.find(([pattern]) => pattern.test(m[2]));
  if (!unit) return String(value ?? '');
  return `${m[1].replace('.', ',')} ${Number(m[1]) >= 2 ? unit[2] : unit[1]}`;
}

/** 2048 → « 2 ko ». */
export function bytes(size) {
  const n = Number(size);
  if (!Number.isFinite(n)) return '';
  if (n < 1024) return new Intl.NumberFormat('fr-FR', { style: 'unit', unit: 'byte' }).format(n);
  const [value, unit] = n < 1024 * 1024 ? [n / 1024, 'kilobyte'] : [n / 1024 / 1024, 'megabyte'];
  return new Intl.NumberFormat('fr-FR', { style: 'unit', unit, maximumFractionDigits: 1 }).format(value);
}

/** « connectée » → « Connectée » (labels written for sentences, shown alone). */
export function capitalized(text) {
  const s = String(text ?? '');
  return s.charAt(0).toLocaleUpperCase('fr-FR') + s.slice(1);
}
