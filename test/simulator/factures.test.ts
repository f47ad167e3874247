import { line, pdfBody, saisieBody, startFacturesHarness, type FacturesHarness } from './factures-harness';

/** `soumettre` and `consulter/fournisseur` through the whole simulator. */

let h: FacturesHarness;
beforeAll(async () => {
  h = await startFacturesHarness();
});
afterAll(async () => {
  await h.close();
});

type Body = Record<string, unknown> & {
  references: Record<string, unknown>;
  destinataire: Record<string, unknown>;
  fournisseur: Record<string, unknown>;
  cadreDeFacturation: Record<string, unknown>;
  montantTotal: Record<string, unknown>;
  lignePoste: Array<Record<string, unknown>>;
};

const body = (scenario = 'buyer.no-requirement', extra: Parameters<typeof saisieBody>[3] = {}) =>
  saisieBody(h.supplier, h.buyer(scenario), h.nextNumber(), extra) as Body;

describe('soumettre — accepted deposits', () => {
  it('accepts a SAISIE_API invoice and answers like Chorus', async () => {
    const sent = body();
    const reply = await h.call('soumettre', sent);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      codeRetour: 0,
      libelle: 'GCU_MSG_01_000',
      numeroFacture: sent.numeroFactureSaisi,
      identifiantStructure: h.supplier.siret,
      statutFacture: 'DEPOSEE',
    });
    expect(String(reply.body.identifiantFactureCPP)).toMatch(/^\d{7,8}$/);
    expect(reply.body.dateDepot).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(reply.body.empreinteCertificatDepot).toEqual(expect.any(String));

    const counters = h.sim.ctx.counters.snapshot();
    expect(counters.invoices[h.supplier.siret][sent.numeroFactureSaisi as string]).toBe(1);
    expect(counters.calls['factures/soumettre']).toBeGreaterThanOrEqual(1);
  });

  it('numbers a SAISIE_API invoice sent without a number', async () => {
    const sent = { ...body(), numeroFactureSaisi: null };
    const reply = await h.call('soumettre', sent);
    expect(reply.status).toBe(200);
    expect(reply.body.numeroFacture).toMatch(/^\d{20}$/);
  });

  it.each(['DEPOT_PDF_API', 'DEPOT_PDF_SIGNE_API'])(
    'accepts a %s invoice referencing an uploaded PDF',
    async (mode) => {
      const pdf = h.upload('facture.pdf');
      const sent = {
        ...pdfBody(h.supplier, h.buyer('buyer.no-requirement'), h.nextNumber(), pdf),
        modeDepot: mode,
      };
      const reply = await h.call('soumettre', sent);
      expect(reply.status).toBe(200);
      expect(reply.body.statutFacture).toBe('DEPOSEE');

      const consulted = await h.call('consulter/fournisseur', {
        identifiantFactureCPP: reply.body.identifiantFactureCPP,
      });
      const facture = consulted.body.facture as Record<string, Record<string, unknown>>;
      expect(facture.modeDepot).toBe(mode);
      expect(facture.pieceJointePrincipale).toMatchObject({ idPieceJointePrincipale: pdf });
      expect(facture.listeDesPiecesJointes.pieceJointe).toEqual([
        expect.objectContaining({
          pieceJointeId: pdf,
          pieceJointeExtension: 'pdf',
          pieceJointeTypeCode: 'FACTURE',
        }),
      ]);
    },
  );

  it('accepts the routing each buyer asks for', async () => {
    const accepted: Array<[string, Parameters<typeof saisieBody>[3]]> = [
      ['buyer.requires-service', { codeServiceExecutant: 'ACHATS' }],
      ['buyer.requires-engagement', { numeroBonCommande: 'EJ-2026-000123' }],
      ['buyer.service-or-engagement', { codeServiceExecutant: 'BIBLIO' }],
      ['buyer.service-or-engagement', { numeroBonCommande: 'EJ-UNIV-7781' }],
      ['buyer.service-requires-engagement', { codeServiceExecutant: 'CULTURE' }],
      [
        'buyer.service-requires-engagement',
        { codeServiceExecutant: 'TRAVAUX', numeroBonCommande: 'EJ-DEP-5500' },
      ],
      ['buyer.public-invoices-service', { codeServiceExecutant: 'LYCEES' }],
      // A free order reference is fine where no engagement is required.
      ['buyer.no-requirement', { numeroBonCommande: 'COMMANDE CLIENT 42' }],
    ];
    for (const [scenario, extra] of accepted) {
      const reply = await h.call('soumettre', body(scenario, extra));
      expect({ scenario, extra, status: reply.status, body: reply.body }).toMatchObject({ status: 200 });
    }
  });

  it('accepts a credit note naming its invoice, and an exempt invoice with its reason', async () => {
    const avoir = body();
    avoir.references.typeFacture = 'AVOIR';
    avoir.references.numeroFactureOrigine = 'F-0001';
    expect((await h.call('soumettre', avoir)).status).toBe(200);

    const exempt = body();
    exempt.references.typeTva = 'EXONERATION';
    exempt.references.motifExonerationTva = 'TVA non applicable, art. 293 B du CGI';
    expect((await h.call('soumettre', exempt)).status).toBe(200);
  });

  it('allows one cent of difference, decimal-exact (a float would refuse this one)', async () => {
    const sent = body();
    sent.montantTotal.montantHtTotal = '1326.01';
    sent.montantTotal.montantTtcTotal = '1406.282';
    expect((await h.call('soumettre', sent)).status).toBe(200);

    const beyond = body();
    beyond.montantTotal.montantHtTotal = '1326.010001';
    beyond.montantTotal.montantTtcTotal = '1406.282001';
    expect((await h.call('soumettre', beyond)).body.codeRetour).toBe(20319);
  });
});

