import { LosslessNumber, parse, stringify, isLosslessNumber } from 'lossless-json';

/**
 * Chorus Pro sends and expects amounts as JSON numbers with up to 6 decimals.
 * A binary float would lose cents, so decimal fields travel as strings inside our code
 * and become raw JSON number literals only on the wire.
 */
const DECIMAL_FIELD =
  /^(montant|quantite|lignePosteQuantite|lignePosteMontant|ligneTvaMontant|lignePosteTauxTvaManuel|ligneTvaTauxManuel|valeurTauxTva|montantTotal.*)/i;

export function isDecimalField(key: string): boolean {
  return DECIMAL_FIELD.test(key) && key !== 'montantTotal';
}

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/** Serialises a Chorus body: decimal fields given as strings are written as exact JSON numbers. */
export function stringifyChorusJson(value: unknown): string {
  const out = stringify(value, (key, v) => {
    if (typeof v === 'string' && isDecimalField(key) && DECIMAL_TEXT.test(v)) return new LosslessNumber(v);
    return v;
  });
  return out ?? 'null';
}

/**
 * Parses a Chorus body: decimal fields become exact decimal strings ("1406.272000"),
 * every other number becomes a JS number (ids are int64 but stay below 2^53 in practice).
 */
export function parseChorusJson<T = unknown>(text: string): T {
  return parse(text, (key, v) => {
    if (isLosslessNumber(v)) return isDecimalField(key) ? v.toString() : v.valueOf();
    return v;
  }) as T;
}
