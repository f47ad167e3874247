import type { RequestHandler } from 'express';
import { z } from 'zod';
import { isDecimal, toMicros } from '../decimal';
import { callerOf, type CallerIdentity, type SimulatorContext } from '../context';
import { paginate, sendEmptySearch, sendOk } from '../envelope';
import { canSee } from './access';
import { chorusDate, chorusDateTime, dateBound, dateTimeBound } from './dates';
import { searchItem } from './invoice-views';
import { pagingRequest } from './paging';
import { decimalText, identifier, listOf, optionalText, parseRequest } from './request-fields';
import { READ, refusal, sendRefusal, type Refusal } from './refusals';
import { statusOf, type InvoiceStore, type StoredInvoice } from './store';

/**
 * `rechercher/fournisseur` (API-FACTS §4.5.5). Typed clients send every criterion, empty ones as
 * `0`, `""` or `null`: those mean "no filter". `periodeDateHeureEtatCourantDu` lets a tracker ask
 * what changed since its last poll (bounds are inclusive, to the minute).
 */
const SearchRequest = z.object({
  idFournisseur: identifier.nullish(),
  numeroFacture: optionalText,
  numeroFactureOrigine: optionalText,
  numeroBonCommande: optionalText,
  numeroMarche: optionalText,
  typeFacture: optionalText,
  modeDepot: optionalText,
  statutCourant: z.union([z.array(z.string()), z.string()]).nullish(),
  listeDestinataire: listOf(
    z.object({
      idDestinataire: identifier.nullish(),
      listeIdServiceExecutant: z.array(identifier).nullish(),
    }),
  ),
  periodeDateDepotDu: optionalText,
  periodeDateDepotAu: optionalText,
  periodeDateFactureDu: optionalText,
  periodeDateFactureAu: optionalText,
  periodeDateHeureEtatCourantDu: optionalText,
  periodeDateHeureEtatCourantAu: optionalText,
  montantHTMin: decimalText.nullish(),
  montantHTMax: decimalText.nullish(),
  montantTTCMin: decimalText.nullish(),
  montantTTCMax: decimalText.nullish(),
  montantApayerMin: decimalText.nullish(),
  montantApayerMax: decimalText.nullish(),
  rechercheFactureParFournisseur: z.unknown().optional(),
});
type SearchCriteria = z.output<typeof SearchRequest>;

/** A row being filtered and sorted: the invoice with its status at the instant of the search. */
interface Row {
  invoice: StoredInvoice;
  status: string;
  statusAt: Date;
}

type Comparator = (a: Row, b: Row) => number;
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const compareAmount = (pick: (r: Row) => string): Comparator => {
  return (a, b) => {
    const x = toMicros(pick(a));
    const y = toMicros(pick(b));
    return x < y ? -1 : x > y ? 1 : 0;
  };
};

/** Sort columns, matched case-insensitively; every sort ends on the invoice id. */
const SORT_COLUMNS: Record<string, Comparator> = {
  identifiantfacturecpp: () => 0,
  numerofacture: (a, b) => compareText(a.invoice.numeroFacture, b.invoice.numeroFacture),
  datedepot: (a, b) => a.invoice.depositedAt.getTime() - b.invoice.depositedAt.getTime(),
  datefacture: (a, b) => compareText(a.invoice.dateFacture, b.invoice.dateFacture),
  dateheureetatcourant: (a, b) => a.statusAt.getTime() - b.statusAt.getTime(),
  statut: (a, b) => compareText(a.status, b.status),
  codedestinataire: (a, b) => compareText(a.invoice.routing.buyer.siret, b.invoice.routing.buyer.siret),
  montantht: compareAmount((r) => r.invoice.submission.montantTotal.montantHtTotal),
  montantttc: compareAmount((r) => r.invoice.submission.montantTotal.montantTtcTotal),
  montantapayer: compareAmount((r) => r.invoice.submission.montantTotal.montantAPayer),
};
const SORT_ALIASES: Record<string, string> = {
  idfacture: 'identifiantfacturecpp',
  dateetatcourant: 'dateheureetatcourant',
  statutcourant: 'statut',
};