describe('soumettre — refusals', () => {
  type Case = [string, (b: Body) => unknown, number, string?];
  const cases: Case[] = [
    ['body is not an object', () => [1, 2], 20002, 'objet JSON'],
    ['modeDepot missing', (b) => ({ ...b, modeDepot: undefined }), 20002, '« modeDepot »'],
    ['references.typeTva missing', (b) => (delete b.references.typeTva, b), 20002, '« references.typeTva »'],
    ['fournisseur missing', (b) => ({ ...b, fournisseur: null }), 20002, '« fournisseur »'],
    ['destinataire.codeDestinataire missing', (b) => ((b.destinataire.codeDestinataire = ''), b), 20002],
    [
      'a line without VAT rate',
      (b) => (delete b.lignePoste[0].lignePosteTauxTvaManuel, b),
      20002,
      'taux de TVA',
    ],
    ['unknown deposit mode', (b) => ({ ...b, modeDepot: 'FAX' }), 20003],
    ['supplier not attached to the account', (b) => ((b.fournisseur.idFournisseur = 25783753), b), 20001],
    ['number over 20 characters', (b) => ({ ...b, numeroFactureSaisi: 'F-2026-000000000000001' }), 20301],
    ['number with a forbidden character', (b) => ({ ...b, numeroFactureSaisi: 'F 2026*1' }), 20301],
    [
      'PDF mode without a number',
      (b) => ({ ...b, modeDepot: 'DEPOT_PDF_API', numeroFactureSaisi: null }),
      20300,
    ],
    ['unknown buyer', (b) => ((b.destinataire.codeDestinataire = '11000000099990'), b), 20303],
    ['supplier SIRET as buyer', (b) => ((b.destinataire.codeDestinataire = h.supplier.siret), b), 20303],
    [
      'inactive buyer',
      (b) => ((b.destinataire.codeDestinataire = h.buyer('buyer.inactive-structure').siret), b),
      20304,
    ],
    [
      'service required',
      (b) => ((b.destinataire.codeDestinataire = h.buyer('buyer.requires-service').siret), b),
      20305,
    ],
    [
      'unknown service',
      (b) => (Object.assign(b.destinataire, { codeServiceExecutant: 'INCONNU' }), b),
      20306,
      'INCONNU',
    ],
    [
      'inactive service',
      (b) => (
        Object.assign(b.destinataire, {
          codeDestinataire: h.buyer('buyer.inactive-service').siret,
          codeServiceExecutant: 'ASSAINISSEMENT',
        }),
        b
      ),
      20307,
    ],
    [
      'FACTURES_PUBLIQUES from a private supplier',
      (b) => (
        Object.assign(b.destinataire, {
          codeDestinataire: h.buyer('buyer.public-invoices-service').siret,
          codeServiceExecutant: 'FACTURES_PUBLIQUES',
        }),
        b
      ),
      20308,
    ],
    [
      'engagement required by the buyer',
      (b) => ((b.destinataire.codeDestinataire = h.buyer('buyer.requires-engagement').siret), b),
      20309,
    ],
    [
      'engagement required by the service',
      (b) => (
        Object.assign(b.destinataire, {
          codeDestinataire: h.buyer('buyer.service-requires-engagement').siret,
          codeServiceExecutant: 'TRAVAUX',
        }),
        b
      ),
      20309,
      'TRAVAUX',
    ],
    [
      'neither service nor engagement',
      (b) => ((b.destinataire.codeDestinataire = h.buyer('buyer.service-or-engagement').siret), b),
      20310,
    ],
    ['engagement over 50 characters', (b) => ((b.references.numeroBonCommande = 'E'.repeat(51)), b), 20311],
    [
      'unknown engagement',
      (b) => (
        (b.destinataire.codeDestinataire = h.buyer('buyer.requires-engagement').siret),
        (b.references.numeroBonCommande = 'EJ-INCONNU'),
        b
      ),
      20312,
      'EJ-INCONNU',
    ],
    [
      "another buyer's engagement",
      (b) => (
        (b.destinataire.codeDestinataire = h.buyer('buyer.requires-engagement').siret),
        (b.references.numeroBonCommande = 'EJ-UNIV-7781'),
        b
      ),
      20312,
    ],
    ['unknown invoice type', (b) => ((b.references.typeFacture = 'ACOMPTE'), b), 20313],
    ['credit note without its invoice', (b) => ((b.references.typeFacture = 'AVOIR'), b), 20313, 'origine'],
    ['unknown VAT type', (b) => ((b.references.typeTva = 'TVA_REDUITE'), b), 20314],
    ['exemption without reason', (b) => ((b.references.typeTva = 'EXONERATION'), b), 20315],
    ['unknown payment mode', (b) => ((b.references.modePaiement = 'BITCOIN'), b), 20316],
    [
      'unknown billing frame',
      (b) => ((b.cadreDeFacturation.codeCadreFacturation = 'A3_MEMOIRE_JUSTICE'), b),
      20317,
    ],
    ['SAISIE_API without lines', (b) => ({ ...b, lignePoste: [] }), 20318],
    [
      'lines do not add up to HT',
      (b) => ((b.lignePoste[0] = line(1, 'Maintenance', '10', '52', '20')), b),
      20319,
    ],
    [
      'HT + TVA − discount ≠ TTC',
      (b) => ((b.montantTotal.montantTtcTotal = '1456.272'), b),
      20320,
      '1456.272',
    ],
    ['amount with a comma', (b) => ((b.montantTotal.montantAPayer = '1400,00'), b), 20324, 'montantAPayer'],
    ['amount with 7 decimals', (b) => ((b.montantTotal.montantTVA = '130.2720001'), b), 20324],
    ['currency not ISO 4217', (b) => ((b.references.deviseFacture = 'euro'), b), 20325],
    ['comment over 2000 characters', (b) => ({ ...b, commentaire: 'x'.repeat(2001) }), 20326],
    ['malformed invoice date', (b) => ({ ...b, dateFacture: '2026-02-30' }), 20323],
    ['date-time instead of a date', (b) => ({ ...b, dateFacture: '2026-03-02T10:00:00Z' }), 20323],
    [
      'PDF mode without invoice date',
      (b) => ({ ...b, modeDepot: 'DEPOT_PDF_API', dateFacture: null }),
      20323,
    ],
    ['PDF mode without main attachment', (b) => ({ ...b, modeDepot: 'DEPOT_PDF_API' }), 20322],
    [
      'unknown attachment',
      (b) => ({ ...b, pieceJointeComplementaire: [{ pieceJointeComplementaireId: 99999999 }] }),
      20321,
      '99999999',
    ],
  ];

  // Rows as objects: a short tuple would make jest pass its `done` callback as the last argument.
  const rows = cases.map(([name, mutate, codeRetour, libellePart]) => ({
    name,
    mutate,
    codeRetour,
    libellePart,
  }));
  it.each(rows)('refuses: $name', async ({ mutate, codeRetour, libellePart }) => {
    const reply = await h.call('soumettre', mutate(body()));
    expect(reply.status).toBe(400);
    expect(reply.body.codeRetour).toBe(codeRetour);
    expect(reply.body.libelle).toEqual(expect.any(String));
    if (libellePart) expect(reply.body.libelle).toContain(libellePart);
  });

  it('refuses an attachment uploaded by another technical account', async () => {
    const foreign = h.upload('bon-livraison.pdf', 'TECH_9_autre@cpro.fr');
    const reply = await h.call('soumettre', {
      ...body(),
      pieceJointeComplementaire: [
        { pieceJointeComplementaireId: foreign, pieceJointeComplementaireType: 'BLV' },
      ],
    });
    expect(reply.body).toMatchObject({ codeRetour: 20321 });
    expect(reply.body.libelle).toContain('compte technique');
  });

  it('stores nothing when it refuses', async () => {
    const sent = body();
    sent.references.typeTva = 'TVA_REDUITE';
    await h.call('soumettre', sent);
    expect(
      h.sim.ctx.counters.snapshot().invoices[h.supplier.siret][sent.numeroFactureSaisi as string],
    ).toBeUndefined();
  });
});

