import { z } from 'zod';
import { refusal, type Refusal } from './refusals';

/**
 * Field types shared by the Factures request schemas. Optional fields accept `null` because real
 * clients send it (the official soumettre sample has `"numeroFactureSaisi": null`); unknown
 * fields are dropped, never refused.
 */

/** int64 identifiers arrive as JSON numbers, sometimes as digit strings. */
export const identifier = z.union([
  z.number().int().nonnegative(),
  z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number),
]);

/**
 * Decimal amounts reach the router as exact strings (simulator/json.ts); a plain number from
 * another JSON parser is taken as written. The exact parse happens in amounts.ts.
 */
export const decimalText = z.union([z.string(), z.number().transform((n) => String(n))]);

export const optionalText = z.string().nullish();

/** A one-element list is sometimes sent as a bare object (the Go client does for attachments). */
export function listOf<T extends z.ZodType>(item: T) {
  return z
    .union([z.array(item), item])
    .nullish()
    .transform((v): z.output<T>[] => (v == null ? [] : Array.isArray(v) ? v : [v]));
}

/** `lignePoste[0].lignePosteQuantite` */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    return acc ? `${acc}.${String(key)}` : String(key);
  }, '');
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = body;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Parses a request body; the first problem becomes a Chorus refusal naming the field. */
export function parseRequest<T extends z.ZodType>(
  schema: T,
  body: unknown,
  codeRetour: number,
): { ok: true; value: z.output<T> } | { ok: false; refusal: Refusal } {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  if (issue.path.length === 0) {
    return { ok: false, refusal: refusal(codeRetour, 'Le corps de la requête doit être un objet JSON') };
  }
  const field = fieldPath(issue.path);
  const given = valueAt(body, issue.path);
  const libelle =
    given === undefined || given === null || given === ''
      ? `Le champ obligatoire « ${field} » n'est pas renseigné`
      : `Le champ « ${field} » n'a pas le format attendu`;
  return { ok: false, refusal: refusal(codeRetour, libelle) };
}