function sortColumn(name: string): Comparator | undefined {
  const key = name.toLowerCase();
  const column = Object.hasOwn(SORT_ALIASES, key) ? SORT_ALIASES[key] : key;
  return Object.hasOwn(SORT_COLUMNS, column) ? SORT_COLUMNS[column] : undefined;
}

export function searchInvoices(ctx: SimulatorContext, store: InvoiceStore): RequestHandler {
  return (req, res) => {
    ctx.counters.recordCall('factures/rechercher/fournisseur');
    const parsed = parseRequest(SearchRequest, req.body, READ.CRITERE_INVALIDE);
    if (!parsed.ok) return sendRefusal(res, parsed.refusal);
    const criteria = parsed.value;
    const caller = callerOf(res);

    const filter = buildFilter(caller, criteria);
    if (!filter.ok) return sendRefusal(res, filter.refusal);
    const paging = pagingRequest(criteria.rechercheFactureParFournisseur);
    const byColumn = sortColumn(paging.triColonne ?? 'DateDepot');
    if (!byColumn) {
      return sendRefusal(
        res,
        refusal(READ.CRITERE_INVALIDE, `La colonne de tri « ${paging.triColonne} » n'est pas reconnue`),
      );
    }
    const descending = paging.triSens ? paging.triSens === 'Descendant' : paging.triColonne === undefined;

    const now = ctx.clock.now();
    const rows = store
      .all()
      .filter((invoice) => canSee(caller, invoice))
      .map((invoice): Row => {
        const current = statusOf(invoice, now);
        return { invoice, status: current.status, statusAt: current.at };
      })
      .filter(filter.accepts);
    if (rows.length === 0) return sendEmptySearch(res, 'listeFactures');

    const direction = descending ? -1 : 1;
    rows.sort(
      (a, b) =>
        direction * (byColumn(a, b) || a.invoice.identifiantFactureCPP - b.invoice.identifiantFactureCPP),
    );
    const { page, parametresRetour } = paginate(rows, paging);
    sendOk(res, { listeFactures: page.map((r) => searchItem(r.invoice, now)), parametresRetour });
  };
}

function present(text: string | null | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed ? trimmed : undefined;
}

type Filter = { ok: true; accepts: (row: Row) => boolean } | { ok: false; refusal: Refusal };

