import { parseChorusJson, stringifyChorusJson } from '../../domain/chorus-json';
import type { ChorusSubmitBody } from '../../domain/chorus-invoice';
import {
  ConsultStructureResponse,
  SearchSupplierInvoicesResponse,
  SubmitInvoiceResponse,
  type SubmitInvoiceRequest,
} from '../../activities/chorus/models';
import { collectPages, walkPages, type FetchedPage } from '../../activities/chorus/paging';

// The domain's soumettre body must be sendable as is.
const _domainBodyIsARequest = (body: ChorusSubmitBody): SubmitInvoiceRequest => body;
void _domainBodyIsARequest;

describe('models', () => {
  it('reads decimals as exact strings and tolerates unknown and null members', () => {
    const wire =
      '{"codeRetour":0,"libelle":"TRA_MSG_00.000","nouveauChamp":{"x":1},' +
      '"listeFactures":[{"identifiantFactureCPP":3123988,"numeroFacture":"F-1","statut":"DEPOSEE",' +
      '"montantHT":1326.000000,"montantTTC":0.1,"montantAPayer":null,"inconnu":"kept"}],' +
      '"parametresRetour":{"nbResultatsParPage":10,"pageCourante":1,"pages":1,"total":1}}';
    const parsed = SearchSupplierInvoicesResponse.parse(parseChorusJson(wire));
    const [invoice] = parsed.listeFactures;
    expect(invoice.montantHT).toBe('1326.000000');
    expect(invoice.montantTTC).toBe('0.1');
    expect(invoice.montantAPayer).toBeNull();
    expect(invoice.inconnu).toBe('kept');
    expect(parsed.nouveauChamp).toEqual({ x: 1 });
  });

  it('turns a missing list into an empty one', () => {
    const parsed = SearchSupplierInvoicesResponse.parse({ codeRetour: 20000, libelle: 'TRA_MSG_00.015' });
    expect(parsed.listeFactures).toEqual([]);
  });

  it('keeps the API spelling, informationGenerales included', () => {
    const parsed = ConsultStructureResponse.parse({
      codeRetour: 0,
      libelle: 'TRA_MSG_00.000',
      informationGenerales: {
        idStructureCPP: 26300002,
        dateExpirationMotPasseCompteTech: '2027-01-01T00:00:00Z',
      },
      parametres: { codeServiceDoitEtreRenseigne: true },
    });
    expect(parsed.parametres?.codeServiceDoitEtreRenseigne).toBe(true);
  });

  it('refuses a soumettre answer without an invoice id', () => {
    expect(SubmitInvoiceResponse.safeParse({ codeRetour: 0, libelle: 'GCU_MSG_01_000' }).success).toBe(false);
  });

  it('writes request amounts as exact JSON numbers', () => {
    const body: Pick<SubmitInvoiceRequest, 'montantTotal'> = {
      montantTotal: {
        montantHtTotal: '1326.000000',
        montantTVA: '130.272000',
        montantTtcTotal: '1406.272000',
        montantAPayer: '1400.000000',
      },
    };
    expect(stringifyChorusJson(body)).toBe(
      '{"montantTotal":{"montantHtTotal":1326.000000,"montantTVA":130.272000,' +
        '"montantTtcTotal":1406.272000,"montantAPayer":1400.000000}}',
    );
  });
});

describe('walkPages', () => {
  const pagesOf = (items: number[], size: number) => {
    const requested: number[] = [];
    const fetchPage = async (page: number): Promise<FetchedPage<number>> => {
      requested.push(page);
      const slice = items.slice((page - 1) * size, page * size);
      const pages = Math.ceil(items.length / size);
      return { items: slice, parametresRetour: { pageCourante: page, pages, total: items.length } };
    };
    return { requested, fetchPage };
  };

  it('asks for every page up to parametresRetour.pages, once each', async () => {
    const { requested, fetchPage } = pagesOf([1, 2, 3, 4, 5], 2);
    expect(await collectPages(walkPages(fetchPage))).toEqual([1, 2, 3, 4, 5]);
    expect(requested).toEqual([1, 2, 3]);
  });

  it('yields one empty page for an empty search', async () => {
    const { requested, fetchPage } = pagesOf([], 2);
    const pages = [];
    for await (const page of walkPages(fetchPage)) pages.push(page);
    expect(pages).toEqual([{ items: [], pageCourante: 1, pages: 0, total: 0 }]);
    expect(requested).toEqual([1]);
  });

  it('treats an answer without paging data as a single page', async () => {
    const fetchPage = async (): Promise<FetchedPage<string>> => ({ items: ['a', 'b'] });
    expect(await collectPages(walkPages(fetchPage))).toEqual(['a', 'b']);
  });

  it('lets a poller stop early', async () => {
    const { requested, fetchPage } = pagesOf([1, 2, 3, 4, 5, 6], 2);
    for await (const page of walkPages(fetchPage)) {
      if (page.items.includes(2)) break;
    }
    expect(requested).toEqual([1]);
  });
});