describe('soumettre — duplicate invoice numbers', () => {
  it('refuses a second deposit with the same number and leaves the first invoice untouched', async () => {
    const first = body();
    const numero = first.numeroFactureSaisi as string;
    const accepted = await h.call('soumettre', first);
    expect(accepted.status).toBe(200);
    const refusedBefore = h.sim.ctx.counters.duplicatesRefused;

    const again = await h.call('soumettre', first);
    expect(again.status).toBe(400);
    expect(again.body).toEqual({
      codeRetour: 20302,
      libelle: 'Vous avez déjà déposé une demande de paiement avec ce numéro de facture pour cette structure',
    });

    const different = body('buyer.requires-service', { codeServiceExecutant: 'TECHNIQUE' });
    different.numeroFactureSaisi = numero;
    different.montantTotal.montantAPayer = '1';
    expect((await h.call('soumettre', different)).body.codeRetour).toBe(20302);

    const counters = h.sim.ctx.counters.snapshot();
    expect(counters.invoices[h.supplier.siret][numero]).toBe(1);
    expect(counters.duplicatesRefused).toBe(refusedBefore + 2);

    const consulted = await h.call('consulter/fournisseur', {
      identifiantFactureCPP: accepted.body.identifiantFactureCPP,
    });
    const facture = consulted.body.facture as Record<string, Record<string, unknown>>;
    expect(facture.destinataire.codeDestinataire).toBe(h.buyer('buyer.no-requirement').siret);
    expect(facture.montantTotal.montantAPayer).toBe('1400.000000');
    expect(facture.statutFacture).toBe('DEPOSEE');

    const found = await h.call('rechercher/fournisseur', { numeroFacture: numero });
    expect(found.body.listeFactures).toHaveLength(1);
  });

  it('keeps an invoice whose answer was lost: a search finds it, a re-send is a duplicate', async () => {
    const sent = body();
    const numero = sent.numeroFactureSaisi as string;
    h.sim.faults.add({ route: 'factures/soumettre', loseAnswer: true, times: 1 });
    await expect(h.call('soumettre', sent)).rejects.toThrow();

    const found = await h.call('rechercher/fournisseur', { numeroFacture: numero });
    expect(found.body.listeFactures).toEqual([
      expect.objectContaining({ numeroFacture: numero, statut: 'DEPOSEE' }),
    ]);
    expect((await h.call('soumettre', sent)).body.codeRetour).toBe(20302);
    expect(h.sim.ctx.counters.snapshot().invoices[h.supplier.siret][numero]).toBe(1);
  });

  it('lets another supplier use the same number', async () => {
    const first = body();
    await h.call('soumettre', first);
    const other = h.sim.ctx.dataset.technicalAccounts.find((a) => a.scenario === 'account.other-supplier');
    const otherSupplier = h.sim.ctx.dataset.structures.find((s) => s.scenario === 'supplier.other');
    if (!other || !otherSupplier) throw new Error('the data set has a second supplier and its account');
    const sent = saisieBody(
      otherSupplier,
      h.buyer('buyer.no-requirement'),
      first.numeroFactureSaisi as string,
    );
    const reply = await h.call('soumettre', sent, other);
    expect(reply.status).toBe(200);
    expect(reply.body.identifiantStructure).toBe(otherSupplier.siret);
  });
});

