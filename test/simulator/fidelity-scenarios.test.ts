import { structureByScenario, type StructureRecord } from '../../simulator/dataset';
import { DAY, HOUR, saisieBody } from './factures-harness';
import { startSimulatorHarness, type Reply, type SimulatorHarness } from './simulator-harness';

/**
 * The scenarios where the simulator disagrees with easy assumptions, as the real Chorus Pro does:
 * each is found by its scenario name and checked over real HTTP, raw bodies included.
 */

let h: SimulatorHarness;
beforeAll(async () => {
  h = await startSimulatorHarness();
});
afterAll(async () => {
  await h.close();
});

const structure = (scenario: string): StructureRecord => structureByScenario(h.sim.ctx.dataset, scenario);
const supplier = () => structure('supplier.default');
const advance = (seconds: number) => h.sim.ctx.clock.advance(seconds);
let sequence = 0;
const nextNumber = (prefix = 'FID') => `${prefix}-${String(++sequence).padStart(4, '0')}`;

function body(buyerScenario: string, changes: (b: Record<string, unknown>) => void = () => {}) {
  const b = saisieBody(supplier(), structure(buyerScenario), nextNumber());
  changes(b);
  return b;
}

const submit = (b: unknown, as = 'credentials.valid') => h.call('factures/v1/soumettre', { body: b, as });

async function deposited(buyerScenario: string, changes?: (b: Record<string, unknown>) => void) {
  const reply = await submit(body(buyerScenario, changes));
  expect(reply.status).toBe(200);
  return reply.body.identifiantFactureCPP as number;
}

interface HistoStatut {
  histoStatutId: number;
  histoStatutCode: string;
  histoStatutDatePassage: string;
  histoStatutCommentaire: string | null;
}

async function historyPage(idFacture: number, page = 1, as = 'credentials.valid') {
  const reply = await h.call('factures/v1/consulter/historique', {
    body: { idFacture, paramRechercheHistoStatuts: { pageResultatDemandeeListeHistoStatut: page } },
    as,
  });
  expect(reply.status).toBe(200);
  const statuses = reply.body.historiquesDesStatuts as {
    histoStatut: HistoStatut[];
    pagesHistoStatut: number;
    totalHistoStatut: number;
  };
  return { reply, statuses };
}

const recycle = (id: number, buyerScenario: string) =>
  h.call('factures/v1/recycler', {
    body: { identifiantFactureCPP: id, destinataire: { codeDestinataire: structure(buyerScenario).siret } },
  });

describe('buyer.local-authority-engagement', () => {
  it('requires an engagement, accepts any well-formed one, and the engagement search finds none', async () => {
    const without = await submit(body('buyer.local-authority-engagement'));
    expect(without.body.codeRetour).toBe(20309);
    const purchaseOrder = 'BC-MAIRIE-2026-0815';
    const accepted = await submit(
      body('buyer.local-authority-engagement', (b) => {
        (b.references as Record<string, unknown>).numeroBonCommande = purchaseOrder;
      }),
    );
    expect(accepted.status).toBe(200);
    const search = await h.call('engagementsJuridiques/v1/rechercher', {
      body: { numeroEngagementJuridique: purchaseOrder },
    });
    expect(search.status).toBe(200);
    expect(search.body).toMatchObject({ codeRetour: 20000, listeEngagementJuridique: [] });
  });

  it('still checks engagements where Chorus knows them: a closed one is refused by name, 20312', async () => {
    const closed = await submit(
      body('buyer.requires-engagement', (b) => {
        (b.references as Record<string, unknown>).numeroBonCommande = 'EJ-2025-000099';
      }),
    );
    expect(closed.status).toBe(400);
    expect(closed.body.codeRetour).toBe(20312);
    expect(closed.body.libelle).toMatch(/EJ-2025-000099 est clôturé/);
  });

  it('refuses an inactive service with its own code, 20307', async () => {
    const reply = await submit(
      body('buyer.inactive-service', (b) => {
        (b.destinataire as Record<string, unknown>).codeServiceExecutant = 'ASSAINISSEMENT';
      }),
    );
    expect(reply.body).toMatchObject({
      codeRetour: 20307,
      libelle: expect.stringContaining('ASSAINISSEMENT'),
    });
  });
});

