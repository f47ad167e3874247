import { structureByScenario, type StructureRecord } from '../../simulator/dataset';
import { startSimulatorHarness, type SimulatorHarness } from './simulator-harness';

let h: SimulatorHarness;
beforeAll(async () => {
  h = await startSimulatorHarness();
});
afterAll(() => h.close());

const structure = (scenario: string): StructureRecord => structureByScenario(h.sim.ctx.dataset, scenario);

interface ListedStructure {
  idStructureCPP: number;
  identifiantStructure: string;
  designationStructure: string;
  typeIdentifiantStructure: string;
  statut: string;
}
interface ListedService {
  idService: number;
  codeService: string;
  libelleService: string;
  estActif: boolean;
  statutService: string;
  dateDbtService: string;
  dateFinService: string;
}

const search = async (body: unknown, as?: string) => {
  const reply = await h.call('structures/v1/rechercher', { body, as });
  return { ...reply, list: (reply.body.listeStructures ?? []) as ListedStructure[] };
};
const searchServices = async (body: unknown) => {
  const reply = await h.call('structures/v1/rechercher/services', { body });
  return { ...reply, list: (reply.body.listeServices ?? []) as ListedService[] };
};

/** Public structures plus the one private structure the valid account is attached to. */
const visibleCount = () =>
  h.sim.ctx.dataset.structures.filter((s) => s.type === 'PUBLIQUE' || s.scenario === 'supplier.default')
    .length;

describe('structures/v1/rechercher', () => {
  it('finds a buyer by SIRET', async () => {
    const buyer = structure('buyer.requires-service');
    const reply = await search({
      structure: { identifiantStructure: buyer.siret, typeIdentifiantStructure: 'SIRET' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      codeRetour: 0,
      libelle: 'TRA_MSG_00.000',
      listeStructures: [
        {
          idStructureCPP: buyer.idStructureCPP,
          identifiantStructure: buyer.siret,
          designationStructure: buyer.designation,
          typeIdentifiantStructure: 'SIRET',
          statut: 'ACTIVE',
        },
      ],
      parametresRetour: { nbResultatsParPage: 10, pageCourante: 1, pages: 1, total: 1 },
    });
  });

  it('pages by 10 by default', async () => {
    const total = visibleCount();
    expect(total).toBeGreaterThan(10);
    const first = await search({});
    expect(first.list).toHaveLength(10);
    expect(first.body.parametresRetour).toEqual({
      nbResultatsParPage: 10,
      pageCourante: 1,
      pages: Math.ceil(total / 10),
      total,
    });
    const ids = first.list.map((s) => s.idStructureCPP);
    for (let page = 2; page <= Math.ceil(total / 10); page++) {
      const next = await search({ parametres: { pageResultatDemandee: page } });
      expect(next.list).toHaveLength(Math.min(10, total - (page - 1) * 10));
      expect(next.body.parametresRetour).toMatchObject({ pageCourante: page, total });
      ids.push(...next.list.map((s) => s.idStructureCPP));
    }
    expect(new Set(ids).size).toBe(total);
  });

  it('honours nbResultatsParPage and answers an empty page past the end', async () => {
    const total = visibleCount();
    const third = await search({ parametres: { nbResultatsParPage: 4, pageResultatDemandee: 3 } });
    expect(third.list).toHaveLength(4);
    expect(third.body.parametresRetour).toEqual({
      nbResultatsParPage: 4,
      pageCourante: 3,
      pages: Math.ceil(total / 4),
      total,
    });
    const beyond = await search({ parametres: { nbResultatsParPage: 4, pageResultatDemandee: 99 } });
    expect(beyond.body.codeRetour).toBe(0);
    expect(beyond.list).toEqual([]);
  });

  it('sorts by triColonne and triSens', async () => {
    const reply = await search({
      parametres: { nbResultatsParPage: 100, triColonne: 'DesignationStructure', triSens: 'Descendant' },
    });
    const names = reply.list.map((s) => s.designationStructure);
    expect(names).toEqual([...names].sort((a, b) => b.localeCompare(a, 'fr')));
  });

  it('answers an empty search with HTTP 200 and codeRetour 20000', async () => {
    const reply = await search({ structure: { identifiantStructure: '00000000000000' } });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ codeRetour: 20000, libelle: 'TRA_MSG_00.015', listeStructures: [] });
    expect(reply.body.parametresRetour).toMatchObject({ total: 0 });
  });

  it('filters on statutStructure and typeStructure', async () => {
    const inactive = await search({ structure: { statutStructure: 'INACTIF' } });
    expect(inactive.list.map((s) => s.idStructureCPP)).toEqual([
      structure('buyer.inactive-structure').idStructureCPP,
    ]);
    expect(inactive.list[0].statut).toBe('INACTIVE');
    const privee = await search({ structure: { typeStructure: 'PRIVEE' } });
    expect(privee.list.map((s) => s.idStructureCPP)).toEqual([structure('supplier.default').idStructureCPP]);
  });

  it('shows other private structures only when restreindreStructuresPrivees is false', async () => {
    const other = structure('supplier.other');
    const restricted = await search({ structure: { identifiantStructure: other.siret } });
    expect(restricted.body.codeRetour).toBe(20000);
    const explicit = await search({
      structure: { identifiantStructure: other.siret },
      restreindreStructuresPrivees: true,
    });
    expect(explicit.body.codeRetour).toBe(20000);
    const open = await search({
      structure: { identifiantStructure: other.siret },
      restreindreStructuresPrivees: false,
    });
    expect(open.list.map((s) => s.idStructureCPP)).toEqual([other.idStructureCPP]);
    const asItsOwnAccount = await search(
      { structure: { identifiantStructure: other.siret } },
      'credentials.not-attached',
    );
    expect(asItsOwnAccount.list).toHaveLength(1);
  });

  it('answers a functional error for a value off the enumeration', async () => {
    const reply = await search({ structure: { statutStructure: 'ACTIVE' } });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ codeRetour: 20001, libelle: expect.stringContaining('statutStructure') });
  });
});

