import { paginate, type PaginationRequest, type ParametresRetour } from '../envelope';

/**
 * Paging objects are spelled differently per list (API-FACTS §3.2): `nbResultatsParPage` in
 * searches, `nbResultatsParPageListeHistoStatut` in the history, and so on. This reads any of the
 * given spellings so clients built on either convention are served.
 */

function numberField(source: Record<string, unknown>, names: string[]): number | undefined {
  for (const name of names) {
    const value = source[name];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value);
  }
  return undefined;
}

function textField(source: Record<string, unknown>, names: string[]): string | undefined {
  for (const name of names) {
    const value = source[name];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return undefined;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** Reads `nbResultatsParPage<suffix>`, `pageResultatDemandee<suffix>`, `triColonne<suffix>`, `triSens<suffix>`. */
export function pagingRequest(raw: unknown, suffixes: string[] = []): PaginationRequest {
  const source = asRecord(raw);
  const names = (base: string) => [base, ...suffixes.map((s) => `${base}${s}`)];
  const sens = textField(source, [...names('triSens'), 'triSense']);
  return {
    nbResultatsParPage: numberField(source, names('nbResultatsParPage')),
    pageResultatDemandee: numberField(source, names('pageResultatDemandee')),
    triColonne: textField(source, names('triColonne')),
    ...(sens ? { triSens: /^desc/i.test(sens) ? 'Descendant' : 'Ascendant' } : {}),
  };
}

/** A page of a sub-list with its counters renamed `<counter><suffix>` (`totalLignesPoste`). */
export function pagedSubList<T>(
  items: T[],
  request: PaginationRequest,
  listName: string,
  suffix: string,
): Record<string, unknown> {
  const { page, parametresRetour } = paginate(items, request);
  return { [listName]: page, ...renameCounters(parametresRetour, suffix) };
}

function renameCounters(p: ParametresRetour, suffix: string): Record<string, number> {
  return {
    [`nbResultatsParPage${suffix}`]: p.nbResultatsParPage,
    [`pageCourante${suffix}`]: p.pageCourante,
    [`pages${suffix}`]: p.pages,
    [`total${suffix}`]: p.total,
  };
}