describe('history: newest first, 10 per page, for every buyer', () => {
  it('buyer.same-minute-recycle: MISE_A_DISPOSITION and A_RECYCLER share their date, ids tell the order', async () => {
    const id = await deposited('buyer.same-minute-recycle');
    advance(2 * 60);
    const { reply, statuses } = await historyPage(id);
    expect(reply.body.statutCourantCode).toBe('A_RECYCLER');
    const [recycled, available, depot] = statuses.histoStatut;
    expect([recycled.histoStatutCode, available.histoStatutCode, depot.histoStatutCode]).toEqual([
      'A_RECYCLER',
      'MISE_A_DISPOSITION',
      'DEPOSEE',
    ]);
    expect(recycled.histoStatutDatePassage).toBe(available.histoStatutDatePassage);
    expect(recycled.histoStatutId).toBeGreaterThan(available.histoStatutId);
  });

  it('buyer.long-history: 21 statuses over 3 pages, two recycle rounds, ids growing with time', async () => {
    const id = await deposited('buyer.long-history');
    advance(2 * DAY);
    expect((await recycle(id, 'buyer.long-history')).status).toBe(200);
    advance(2 * DAY);
    expect((await recycle(id, 'buyer.long-history')).status).toBe(200);
    advance(30 * DAY);
    const first = await historyPage(id, 1);
    expect(first.reply.body.statutCourantCode).toBe('MISE_EN_PAIEMENT');
    expect(first.statuses).toMatchObject({ totalHistoStatut: 21, pagesHistoStatut: 3 });
    const all = [
      ...first.statuses.histoStatut,
      ...(await historyPage(id, 2)).statuses.histoStatut,
      ...(await historyPage(id, 3)).statuses.histoStatut,
    ];
    expect(all).toHaveLength(21);
    expect(all[0].histoStatutCode).toBe('MISE_EN_PAIEMENT');
    expect(all.at(-1)?.histoStatutCode).toBe('DEPOSEE');
    const ids = all.map((s) => s.histoStatutId);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(all.filter((s) => s.histoStatutCode === 'A_RECYCLER')).toHaveLength(2);
    // Newest first also holds for an ordinary buyer.
    const plain = await deposited('buyer.no-requirement');
    advance(2 * 60);
    const codes = (await historyPage(plain)).statuses.histoStatut.map((s) => s.histoStatutCode);
    expect(codes).toEqual(['MISE_A_DISPOSITION', 'DEPOSEE']);
  });
});

describe('format.offset-dates', () => {
  const OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/;
  const SHORT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/;

  it('writes every date-time of that buyer’s invoices with milliseconds and offset, others short', async () => {
    const id = await deposited('format.offset-dates');
    const other = await deposited('buyer.no-requirement');
    advance(2 * 60);
    const { reply, statuses } = await historyPage(id);
    for (const s of statuses.histoStatut) expect(s.histoStatutDatePassage).toMatch(OFFSET);
    const events = reply.body.historiquesDesEvenementsComplementaires as {
      evenement: Array<{ evenementDateHeure: string }>;
    };
    expect(events.evenement[0].evenementDateHeure).toMatch(OFFSET);
    for (const s of (await historyPage(other)).statuses.histoStatut) {
      expect(s.histoStatutDatePassage).toMatch(SHORT);
    }

    const search = await h.call('factures/v1/rechercher/fournisseur', {
      body: { listeDestinataire: [{ idDestinataire: structure('format.offset-dates').idStructureCPP }] },
    });
    const hits = search.body.listeFactures as Array<{ dateHeureEtatCourant: string; dateDepot: string }>;
    expect(hits[0].dateHeureEtatCourant).toMatch(OFFSET);
    expect(hits[0].dateDepot).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const consulted = await h.call('factures/v1/consulter/fournisseur', {
      body: { identifiantFactureCPP: id },
    });
    const facture = consulted.body.facture as { references: { dateCreationFacture: string } };
    expect(facture.references.dateCreationFacture).toMatch(OFFSET);
  });
});

