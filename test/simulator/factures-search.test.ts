import { chorusDate, chorusDateTime } from '../../simulator/factures/dates';
import { DAY, HOUR, saisieBody, startFacturesHarness, type FacturesHarness } from './factures-harness';

/** `rechercher/fournisseur` paging, sorting and filters, and `consulter/historique` paging. */

interface Item {
  identifiantFactureCPP: number;
  numeroFacture: string;
  statut: string;
  dateHeureEtatCourant: string;
  [key: string]: unknown;
}

let h: FacturesHarness;
const numbers: string[] = [];
const rejectedIds: number[] = [];
let changedSince: Date;
/** The day (Paris time) the invoices were deposited. */
let depositDay: string;

async function search(criteria: Record<string, unknown> = {}) {
  const reply = await h.call('rechercher/fournisseur', criteria);
  return {
    ...reply,
    items: (reply.body.listeFactures ?? []) as Item[],
    paging: reply.body.parametresRetour as Record<string, number>,
  };
}

beforeAll(async () => {
  h = await startFacturesHarness();
  depositDay = chorusDate(h.sim.ctx.clock.now());
  for (let i = 0; i < 25; i++) {
    const numero = h.nextNumber('S');
    numbers.push(numero);
    const reply = await h.call('soumettre', saisieBody(h.supplier, h.buyer('buyer.no-requirement'), numero));
    expect(reply.status).toBe(200);
  }
  for (let i = 0; i < 3; i++) {
    const reply = await h.call(
      'soumettre',
      saisieBody(h.supplier, h.buyer('buyer.rejects'), h.nextNumber('R')),
    );
    rejectedIds.push(reply.body.identifiantFactureCPP as number);
  }
  const avoir = saisieBody(h.supplier, h.buyer('buyer.requires-engagement'), h.nextNumber('A'), {
    numeroBonCommande: 'EJ-2026-000123',
  });
  (avoir.references as Record<string, unknown>).typeFacture = 'AVOIR';
  (avoir.references as Record<string, unknown>).numeroFactureOrigine = numbers[0];
  expect((await h.call('soumettre', avoir)).status).toBe(200);
  // 29 invoices: 25 MISE_A_DISPOSITION, 3 REJETEE, 1 AVOIR MISE_A_DISPOSITION.
  h.sim.ctx.clock.advance(5 * HOUR);
  changedSince = h.sim.ctx.clock.now();
});
afterAll(async () => {
  await h.close();
});

