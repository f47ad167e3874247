import type { ChorusClient } from '../../activities/chorus/client';
import { ChorusBusinessError } from '../../activities/chorus/errors';
import type { ChorusPage } from '../../activities/chorus/paging';
import type { SupplierInvoiceSummary } from '../../activities/chorus/models';
import { BEARER_TOKEN_SHAPE, exactAmountsInvoice, SimulatorHarness } from './simulator-harness';

let harness: SimulatorHarness;
let client: ChorusClient;
let idFournisseur: number;

beforeAll(async () => {
  harness = await SimulatorHarness.start();
  client = harness.client('credentials.valid');
  const [supplier] = (await client.activeSupplierStructures()).listeStructures;
  idFournisseur = supplier.idStructureCPP;
});

afterAll(async () => {
  await harness.close();
});

const HOUR = 3600;

describe('transverses', () => {
  it('health-check answers without an envelope', async () => {
    const answer = await client.healthCheck();
    expect(answer.statusCode).toBe('OK');
    expect(answer.statusCodeValue).toBe(200);
  });

  it('active supplier structures give idFournisseur', () => {
    expect(idFournisseur).toBe(harness.structure('supplier.default').idStructureCPP);
  });

  it('uploads a file and gets its pieceJointeId', async () => {
    const answer = await client.uploadFile({
      pieceJointeFichier: Buffer.from('%PDF-1.4 test').toString('base64'),
      pieceJointeNom: 'facture.pdf',
      pieceJointeTypeMime: 'application/pdf',
      pieceJointeExtension: 'PDF',
    });
    expect(answer.pieceJointeId).toEqual(expect.any(Number));
  });

  it('reads billing frames, VAT exemption reasons and payment modes', async () => {
    const frames = await client.billingFrames({ typeDemandePaiement: 'FACTURE' });
    expect(frames.listeCadreFacturation.map((f) => f.codeCadreFacturation)).toContain(
      'A1_FACTURE_FOURNISSEUR',
    );
    const reasons = await client.vatExemptionReasons({ codeLangue: 'FR' });
    expect(reasons.listeMotifsExonerationTva.length).toBeGreaterThan(0);
    const modes = await client.paymentModes();
    expect(modes.listeModePaiement.map((m) => m.modePaiement)).toEqual(
      expect.arrayContaining(['CHEQUE', 'VIREMENT', 'PRELEVEMENT']),
    );
  });
});

describe('structures, utilisateurs, engagements', () => {
  it('finds a buyer by SIRET and reads its mandatory-data flags', async () => {
    const buyer = harness.structure('buyer.requires-service');
    const found = await client.searchStructures({
      structure: { identifiantStructure: buyer.siret, typeIdentifiantStructure: 'SIRET' },
    });
    expect(found.listeStructures).toHaveLength(1);
    expect(found.listeStructures[0].idStructureCPP).toBe(buyer.idStructureCPP);

    const consulted = await client.consultStructure({
      idStructureCPP: buyer.idStructureCPP,
      codeLangue: 'fr',
    });
    expect(consulted.parametres?.codeServiceDoitEtreRenseigne).toBe(true);
    expect(consulted.informationGenerales?.identifiantStructure).toBe(buyer.siret);
  });

  it('an empty search is an empty list, not an error', async () => {
    const found = await client.searchStructures({ structure: { identifiantStructure: '99999999999999' } });
    expect(found.listeStructures).toEqual([]);
    expect(found.codeRetour).toBe(20000);
  });

  it('walks every page of services with parametresRetour.pages', async () => {
    const buyer = harness.structure('buyer.requires-service');
    await harness.resetCounters();
    const pages: Array<ChorusPage<unknown>> = [];
    for await (const page of client.servicePages(buyer.idStructureCPP, 1)) pages.push(page);
    expect(pages.map((p) => p.pageCourante)).toEqual(buyer.services.map((_, i) => i + 1));
    expect(pages.every((p) => p.pages === buyer.services.length)).toBe(true);
    expect(await harness.calls('structures/rechercher/services')).toBe(buyer.services.length);

    const all = await client.allServices(buyer.idStructureCPP, 2);
    expect(all.map((s) => s.codeService).sort()).toEqual(buyer.services.map((s) => s.codeService).sort());
    expect(all.find((s) => s.codeService === 'ANCIEN-SERVICE')?.estActif).toBe(false);
  });

  it('consults a service: does it demand an engagement number?', async () => {
    const buyer = harness.structure('buyer.service-requires-engagement');
    const travaux = buyer.services.find((s) => s.codeService === 'TRAVAUX')!;
    const answer = await client.consultService({
      idStructure: buyer.idStructureCPP,
      idService: travaux.idService,
      codeLangue: 'fr',
    });
    expect(answer.parametres?.numeroEngagement).toBe(true);
    expect(answer.informationsGenerales?.codeService).toBe('TRAVAUX');
  });

  it('lists the technical account attachments', async () => {
    const answer = await client.myAttachments({ parametresRecherche: { nbResultatsParPage: 10 } });
    expect(answer.listeStructureRattachement.map((r) => r.idStructure)).toContain(idFournisseur);
  });

  it('finds an engagement received by the supplier, amounts as exact strings', async () => {
    const answer = await client.searchEngagements({
      structureReceptriceEngagementJuridique: idFournisseur,
      numeroEngagementJuridique: 'EJ-2026-000123',
      etatCourantEngagementJuridique: 'COMMANDE',
    });
    expect(answer.listeEngagementJuridique).toHaveLength(1);
    expect(answer.listeEngagementJuridique[0].montantTotalHt).toMatch(/^50000(\.0+)?$/);
  });
});