describe('format.string-ids', () => {
  it('writes every number, amount and boolean as a string to that technical account only', async () => {
    const id = await deposited('buyer.no-requirement');
    const search = await h.call('factures/v1/rechercher/fournisseur', {
      body: { numeroFacture: `FID-${String(sequence).padStart(4, '0')}` },
      as: 'format.string-ids',
    });
    const raw = JSON.parse(search.text) as Record<string, unknown>;
    expect(raw.codeRetour).toBe('0');
    // One hit: a bare object, not a list.
    const hit = raw.listeFactures as Record<string, unknown>;
    expect(Array.isArray(hit)).toBe(false);
    expect(hit.identifiantFactureCPP).toBe(String(id));
    expect(hit.montantHT).toBe('1326');
    expect(hit.montantAPayer).toBe('1.4E+3');
    expect(hit.rejetTraite).toBe('false');
    expect(hit.codeServiceExecutant).toBeNull();
    expect((raw.parametresRetour as Record<string, unknown>).total).toBe('1');

    const plain = JSON.parse(
      (
        await h.call('factures/v1/rechercher/fournisseur', {
          body: { numeroFacture: `FID-${String(sequence).padStart(4, '0')}` },
        })
      ).text,
    ) as { codeRetour: unknown; listeFactures: Array<Record<string, unknown>> };
    expect(plain.codeRetour).toBe(0);
    expect(plain.listeFactures[0].identifiantFactureCPP).toBe(id);
    expect(plain.listeFactures[0].rejetTraite).toBe(false);
  });
});

describe('piste.three-families', () => {
  it('has Factures, Structures and Transverses, and 403 on Utilisateurs and Engagements', async () => {
    const as = 'credentials.three-families';
    expect((await h.call('transverses/v1/health-check', { method: 'GET', as })).status).toBe(200);
    expect((await h.call('structures/v1/rechercher', { body: {}, as })).status).toBe(200);
    expect((await h.call('factures/v1/rechercher/fournisseur', { body: {}, as })).status).toBe(200);
    for (const path of [
      'utilisateurs/v1/monCompte/recuperer/rattachements',
      'engagementsJuridiques/v1/rechercher',
    ]) {
      const reply = await h.call(path, { body: {}, as });
      expect(reply.status).toBe(403);
      expect(reply.text).toBe('');
    }
  });
});

describe('buyer.renumbers', () => {
  it('ignores numeroFactureSaisi and uses its own number everywhere after', async () => {
    const sent = body('buyer.renumbers');
    const ours = sent.numeroFactureSaisi as string;
    const reply = await submit(sent);
    expect(reply.status).toBe(200);
    const theirs = reply.body.numeroFacture as string;
    expect(theirs).toMatch(/^\d{20}$/);
    expect(theirs).not.toBe(ours);
    const byOurs = await h.call('factures/v1/rechercher/fournisseur', { body: { numeroFacture: ours } });
    expect(byOurs.body).toMatchObject({ codeRetour: 20007, listeFactures: [] });
    const byTheirs = await h.call('factures/v1/rechercher/fournisseur', { body: { numeroFacture: theirs } });
    expect(byTheirs.body.listeFactures).toEqual([expect.objectContaining({ numeroFacture: theirs })]);
    const id = reply.body.identifiantFactureCPP as number;
    expect((await historyPage(id)).reply.body.numeroFacture).toBe(theirs);
    // The same number again is not a duplicate: Chorus never looked at it.
    const again = await submit({ ...sent });
    expect(again.status).toBe(200);
    expect(again.body.numeroFacture).not.toBe(theirs);
    // Buyer, deposit day and amount find such a deposit.
    const byAmount = await h.call('factures/v1/rechercher/fournisseur', {
      body: {
        listeDestinataire: [{ idDestinataire: structure('buyer.renumbers').idStructureCPP }],
        montantTTCMin: '1406.272',
        montantTTCMax: '1406.272',
      },
    });
    expect((byAmount.body.listeFactures as unknown[]).length).toBe(2);
  });
});