describe('rechercher/fournisseur', () => {
  it('pages by 10 by default, newest deposit first', async () => {
    const first = await search();
    expect(first.status).toBe(200);
    expect(first.body.codeRetour).toBe(0);
    expect(first.items).toHaveLength(10);
    expect(first.paging).toEqual({ nbResultatsParPage: 10, pageCourante: 1, pages: 3, total: 29 });
    const ids = first.items.map((i) => i.identifiantFactureCPP);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
  });

  it('walks every page without loss or repetition', async () => {
    const seen: number[] = [];
    for (let page = 1; page <= 3; page++) {
      const reply = await search({ rechercheFactureParFournisseur: { pageResultatDemandee: page } });
      seen.push(...reply.items.map((i) => i.identifiantFactureCPP));
    }
    expect(seen).toHaveLength(29);
    expect(new Set(seen).size).toBe(29);
    const third = await search({ rechercheFactureParFournisseur: { pageResultatDemandee: 3 } });
    expect(third.items).toHaveLength(9);
  });

  it('sorts by invoice number and by date of current status', async () => {
    const asc = await search({
      rechercheFactureParFournisseur: {
        nbResultatsParPage: 25,
        triColonne: 'NumeroFacture',
        triSens: 'Ascendant',
      },
      statutCourant: ['MISE_A_DISPOSITION'],
      listeDestinataire: [{ idDestinataire: h.buyer('buyer.no-requirement').idStructureCPP }],
    });
    expect(asc.items.map((i) => i.numeroFacture)).toEqual(numbers);
    const desc = await search({
      rechercheFactureParFournisseur: { triColonne: 'numeroFacture', triSens: 'Descendant' },
    });
    expect(desc.items[0].numeroFacture).toBe('S-0025');

    // The rejections (after 4 hours) are the latest changes; the others moved after a minute.
    const byStatusDate = await search({
      rechercheFactureParFournisseur: {
        triColonne: 'DateHeureEtatCourant',
        triSens: 'Descendant',
        nbResultatsParPage: 3,
      },
    });
    expect(byStatusDate.items.map((i) => i.identifiantFactureCPP).sort()).toEqual([...rejectedIds].sort());
  });

  it('answers items the way Chorus spells them, with exact amounts', async () => {
    const [item] = (await search({ numeroFacture: 'S-0007' })).items;
    const buyer = h.buyer('buyer.no-requirement');
    expect(item).toMatchObject({
      numeroFacture: 'S-0007',
      statut: 'MISE_A_DISPOSITION',
      dateFacture: '2026-03-02',
      typeFacture: 'FACTURE',
      modeDepot: 'SAISIE_API',
      codeDestinataire: buyer.siret,
      designationDestinataire: buyer.designation,
      idDestinataire: buyer.idStructureCPP,
      codeServiceExecutant: null,
      codeFournisseur: h.supplier.siret,
      montantHT: '1326.000000',
      montantTTC: '1406.272000',
      montantAPayer: '1400.000000',
      devise: 'EUR',
      numeroBonCommande: null,
      commentaireEtatCourant: null,
    });
    expect(item).not.toHaveProperty('statutFacture');
    expect(item.dateDepot).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(item.dateHeureEtatCourant).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  });

  it('filters by status, buyer, engagement, invoice type and supplier', async () => {
    const rejected = await search({ statutCourant: ['REJETEE'] });
    expect(rejected.items.map((i) => i.identifiantFactureCPP).sort()).toEqual([...rejectedIds].sort());
    expect(rejected.items[0].commentaireEtatCourant).toContain('nouvelle facture');
    expect((await search({ statutCourant: ['REJETEE', 'MISE_A_DISPOSITION'] })).paging.total).toBe(29);
    expect(
      (await search({ listeDestinataire: [{ idDestinataire: h.buyer('buyer.rejects').idStructureCPP }] }))
        .paging.total,
    ).toBe(3);
    const byEngagement = await search({ numeroBonCommande: 'EJ-2026-000123' });
    expect(byEngagement.items).toEqual([
      expect.objectContaining({ typeFacture: 'AVOIR', numeroFactureOrigine: 'S-0001' }),
    ]);
    expect((await search({ typeFacture: 'AVOIR' })).paging.total).toBe(1);
    expect((await search({ idFournisseur: h.supplier.idStructureCPP })).paging.total).toBe(29);
  });

  it('treats zero values sent by typed clients as "no filter"', async () => {
    const reply = await search({
      idFournisseur: 0,
      numeroFacture: '',
      typeFacture: '',
      statutCourant: null,
      listeDestinataire: null,
      periodeDateDepotDu: '',
      periodeDateHeureEtatCourantAu: null,
      rejetTraite: false,
    });
    expect(reply.paging.total).toBe(29);
  });

  it('filters by deposit date', async () => {
    // The day of the deposits (Paris time): the clock moved 5 hours since, maybe past midnight.
    expect(
      (await search({ periodeDateDepotDu: depositDay, periodeDateDepotAu: depositDay })).paging.total,
    ).toBe(29);
    const tomorrow = chorusDate(new Date(h.sim.ctx.clock.now().getTime() + 2 * DAY * 1000));
    const none = await search({ periodeDateDepotDu: tomorrow });
    expect(none.status).toBe(200);
    // This operation's own "no result" code (simulator/no-result.ts), not the 20000 of the others.
    expect(none.body).toMatchObject({ codeRetour: 20007, libelle: 'GFT_MSG_01.075', listeFactures: [] });
  });

  it('tells a tracker what changed since its last poll', async () => {
    h.sim.ctx.clock.advance(3 * DAY);
    const isoSince = await search({ periodeDateHeureEtatCourantDu: changedSince.toISOString() });
    expect(isoSince.paging.total).toBe(26);
    expect(new Set(isoSince.items.map((i) => i.statut))).toEqual(new Set(['SERVICE_FAIT']));

    const shortSince = await search({ periodeDateHeureEtatCourantDu: chorusDateTime(changedSince) });
    expect(shortSince.paging.total).toBe(26);
    const before = await search({ periodeDateHeureEtatCourantAu: chorusDateTime(changedSince) });
    expect(before.paging.total).toBe(3);
  });

  it('sees only the caller’s invoices', async () => {
    const other = h.sim.ctx.dataset.technicalAccounts.find(
      (a) => !a.supplierStructureIds.includes(h.supplier.idStructureCPP),
    );
    if (!other) throw new Error('the data set has an account of another supplier');
    const reply = await h.call('rechercher/fournisseur', {}, other);
    expect(reply.body).toMatchObject({ codeRetour: 20007 });
    const forbidden = await h.call(
      'rechercher/fournisseur',
      { idFournisseur: h.supplier.idStructureCPP },
      other,
    );
    expect(forbidden.status).toBe(400);
    expect(forbidden.body.codeRetour).toBe(20001);
  });

  it('refuses unreadable criteria', async () => {
    expect((await search({ periodeDateHeureEtatCourantDu: 'hier' })).body).toMatchObject({
      codeRetour: 20002,
    });
    for (const triColonne of ['Couleur', 'constructor']) {
      expect((await search({ rechercheFactureParFournisseur: { triColonne } })).body).toMatchObject({
        codeRetour: 20002,
      });
    }
    expect(h.sim.ctx.counters.snapshot().calls['factures/rechercher/fournisseur']).toBeGreaterThan(10);
  });
});

