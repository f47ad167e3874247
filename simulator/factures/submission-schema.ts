import { z } from 'zod';
import { decimalText, identifier, listOf, optionalText } from './request-fields';

/** The body of `soumettre` (API-FACTS §4.5.1): shape only; the business rules are in submission-rules.ts. */

const nonEmpty = z.string().trim().min(1);

export const InvoiceLineSchema = z.object({
  lignePosteNumero: identifier.nullish(),
  lignePosteReference: optionalText,
  lignePosteDenomination: nonEmpty,
  lignePosteQuantite: decimalText,
  lignePosteUnite: nonEmpty,
  lignePosteMontantUnitaireHT: decimalText,
  lignePosteMontantRemiseHT: decimalText.nullish(),
  lignePosteTauxTva: optionalText,
  lignePosteTauxTvaManuel: decimalText.nullish(),
});

export const VatLineSchema = z.object({
  ligneTvaTaux: optionalText,
  ligneTvaTauxManuel: decimalText.nullish(),
  ligneTvaMontantBaseHtParTaux: decimalText.nullish(),
  ligneTvaMontantTvaParTaux: decimalText.nullish(),
});

export const MainAttachmentSchema = z.object({
  pieceJointePrincipaleDesignation: optionalText,
  pieceJointePrincipaleId: identifier,
});

export const ComplementaryAttachmentSchema = z.object({
  pieceJointeComplementaireDesignation: optionalText,
  pieceJointeComplementaireType: optionalText,
  pieceJointeComplementaireId: identifier,
  pieceJointeComplementaireIdLiaison: identifier.nullish(),
  pieceJointeComplementaireNumeroLigneFacture: identifier.nullish(),
});

export const SubmissionSchema = z.object({
  modeDepot: nonEmpty,
  numeroFactureSaisi: optionalText,
  dateFacture: optionalText,
  idUtilisateurCourant: identifier.nullish(),
  fournisseur: z.object({
    idFournisseur: identifier,
    idServiceFournisseur: identifier.nullish(),
    codeCoordonneesBancairesFournisseur: identifier.nullish(),
  }),
  destinataire: z.object({
    codeDestinataire: nonEmpty,
    codeServiceExecutant: optionalText,
  }),
  cadreDeFacturation: z.object({
    codeCadreFacturation: nonEmpty,
    codeStructureValideur: optionalText,
    codeServiceValideur: optionalText,
  }),
  references: z.object({
    deviseFacture: nonEmpty,
    typeFacture: nonEmpty,
    typeTva: nonEmpty,
    motifExonerationTva: optionalText,
    modePaiement: nonEmpty,
    numeroMarche: optionalText,
    numeroBonCommande: optionalText,
    numeroFactureOrigine: optionalText,
  }),
  lignePoste: listOf(InvoiceLineSchema),
  ligneTva: listOf(VatLineSchema),
  montantTotal: z.object({
    montantHtTotal: decimalText,
    montantTVA: decimalText,
    montantTtcTotal: decimalText,
    montantRemiseGlobaleTTC: decimalText.nullish(),
    motifRemiseGlobaleTTC: optionalText,
    montantAPayer: decimalText,
  }),
  pieceJointePrincipale: listOf(MainAttachmentSchema),
  pieceJointeComplementaire: listOf(ComplementaryAttachmentSchema),
  commentaire: optionalText,
});

export type Submission = z.output<typeof SubmissionSchema>;
export type InvoiceLine = z.output<typeof InvoiceLineSchema>;
export type ComplementaryAttachment = z.output<typeof ComplementaryAttachmentSchema>;

export const DEPOSIT_MODES = ['SAISIE_API', 'DEPOT_PDF_API', 'DEPOT_PDF_SIGNE_API'] as const;
export type DepositMode = (typeof DEPOSIT_MODES)[number];
export const INVOICE_TYPES = ['FACTURE', 'AVOIR'] as const;
export const VAT_TYPES = ['TVA_SUR_DEBIT', 'TVA_SUR_ENCAISSEMENT', 'EXONERATION', 'SANS_TVA'] as const;
export const PAYMENT_MODES = ['CHEQUE', 'PRELEVEMENT', 'VIREMENT', 'ESPECE', 'AUTRE', 'REPORT'] as const;
/** What `recuperer/cadrefacturation` offers for typeDemandePaiement FACTURE (API-FACTS §6.1). */
export const BILLING_FRAMES = [
  'A1_FACTURE_FOURNISSEUR',
  'A2_FACTURE_FOURNISSEUR_DEJA_PAYEE',
  'A9_FACTURE_SOUSTRAITANT',
  'A12_FACTURE_COTRAITANT',
] as const;