describe('validator frames (A9, A12)', () => {
  const a9 = (buyerScenario: string, validator?: string) =>
    body(buyerScenario, (b) => {
      b.cadreDeFacturation = {
        codeCadreFacturation: 'A9_FACTURE_SOUSTRAITANT',
        ...(validator ? { codeStructureValideur: validator } : {}),
      };
    });

  it('need codeStructureValideur, an active structure', async () => {
    expect((await submit(a9('buyer.no-requirement'))).body.codeRetour).toBe(20327);
    expect((await submit(a9('buyer.no-requirement', '11111111111111'))).body.codeRetour).toBe(20328);
    const ok = await submit(a9('buyer.no-requirement', structure('validator.main-contractor').siret));
    expect(ok.status).toBe(200);
    advance(2 * HOUR);
    const codes = (await historyPage(ok.body.identifiantFactureCPP as number)).statuses.histoStatut
      .map((s) => s.histoStatutCode)
      .reverse();
    expect(codes.slice(0, 4)).toEqual(['DEPOSEE', 'A_VALIDER_1', 'VALIDEE_1', 'MISE_A_DISPOSITION']);
  });

  it.each([
    ['buyer.validator-refuses', 'REFUSEE_1'],
    ['buyer.validator-error', 'ERREUR_FOURNISSEUR_SUR_VALIDEUR'],
  ])('%s: the validator ends at %s, and nothing follows', async (scenario, end) => {
    const reply = await submit(a9(scenario, structure('validator.main-contractor').siret));
    const id = reply.body.identifiantFactureCPP as number;
    advance(3 * DAY);
    expect((await historyPage(id)).reply.body.statutCourantCode).toBe(end);
    advance(60 * DAY);
    const { reply: later, statuses } = await historyPage(id);
    expect(later.body.statutCourantCode).toBe(end);
    expect(statuses.histoStatut.map((s) => s.histoStatutCode).reverse()).toEqual([
      'DEPOSEE',
      'A_VALIDER_1',
      end,
    ]);
  });
});

describe('end states ABANDONNEE and SUPPRIMEE', () => {
  it.each([
    ['buyer.abandons', 'ABANDONNEE'],
    ['buyer.deletes', 'SUPPRIMEE'],
  ])('%s ends at %s for good', async (scenario, end) => {
    const id = await deposited(scenario);
    advance(4 * DAY);
    expect((await historyPage(id)).reply.body.statutCourantCode).toBe(end);
    advance(100 * DAY);
    expect((await historyPage(id)).reply.body.statutCourantCode).toBe(end);
  });
});

describe('buyer.unavailable-on-submit', () => {
  it('answers 503 to every soumettre and commits nothing', async () => {
    const sent = body('buyer.unavailable-on-submit');
    for (let attempt = 0; attempt < 3; attempt++) {
      const reply = await submit(sent);
      expect(reply.status).toBe(503);
    }
    const found = await h.call('factures/v1/rechercher/fournisseur', {
      body: { numeroFacture: sent.numeroFactureSaisi },
    });
    expect(found.body.listeFactures).toEqual([]);
  });
});

