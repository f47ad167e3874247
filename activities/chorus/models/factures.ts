import type { SupplementaryAttachmentRequest } from '../../../domain/chorus-invoice';
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

// The soumettre body is built from our invoice model in the domain; it is defined there once.
export type {
  InvoiceLineRequest,
  SubmitInvoiceRequest,
  SupplementaryAttachmentRequest,
  VatRecapRequest,
} from '../../../domain/chorus-invoice';

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
