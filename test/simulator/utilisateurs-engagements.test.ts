import { structureByScenario } from '../../simulator/dataset';
import { startSimulatorHarness, type SimulatorHarness } from './simulator-harness';

let h: SimulatorHarness;
beforeAll(async () => {
  h = await startSimulatorHarness();
});
afterAll(() => h.close());

const supplier = () => structureByScenario(h.sim.ctx.dataset, 'supplier.default');

describe('utilisateurs/v1/monCompte/recuperer/rattachements', () => {
  it("lists the caller's structures with their services", async () => {
    const reply = await h.call('utilisateurs/v1/monCompte/recuperer/rattachements', {
      body: { parametresRecherche: { nbResultatsParPage: 10, pageResultatDemandee: 1 } },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      codeRetour: 0,
      libelle: 'TRA_MSG_00.000',
      listeStructureRattachement: [
        {
          idStructure: supplier().idStructureCPP,
          identifiantStructure: supplier().siret,
          typeIdentifiantStructure: 'SIRET',
          designationStructure: supplier().designation,
          roleUtilisateur: 'FOURNISSEUR',
          statutUtilisateur: 'ACTIF',
          statutRattachementStructure: 'VALIDEE',
          idRattachementStructure: expect.any(Number),
          listeServicesRattache: [
            expect.objectContaining({
              idService: supplier().services[0].idService,
              codeService: 'FACTURATION',
              estActif: true,
              statutRattachementService: 'VALIDEE',
            }),
          ],
        },
      ],
      parametresRetour: { nbResultatsParPage: 10, pageCourante: 1, pages: 1, total: 1 },
    });
  });

  it('shows only the other supplier for credentials.not-attached', async () => {
    const reply = await h.call('utilisateurs/v1/monCompte/recuperer/rattachements', {
      as: 'credentials.not-attached',
    });
    const ids = (reply.body.listeStructureRattachement as { identifiantStructure: string }[]).map(
      (s) => s.identifiantStructure,
    );
    expect(ids).toEqual([structureByScenario(h.sim.ctx.dataset, 'supplier.other').siret]);
  });
});

describe('engagementsJuridiques/v1/rechercher', () => {
  const search = (body: unknown, as?: string) => h.call('engagementsJuridiques/v1/rechercher', { body, as });

  it('finds an engagement in COMMANDE received by the supplier', async () => {
    const reply = await search({
      structureReceptriceEngagementJuridique: supplier().idStructureCPP,
      numeroEngagementJuridique: 'EJ-DEP-5500',
      etatCourantEngagementJuridique: 'COMMANDE',
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      codeRetour: 0,
      libelle: 'TRA_MSG_00.000',
      listeEngagementJuridique: [
        {
          idEngagementJuridique: expect.any(Number),
          numeroEngagementJuridique: 'EJ-DEP-5500',
          libelleTypeEngagementJuridique: 'BON_DE_COMMANDE',
          libelleEtatCourantEJ: 'COMMANDE',
          dateCreationEJ: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
          montantTotalHt: '50000.00',
          montantTotalTtc: '60000.00',
          structureReceptrice: supplier().siret,
          statutStructureReceptrice: 'ACTIVE',
          codeServiceExecutant: 'TRAVAUX',
          libelleServiceExecutant: 'Direction des travaux',
          codeServiceExecutantEmetteur: 'TRAVAUX',
          libelleServiceExecutantEmetteur: 'Direction des travaux',
        },
      ],
      parametresRetour: { nbResultatsParPage: 10, pageCourante: 1, pages: 1, total: 1 },
    });
    // Amounts go out as exact JSON numbers.
    expect(reply.text).toContain('"montantTotalHt":50000.00');
  });

  it('filters on the state', async () => {
    const closed = await search({
      numeroEngagementJuridique: 'EJ-2025-000099',
      etatCourantEngagementJuridique: 'COMMANDE',
    });
    expect(closed.body.codeRetour).toBe(20000);
    const any = await search({ numeroEngagementJuridique: 'EJ-2025-000099' });
    expect(any.body.listeEngagementJuridique).toEqual([
      expect.objectContaining({
        numeroEngagementJuridique: 'EJ-2025-000099',
        libelleEtatCourantEJ: 'CLOTURE',
      }),
    ]);
  });

  it('lists every engagement of the supplier, paged', async () => {
    const all = h.sim.ctx.dataset.structures.flatMap((s) => s.engagements);
    const reply = await search({
      structureReceptriceEngagementJuridique: supplier().idStructureCPP,
      parametresRecherche: { nbResultatsParPage: 2 },
    });
    expect(reply.body.parametresRetour).toEqual({
      nbResultatsParPage: 2,
      pageCourante: 1,
      pages: Math.ceil(all.length / 2),
      total: all.length,
    });
  });

  it.each([
    ['an unknown number', { numeroEngagementJuridique: 'EJ-NOPE' }, undefined],
    ["another supplier's view", { numeroEngagementJuridique: 'EJ-DEP-5500' }, 'credentials.not-attached'],
  ])('answers 200 + 20000 for %s', async (_label, body, as) => {
    const reply = await search(body, as);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      codeRetour: 20000,
      libelle: 'TRA_MSG_00.015',
      listeEngagementJuridique: [],
    });
  });

  it('refuses an engagement number over 50 characters', async () => {
    const reply = await search({ numeroEngagementJuridique: 'E'.repeat(51) });
    expect(reply.status).toBe(400);
    expect(reply.body.codeRetour).toBe(20001);
  });
});
