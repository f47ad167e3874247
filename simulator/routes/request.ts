import type { Response } from 'express';
import { z } from 'zod';
import { sendBusinessError, type PaginationRequest } from '../envelope';

/** Functional error for a missing or malformed request field (the real code is not documented). */
export const INVALID_FIELD = 20001;

/** Chorus ids are int64 numbers; clients sometimes send them as numeric strings. */
export const chorusId = z.union([
  z.number().int().nonnegative(),
  z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number),
]);

/** The pagination object, whatever its name in the operation (API-FACTS §3.2). Clients send null for "absent". */
export const paginationSchema = z
  .object({
    nbResultatsParPage: z.number().int().positive().nullish(),
    pageResultatDemandee: z.number().int().positive().nullish(),
    triColonne: z.string().nullish(),
    triSens: z.enum(['Ascendant', 'Descendant']).nullish(),
  })
  .loose()
  .nullish();

export type PaginationInput = z.infer<typeof paginationSchema>;

export function paginationOf(input: PaginationInput): PaginationRequest {
  return {
    nbResultatsParPage: input?.nbResultatsParPage ?? undefined,
    pageResultatDemandee: input?.pageResultatDemandee ?? undefined,
    triColonne: input?.triColonne ?? undefined,
    triSens: input?.triSens ?? undefined,
  };
}

/** Parses the request body or answers the functional error naming the first bad field. */
export function readBody<T>(res: Response, schema: z.ZodType<T>, body: unknown): T | undefined {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.join('.') || 'corps de la requête';
  const missing = valueAt(body, issue.path) === undefined || valueAt(body, issue.path) === null;
  sendBusinessError(
    res,
    INVALID_FIELD,
    missing ? `Le champ ${field} est obligatoire.` : `Le champ ${field} est invalide.`,
  );
  return undefined;
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = body;
  for (const key of path) {
    if (!value || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

type SortValue = string | number | boolean;

/**
 * Sorts by the column named in `triColonne` (a key of `columns`), ascending unless
 * `triSens` is Descendant; an unknown or absent column keeps the data set order.
 */
export function sortByColumn<T>(
  items: T[],
  columns: Record<string, (item: T) => SortValue>,
  request: PaginationRequest,
): T[] {
  const column = request.triColonne ? columns[request.triColonne] : undefined;
  if (!column) return items;
  const direction = request.triSens === 'Descendant' ? -1 : 1;
  return [...items].sort((a, b) => direction * compare(column(a), column(b)));
}

function compare(a: SortValue, b: SortValue): number {
  if (typeof a === 'string' && typeof b === 'string') return a.localeCompare(b, 'fr');
  return Number(a) - Number(b);
}