function buildFilter(caller: CallerIdentity, c: SearchCriteria): Filter {
  const checks: Array<(row: Row) => boolean> = [];
  const fail = (libelle: string): Filter => ({ ok: false, refusal: refusal(READ.CRITERE_INVALIDE, libelle) });

  if (c.idFournisseur) {
    const supplierId = c.idFournisseur;
    if (!caller.account.supplierStructureIds.includes(supplierId)) {
      return {
        ok: false,
        refusal: refusal(
          READ.DROITS,
          `Le compte technique n'a pas les droits pour consulter les factures de la structure ${supplierId}`,
        ),
      };
    }
    checks.push((r) => r.invoice.supplier.idStructureCPP === supplierId);
  }

  const exact: Array<[string | undefined, (r: Row) => string | undefined]> = [
    [present(c.numeroFacture), (r) => r.invoice.numeroFacture],
    [
      present(c.numeroFactureOrigine),
      (r) => r.invoice.submission.references.numeroFactureOrigine ?? undefined,
    ],
    [present(c.numeroBonCommande), (r) => r.invoice.routing.numeroBonCommande],
    [present(c.numeroMarche), (r) => r.invoice.submission.references.numeroMarche ?? undefined],
    [present(c.typeFacture), (r) => r.invoice.submission.references.typeFacture],
    [present(c.modeDepot), (r) => r.invoice.modeDepot],
  ];
  for (const [wanted, pick] of exact) {
    if (wanted !== undefined) checks.push((r) => pick(r) === wanted);
  }

  const statuses = (Array.isArray(c.statutCourant) ? c.statutCourant : [c.statutCourant ?? ''])
    .map((s) => s.trim())
    .filter(Boolean);
  if (statuses.length > 0) checks.push((r) => statuses.includes(r.status));

  const buyers = c.listeDestinataire.filter((d) => d.idDestinataire);
  if (buyers.length > 0) {
    checks.push((r) =>
      buyers.some(
        (d) =>
          d.idDestinataire === r.invoice.routing.buyer.idStructureCPP &&
          (!d.listeIdServiceExecutant?.length ||
            d.listeIdServiceExecutant.includes(r.invoice.routing.service?.idService ?? -1)),
      ),
    );
  }

  const periods: Array<
    [string, string | null | undefined, 'from' | 'to', 'date' | 'dateTime', (r: Row) => string]
  > = [
    ['periodeDateDepotDu', c.periodeDateDepotDu, 'from', 'date', (r) => chorusDate(r.invoice.depositedAt)],
    ['periodeDateDepotAu', c.periodeDateDepotAu, 'to', 'date', (r) => chorusDate(r.invoice.depositedAt)],
    ['periodeDateFactureDu', c.periodeDateFactureDu, 'from', 'date', (r) => r.invoice.dateFacture],
    ['periodeDateFactureAu', c.periodeDateFactureAu, 'to', 'date', (r) => r.invoice.dateFacture],
    [
      'periodeDateHeureEtatCourantDu',
      c.periodeDateHeureEtatCourantDu,
      'from',
      'dateTime',
      (r) => chorusDateTime(r.statusAt),
    ],
    [
      'periodeDateHeureEtatCourantAu',
      c.periodeDateHeureEtatCourantAu,
      'to',
      'dateTime',
      (r) => chorusDateTime(r.statusAt),
    ],
  ];
  for (const [field, raw, end, kind, pick] of periods) {
    const text = present(raw);
    if (text === undefined) continue;
    const bound = kind === 'date' ? dateBound(text) : dateTimeBound(text, end);
    if (bound === undefined) {
      return fail(
        `Le critère « ${field} » n'est pas une date lisible (AAAA-MM-JJ, AAAA-MM-JJ HH:MM ou ISO 8601) : « ${text} »`,
      );
    }
    checks.push(end === 'from' ? (r) => pick(r) >= bound : (r) => pick(r) <= bound);
  }

  // Amount bounds, inclusive: how a deposit Chorus renumbered can still be found (buyer, day, amount).
  const totals = (r: Row) => r.invoice.submission.montantTotal;
  const amounts: Array<[string, string | null | undefined, 'min' | 'max', (r: Row) => string]> = [
    ['montantHTMin', c.montantHTMin, 'min', (r) => totals(r).montantHtTotal],
    ['montantHTMax', c.montantHTMax, 'max', (r) => totals(r).montantHtTotal],
    ['montantTTCMin', c.montantTTCMin, 'min', (r) => totals(r).montantTtcTotal],
    ['montantTTCMax', c.montantTTCMax, 'max', (r) => totals(r).montantTtcTotal],
    ['montantApayerMin', c.montantApayerMin, 'min', (r) => totals(r).montantAPayer],
    ['montantApayerMax', c.montantApayerMax, 'max', (r) => totals(r).montantAPayer],
  ];
  for (const [field, raw, end, pick] of amounts) {
    const text = present(raw);
    if (text === undefined) continue;
    if (!isDecimal(text)) return fail(`Le critère « ${field} » n'est pas un montant : « ${text} »`);
    const bound = toMicros(text);
    checks.push(end === 'min' ? (r) => toMicros(pick(r)) >= bound : (r) => toMicros(pick(r)) <= bound);
  }

  return { ok: true, accepts: (row) => checks.every((check) => check(row)) };
}
