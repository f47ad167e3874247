import { z } from 'zod';
import {
  ChorusBoolean,
  ChorusId,
  ChorusText,
  listOf,
  optional,
  type PaginationRequest,
  pagedAnswer,
} from './common';

/** Utilisateurs family, `/cpro/utilisateurs/v1/...` (API-FACTS §4.3). */

/** `monCompte/recuperer/rattachements`: the structures and services the technical account is attached to. */
export interface MyAttachmentsRequest {
  parametresRecherche?: PaginationRequest;
}
export const AttachedService = z.looseObject({
  idService: optional(ChorusId),
  codeService: optional(ChorusText),
  libelleService: optional(ChorusText),
  estActif: optional(ChorusBoolean),
  statutService: optional(ChorusText),
  statutRattachementService: optional(ChorusText),
  idRattachementService: optional(ChorusId),
  dateDbtService: optional(ChorusText),
  dateFinService: optional(ChorusText),
});
export const StructureAttachment = z.looseObject({
  idStructure: ChorusId,
  identifiantStructure: optional(ChorusText),
  typeIdentifiantStructure: optional(ChorusText),
  designationStructure: optional(ChorusText),
  roleUtilisateur: optional(ChorusText),
  statutUtilisateur: optional(ChorusText),
  statutRattachementStructure: optional(ChorusText),
  idRattachementStructure: optional(ChorusId),
  listeServicesRattache: listOf(AttachedService),
});
export type StructureAttachment = z.infer<typeof StructureAttachment>;
export const MyAttachmentsResponse = pagedAnswer('listeStructureRattachement', StructureAttachment);
export type MyAttachmentsResponse = z.infer<typeof MyAttachmentsResponse>;
