import { z } from 'zod';
import {
  ChorusId,
  Decimal,
  envelopeShape,
  listOf,
  ParametresRetour,
  type CodeLangue,
  type PaginationRequest,
} from './common';

/** Factures family, `/cpro/factures/v1/...` (API-FACTS §4.5). Amounts are exact decimal strings. */

/** `soumettre` line (`lignePoste[]`); the VAT rate is either a code or a manual percentage. */
export interface InvoiceLineRequest {
  lignePosteNumero: number;
  lignePosteReference?: string;
  lignePosteDenomination: string;
  lignePosteQuantite: Decimal;
  lignePosteUnite: string;
  lignePosteMontantUnitaireHT: Decimal;
  lignePosteMontantRemiseHT?: Decimal;
  lignePosteTauxTva?: string;
  lignePosteTauxTvaManuel?: Decimal;
}

/** `soumettre` VAT recap per rate (`ligneTva[]`). */
export interface VatRecapRequest {
  ligneTvaTaux?: string;
  ligneTvaTauxManuel?: Decimal;
  ligneTvaMontantBaseHtParTaux: Decimal;
  ligneTvaMontantTvaParTaux: Decimal;
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
    montantHtTotal: Decimal;
    montantTVA: Decimal;
    montantTtcTotal: Decimal;
    montantRemiseGlobaleTTC?: Decimal;
    motifRemiseGlobaleTTC?: string;
    montantAPayer: Decimal;
  };
  pieceJointePrincipale?: Array<{
    pieceJointePrincipaleDesignation: string;
    pieceJointePrincipaleId: number;
  }>;
  pieceJointeComplementaire?: SupplementaryAttachmentRequest[];
  commentaire?: string;
}
export const SubmitInvoiceResponse = z.looseObject({
  ...envelopeShape,
  identifiantFactureCPP: ChorusId,
  numeroFacture: z.string().nullish(),
  identifiantStructure: z.string().nullish(),
  dateDepot: z.string().nullish(),
  statutFacture: z.string().nullish(),
  empreinteCertificatDepot: z.string().nullish(),
});
export type SubmitInvoiceResponse = z.infer<typeof SubmitInvoiceResponse>;

/** `rechercher/fournisseur` criteria, without paging (the page helpers add it). */
export interface SupplierInvoiceCriteria {
  idFournisseur?: number;
  idServiceFournisseur?: number;
  idUtilisateurCourant?: number;
  listeDestinataire?: Array<{
    idDestinataire?: number;
    listeIdServiceExecutant?: number[];
    raisonSocialeStuctDmd?: string;
  }>;
  numeroFacture?: string;
  numeroFactureOrigine?: string;
  numeroFluxDepot?: string;
  numeroBonCommande?: string;
  numeroMarche?: string;
  /** Status codes (DEPOSEE, MISE_A_DISPOSITION, …). */
  statutCourant?: string[];
  typeFacture?: 'FACTURE' | 'AVOIR';
  modeDepot?: string;
  rejetTraite?: boolean;
  montantHTMin?: Decimal;
  montantHTMax?: Decimal;
  montantTTCMin?: Decimal;
  montantTTCMax?: Decimal;
  montantApayerMin?: Decimal;
  montantApayerMax?: Decimal;
  periodeDateDepotDu?: string;
  periodeDateDepotAu?: string;
  periodeDateFactureDu?: string;
  periodeDateFactureAu?: string;
  periodeDateHeureEtatCourantDu?: string;
  periodeDateHeureEtatCourantAu?: string;
}
export interface SearchSupplierInvoicesRequest extends SupplierInvoiceCriteria {
  rechercheFactureParFournisseur?: PaginationRequest;
}
/** A search hit; its status member is `statut` (not `statutFacture`). */
export const SupplierInvoiceSummary = z.looseObject({
  identifiantFactureCPP: ChorusId,
  numeroFacture: z.string().nullish(),
  statut: z.string().nullish(),
  dateFacture: z.string().nullish(),
  dateDepot: z.string().nullish(),
  dateHeureEtatCourant: z.string().nullish(),
  commentaireEtatCourant: z.string().nullish(),
  typeFacture: z.string().nullish(),
  typeDemandePaiement: z.string().nullish(),
  modeDepot: z.string().nullish(),
  numeroFluxDepot: z.string().nullish(),
  codeDestinataire: z.string().nullish(),
  designationDestinataire: z.string().nullish(),
  idDestinataire: ChorusId.nullish(),
  codeServiceExecutant: z.string().nullish(),
  nomServiceExecutant: z.string().nullish(),
  idServiceExecutant: ChorusId.nullish(),
  codeFournisseur: z.string().nullish(),
  designationFournisseur: z.string().nullish(),
  montantHT: Decimal.nullish(),
  montantTTC: Decimal.nullish(),
  montantAPayer: Decimal.nullish(),
  devise: z.string().nullish(),
  numeroBonCommande: z.string().nullish(),
  numeroMarche: z.string().nullish(),
  numeroFactureOrigine: z.string().nullish(),
  rejetTraite: z.boolean().nullish(),
});
export type SupplierInvoiceSummary = z.infer<typeof SupplierInvoiceSummary>;
export const SearchSupplierInvoicesResponse = z.looseObject({
  ...envelopeShape,
  listeFactures: listOf(SupplierInvoiceSummary),
  parametresRetour: ParametresRetour.nullish(),
});
export type SearchSupplierInvoicesResponse = z.infer<typeof SearchSupplierInvoicesResponse>;

