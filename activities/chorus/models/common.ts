import { z } from 'zod';

/**
 * Shapes shared by every Chorus operation (API-FACTS §3), read leniently and exactly: ids and
 * counts as numbers or digit strings, amounts as numbers or strings (exponent forms included, never
 * through a binary float), booleans as booleans or "true"/"false", optional members absent or
 * null, a bare object where a list is expected. Everything is normalised to one internal shape:
 * ids and counts are numbers, amounts exact decimal strings, booleans booleans, lists arrays.
 * Response schemas are loose objects: unknown members are kept; optional members of an unexpected
 * type read as absent (`optional`), so only the members we use can fail an answer.
 */

const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;
const DECIMAL_TEXT = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;

/**
 * The exact plain decimal a JSON number or string denotes ("1.5E+2" → "150", "1E-7" →
 * "0.0000001"), or undefined when it is not a number.
 */
export function exactDecimal(value: string | number): string | undefined {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  const match = DECIMAL_TEXT.exec(text);
  if (!match) return undefined;
  const [, sign, whole = '', fraction = '', exponentText] = match;
  if (whole === '' && fraction === '') return undefined;
  const digits = `${whole}${fraction}`;
  const point = whole.length + Number(exponentText ?? 0);
  let integerPart: string;
  let fractionPart: string;
  if (point <= 0) {
    integerPart = '0';
    fractionPart = `${'0'.repeat(-point)}${digits}`;
  } else if (point >= digits.length) {
    integerPart = `${digits}${'0'.repeat(point - digits.length)}`;
    fractionPart = '';
  } else {
    integerPart = digits.slice(0, point);
    fractionPart = digits.slice(point);
  }
  integerPart = integerPart.replace(/^0+(?=\d)/, '');
  // An exponent form carries no meaningful trailing zeros; a plain form keeps its scale.
  if (exponentText !== undefined) fractionPart = fractionPart.replace(/0+$/, '');
  const magnitude = fractionPart ? `${integerPart}.${fractionPart}` : integerPart;
  const isZero = /^[0.]*$/.test(magnitude);
  return sign === '-' && !isZero ? `-${magnitude}` : magnitude;
}

/** An exact decimal amount: a plain decimal string in our code, a JSON number on the wire (domain/chorus-json.ts). */
export const Decimal = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const exact = exactDecimal(value);
  if (exact === undefined) {
    ctx.addIssue({ code: 'custom', message: 'expected an exact decimal amount' });
    return z.NEVER;
  }
  return exact;
});
export type Decimal = string;

/** A whole number (counts, codeRetour), from a JSON number or a digit string. */
export const ChorusInteger = z.union([
  z.number().int(),
  z
    .string()
    .regex(INTEGER_TEXT)
    .transform((text) => Number(text.trim())),
]);

/** Chorus identifiers (idStructureCPP, idService, identifiantFactureCPP…): int64, below 2^53 in practice. */
export const ChorusId = ChorusInteger;

/** A boolean, also written "true"/"false" (any case) or 0/1. */
export const ChorusBoolean = z.union([
  z.boolean(),
  z
    .string()
    .regex(/^\s*(true|false|0|1)\s*$/i)
    .transform((text) => /^\s*(true|1)\s*$/i.test(text)),
  z.union([z.literal(0), z.literal(1)]).transform((n) => n === 1),
]);

/** Text that some answers write as a number (a SIRET, a number-like invoice number). */
export const ChorusText = z.union([z.string(), z.number().transform((n) => String(n))]);

/** An optional member: absent, null, or of a type we do not expect all read as absent. */
export function optional<T extends z.ZodType>(schema: T) {
  return schema.nullish().catch(undefined);
}

/** A list member the API may omit (OCA treats "no list" as "nothing found") or send as one bare object. */
export function listOf<T extends z.ZodType>(item: T) {
  return z
    .union([z.array(item), item])
    .nullish()
    .transform((items): z.output<T>[] => (items == null ? [] : Array.isArray(items) ? items : [items]));
}

/** `{codeRetour, libelle}` carried by every answer but health-check. */
export const envelopeShape = {
  codeRetour: ChorusInteger,
  libelle: optional(ChorusText),
};

/** Request paging (`nbResultatsParPage`, 1-based `pageResultatDemandee`); its member name varies per operation. */
export interface PaginationRequest {
  nbResultatsParPage?: number;
  pageResultatDemandee?: number;
  triColonne?: string;
  triSens?: 'Ascendant' | 'Descendant';
}

/** Answer paging; default page size is 10. */
export const ParametresRetour = z.looseObject({
  nbResultatsParPage: optional(ChorusInteger),
  pageCourante: optional(ChorusInteger),
  pages: optional(ChorusInteger),
  total: optional(ChorusInteger),
});
export type ParametresRetour = z.infer<typeof ParametresRetour>;

/** A search answer: the envelope, the page of items under the operation's own list name, and its paging. */
export function pagedAnswer<K extends string, T extends z.ZodType>(listName: K, item: T) {
  const list = { [listName]: listOf(item) } as { [P in K]: ReturnType<typeof listOf<T>> };
  return z.looseObject({ ...envelopeShape, ...list, parametresRetour: optional(ParametresRetour) });
}

export type CodeLangue = 'FR' | 'EN' | 'fr' | 'en';

/** A postal address block as structures and services return it. */
export const AdressePostale = z.looseObject({
  adresse: optional(ChorusText),
  complementAdresse1: optional(ChorusText),
  complementAdresse2: optional(ChorusText),
  codePostal: optional(ChorusText),
  ville: optional(ChorusText),
  pays: optional(ChorusText),
  telephone: optional(ChorusText),
  indicatifTelephone: optional(ChorusText),
  fax: optional(ChorusText),
  indicatifFax: optional(ChorusText),
});
