import type { ParametresRetour } from './models';

/** One page of a Chorus search, with where it sits among all pages. */
export interface ChorusPage<T> {
  items: T[];
  /** 1-based. */
  pageCourante: number;
  pages: number;
  total: number;
}

export interface FetchedPage<T> {
  items: T[];
  parametresRetour?: ParametresRetour | null;
}

/**
 * Walks pages 1..`parametresRetour.pages`, one request per page, yielding as it goes so a poller
 * can stop early. An answer without paging data is a single page; an empty page ends the walk.
 */
export async function* walkPages<T>(
  fetchPage: (page: number) => Promise<FetchedPage<T>>,
): AsyncGenerator<ChorusPage<T>> {
  for (let page = 1; ; page++) {
    const { items, parametresRetour } = await fetchPage(page);
    const pages = parametresRetour?.pages ?? 1;
    yield {
      items,
      pageCourante: parametresRetour?.pageCourante ?? page,
      pages,
      total: parametresRetour?.total ?? items.length,
    };
    if (page >= pages || items.length === 0) return;
  }
}

/** Every item of every page, in order. */
export async function collectPages<T>(pages: AsyncIterable<ChorusPage<T>>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page.items);
  return all;
}