/** `consulter/fournisseur`: one invoice in full, as its supplier sees it. */
export interface ConsultSupplierInvoiceRequest {
  identifiantFactureCPP: number;
  idUtilisateurCourant?: number;
  codeLangue?: CodeLangue;
  pLignesPoste?: PaginationRequest;
  pListePiecesJointes?: PaginationRequest;
  pLigneRecapTva?: PaginationRequest;
}
const ConsultedLine = z.looseObject({
  lignePosteNumero: z.number().int().nullish(),
  lignePosteReference: z.string().nullish(),
  lignePosteDenomination: z.string().nullish(),
  lignePosteQuantite: Decimal.nullish(),
  lignePosteUnite: z.string().nullish(),
  lignePosteMontantUnitaireHT: Decimal.nullish(),
  lignePosteMontantRemiseHT: Decimal.nullish(),
  lignePosteTauxTva: z.string().nullish(),
  lignePosteTauxTvaManuel: Decimal.nullish(),
});
const ConsultedVatLine = z.looseObject({
  ligneTvaTauxRefCode: z.string().nullish(),
  ligneTvaTauxManuel: Decimal.nullish(),
  ligneTvaMontantBaseHtParTaux: Decimal.nullish(),
  ligneTvaMontantTvaParTaux: Decimal.nullish(),
});
export const ConsultedInvoice = z.looseObject({
  identifiantFactureCPP: ChorusId.nullish(),
  numeroFacture: z.string().nullish(),
  statutFacture: z.string().nullish(),
  modeDepot: z.string().nullish(),
  commentaire: z.string().nullish(),
  cadreDeFacturation: z.looseObject({ codeCadreFacturation: z.string().nullish() }).nullish(),
  destinataire: z
    .looseObject({
      codeDestinataire: z.string().nullish(),
      idDestinataire: ChorusId.nullish(),
      libelleDestinataire: z.string().nullish(),
      codeServiceExecutant: z.string().nullish(),
      idServiceExecutant: ChorusId.nullish(),
      libelleServiceExecutant: z.string().nullish(),
    })
    .nullish(),
  fournisseur: z
    .looseObject({
      codeFournisseur: z.string().nullish(),
      idFournisseur: ChorusId.nullish(),
      designationFournisseur: z.string().nullish(),
      idServiceFournisseur: ChorusId.nullish(),
    })
    .nullish(),
  references: z
    .looseObject({
      codeDeviseFacture: z.string().nullish(),
      dateFacture: z.string().nullish(),
      dateDepot: z.string().nullish(),
      typeFacture: z.string().nullish(),
      typeTva: z.string().nullish(),
      motifExonerationTva: z.string().nullish(),
      modePaiement: z.string().nullish(),
      numeroBonCommande: z.string().nullish(),
      numeroMarche: z.string().nullish(),
      numeroFactureOrigine: z.string().nullish(),
    })
    .nullish(),
  lignesDePoste: z.looseObject({ lignePoste: listOf(ConsultedLine) }).nullish(),
  recapitulatifDeTva: z.looseObject({ ligneTva: listOf(ConsultedVatLine) }).nullish(),
  montantTotal: z
    .looseObject({
      montantHtTotal: Decimal.nullish(),
      montantTVA: Decimal.nullish(),
      montantTtcAvantRemiseGlobalTTC: Decimal.nullish(),
      montantRemiseGlobaleTTC: Decimal.nullish(),
      motifRemiseGlobaleTTC: z.string().nullish(),
      montantTtcTotal: Decimal.nullish(),
      montantAPayer: Decimal.nullish(),
    })
    .nullish(),
});
export type ConsultedInvoice = z.infer<typeof ConsultedInvoice>;
export const ConsultSupplierInvoiceResponse = z.looseObject({
  ...envelopeShape,
  facture: ConsultedInvoice.nullish(),
});
export type ConsultSupplierInvoiceResponse = z.infer<typeof ConsultSupplierInvoiceResponse>;

