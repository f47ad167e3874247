/**
 * Exact decimal arithmetic for invoice amounts.
 *
 * A value is a bigint of micro-units (6 decimals, Chorus's decimal(19,6) precision), so sums and
 * products never go through binary floats. Rounding is explicit: half away from zero, to the
 * number of decimals asked for.
 */
export type Micros = bigint;

export const SCALE = 6;
const ONE = 10n ** BigInt(SCALE);

const DECIMAL_INPUT = /^(-)?(\d{1,13})(?:\.(\d{1,6}))?$/;

/** Parses "12", "12.5", "-0.000001"; refuses more than 6 decimals, exponents and floats. */
export function parseDecimal(text: string): Micros {
  const match = DECIMAL_INPUT.exec(text.trim());
  if (!match) throw new RangeError(`"${text}" is not a decimal number with at most 6 decimals`);
  const [, sign, whole, fraction = ''] = match;
  const micros = BigInt(whole) * ONE + BigInt(fraction.padEnd(SCALE, '0'));
  return sign ? -micros : micros;
}

export function isDecimalText(text: string): boolean {
  return DECIMAL_INPUT.test(text.trim());
}

/** Integer minor units (cents) → micros. */
export function fromCents(cents: number): Micros {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`${cents} is not a whole number of cents`);
  return BigInt(cents) * (ONE / 100n);
}

export function toCents(value: Micros): number {
  return Number(roundTo(value, 2) / (ONE / 100n));
}

/** Rounds half away from zero to `decimals` (0..6) and keeps the micro-unit scale. */
export function roundTo(value: Micros, decimals: number): Micros {
  const step = 10n ** BigInt(SCALE - decimals);
  const half = step / 2n;
  const magnitude = value < 0n ? -value : value;
  const rounded = ((magnitude + half) / step) * step;
  return value < 0n ? -rounded : rounded;
}

/** Integer division rounded half away from zero. */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (n + d / 2n) / d;
  return negative ? -q : q;
}

/** Exact product of two micro values, rounded to 6 decimals. */
export function multiply(a: Micros, b: Micros): Micros {
  return divideRounded(a * b, ONE);
}

/** `base × rate / 100`, for a percentage rate such as 20 or 5.5, rounded to 6 decimals. */
export function percentOf(base: Micros, ratePercent: Micros): Micros {
  return divideRounded(base * ratePercent, ONE * 100n);
}

export function sum(values: Micros[]): Micros {
  return values.reduce((acc, v) => acc + v, 0n);
}

/** Renders with exactly `decimals` decimals after rounding ("1406.27"). */
export function formatDecimal(value: Micros, decimals = 2): string {
  const rounded = roundTo(value, decimals);
  const negative = rounded < 0n;
  const magnitude = negative ? -rounded : rounded;
  const whole = magnitude / ONE;
  const fraction = (magnitude % ONE).toString().padStart(SCALE, '0').slice(0, decimals);
  return `${negative ? '-' : ''}${whole}${decimals > 0 ? `.${fraction}` : ''}`;
}
