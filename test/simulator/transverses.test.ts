import { startSimulatorHarness, type SimulatorHarness } from './simulator-harness';

let h: SimulatorHarness;
beforeAll(async () => {
  h = await startSimulatorHarness();
});
afterAll(() => h.close());

const MB = 1024 * 1024;
const pdfBase64 = (bytes: number) => Buffer.alloc(bytes, 0x25).toString('base64');

const upload = (overrides: Record<string, unknown> = {}) =>
  h.call('transverses/v1/ajouter/fichier', {
    body: {
      idUtilisateurCourant: 0,
      pieceJointeFichier: pdfBase64(2048),
      pieceJointeNom: 'facture-2026-0001.pdf',
      pieceJointeTypeMime: 'application/pdf',
      pieceJointeExtension: 'PDF',
      ...overrides,
    },
  });

describe('transverses/v1', () => {
  it('GET health-check answers the exact real body', async () => {
    const reply = await h.call('transverses/v1/health-check', { method: 'GET' });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe(
      '{"body":"L\'API CPRO est actuellement disponible et fonctionnel.","statusCode":"OK","statusCodeValue":200}',
    );
  });

  describe('ajouter/fichier', () => {
    it('stores the file for the caller and answers its pieceJointeId', async () => {
      const reply = await upload();
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        codeRetour: 0,
        libelle: 'GCU_MSG_01_000',
        pieceJointeId: expect.any(Number),
      });
      const stored = h.sim.ctx.files.get(reply.body.pieceJointeId as number);
      expect(stored).toMatchObject({
        name: 'facture-2026-0001.pdf',
        mimeType: 'application/pdf',
        extension: 'pdf',
        sizeBytes: 2048,
        ownerLogin: h.credentials('credentials.valid').technicalAccount.login,
      });
    });

    it('accepts exactly 10 MB and a 50-character name', async () => {
      const name = `${'a'.repeat(46)}.pdf`;
      const reply = await upload({ pieceJointeFichier: pdfBase64(10 * MB), pieceJointeNom: name });
      expect(reply.body.codeRetour).toBe(0);
      expect(h.sim.ctx.files.get(reply.body.pieceJointeId as number)?.sizeBytes).toBe(10 * MB);
    });

    it('refuses a file over 10 MB with codeRetour 20003', async () => {
      const reply = await upload({ pieceJointeFichier: pdfBase64(10 * MB + 1) });
      expect(reply.status).toBe(400);
      expect(reply.body.codeRetour).toBe(20003);
    });

    it.each([
      ['a name over 50 characters', { pieceJointeNom: `${'a'.repeat(47)}.pdf` }, 20004],
      ['a name without extension', { pieceJointeNom: 'facture' }, 20004],
      ['a name that is only an extension', { pieceJointeNom: '.pdf' }, 20004],
      ['an extension off the list', { pieceJointeNom: 'virus.exe', pieceJointeExtension: 'exe' }, 20005],
      ['an extension that differs from the name', { pieceJointeExtension: 'PNG' }, 20005],
      ['content that is not base64', { pieceJointeFichier: 'this is %%% not base64' }, 20002],
      ['base64 of a wrong length', { pieceJointeFichier: 'QUJDRA=' }, 20002],
      ['an empty file', { pieceJointeFichier: '' }, 20002],
      ['a missing file', { pieceJointeFichier: undefined }, 20001],
      ['a malformed MIME type', { pieceJointeTypeMime: 'pdf' }, 20001],
    ])('refuses %s', async (_label, overrides, codeRetour) => {
      const reply = await upload(overrides);
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ codeRetour, libelle: expect.any(String) });
    });

    it('accepts base64 wrapped on several lines', async () => {
      const wrapped = pdfBase64(300).replace(/(.{76})/g, '$1\r\n');
      const reply = await upload({
        pieceJointeFichier: wrapped,
        pieceJointeNom: 'bon.xml',
        pieceJointeExtension: 'xml',
      });
      expect(reply.body.codeRetour).toBe(0);
      expect(h.sim.ctx.files.get(reply.body.pieceJointeId as number)?.sizeBytes).toBe(300);
    });

    it('answers a JSON envelope to a malformed body', async () => {
      const reply = await h.call('transverses/v1/ajouter/fichier', { rawBody: '{"pieceJointeNom": ' });
      expect(reply.status).toBe(400);
      expect(reply.body.codeRetour).toEqual(expect.any(Number));
    });
  });

  describe('recuperer/structures/actives/fournisseur', () => {
    it('lists the supplier structures of the technical account', async () => {
      const reply = await h.call('transverses/v1/recuperer/structures/actives/fournisseur');
      const supplier = h.sim.ctx.dataset.structures.find((s) => s.scenario === 'supplier.default')!;
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        codeRetour: 0,
        libelle: 'TRA_MSG_00.000',
        listeStructures: [
          {
            idStructureCPP: supplier.idStructureCPP,
            identifiant: supplier.siret,
            designationStructure: supplier.designation,
          },
        ],
      });
    });

    it('does not list the supplier for credentials.not-attached', async () => {
      const reply = await h.call('transverses/v1/recuperer/structures/actives/fournisseur', {
        as: 'credentials.not-attached',
      });
      const ids = (reply.body.listeStructures as { identifiant: string }[]).map((s) => s.identifiant);
      expect(ids).not.toContain(h.credentials('credentials.not-attached').supplierSiret);
    });
  });

  it('recuperer/coordbanc/valides lists the bank accounts of a supplier structure of the caller', async () => {
    const supplier = h.sim.ctx.dataset.structures.find((s) => s.scenario === 'supplier.default')!;
    const other = h.sim.ctx.dataset.structures.find((s) => s.scenario === 'supplier.other')!;
    const reply = await h.call('transverses/v1/recuperer/coordbanc/valides', {
      body: { idStructure: supplier.idStructureCPP },
    });
    expect(reply.body).toEqual({
      codeRetour: 0,
      libelle: 'TRA_MSG_00.000',
      listeCoordonneeBancaire: [{ idCoordonneeBancaire: 8316845, nomCoordonneeBancaire: 'Compte principal' }],
    });
    const foreign = await h.call('transverses/v1/recuperer/coordbanc/valides', {
      body: { idStructure: other.idStructureCPP },
    });
    expect(foreign.body).toMatchObject({ codeRetour: 20000, listeCoordonneeBancaire: [] });
  });

  it('recuperer/cadrefacturation lists A1, A2, A9, A12 for FACTURE', async () => {
    const reply = await h.call('transverses/v1/recuperer/cadrefacturation', {
      body: { typeDemandePaiement: 'FACTURE' },
    });
    expect(reply.body.listeCadreFacturation).toEqual([
      { codeCadreFacturation: 'A1_FACTURE_FOURNISSEUR' },
      { codeCadreFacturation: 'A2_FACTURE_FOURNISSEUR_DEJA_PAYEE' },
      { codeCadreFacturation: 'A9_FACTURE_SOUSTRAITANT' },
      { codeCadreFacturation: 'A12_FACTURE_COTRAITANT' },
    ]);
    const unknown = await h.call('transverses/v1/recuperer/cadrefacturation', {
      body: { typeDemandePaiement: 'DEVIS' },
    });
    expect(unknown.status).toBe(400);
  });

  it('recuperer/motifs/exonerationtva lists codes with French labels', async () => {
    const reply = await h.call('transverses/v1/recuperer/motifs/exonerationtva', {
      body: { codeLangue: 'fr' },
    });
    const list = reply.body.listeMotifsExonerationTva as {
      codeMotifExonerationTva: string;
      libelleMotifExonerationTva: string;
    }[];
    expect(list.length).toBeGreaterThan(3);
    expect(list).toContainEqual({
      codeMotifExonerationTva: 'FRANCHISE_293B',
      libelleMotifExonerationTva: expect.stringContaining('293 B'),
    });
  });

  it('recuperer/modereglements lists the six payment modes', async () => {
    const reply = await h.call('transverses/v1/recuperer/modereglements');
    expect(reply.body).toEqual({
      codeRetour: 0,
      libelle: 'GCU_MSG_01_000',
      listeModePaiement: ['CHEQUE', 'PRELEVEMENT', 'VIREMENT', 'ESPECE', 'AUTRE', 'REPORT'].map(
        (modePaiement) => ({
          modePaiement,
        }),
      ),
    });
  });
});