describe('structures/v1/consulter', () => {
  it('gives the flags, the head office and the caller password expiry', async () => {
    const buyer = structure('buyer.requires-engagement');
    const reply = await h.call('structures/v1/consulter', {
      body: { idStructureCPP: buyer.idStructureCPP, codeLangue: 'fr' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      codeRetour: 0,
      informationGenerales: {
        idStructureCPP: buyer.idStructureCPP,
        identifiantStructure: buyer.siret,
        typeIdentifiantStructure: 'SIRET',
        structurePriveePublique: 'PUBLIQUE',
        numeroTVA: expect.stringMatching(new RegExp(`^FR\\d{2}${buyer.siret.slice(0, 9)}$`)),
        dateExpirationMotPasseCompteTech: expect.any(String),
      },
      parametres: {
        codeServiceDoitEtreRenseigne: false,
        numeroEJDoitEtreRenseigne: true,
        gestionNumeroEJOuCodeService: false,
        statutMiseEnPaiementNestPasRemonte: false,
      },
      adressePostaleDuSiege: { ville: buyer.adresse.ville, codePostal: buyer.adresse.codePostal, pays: 'FR' },
    });
  });

  it('reports the password expiry of the calling account', async () => {
    const supplier = structure('supplier.default');
    const reply = await h.call('structures/v1/consulter', {
      body: { idStructureCPP: supplier.idStructureCPP },
      as: 'credentials.expiring-soon',
    });
    const expiry = Date.parse(
      String((reply.body.informationGenerales as Record<string, unknown>).dateExpirationMotPasseCompteTech),
    );
    // account.expiring-soon always expires 10 days after the simulated now.
    const days = (expiry - h.sim.ctx.clock.now().getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(9.99);
    expect(days).toBeLessThanOrEqual(10);
  });

  it.each([
    ['an unknown id', () => 1],
    ['a private structure the caller is not attached to', () => structure('supplier.other').idStructureCPP],
  ])('answers a functional error for %s', async (_label, id) => {
    const reply = await h.call('structures/v1/consulter', { body: { idStructureCPP: id() } });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ codeRetour: 20002, libelle: expect.any(String) });
  });

  it('wants idStructureCPP', async () => {
    const reply = await h.call('structures/v1/consulter', { body: { idStructure: 1, codeLangue: 'fr' } });
    expect(reply.status).toBe(400);
    expect(reply.body.libelle).toContain('idStructureCPP');
  });
});