describe('consulter/fournisseur', () => {
  it('returns the main blocks with exact amounts and computed line totals', async () => {
    const sent = body('buyer.requires-service', { codeServiceExecutant: 'ACHATS' });
    sent.commentaire = 'Intervention du 28 février';
    const reply = await h.call('soumettre', sent);
    const consulted = await h.call('consulter/fournisseur', {
      identifiantFactureCPP: reply.body.identifiantFactureCPP,
      codeLangue: 'fr',
    });
    expect(consulted.status).toBe(200);
    expect(consulted.body.codeRetour).toBe(0);
    const facture = consulted.body.facture as Record<string, Record<string, unknown>>;
    const buyer = h.buyer('buyer.requires-service');
    expect(facture).toMatchObject({
      identifiantFactureCPP: reply.body.identifiantFactureCPP,
      numeroFacture: sent.numeroFactureSaisi,
      statutFacture: 'DEPOSEE',
      modeDepot: 'SAISIE_API',
      commentaire: 'Intervention du 28 février',
      cadreDeFacturation: { codeCadreFacturation: 'A1_FACTURE_FOURNISSEUR' },
      destinataire: {
        codeDestinataire: buyer.siret,
        idDestinataire: buyer.idStructureCPP,
        codeServiceExecutant: 'ACHATS',
      },
      fournisseur: { codeFournisseur: h.supplier.siret, idFournisseur: h.supplier.idStructureCPP },
      references: {
        codeDeviseFacture: 'EUR',
        typeFacture: 'FACTURE',
        typeTva: 'TVA_SUR_DEBIT',
        modePaiement: 'VIREMENT',
        dateFacture: '2026-03-02',
      },
      montantTotal: {
        montantHtTotal: '1326.000000',
        montantTVA: '130.272000',
        montantTtcAvantRemiseGlobalTTC: '1456.272000',
        montantRemiseGlobaleTTC: '50',
        montantTtcTotal: '1406.272000',
        montantAPayer: '1400.000000',
      },
    });
    expect(facture.lignesDePoste).toMatchObject({ totalLignesPoste: 3, pagesLignesPoste: 1 });
    expect((facture.lignesDePoste.lignePoste as unknown[])[1]).toMatchObject({
      lignePosteDenomination: 'Journaux',
      lignePosteMontantHtApresRemise: '432.000000',
      lignePosteMontantTva: '9.072000',
      lignePosteMontantTtcApresRemise: '441.072000',
    });
    expect(facture.recapitulatifDeTva.ligneTva).toHaveLength(3);
  });

  it('pages the lines with pLignesPoste', async () => {
    const reply = await h.call('soumettre', body());
    const consulted = await h.call('consulter/fournisseur', {
      identifiantFactureCPP: reply.body.identifiantFactureCPP,
      pLignesPoste: { nbResultatsParPageLignesPoste: 2, pageResultatDemandeeLignesPoste: 2 },
    });
    const lines = (consulted.body.facture as Record<string, Record<string, unknown>>).lignesDePoste;
    expect(lines).toMatchObject({ pageCouranteLignesPoste: 2, pagesLignesPoste: 2, totalLignesPoste: 3 });
    expect(lines.lignePoste).toEqual([expect.objectContaining({ lignePosteNumero: 3 })]);
  });

  it('refuses an unknown invoice, another supplier’s invoice and a missing id', async () => {
    expect((await h.call('consulter/fournisseur', { identifiantFactureCPP: 1 })).body.codeRetour).toBe(20000);
    expect((await h.call('consulter/fournisseur', {})).body.codeRetour).toBe(20002);

    const mine = await h.call('soumettre', body());
    const other = h.sim.ctx.dataset.technicalAccounts.find(
      (a) => !a.supplierStructureIds.includes(h.supplier.idStructureCPP),
    );
    if (!other) throw new Error('the data set has an account of another supplier');
    const reply = await h.call(
      'consulter/fournisseur',
      { identifiantFactureCPP: mine.body.identifiantFactureCPP },
      other,
    );
    expect(reply.status).toBe(400);
    expect(reply.body.codeRetour).toBe(20001);
  });
});
