import { z } from 'zod';
import {
  AdressePostale,
  ChorusBoolean,
  ChorusId,
  ChorusText,
  type CodeLangue,
  envelopeShape,
  optional,
  type PaginationRequest,
  pagedAnswer,
} from './common';

/** Structures family, `/cpro/structures/v1/...`, as the official Swagger spells it (API-FACTS §4.2). */

export type TypeIdentifiantStructure =
  'SIRET' | 'UE_HORS_FRANCE' | 'HORS_UE' | 'RIDET' | 'TAHITI' | 'AUTRE' | 'PARTICULIER';

/** `rechercher`: SIRET → idStructureCPP. Enumerated answers stay strings: new values must not break us. */
export interface SearchStructuresRequest {
  structure?: {
    identifiantStructure?: string;
    typeIdentifiantStructure?: TypeIdentifiantStructure;
    typeStructure?: 'PRIVEE' | 'PUBLIQUE';
    statutStructure?: 'ACTIF' | 'INACTIF';
    raisonSocialeStructure?: string;
    libelleStructure?: string;
    nomStructure?: string;
    prenomStructure?: string;
    adresseCodePays?: string;
    adresseCodePostal?: string;
    adresseVille?: string;
    estMOA?: boolean;
    estMOAUniquement?: boolean;
  };
  restreindreStructuresPrivees?: boolean;
  parametres?: PaginationRequest & {
    triColonne?: 'IdentifiantStructure' | 'DesignationStructure' | 'TypeIdentifiantStructure' | 'Statut';
  };
}
export const StructureFound = z.looseObject({
  idStructureCPP: ChorusId,
  identifiantStructure: optional(ChorusText),
  designationStructure: optional(ChorusText),
  typeIdentifiantStructure: optional(ChorusText),
  statut: optional(ChorusText),
});
export type StructureFound = z.infer<typeof StructureFound>;
export const SearchStructuresResponse = pagedAnswer('listeStructures', StructureFound);
export type SearchStructuresResponse = z.infer<typeof SearchStructuresResponse>;

/** `consulter` (consulterStructureAvecTVAIntraCom): the structure's mandatory-data flags. */
export interface ConsultStructureRequest {
  idStructureCPP: number;
  codeLangue?: CodeLangue;
}
export const ConsultStructureResponse = z.looseObject({
  ...envelopeShape,
  // "informationGenerales" (sic): spelled as the API spells it.
  informationGenerales: z
    .looseObject({
      idStructureCPP: optional(ChorusId),
      identifiantStructure: optional(ChorusText),
      typeIdentifiantStructure: optional(ChorusText),
      raisonSocialeStructure: optional(ChorusText),
      libelleStructure: optional(ChorusText),
      nomStructure: optional(ChorusText),
      prenomStructure: optional(ChorusText),
      emailStructure: optional(ChorusText),
      numeroRcsStructure: optional(ChorusText),
      numeroTVA: optional(ChorusText),
      structurePriveePublique: optional(ChorusText),
      estValideurDeleguee: optional(ChorusBoolean),
      idStructureOrigine: optional(ChorusId),
      dateExpirationMotPasseCompteTech: optional(ChorusText),
    })
    .nullish(),
  parametres: z
    .looseObject({
      codeServiceDoitEtreRenseigne: optional(ChorusBoolean),
      numeroEJDoitEtreRenseigne: optional(ChorusBoolean),
      gestionNumeroEJOuCodeService: optional(ChorusBoolean),
      statutMiseEnPaiementNestPasRemonte: optional(ChorusBoolean),
      estMoaUniquement: optional(ChorusBoolean),
      getaMoa: optional(ChorusBoolean),
      connexionEDI: optional(ChorusBoolean),
      recevoirDonneesViaEDI: optional(ChorusBoolean),
      estValideurDelegue: optional(ChorusBoolean),
      nonDiffusibleInsee: optional(ChorusBoolean),
    })
    .nullish(),
  adressePostaleDuSiege: optional(AdressePostale),
});
export type ConsultStructureResponse = z.infer<typeof ConsultStructureResponse>;

/** `rechercher/services`: a structure's services, paged. */
export interface SearchServicesRequest {
  idStructure: number;
  parametresRechercherServicesStructure?: PaginationRequest & {
    triColonne?: 'CodeService' | 'LibelleService' | 'DateDbtService' | 'DateFinService' | 'EstActif';
  };
}
export const StructureService = z.looseObject({
  idService: ChorusId,
  codeService: ChorusText,
  libelleService: optional(ChorusText),
  estActif: optional(ChorusBoolean),
  statutService: optional(ChorusText),
  dateDbtService: optional(ChorusText),
  dateFinService: optional(ChorusText),
});
export type StructureService = z.infer<typeof StructureService>;
export const SearchServicesResponse = pagedAnswer('listeServices', StructureService);
export type SearchServicesResponse = z.infer<typeof SearchServicesResponse>;

/** `consulter/service`: whether this service demands an engagement number. */
export interface ConsultServiceRequest {
  idStructure: number;
  idService: number;
  codeLangue?: CodeLangue;
}
export const ConsultServiceResponse = z.looseObject({
  ...envelopeShape,
  informationsGenerales: z
    .looseObject({
      codeService: optional(ChorusText),
      nomService: optional(ChorusText),
      descriptionService: optional(ChorusText),
    })
    .nullish(),
  parametres: z
    .looseObject({
      numeroEngagement: optional(ChorusBoolean),
      miseEnPaiement: optional(ChorusBoolean),
      dateCreation: optional(ChorusText),
      dateDebutValidite: optional(ChorusText),
      dateFinValidite: optional(ChorusText),
      dateModification: optional(ChorusText),
    })
    .nullish(),
  adressePostale: optional(AdressePostale),
});
export type ConsultServiceResponse = z.infer<typeof ConsultServiceResponse>;