describe('structures/v1/rechercher/services', () => {
  it('lists active and inactive services with their dates', async () => {
    const buyer = structure('buyer.requires-service');
    const reply = await searchServices({ idStructure: buyer.idStructureCPP });
    expect(reply.list.map((s) => [s.codeService, s.estActif, s.statutService])).toEqual([
      ['ACHATS', true, 'ACTIF'],
      ['TECHNIQUE', true, 'ACTIF'],
      ['ANCIEN-SERVICE', false, 'INACTIF'],
    ]);
    expect(reply.list[0]).toMatchObject({
      dateDbtService: '2015-01-05 00:00',
      dateFinService: '2050-12-31 00:00',
    });
    expect(reply.list[2].dateFinService < reply.list[0].dateFinService).toBe(true);
  });

  it('pages the services of a structure with many of them', async () => {
    const buyer = structure('buyer.many-services');
    const pagination = (page: number) => ({
      idStructure: buyer.idStructureCPP,
      parametresRechercherServicesStructure: { pageResultatDemandee: page },
    });
    const first = await searchServices(pagination(1));
    expect(first.body.parametresRetour).toEqual({
      nbResultatsParPage: 10,
      pageCourante: 1,
      pages: 3,
      total: buyer.services.length,
    });
    const last = await searchServices(pagination(3));
    expect(last.list).toHaveLength(buyer.services.length - 20);
  });

  it('sorts by EstActif and by CodeService', async () => {
    const buyer = structure('buyer.many-services');
    const reply = await searchServices({
      idStructure: buyer.idStructureCPP,
      parametresRechercherServicesStructure: {
        nbResultatsParPage: 100,
        triColonne: 'EstActif',
        triSens: 'Ascendant',
      },
    });
    const inactive = buyer.services.filter((s) => !s.estActif).length;
    expect(reply.list.slice(0, inactive).every((s) => !s.estActif)).toBe(true);
    const byCode = await searchServices({
      idStructure: buyer.idStructureCPP,
      parametresRechercherServicesStructure: {
        nbResultatsParPage: 3,
        triColonne: 'CodeService',
        triSens: 'Descendant',
      },
    });
    expect(byCode.list.map((s) => s.codeService)).toEqual(['ZONES-ACTIVITE', 'VOIRIE', 'URBANISME']);
  });

  it('answers 20000 for a structure without services', async () => {
    const other = structure('supplier.other');
    const reply = await h.call('structures/v1/rechercher/services', {
      body: { idStructure: other.idStructureCPP },
      as: 'credentials.not-attached',
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ codeRetour: 20000, libelle: 'TRA_MSG_00.015', listeServices: [] });
  });

  it('answers a functional error for an unknown structure', async () => {
    const reply = await searchServices({ idStructure: 42 });
    expect(reply.status).toBe(400);
    expect(reply.body.codeRetour).toBe(20002);
  });
});

describe('structures/v1/consulter/service', () => {
  it('tells whether the service requires an engagement number', async () => {
    const buyer = structure('buyer.service-requires-engagement');
    const travaux = buyer.services.find((s) => s.codeService === 'TRAVAUX')!;
    const culture = buyer.services.find((s) => s.codeService === 'CULTURE')!;
    const consult = (idService: number) =>
      h.call('structures/v1/consulter/service', {
        body: { idStructure: buyer.idStructureCPP, idService, codeLangue: 'fr' },
      });
    const reply = await consult(travaux.idService);
    expect(reply.body).toMatchObject({
      codeRetour: 0,
      informationsGenerales: { codeService: 'TRAVAUX', nomService: travaux.libelleService },
      parametres: { numeroEngagement: true, miseEnPaiement: true, dateDebutValidite: travaux.dateDebut },
      adressePostale: { ville: buyer.adresse.ville },
    });
    expect((await consult(culture.idService)).body.parametres).toMatchObject({ numeroEngagement: false });
  });

  it('answers a functional error for a service of another structure', async () => {
    const buyer = structure('buyer.service-requires-engagement');
    const foreign = structure('buyer.requires-service').services[0];
    const reply = await h.call('structures/v1/consulter/service', {
      body: { idStructure: buyer.idStructureCPP, idService: foreign.idService },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.codeRetour).toBe(20002);
  });
});