describe('factures', () => {
  let submitted: { identifiantFactureCPP: number; numeroFacture: string };

  it('submits an invoice and reads its amounts back exactly', async () => {
    const answer = await client.submitInvoice(exactAmountsInvoice(harness, 'EXACT-2026-0001'));
    expect(answer.statutFacture).toBe('DEPOSEE');
    expect(answer.numeroFacture).toBe('EXACT-2026-0001');
    submitted = { identifiantFactureCPP: answer.identifiantFactureCPP, numeroFacture: 'EXACT-2026-0001' };

    const [found] = await client.allSupplierInvoices({ idFournisseur, numeroFacture: 'EXACT-2026-0001' });
    expect(found.identifiantFactureCPP).toBe(answer.identifiantFactureCPP);
    expect(found.montantHT).toBe('370.670367');
    expect(found.montantTTC).toBe('444.804440');
    expect(found.montantAPayer).toBe('444.804440');

    const consulted = await client.consultSupplierInvoice({
      identifiantFactureCPP: answer.identifiantFactureCPP,
      codeLangue: 'fr',
    });
    expect(consulted.facture?.montantTotal?.montantTVA).toBe('74.134073');
    const lines = consulted.facture?.lignesDePoste?.lignePoste ?? [];
    expect(lines.map((l) => l.lignePosteMontantUnitaireHT)).toEqual(['123.456789', '0.1', '0.2']);
  });

  it('refuses a second invoice with the same number as a business error keeping codeRetour and libelle', async () => {
    const error = await client
      .submitInvoice(exactAmountsInvoice(harness, submitted.numeroFacture))
      .catch((e) => e);
    expect(error).toBeInstanceOf(ChorusBusinessError);
    const business = error as ChorusBusinessError;
    expect(business.type).toBe('ChorusBusinessError');
    expect(business.retryable).toBe(false);
    expect(business.httpStatus).toBe(400);
    expect(business.codeRetour).toBe(20302);
    expect(business.libelle).toMatch(/déjà déposé une demande de paiement avec ce numéro de facture/);
    expect(business.message).toContain('codeRetour 20302');
    expect(business.responseBody).toContain('20302');
    expect((await harness.counters()).duplicatesRefused).toBe(1);
  });

  it('reads the status history', async () => {
    const history = await client.invoiceHistory(submitted.identifiantFactureCPP);
    expect(history.statutCourantCode).toBe('DEPOSEE');
    expect(history.statuses.map((h) => h.code)).toContain('DEPOSEE');
  });

  it('walks a multi-page invoice list page by page', async () => {
    for (let n = 1; n <= 4; n++) {
      await client.submitInvoice(exactAmountsInvoice(harness, `PAGE-2026-000${n}`));
    }
    await harness.resetCounters();
    const pages: Array<ChorusPage<SupplierInvoiceSummary>> = [];
    for await (const page of client.supplierInvoicePages({ idFournisseur }, 2)) pages.push(page);
    expect(pages.map((p) => [p.pageCourante, p.pages, p.total])).toEqual([
      [1, 3, 5],
      [2, 3, 5],
      [3, 3, 5],
    ]);
    expect(
      pages
        .flatMap((p) => p.items)
        .map((i) => i.numeroFacture)
        .sort(),
    ).toEqual(
      ['EXACT-2026-0001', 'PAGE-2026-0001', 'PAGE-2026-0002', 'PAGE-2026-0003', 'PAGE-2026-0004'].sort(),
    );
    expect(await harness.calls('factures/rechercher/fournisseur')).toBe(3);
  });

  it('an empty invoice search yields no invoice', async () => {
    expect(await client.allSupplierInvoices({ idFournisseur, numeroFacture: 'NEVER-SENT' })).toEqual([]);
  });

  it('recycles an invoice the buyer put in A_RECYCLER', async () => {
    const recycler = harness.structure('buyer.recycles');
    const answer = await client.submitInvoice(
      exactAmountsInvoice(harness, 'RECY-2026-0001', 'buyer.recycles'),
    );
    await harness.advanceClock(3 * HOUR);
    const [current] = await client.allSupplierInvoices({ idFournisseur, numeroFacture: 'RECY-2026-0001' });
    expect(current.statut).toBe('A_RECYCLER');

    const recycled = await client.recycleInvoice({
      identifiantFactureCPP: answer.identifiantFactureCPP,
      destinataire: { codeDestinataire: recycler.siret, codeServiceExecutant: 'LOGISTIQUE' },
      commentaire: 'Recyclage vers LOGISTIQUE',
    });
    expect(recycled.statutFacture).toBe('DEPOSEE');
    expect(recycled.numeroFacture).toBe('RECY-2026-0001');
  });

  it('completes a SUSPENDUE invoice', async () => {
    const answer = await client.submitInvoice(
      exactAmountsInvoice(harness, 'SUSP-2026-0001', 'buyer.suspends'),
    );
    await harness.advanceClock(3 * HOUR);
    const history = await client.invoiceHistory(answer.identifiantFactureCPP);
    expect(history.statutCourantCode).toBe('SUSPENDUE');

    const attachment = await client.uploadFile({
      pieceJointeFichier: Buffer.from('bon de livraison').toString('base64'),
      pieceJointeNom: 'bon-livraison.txt',
      pieceJointeTypeMime: 'text/plain',
      pieceJointeExtension: 'TXT',
    });
    const completed = await client.completeInvoice({
      identifiantFactureCPP: answer.identifiantFactureCPP,
      commentaire: 'Bon de livraison joint',
      pieceJointeComplementaire: [
        {
          pieceJointeComplementaireDesignation: 'Bon de livraison',
          // A label people know: the client sends its code (AUT).
          pieceJointeComplementaireType: 'Autre',
          pieceJointeComplementaireId: attachment.pieceJointeId,
        },
      ],
    });
    expect(completed.identifiantFactureCPP).toBe(answer.identifiantFactureCPP);
    const after = await client.invoiceHistory(answer.identifiantFactureCPP);
    expect(after.statuses.map((h) => h.code)).toContain('COMPLETEE');
  });

  it('completing an invoice that is not SUSPENDUE is a business error', async () => {
    const error = await client
      .completeInvoice({ identifiantFactureCPP: submitted.identifiantFactureCPP, commentaire: 'x' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ChorusBusinessError);
    expect((error as ChorusBusinessError).codeRetour).toBe(20002);
  });

  it('logged every call without a secret', () => {
    expect(harness.logLines.length).toBeGreaterThan(20);
    for (const line of harness.logLines) {
      for (const secret of harness.secrets()) expect(line).not.toContain(secret);
      expect(line).not.toMatch(BEARER_TOKEN_SHAPE);
    }
  });
});
