import { z } from 'zod';
import {
  ChorusId,
  ChorusInteger,
  ChorusText,
  type CodeLangue,
  envelopeShape,
  listOf,
  optional,
} from './common';

/** Transverses family, `/cpro/transverses/v1/...` (API-FACTS §4.1). */

/** GET `health-check`: the only answer without `codeRetour`. */
export const HealthCheckResponse = z.looseObject({
  body: optional(ChorusText),
  statusCode: optional(ChorusText),
  statusCodeValue: optional(ChorusInteger),
});
export type HealthCheckResponse = z.infer<typeof HealthCheckResponse>;

/** `ajouter/fichier`: stores an attachment, answered with the id `soumettre` and `completer` reference. */
export interface UploadFileRequest {
  idUtilisateurCourant?: number;
  /** File content, standard base64. */
  pieceJointeFichier: string;
  /** File name with its extension, at most 50 characters. */
  pieceJointeNom: string;
  pieceJointeTypeMime: string;
  pieceJointeExtension: string;
}
export const UploadFileResponse = z.looseObject({ ...envelopeShape, pieceJointeId: ChorusId });
export type UploadFileResponse = z.infer<typeof UploadFileResponse>;

/** `recuperer/structures/actives/fournisseur`: structures the technical account may invoice as supplier. */
export type ActiveSupplierStructuresRequest = Record<string, never>;
export const ActiveSupplierStructure = z.looseObject({
  idStructureCPP: ChorusId,
  identifiant: optional(ChorusText),
  designationStructure: optional(ChorusText),
});
export const ActiveSupplierStructuresResponse = z.looseObject({
  ...envelopeShape,
  listeStructures: listOf(ActiveSupplierStructure),
});
export type ActiveSupplierStructuresResponse = z.infer<typeof ActiveSupplierStructuresResponse>;

/** `recuperer/cadrefacturation`: billing frames allowed for a payment-request type. */
export interface BillingFramesRequest {
  typeDemandePaiement: 'FACTURE' | 'FACTURE_TRAVAUX' | 'MEMOIRE_JUSTICE' | 'DEMANDE_REMBOURSEMENT';
}
export const BillingFramesResponse = z.looseObject({
  ...envelopeShape,
  listeCadreFacturation: listOf(z.looseObject({ codeCadreFacturation: z.string() })),
});
export type BillingFramesResponse = z.infer<typeof BillingFramesResponse>;

/** `recuperer/motifs/exonerationtva`: VAT exemption reasons for `references.motifExonerationTva`. */
export interface VatExemptionReasonsRequest {
  codeLangue: CodeLangue;
}
export const VatExemptionReasonsResponse = z.looseObject({
  ...envelopeShape,
  listeMotifsExonerationTva: listOf(
    z.looseObject({
      codeMotifExonerationTva: ChorusText,
      libelleMotifExonerationTva: optional(ChorusText),
    }),
  ),
});
export type VatExemptionReasonsResponse = z.infer<typeof VatExemptionReasonsResponse>;

/** `recuperer/modereglements`: payment modes for `references.modePaiement`. */
export type PaymentModesRequest = Record<string, never>;
export const PaymentModesResponse = z.looseObject({
  ...envelopeShape,
  listeModePaiement: listOf(z.looseObject({ modePaiement: z.string() })),
});
export type PaymentModesResponse = z.infer<typeof PaymentModesResponse>;

/** `recuperer/typespj`: attachment type codes for `pieceJointeComplementaireType`, with their labels. */
export interface AttachmentTypesRequest {
  codeLangue: CodeLangue;
  /** `FACTURE` for invoices (also MEMOIRE, DMD_RBST…). */
  typeObjet: string;
}
export const AttachmentTypesResponse = z.looseObject({
  ...envelopeShape,
  listeTypePieceJointe: listOf(
    z.looseObject({
      codeTypePieceJointe: ChorusText,
      idTypePieceJointe: optional(ChorusId),
      libelleTypePieceJointe: optional(ChorusText),
      typeObjet: optional(ChorusText),
    }),
  ),
});
export type AttachmentTypesResponse = z.infer<typeof AttachmentTypesResponse>;

/** `recuperer/coordbanc/valides`: the supplier's valid bank accounts, for `codeCoordonneesBancairesFournisseur`. */
export interface ValidBankAccountsRequest {
  /** The supplier's idStructureCPP. */
  idStructure: number;
}
export const ValidBankAccountsResponse = z.looseObject({
  ...envelopeShape,
  listeCoordonneeBancaire: listOf(
    z.looseObject({
      idCoordonneeBancaire: ChorusId,
      nomCoordonneeBancaire: optional(ChorusText),
    }),
  ),
});
export type ValidBankAccountsResponse = z.infer<typeof ValidBankAccountsResponse>;
