import { z } from 'zod';
import { ChorusId, envelopeShape, listOf, ParametresRetour, type PaginationRequest } from './common';

/** Utilisateurs family, `/cpro/utilisateurs/v1/...` (API-FACTS §4.3). */

/** `monCompte/recuperer/rattachements`: the structures and services the technical account is attached to. */
export interface MyAttachmentsRequest {
  parametresRecherche?: PaginationRequest;
}
export const AttachedService = z.looseObject({
  idService: ChorusId.nullish(),
  codeService: z.string().nullish(),
  libelleService: z.string().nullish(),
  estActif: z.boolean().nullish(),
  statutService: z.string().nullish(),
  statutRattachementService: z.string().nullish(),
  idRattachementService: ChorusId.nullish(),
  dateDbtService: z.string().nullish(),
  dateFinService: z.string().nullish(),
});
export const StructureAttachment = z.looseObject({
  idStructure: ChorusId,
  identifiantStructure: z.string().nullish(),
  typeIdentifiantStructure: z.string().nullish(),
  designationStructure: z.string().nullish(),
  roleUtilisateur: z.string().nullish(),
  statutUtilisateur: z.string().nullish(),
  statutRattachementStructure: z.string().nullish(),
  idRattachementStructure: ChorusId.nullish(),
  listeServicesRattache: listOf(AttachedService),
});
export type StructureAttachment = z.infer<typeof StructureAttachment>;
export const MyAttachmentsResponse = z.looseObject({
  ...envelopeShape,
  listeStructureRattachement: listOf(StructureAttachment),
  parametresRetour: ParametresRetour.nullish(),
});
export type MyAttachmentsResponse = z.infer<typeof MyAttachmentsResponse>;
