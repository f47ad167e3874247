/**
 * Exact decimal amounts for the simulator's own checks, independent of the product's money code
 * (a rounding bug shared by both would pass every test). Values are bigint micro-units: Chorus
 * amounts are decimal(19,6).
 */
export type Micros = bigint;

const SCALE = 6;
const ONE = 10n ** BigInt(SCALE);
const DECIMAL_TEXT = /^(-)?(\d{1,13})(?:\.(\d{1,6}))?$/;

export function isDecimal(text: string): boolean {
  return DECIMAL_TEXT.test(text.trim());
}

/** "12", "-0.5", "1406.272000"; refuses exponents, floats and more than 6 decimals. */
export function toMicros(text: string): Micros {
  const match = DECIMAL_TEXT.exec(text.trim());
  if (!match) throw new RangeError(`not a decimal with at most 6 decimals: "${text}"`);
  const [, minus, whole, fraction = ''] = match;
  const value = BigInt(whole) * ONE + BigInt(fraction.padEnd(SCALE, '0'));
  return minus ? -value : value;
}

/** Half away from zero, for products and percentages rounded back to 6 decimals. */
function dividedRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = (n + d / 2n) / d;
  return negative ? -quotient : quotient;
}

export function times(a: Micros, b: Micros): Micros {
  return dividedRounded(a * b, ONE);
}

/** `base × percent / 100`. */
export function percentage(base: Micros, percent: Micros): Micros {
  return dividedRounded(base * percent, ONE * 100n);
}

export function total(values: Micros[]): Micros {
  return values.reduce((acc, v) => acc + v, 0n);
}

export function absolute(value: Micros): Micros {
  return value < 0n ? -value : value;
}

/** With exactly `decimals` decimals (0..6), rounded half away from zero. */
export function fromMicros(value: Micros, decimals = 6): string {
  const step = 10n ** BigInt(SCALE - decimals);
  const rounded = dividedRounded(value, step) * step;
  const negative = rounded < 0n;
  const magnitude = negative ? -rounded : rounded;
  const fraction = (magnitude % ONE).toString().padStart(SCALE, '0').slice(0, decimals);
  return `${negative ? '-' : ''}${magnitude / ONE}${decimals > 0 ? `.${fraction}` : ''}`;
}

/** Without trailing zeros: "1406.272" for 1406.272000, as a person reads it. */
export function plainText(value: Micros): string {
  return fromMicros(value).replace(/\.?0+$/, '');
}

/**
 * How Java's `BigDecimal.stripTrailingZeros().toString()` writes a decimal: "1.5E+2" for 150.00,
 * "0.25" for 0.250000. A Java service serialising amounts that way is what `format.string-ids` plays.
 */
export function javaStrippedText(text: string): string {
  const value = toMicros(text);
  if (value === 0n) return '0';
  const negative = value < 0n;
  let digits = (negative ? -value : value).toString();
  let scale = SCALE;
  while (digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    scale -= 1;
  }
  const sign = negative ? '-' : '';
  if (scale >= 0) {
    const padded = digits.padStart(scale + 1, '0');
    const point = padded.length - scale;
    return `${sign}${padded.slice(0, point)}${scale > 0 ? `.${padded.slice(point)}` : ''}`;
  }
  // Negative scale: Java writes unscaled × 10^-scale in scientific notation.
  const exponent = digits.length - 1 - scale;
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${mantissa}E+${exponent}`;
}
