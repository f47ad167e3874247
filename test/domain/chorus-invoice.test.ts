import { toChorusSubmitBody } from '../../domain/chorus-invoice';
import { stringifyChorusJson } from '../../domain/chorus-json';
import { InvoiceInput } from '../../domain/invoice';

const invoice = InvoiceInput.parse({
  connectionId: 'acme',
  invoiceNumber: 'AV-2026-002',
  type: 'CREDIT_NOTE',
  originalInvoiceNumber: 'F-2026-001',
  issueDate: '2026-11-28',
  buyer: { siret: '11000000000015', serviceCode: 'ACHATS' },
  references: { engagementNumber: 'EJ-2026-000123', contractNumber: 'MARCHE-42' },
  billingFrame: 'A1',
  vatRegime: 'TVA_SUR_DEBIT',
  paymentMode: 'VIREMENT',
  contact: { name: 'Jeanne Martin', email: 'jeanne@example.test' },
  publicComment: 'Avoir sur facture F-2026-001',
  lines: [
    {
      description: 'Pièces',
      quantity: '3',
      unitPriceExclVat: { cents: 3333 },
      vatRatePercent: '20',
      discountExclVat: '0.99',
    },
    {
      description: 'Main-d’œuvre',
      quantity: '1.5',
      unitPriceExclVat: '60',
      vatRatePercent: '5.5',
      unit: 'heure',
    },
  ],
  attachments: [
    { fileName: 'avoir.pdf', contentBase64: 'aGVsbG8=', main: true },
    { fileName: 'bon-livraison.pdf', contentBase64: 'aGVsbG8=' },
  ],
});

describe('mapping to the Chorus soumettre body', () => {
  const body = toChorusSubmitBody(invoice, {
    idFournisseur: 25783752,
    bankAccountId: 8316845,
    attachments: [
      { fileName: 'avoir.pdf', type: 'Doc. Annexe', main: true, pieceJointeId: 11 },
      { fileName: 'bon-livraison.pdf', type: 'Doc. Annexe', main: false, pieceJointeId: 12 },
    ],
  });

  it('maps the credit note, routing and references field by field', () => {
    expect(body).toMatchObject({
      modeDepot: 'DEPOT_PDF_API',
      numeroFactureSaisi: 'AV-2026-002',
      dateFacture: '2026-11-28',
      fournisseur: { idFournisseur: 25783752, codeCoordonneesBancairesFournisseur: 8316845 },
      destinataire: { codeDestinataire: '11000000000015', codeServiceExecutant: 'ACHATS' },
      cadreDeFacturation: { codeCadreFacturation: 'A1_FACTURE_FOURNISSEUR' },
      references: {
        typeFacture: 'AVOIR',
        numeroFactureOrigine: 'F-2026-001',
        numeroBonCommande: 'EJ-2026-000123',
        numeroMarche: 'MARCHE-42',
        typeTva: 'TVA_SUR_DEBIT',
        modePaiement: 'VIREMENT',
        deviseFacture: 'EUR',
      },
      pieceJointePrincipale: [{ pieceJointePrincipaleDesignation: 'avoir.pdf', pieceJointePrincipaleId: 11 }],
      pieceJointeComplementaire: [
        {
          pieceJointeComplementaireDesignation: 'bon-livraison.pdf',
          pieceJointeComplementaireType: 'Doc. Annexe',
          pieceJointeComplementaireId: 12,
        },
      ],
    });
    expect(body.commentaire).toBe(
      'Avoir sur facture F-2026-001\nContact — Jeanne Martin — jeanne@example.test',
    );
  });

  it('computes exact totals and writes them as JSON numbers, not floats', () => {
    // 3 × 33.33 − 0.99 = 99.00 at 20 %; 1.5 × 60 = 90.00 at 5.5 %
    expect(body.montantTotal).toEqual({
      montantHtTotal: '189.00',
      montantTVA: '24.75',
      montantTtcTotal: '213.75',
      montantAPayer: '213.75',
    });
    expect(body.ligneTva).toEqual([
      { ligneTvaTauxManuel: '5.5', ligneTvaMontantBaseHtParTaux: '90.00', ligneTvaMontantTvaParTaux: '4.95' },
      { ligneTvaTauxManuel: '20', ligneTvaMontantBaseHtParTaux: '99.00', ligneTvaMontantTvaParTaux: '19.80' },
    ]);
    const wire = stringifyChorusJson(body);
    expect(wire).toContain('"montantTtcTotal":213.75');
    expect(wire).toContain('"lignePosteMontantUnitaireHT":33.33');
    expect(wire).toContain('"lignePosteQuantite":1.5');
  });

  it('sends SAISIE_API without a main attachment and no bank account unless paying by transfer', () => {
    const simple = toChorusSubmitBody(
      { ...invoice, type: 'INVOICE', paymentMode: 'CHEQUE', attachments: [] },
      { idFournisseur: 1, bankAccountId: 2, attachments: [] },
    );
    expect(simple.modeDepot).toBe('SAISIE_API');
    expect(simple.fournisseur).toEqual({ idFournisseur: 1 });
    expect(simple.references.numeroFactureOrigine).toBeUndefined();
    expect(simple.pieceJointePrincipale).toBeUndefined();
  });

  it('names the validating structure for a subcontractor (A9) or co-contractor (A12) invoice', () => {
    const sub = toChorusSubmitBody(
      { ...invoice, billingFrame: 'A9', validator: { siret: '11000000000056', serviceCode: 'CHANTIER' } },
      { idFournisseur: 25783752, attachments: [] },
    );
    expect(sub.cadreDeFacturation).toEqual({
      codeCadreFacturation: 'A9_FACTURE_SOUSTRAITANT',
      codeStructureValideur: '11000000000056',
      codeServiceValideur: 'CHANTIER',
    });
    expect(body.cadreDeFacturation).toEqual({ codeCadreFacturation: 'A1_FACTURE_FOURNISSEUR' });
  });
});
