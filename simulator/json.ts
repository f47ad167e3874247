import { isLosslessNumber, LosslessNumber, parse, stringify } from 'lossless-json';
import { javaStrippedText } from './decimal';

/**
 * JSON on the simulator's wire, written for the simulator alone (not the product's Chorus JSON
 * code): amounts travel as exact JSON numbers and stay exact decimal strings inside the simulator.
 */

/** Members that carry amounts, quantities or rates (decimal(19,6) on the platform). */
const AMOUNT_MEMBER =
  /^(montant\w*|lignePosteQuantite|lignePosteMontant\w*|lignePosteTauxTvaManuel|ligneTvaMontant\w*|ligneTvaTauxManuel|valeurTauxTva)$/i;

export function isAmountMember(name: string): boolean {
  return name !== 'montantTotal' && AMOUNT_MEMBER.test(name);
}

const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/** Parses a request body: amounts become their exact text, other numbers JS numbers. */
export function parseExactJson(text: string): unknown {
  return parse(text, (key, value) => {
    if (isLosslessNumber(value)) return isAmountMember(key) ? value.toString() : value.valueOf();
    return value;
  });
}

/** Whether any member of a parsed body is an amount (the exact parser is only needed then). */
export function carriesAmounts(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(carriesAmounts);
  if (!value || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, v]) => isAmountMember(key) || carriesAmounts(v));
}

/** How a caller's answers are written (a technical account may be served `format.string-ids`). */
export interface AnswerFormat {
  /** Every number and boolean as a string, amounts as Java writes them, one-item lists as objects. */
  stringIds: boolean;
}

/**
 * Lists that `format.string-ids` writes as a bare object when they hold one item, as some
 * XML-to-JSON layers do.
 */
const LISTS_FLATTENED_WHEN_SINGLE = new Set(['listeFactures', 'histoStatut', 'listeStructures']);

/** Serialises an answer body: amounts given as strings become exact JSON numbers. */
export function stringifyAnswer(body: unknown, format: AnswerFormat = { stringIds: false }): string {
  const out = stringify(body, (key, value) => {
    if (format.stringIds) return asStringIds(key, value);
    if (typeof value === 'string' && isAmountMember(key) && PLAIN_DECIMAL.test(value)) {
      return new LosslessNumber(value);
    }
    return value;
  });
  return out ?? 'null';
}

function asStringIds(key: string, value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string' && isAmountMember(key) && PLAIN_DECIMAL.test(value)) {
    return javaStrippedText(value);
  }
  if (value === undefined) return null;
  if (Array.isArray(value) && value.length === 1 && LISTS_FLATTENED_WHEN_SINGLE.has(key)) return value[0];
  return value;
}
