import type { SupplementaryAttachmentRequest } from '../../../domain/chorus-invoice';
import { z } from 'zod';
import { chorusInstant } from '../dates';
import {
  ChorusBoolean,
  ChorusId,
  ChorusInteger,
  ChorusText,
  type CodeLangue,
  Decimal,
  envelopeShape,
  listOf,
  optional,
  type PaginationRequest,
  pagedAnswer,
} from './common';

/** Factures family, `/cpro/factures/v1/...` (API-FACTS §4.5). Amounts are exact decimal strings. */

// The soumettre body is built from our invoice model in the domain; it is defined there once.
export type {
  InvoiceLineRequest,
  SubmitInvoiceRequest,
  SupplementaryAttachmentRequest,
  VatRecapRequest,
} from '../../../domain/chorus-invoice';

/**
 * `identifiantFactureCPP` in any form (number or digit string) means the deposit succeeded:
 * nothing else in the answer may turn it into an unknown outcome, so every other member is
 * optional and read as absent when of an unexpected type.
 */
export const SubmitInvoiceResponse = z.looseObject({
  codeRetour: optional(ChorusInteger),
  libelle: optional(ChorusText),
  identifiantFactureCPP: ChorusId,
  numeroFacture: optional(ChorusText),
  identifiantStructure: optional(ChorusText),
  dateDepot: optional(ChorusText),
  statutFacture: optional(ChorusText),
  empreinteCertificatDepot: optional(ChorusText),
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
export const SupplierInvoiceSummary = z
  .looseObject({
    identifiantFactureCPP: ChorusId,
    numeroFacture: optional(ChorusText),
    statut: optional(ChorusText),
    dateFacture: optional(ChorusText),
    dateDepot: optional(ChorusText),
    dateHeureEtatCourant: optional(ChorusText),
    commentaireEtatCourant: optional(ChorusText),
    typeFacture: optional(ChorusText),
    typeDemandePaiement: optional(ChorusText),
    modeDepot: optional(ChorusText),
    numeroFluxDepot: optional(ChorusText),
    codeDestinataire: optional(ChorusText),
    designationDestinataire: optional(ChorusText),
    idDestinataire: optional(ChorusId),
    codeServiceExecutant: optional(ChorusText),
    nomServiceExecutant: optional(ChorusText),
    idServiceExecutant: optional(ChorusId),
    codeFournisseur: optional(ChorusText),
    designationFournisseur: optional(ChorusText),
    montantHT: optional(Decimal),
    montantTTC: optional(Decimal),
    montantAPayer: optional(Decimal),
    devise: optional(ChorusText),
    numeroBonCommande: optional(ChorusText),
    numeroMarche: optional(ChorusText),
    numeroFactureOrigine: optional(ChorusText),
    rejetTraite: optional(ChorusBoolean),
  })
  .transform((hit): typeof hit & { etatCourantAt: string | null } => ({
    ...hit,
    /** `dateHeureEtatCourant` as ISO 8601 keeping its offset (dates.ts); null when unreadable. */
    etatCourantAt: chorusInstant(hit.dateHeureEtatCourant) ?? null,
  }));
export type SupplierInvoiceSummary = z.infer<typeof SupplierInvoiceSummary>;
export const SearchSupplierInvoicesResponse = pagedAnswer('listeFactures', SupplierInvoiceSummary);
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
  lignePosteNumero: optional(ChorusInteger),
  lignePosteReference: optional(ChorusText),
  lignePosteDenomination: optional(ChorusText),
  lignePosteQuantite: optional(Decimal),
  lignePosteUnite: optional(ChorusText),
  lignePosteMontantUnitaireHT: optional(Decimal),
  lignePosteMontantRemiseHT: optional(Decimal),
  lignePosteTauxTva: optional(ChorusText),
  lignePosteTauxTvaManuel: optional(Decimal),
});
const ConsultedVatLine = z.looseObject({
  ligneTvaTauxRefCode: optional(ChorusText),
  ligneTvaTauxManuel: optional(Decimal),
  ligneTvaMontantBaseHtParTaux: optional(Decimal),
  ligneTvaMontantTvaParTaux: optional(Decimal),
});
export const ConsultedInvoice = z.looseObject({
  identifiantFactureCPP: optional(ChorusId),
  numeroFacture: optional(ChorusText),
  statutFacture: optional(ChorusText),
  modeDepot: optional(ChorusText),
  commentaire: optional(ChorusText),
  cadreDeFacturation: z.looseObject({ codeCadreFacturation: optional(ChorusText) }).nullish(),
  destinataire: z
    .looseObject({
      codeDestinataire: optional(ChorusText),
      idDestinataire: optional(ChorusId),
      libelleDestinataire: optional(ChorusText),
      codeServiceExecutant: optional(ChorusText),
      idServiceExecutant: optional(ChorusId),
      libelleServiceExecutant: optional(ChorusText),
    })
    .nullish(),
  fournisseur: z
    .looseObject({
      codeFournisseur: optional(ChorusText),
      idFournisseur: optional(ChorusId),
      designationFournisseur: optional(ChorusText),
      idServiceFournisseur: optional(ChorusId),
    })
    .nullish(),
  references: z
    .looseObject({
      codeDeviseFacture: optional(ChorusText),
      dateFacture: optional(ChorusText),
      dateDepot: optional(ChorusText),
      typeFacture: optional(ChorusText),
      typeTva: optional(ChorusText),
      motifExonerationTva: optional(ChorusText),
      modePaiement: optional(ChorusText),
      numeroBonCommande: optional(ChorusText),
      numeroMarche: optional(ChorusText),
      numeroFactureOrigine: optional(ChorusText),
    })
    .nullish(),
  lignesDePoste: z.looseObject({ lignePoste: listOf(ConsultedLine) }).nullish(),
  recapitulatifDeTva: z.looseObject({ ligneTva: listOf(ConsultedVatLine) }).nullish(),
  montantTotal: z
    .looseObject({
      montantHtTotal: optional(Decimal),
      montantTVA: optional(Decimal),
      montantTtcAvantRemiseGlobalTTC: optional(Decimal),
      montantRemiseGlobaleTTC: optional(Decimal),
      motifRemiseGlobaleTTC: optional(ChorusText),
      montantTtcTotal: optional(Decimal),
      montantAPayer: optional(Decimal),
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
  histoStatutId: optional(ChorusId),
  histoStatutCode: ChorusText,
  histoStatutDatePassage: optional(ChorusText),
  histoStatutCommentaire: optional(ChorusText),
});
export type StatusHistoryEntry = z.infer<typeof StatusHistoryEntry>;
export const InvoiceHistoryResponse = z.looseObject({
  ...envelopeShape,
  idFacture: optional(ChorusId),
  numeroFacture: optional(ChorusText),
  modeDepot: optional(ChorusText),
  statutCourantCode: optional(ChorusText),
  derniereAction: z
    .looseObject({ derniereActionCode: optional(ChorusText), derniereActionId: optional(ChorusId) })
    .nullish(),
  historiquesDesStatuts: z
    .looseObject({
      histoStatut: listOf(StatusHistoryEntry),
      nbResultatsParPageHistoStatut: optional(ChorusInteger),
      pageCouranteHistoStatut: optional(ChorusInteger),
      pagesHistoStatut: optional(ChorusInteger),
      totalHistoStatut: optional(ChorusInteger),
    })
    .nullish(),
  historiquesDesActionsUtilisateurs: z
    .looseObject({
      histoAction: listOf(
        z.looseObject({
          histoActionId: optional(ChorusId),
          histoActionCode: optional(ChorusText),
          histoActionDateHeure: optional(ChorusText),
        }),
      ),
    })
    .nullish(),
  historiquesDesEvenementsComplementaires: z
    .looseObject({
      evenement: listOf(
        z.looseObject({
          evenementId: optional(ChorusId),
          evenementLibelle: optional(ChorusText),
          evenementDateHeure: optional(ChorusText),
        }),
      ),
    })
    .nullish(),
});
export type InvoiceHistoryResponse = z.infer<typeof InvoiceHistoryResponse>;

/** One status an invoice passed, as the client exposes it (`invoiceHistory`). */
export interface InvoiceStatusEntry {
  /** Grows with time: orders statuses of the same minute. Null only if Chorus omits it. */
  histoStatutId: number | null;
  code: string;
  /** ISO 8601 with its offset (`2019-07-11T15:45:39.674+02:00`); null when Chorus gave none. */
  at: string | null;
  /** The date as Chorus wrote it, for the record. */
  chorusDate: string | null;
  comment?: string;
}

/** An invoice's whole status history, every page read, oldest first (by `histoStatutId`). */
export interface InvoiceStatusHistory {
  idFacture: number;
  numeroFacture?: string;
  /** The status Chorus says is current: trust it over any ordering of the list. */
  statutCourantCode?: string;
  statuses: InvoiceStatusEntry[];
}

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
  identifiantFactureCPP: optional(ChorusId),
  numeroFacture: optional(ChorusText),
  dateDepot: optional(ChorusText),
  statutFacture: optional(ChorusText),
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
  identifiantFactureCPP: optional(ChorusId),
  numeroFacture: optional(ChorusText),
  dateTraitement: optional(ChorusText),
});
export type CompleteInvoiceResponse = z.infer<typeof CompleteInvoiceResponse>;
