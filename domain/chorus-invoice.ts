import type { Invoice } from './invoice';
import { formatDecimal } from './money';
import { computeTotals } from './totals';

/**
 * Our invoice → the body of Chorus Pro `factures/v1/soumettre` (API-FACTS §4.5.1).
 * Pure: the workflow computes it once, shows it in the approval task, and the activity sends
 * exactly that. docs/invoice-model.md has the field-by-field table.
 */

export const BILLING_FRAME_CODES = {
  A1: 'A1_FACTURE_FOURNISSEUR',
  A2: 'A2_FACTURE_FOURNISSEUR_DEJA_PAYEE',
  A9: 'A9_FACTURE_SOUSTRAITANT',
  A12: 'A12_FACTURE_COTRAITANT',
} as const;

export interface UploadedAttachment {
  fileName: string;
  type: string;
  main: boolean;
  pieceJointeId: number;
}

export interface SubmissionContext {
  /** Supplier idStructureCPP, resolved through `recuperer/structures/actives/fournisseur`. */
  idFournisseur: number;
  /** Supplier bank account id (`recuperer/coordbanc/valides`), sent with a credit transfer. */
  bankAccountId?: number;
  attachments: UploadedAttachment[];
}

/** Decimal amounts are strings here and exact JSON numbers on the wire (domain/chorus-json.ts). */
/** `soumettre` line (`lignePoste[]`); the VAT rate is either a code or a manual percentage. */
export interface InvoiceLineRequest {
  lignePosteNumero: number;
  lignePosteReference?: string;
  lignePosteDenomination: string;
  lignePosteQuantite: string;
  lignePosteUnite: string;
  lignePosteMontantUnitaireHT: string;
  lignePosteMontantRemiseHT?: string;
  lignePosteTauxTva?: string;
  lignePosteTauxTvaManuel?: string;
}

/** `soumettre` VAT recap per rate (`ligneTva[]`). */
export interface VatRecapRequest {
  ligneTvaTaux?: string;
  ligneTvaTauxManuel?: string;
  ligneTvaMontantBaseHtParTaux: string;
  ligneTvaMontantTvaParTaux: string;
}

export interface SupplementaryAttachmentRequest {
  pieceJointeComplementaireDesignation: string;
  pieceJointeComplementaireType: string;
  pieceJointeComplementaireId: number;
  pieceJointeComplementaireIdLiaison?: number;
  pieceJointeComplementaireNumeroLigneFacture?: number;
}

/** `soumettre`: one invoice from JSON (API-FACTS §4.5.1). Not idempotent: there is no idempotency key. */
export interface SubmitInvoiceRequest {
  modeDepot: 'SAISIE_API' | 'DEPOT_PDF_API' | 'DEPOT_PDF_SIGNE_API';
  /** Invoice number, ≤ 20 characters, unique per supplier. */
  numeroFactureSaisi?: string | null;
  /** `YYYY-MM-DD`. */
  dateFacture?: string;
  idUtilisateurCourant?: number;
  fournisseur: {
    /** Supplier idStructureCPP, not its SIRET. */
    idFournisseur: number;
    idServiceFournisseur?: number;
    /** idCoordonneeBancaire, expected with a credit transfer. */
    codeCoordonneesBancairesFournisseur?: number;
  };
  destinataire: { codeDestinataire: string; codeServiceExecutant?: string };
  cadreDeFacturation: {
    /** A1_FACTURE_FOURNISSEUR, A2_FACTURE_FOURNISSEUR_DEJA_PAYEE, A9_FACTURE_SOUSTRAITANT, A12_FACTURE_COTRAITANT… */
    codeCadreFacturation: string;
    codeStructureValideur?: string;
    codeServiceValideur?: string;
  };
  references: {
    deviseFacture: string;
    typeFacture: 'FACTURE' | 'AVOIR';
    /** TVA_SUR_DEBIT, TVA_SUR_ENCAISSEMENT, EXONERATION, SANS_TVA. */
    typeTva: string;
    motifExonerationTva?: string;
    /** CHEQUE, PRELEVEMENT, VIREMENT, ESPECE, AUTRE, REPORT. */
    modePaiement: string;
    numeroMarche?: string;
    /** The engagement (EJ) number. */
    numeroBonCommande?: string;
    numeroFactureOrigine?: string;
  };
  lignePoste?: InvoiceLineRequest[];
  ligneTva?: VatRecapRequest[];
  montantTotal: {
    montantHtTotal: string;
    montantTVA: string;
    montantTtcTotal: string;
    montantRemiseGlobaleTTC?: string;
    motifRemiseGlobaleTTC?: string;
    montantAPayer: string;
  };
  pieceJointePrincipale?: Array<{
    pieceJointePrincipaleDesignation: string;
    pieceJointePrincipaleId: number;
  }>;
  pieceJointeComplementaire?: SupplementaryAttachmentRequest[];
  commentaire?: string;
}

/** What we send: every body built here is a valid `soumettre` request. */
export type ChorusSubmitBody = SubmitInvoiceRequest;