describe('attachment types', () => {
  it('serves the FACTURE list with French labels, "Doc. Annexe" included, and English on request', async () => {
    const reply = await h.call('transverses/v1/recuperer/typespj', {
      body: { codeLangue: 'FR', typeObjet: 'FACTURE' },
    });
    expect(reply.status).toBe(200);
    const list = reply.body.listeTypePieceJointe as Array<Record<string, unknown>>;
    expect(list).toContainEqual({
      codeTypePieceJointe: 'ANX',
      idTypePieceJointe: 101,
      libelleTypePieceJointe: 'Doc. Annexe',
      typeObjet: 'FACTURE',
    });
    expect(list.map((t) => t.codeTypePieceJointe)).not.toContain('BON_DE_COMMANDE');
    const english = await h.call('transverses/v1/recuperer/typespj', {
      body: { codeLangue: 'EN', typeObjet: 'FACTURE' },
    });
    expect(
      (english.body.listeTypePieceJointe as Array<Record<string, unknown>>)[0].libelleTypePieceJointe,
    ).toBe('Annex document');
    const unknown = await h.call('transverses/v1/recuperer/typespj', { body: { typeObjet: 'RIEN' } });
    expect(unknown.body).toMatchObject({ codeRetour: 20000, listeTypePieceJointe: [] });
  });

  it('soumettre and completer refuse a type that is not a code, labels included', async () => {
    const login = h.credentials('credentials.valid').technicalAccount.login;
    const file = () =>
      h.sim.ctx.files.add({
        name: 'annexe.pdf',
        mimeType: 'application/pdf',
        extension: 'pdf',
        sizeBytes: 1000,
        ownerLogin: login,
        uploadedAt: new Date().toISOString(),
      }).pieceJointeId;
    const withType = (type: string) =>
      body('buyer.suspends', (b) => {
        b.pieceJointeComplementaire = [
          { pieceJointeComplementaireId: file(), pieceJointeComplementaireType: type },
        ];
      });
    const label = await submit(withType('Doc. Annexe'));
    expect(label.body).toMatchObject({ codeRetour: 20331, libelle: expect.stringContaining('Doc. Annexe') });
    expect((await submit(withType('BON_DE_COMMANDE'))).body.codeRetour).toBe(20331);
    const ok = await submit(withType('ANX'));
    expect(ok.status).toBe(200);
    advance(3 * HOUR);
    const id = ok.body.identifiantFactureCPP as number;
    const refused = await h.call('factures/v1/completer', {
      body: {
        identifiantFactureCPP: id,
        pieceJointeComplementaire: [
          { pieceJointeComplementaireId: file(), pieceJointeComplementaireType: 'Devis' },
        ],
      },
    });
    expect(refused.body.codeRetour).toBe(20006);
    const completed = await h.call('factures/v1/completer', {
      body: {
        identifiantFactureCPP: id,
        pieceJointeComplementaire: [
          { pieceJointeComplementaireId: file(), pieceJointeComplementaireType: 'DEV' },
        ],
      },
    });
    expect(completed.status).toBe(200);
  });

  it('refuses an invoice whose attachments weigh more than 120 MB together', async () => {
    const login = h.credentials('credentials.valid').technicalAccount.login;
    const tenMegabytes = 10 * 1024 * 1024;
    const ids = Array.from(
      { length: 13 },
      (_, i) =>
        h.sim.ctx.files.add({
          name: `piece-${i}.pdf`,
          mimeType: 'application/pdf',
          extension: 'pdf',
          sizeBytes: tenMegabytes,
          ownerLogin: login,
          uploadedAt: new Date().toISOString(),
        }).pieceJointeId,
    );
    const heavy = (count: number) =>
      body('buyer.no-requirement', (b) => {
        b.pieceJointeComplementaire = ids
          .slice(0, count)
          .map((id) => ({ pieceJointeComplementaireId: id, pieceJointeComplementaireType: 'ANX' }));
      });
    const refused = await submit(heavy(13));
    expect(refused.body).toMatchObject({ codeRetour: 20332, libelle: expect.stringContaining('120 Mo') });
    expect((await submit(heavy(12))).status).toBe(200);
  });
});