/** `consulter/historique`: status and action history of one invoice. */
export interface InvoiceHistoryRequest {
  /** The identifiantFactureCPP. */
  idFacture: number;
  idUtilisateurCourant?: number;
  idEspace?: number;
  nbResultatsMaximum?: number;
  paramRechercheHistoStatuts?: Record<string, number | string>;
  paramRechercheHistoActionsUtilisateurs?: Record<string, number | string>;
  paramRechercheHistoEvenementsComplementaires?: Record<string, number | string>;
}
export const StatusHistoryEntry = z.looseObject({
  histoStatutId: ChorusId.nullish(),
  histoStatutCode: z.string(),
  histoStatutDatePassage: z.string().nullish(),
  histoStatutCommentaire: z.string().nullish(),
});
export type StatusHistoryEntry = z.infer<typeof StatusHistoryEntry>;
export const InvoiceHistoryResponse = z.looseObject({
  ...envelopeShape,
  idFacture: ChorusId.nullish(),
  numeroFacture: z.string().nullish(),
  modeDepot: z.string().nullish(),
  statutCourantCode: z.string().nullish(),
  derniereAction: z
    .looseObject({ derniereActionCode: z.string().nullish(), derniereActionId: ChorusId.nullish() })
    .nullish(),
  historiquesDesStatuts: z
    .looseObject({
      histoStatut: listOf(StatusHistoryEntry),
      nbResultatsParPageHistoStatut: z.number().int().nullish(),
      pageCouranteHistoStatut: z.number().int().nullish(),
      pagesHistoStatut: z.number().int().nullish(),
      totalHistoStatut: z.number().int().nullish(),
    })
    .nullish(),
  historiquesDesActionsUtilisateurs: z
    .looseObject({
      histoAction: listOf(
        z.looseObject({
          histoActionId: ChorusId.nullish(),
          histoActionCode: z.string().nullish(),
          histoActionDateHeure: z.string().nullish(),
        }),
      ),
    })
    .nullish(),
  historiquesDesEvenementsComplementaires: z
    .looseObject({
      evenement: listOf(
        z.looseObject({
          evenementId: ChorusId.nullish(),
          evenementLibelle: z.string().nullish(),
          evenementDateHeure: z.string().nullish(),
        }),
      ),
    })
    .nullish(),
});
export type InvoiceHistoryResponse = z.infer<typeof InvoiceHistoryResponse>;

/** `recycler`: re-route an invoice in A_RECYCLER; it keeps its number and goes back to DEPOSEE. */
export interface RecycleInvoiceRequest {
  identifiantFactureCPP: number;
  destinataire: { codeDestinataire: string; codeServiceExecutant?: string };
  /** The engagement number, when the new routing needs one. */
  reference?: { numeroBonCommande?: string };
  commentaire?: string;
  idUtilisateurCourant?: number;
}
export const RecycleInvoiceResponse = z.looseObject({
  ...envelopeShape,
  identifiantFactureCPP: ChorusId.nullish(),
  numeroFacture: z.string().nullish(),
  dateDepot: z.string().nullish(),
  statutFacture: z.string().nullish(),
});
export type RecycleInvoiceResponse = z.infer<typeof RecycleInvoiceResponse>;

/** `completer`: answer a SUSPENDUE invoice with attachments and a comment (≤ 2000 chars). */
export interface CompleteInvoiceRequest {
  identifiantFactureCPP: number;
  pieceJointeComplementaire?: SupplementaryAttachmentRequest[];
  commentaire?: string;
  idUtilisateurCourant?: number;
}
export const CompleteInvoiceResponse = z.looseObject({
  ...envelopeShape,
  identifiantFactureCPP: ChorusId.nullish(),
  numeroFacture: z.string().nullish(),
  dateTraitement: z.string().nullish(),
});
export type CompleteInvoiceResponse = z.infer<typeof CompleteInvoiceResponse>;
