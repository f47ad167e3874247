import { z } from 'zod';
import { ChorusId, envelopeShape, listOf, type CodeLangue } from './common';

/** Transverses family, `/cpro/transverses/v1/...` (API-FACTS §4.1). */

/** GET `health-check`: the only answer without `codeRetour`. */
export const HealthCheckResponse = z.looseObject({
  body: z.string().nullish(),
  statusCode: z.string().nullish(),
  statusCodeValue: z.number().int().nullish(),
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
  identifiant: z.string().nullish(),
  designationStructure: z.string().nullish(),
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
      codeMotifExonerationTva: z.string(),
      libelleMotifExonerationTva: z.string().nullish(),
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