describe('bank details', () => {
  const bankSupplier = () => structure('supplier.bank-details-required');
  const transfer = (bankAccount: number | null) => {
    const b = saisieBody(bankSupplier(), structure('buyer.no-requirement'), nextNumber('VIR'));
    (b.fournisseur as Record<string, unknown>).codeCoordonneesBancairesFournisseur = bankAccount;
    return b;
  };

  it('lists the supplier’s valid bank accounts', async () => {
    const reply = await h.call('transverses/v1/recuperer/coordbanc/valides', {
      body: { idStructure: bankSupplier().idStructureCPP },
      as: 'credentials.bank-details-required',
    });
    expect(
      (reply.body.listeCoordonneeBancaire as Array<{ idCoordonneeBancaire: number }>).map(
        (a) => a.idCoordonneeBancaire,
      ),
    ).toEqual([8316847, 8316848]);
  });

  it('VIREMENT needs one of them for supplier.bank-details-required; the default supplier stays lenient', async () => {
    const as = 'credentials.bank-details-required';
    expect((await submit(transfer(null), as)).body.codeRetour).toBe(20329);
    expect((await submit(transfer(8316845), as)).body.codeRetour).toBe(20330);
    expect((await submit(transfer(8316848), as)).status).toBe(200);
    const lenient = body('buyer.no-requirement', (b) => {
      (b.fournisseur as Record<string, unknown>).codeCoordonneesBancairesFournisseur = null;
    });
    expect((await submit(lenient)).status).toBe(200);
  });
});

describe('the three 403s look different', () => {
  const QUOTA_BODY = {
    httpCode: '403',
    httpMessage: 'Forbidden',
    moreInformation: 'Quota exceeded for this application',
  };

  it('route not subscribed: 403, empty body', async () => {
    const reply = await h.call('structures/v1/rechercher', {
      body: {},
      as: 'credentials.missing-structures',
    });
    expect(reply.status).toBe(403);
    expect(reply.text).toBe('');
  });

  it('disabled technical user: one 401, then 403 with a body naming the user', async () => {
    const as = 'credentials.disabled-user';
    const first = await h.call('structures/v1/rechercher', { body: {}, as });
    expect(first.status).toBe(401);
    expect(first.headers['www-authenticate']).toContain('login or password incorrects');
    for (const path of ['structures/v1/rechercher', 'factures/v1/rechercher/fournisseur']) {
      const later = await h.call(path, { body: {}, as });
      expect(later.status).toBe(403);
      expect(JSON.parse(later.text)).toEqual({
        httpCode: '403',
        httpMessage: 'Forbidden',
        moreInformation: expect.stringMatching(/Utilisateur technique desactive/),
      });
    }
  });

  it('quota: 403 on every family with quota headers and body; the token endpoint still answers', async () => {
    const as = 'credentials.quota-exhausted';
    for (const path of ['structures/v1/rechercher', 'factures/v1/rechercher/fournisseur']) {
      const reply = await h.call(path, { body: {}, as });
      expect(reply.status).toBe(403);
      expect(JSON.parse(reply.text)).toEqual(QUOTA_BODY);
      expect(reply.headers['x-quota-remaining']).toBe('0');
      expect(reply.headers['retry-after']).toBe('3600');
      expect(Number(reply.headers['x-quota-reset'])).toBeGreaterThan(Date.now());
    }
  });
});

describe('"no result" codes per operation', () => {
  it.each<[string, Record<string, unknown>, number, string]>([
    ['factures/v1/rechercher/fournisseur', { numeroFacture: 'NEVER-SENT' }, 20007, 'GFT_MSG_01.075'],
    [
      'structures/v1/rechercher',
      { structure: { identifiantStructure: '99999999999999' } },
      20000,
      'TRA_MSG_00.015',
    ],
    ['engagementsJuridiques/v1/rechercher', { numeroEngagementJuridique: 'NONE' }, 20000, 'TRA_MSG_00.015'],
  ])('%s answers 200 with %s', async (path, criteria, codeRetour, libelle) => {
    const reply: Reply = await h.call(path, { body: criteria });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ codeRetour, libelle });
  });
});