describe('consulter/historique', () => {
  it('pages the status history and lists the deposit event', async () => {
    const id = rejectedIds[0];
    const page2 = await h.call('consulter/historique', {
      idFacture: id,
      paramRechercheHistoStatuts: {
        nbResultatsParPageListeHistoStatut: 2,
        pageResultatDemandeeListeHistoStatut: 2,
      },
    });
    expect(page2.status).toBe(200);
    expect(page2.body).toMatchObject({
      codeRetour: 0,
      idFacture: id,
      statutCourantCode: 'REJETEE',
      modeDepot: 'SAISIE_API',
      derniereAction: null,
      historiquesDesStatuts: {
        // Newest first: the second page of two holds the deposit.
        histoStatut: [expect.objectContaining({ histoStatutCode: 'DEPOSEE' })],
        nbResultatsParPageHistoStatut: 2,
        pageCouranteHistoStatut: 2,
        pagesHistoStatut: 2,
        totalHistoStatut: 3,
      },
      historiquesDesActionsUtilisateurs: { histoAction: [], totalHistoAction: 0 },
      historiquesDesEvenementsComplementaires: {
        evenement: [expect.objectContaining({ evenementLibelle: expect.stringContaining('SAISIE_API') })],
        totalEvenement: 1,
      },
    });

    const codes = async (paging: Record<string, string>) =>
      (
        (await h.call('consulter/historique', { idFacture: id, paramRechercheHistoStatuts: paging })).body
          .historiquesDesStatuts as { histoStatut: Array<{ histoStatutCode: string }> }
      ).histoStatut.map((s) => s.histoStatutCode);
    expect(await codes({})).toEqual(['REJETEE', 'MISE_A_DISPOSITION', 'DEPOSEE']);
    expect(await codes({ triSensListeHistoStatut: 'Ascendant' })).toEqual([
      'DEPOSEE',
      'MISE_A_DISPOSITION',
      'REJETEE',
    ]);
  });

  it('asks for idFacture and refuses unknown invoices', async () => {
    const wrongField = await h.call('consulter/historique', { identifiantFactureCPP: rejectedIds[0] });
    expect(wrongField.body.codeRetour).toBe(20002);
    expect(wrongField.body.libelle).toContain('idFacture');
    expect((await h.call('consulter/historique', { idFacture: 42 })).body.codeRetour).toBe(20000);
  });
});
