import type { NextFunction, Request, Response } from 'express';
import type { CallerIdentity } from './context';
import { carriesAmounts, parseExactJson, stringifyAnswer } from './json';
import { noResultOf } from './no-result';

/**
 * Chorus answers: `{codeRetour, libelle, ...}`; decimals written as exact JSON numbers, or every
 * number as a string for a technical account served `format.string-ids`.
 */
export function sendChorus(res: Response, status: number, body: Record<string, unknown>): void {
  const caller = res.locals.caller as CallerIdentity | undefined;
  const format = { stringIds: caller?.account.answerFormat?.stringIds === true };
  res.status(status).type('application/json;charset=utf-8').send(stringifyAnswer(body, format));
}

export function sendOk(res: Response, body: Record<string, unknown> = {}, libelle = 'TRA_MSG_00.000'): void {
  sendChorus(res, 200, { codeRetour: 0, libelle, ...body });
}

/** Functional errors are HTTP 400 with the same envelope. */
export function sendBusinessError(res: Response, codeRetour: number, libelle: string): void {
  sendChorus(res, 400, { codeRetour, libelle });
}

/** An empty search is not an error: HTTP 200 with the operation's own "no result" code (no-result.ts). */
export function sendEmptySearch(res: Response, listName: string): void {
  const { codeRetour, libelle } = noResultOf(res);
  sendChorus(res, 200, {
    codeRetour,
    libelle,
    [listName]: [],
    parametresRetour: { nbResultatsParPage: 10, pageCourante: 1, pages: 0, total: 0 },
  });
}

export interface PaginationRequest {
  nbResultatsParPage?: number;
  pageResultatDemandee?: number;
  triColonne?: string;
  triSens?: 'Ascendant' | 'Descendant';
}

export interface ParametresRetour {
  nbResultatsParPage: number;
  pageCourante: number;
  pages: number;
  total: number;
}

/** Default page size is 10, pages are 1-based (API-FACTS §3.2). */
export function paginate<T>(
  items: T[],
  request: PaginationRequest | undefined,
): { page: T[]; parametresRetour: ParametresRetour } {
  const size =
    request?.nbResultatsParPage && request.nbResultatsParPage > 0
      ? Math.floor(request.nbResultatsParPage)
      : 10;
  const pageNumber =
    request?.pageResultatDemandee && request.pageResultatDemandee > 0
      ? Math.floor(request.pageResultatDemandee)
      : 1;
  const start = (pageNumber - 1) * size;
  return {
    page: items.slice(start, start + size),
    parametresRetour: {
      nbResultatsParPage: size,
      pageCourante: pageNumber,
      pages: Math.ceil(items.length / size),
      total: items.length,
    },
  };
}

/**
 * Parses a JSON request body keeping decimal amounts exact (strings), like our client does.
 * Mount after `express.text({ type: () => true, limit })`. Broken JSON → 400 envelope.
 */
export function chorusJsonBody(req: Request, res: Response, next: NextFunction): void {
  const raw = typeof req.body === 'string' ? req.body : '';
  if (raw.trim() === '') {
    req.body = {};
    next();
    return;
  }
  try {
    req.body = parseRequestJson(raw);
    next();
  } catch {
    sendBusinessError(res, 20099, 'Requête JSON mal formée');
  }
}

/**
 * The exact parser takes seconds on a 10 MB base64 upload; plain JSON.parse gives the same
 * result whenever the body carries no decimal field, so the exact parser runs only when needed.
 */
function parseRequestJson(raw: string): unknown {
  const plain: unknown = JSON.parse(raw);
  return carriesAmounts(plain) ? parseExactJson(raw) : plain;
}
