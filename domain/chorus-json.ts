import { LosslessNumber, parse, stringify, isLosslessNumber, isSafeNumber } from 'lossless-json';

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
 * Parses a Chorus body: decimal fields become their exact text ("1406.272000", "1.5E+2"),
 * every other number a JS number — or its text when a double cannot hold it exactly (a 20-digit
 * invoice number sent as a number), so nothing is ever rounded.
 */
export function parseChorusJson<T = unknown>(text: string): T {
  return parse(text, (key, v) => {
    if (!isLosslessNumber(v)) return v;
    if (isDecimalField(key) || !isSafeNumber(v.value)) return v.toString();
    return v.valueOf();
  }) as T;
}