/** Builds the soumettre body. The readiness checklist must be green: missing enums throw. */
export function toChorusSubmitBody(invoice: Invoice, context: SubmissionContext): ChorusSubmitBody {
  if (!invoice.billingFrame || !invoice.vatRegime || !invoice.paymentMode) {
    throw new Error('billing frame, VAT regime and payment mode are checked before the body is built');
  }
  const totals = computeTotals(invoice.lines);
  const amountDue = totals.inclVat;
  const main = context.attachments.find((a) => a.main);
  const complementary = context.attachments.filter((a) => !a.main);
  const comment = commentWithContact(invoice);

  return {
    modeDepot: main ? 'DEPOT_PDF_API' : 'SAISIE_API',
    numeroFactureSaisi: invoice.invoiceNumber,
    dateFacture: invoice.issueDate,
    idUtilisateurCourant: 0,
    fournisseur: {
      idFournisseur: context.idFournisseur,
      ...(invoice.paymentMode === 'VIREMENT' && context.bankAccountId !== undefined
        ? { codeCoordonneesBancairesFournisseur: context.bankAccountId }
        : {}),
    },
    destinataire: {
      codeDestinataire: invoice.buyer.siret,
      ...(invoice.buyer.serviceCode ? { codeServiceExecutant: invoice.buyer.serviceCode } : {}),
    },
    cadreDeFacturation: {
      codeCadreFacturation: BILLING_FRAME_CODES[invoice.billingFrame],
      ...(invoice.validator ? { codeStructureValideur: invoice.validator.siret } : {}),
      ...(invoice.validator?.serviceCode ? { codeServiceValideur: invoice.validator.serviceCode } : {}),
    },
    references: {
      deviseFacture: invoice.currency,
      typeFacture: invoice.type === 'CREDIT_NOTE' ? 'AVOIR' : 'FACTURE',
      typeTva: invoice.vatRegime,
      ...(invoice.vatRegime === 'EXONERATION' && invoice.vatExemptionReason
        ? { motifExonerationTva: invoice.vatExemptionReason }
        : {}),
      modePaiement: invoice.paymentMode,
      ...(invoice.references.contractNumber ? { numeroMarche: invoice.references.contractNumber } : {}),
      ...(invoice.references.engagementNumber
        ? { numeroBonCommande: invoice.references.engagementNumber }
        : {}),
      ...(invoice.type === 'CREDIT_NOTE' && invoice.originalInvoiceNumber
        ? { numeroFactureOrigine: invoice.originalInvoiceNumber }
        : {}),
    },
    lignePoste: invoice.lines.map((line, i) => ({
      lignePosteNumero: i + 1,
      ...(line.reference ? { lignePosteReference: line.reference } : {}),
      lignePosteDenomination: line.description,
      lignePosteQuantite: line.quantity,
      lignePosteUnite: line.unit,
      lignePosteMontantUnitaireHT: moneyText(line.unitPriceExclVat),
      ...(line.discountExclVat ? { lignePosteMontantRemiseHT: moneyText(line.discountExclVat) } : {}),
      lignePosteTauxTvaManuel: line.vatRatePercent,
    })),
    ligneTva: totals.vatByRate.map((rate) => ({
      ligneTvaTauxManuel: rate.ratePercent,
      ligneTvaMontantBaseHtParTaux: formatDecimal(rate.base),
      ligneTvaMontantTvaParTaux: formatDecimal(rate.vat),
    })),
    montantTotal: {
      montantHtTotal: formatDecimal(totals.exclVat),
      montantTVA: formatDecimal(totals.vat),
      montantTtcTotal: formatDecimal(totals.inclVat),
      montantAPayer: formatDecimal(amountDue),
    },
    ...(main
      ? {
          pieceJointePrincipale: [
            { pieceJointePrincipaleDesignation: main.fileName, pieceJointePrincipaleId: main.pieceJointeId },
          ],
        }
      : {}),
    ...(complementary.length > 0
      ? {
          pieceJointeComplementaire: complementary.map((a) => ({
            pieceJointeComplementaireDesignation: a.fileName,
            pieceJointeComplementaireType: a.type,
            pieceJointeComplementaireId: a.pieceJointeId,
          })),
        }
      : {}),
    ...(comment ? { commentaire: comment } : {}),
  };
}

function moneyText(value: Invoice['lines'][number]['unitPriceExclVat']): string {
  return typeof value === 'string' ? value : formatDecimal(BigInt(value.cents) * 10_000n);
}

/** soumettre has no contact field: the seed's wizard put the contact in the public comment. */
function commentWithContact(invoice: Invoice): string | undefined {
  const contact = invoice.contact;
  const contactText = contact
    ? ['Contact', contact.name, contact.email, contact.phone]
        .filter((p): p is string => Boolean(p))
        .join(' — ')
    : undefined;
  const parts = [
    invoice.publicComment,
    contactText && contactText !== 'Contact' ? contactText : undefined,
  ].filter((p): p is string => Boolean(p));
  return parts.length > 0 ? parts.join('\n').slice(0, 2000) : undefined;
}
