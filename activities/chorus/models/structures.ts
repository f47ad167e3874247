import { z } from 'zod';
import {
  AdressePostale,
  ChorusId,
  envelopeShape,
  listOf,
  ParametresRetour,
  type CodeLangue,
  type PaginationRequest,
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
  identifiantStructure: z.string().nullish(),
  designationStructure: z.string().nullish(),
  typeIdentifiantStructure: z.string().nullish(),
  statut: z.string().nullish(),
});
export type StructureFound = z.infer<typeof StructureFound>;
export const SearchStructuresResponse = z.looseObject({
  ...envelopeShape,
  listeStructures: listOf(StructureFound),
  parametresRetour: ParametresRetour.nullish(),
});
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
      idStructureCPP: ChorusId.nullish(),
      identifiantStructure: z.string().nullish(),
      typeIdentifiantStructure: z.string().nullish(),
      raisonSocialeStructure: z.string().nullish(),
      libelleStructure: z.string().nullish(),
      nomStructure: z.string().nullish(),
      prenomStructure: z.string().nullish(),
      emailStructure: z.string().nullish(),
      numeroRcsStructure: z.string().nullish(),
      numeroTVA: z.string().nullish(),
      structurePriveePublique: z.string().nullish(),
      estValideurDeleguee: z.boolean().nullish(),
      idStructureOrigine: ChorusId.nullish(),
      dateExpirationMotPasseCompteTech: z.string().nullish(),
    })
    .nullish(),
  parametres: z
    .looseObject({
      codeServiceDoitEtreRenseigne: z.boolean().nullish(),
      numeroEJDoitEtreRenseigne: z.boolean().nullish(),
      gestionNumeroEJOuCodeService: z.boolean().nullish(),
      statutMiseEnPaiementNestPasRemonte: z.boolean().nullish(),
      estMoaUniquement: z.boolean().nullish(),
      getaMoa: z.boolean().nullish(),
      connexionEDI: z.boolean().nullish(),
      recevoirDonneesViaEDI: z.boolean().nullish(),
      estValideurDelegue: z.boolean().nullish(),
      nonDiffusibleInsee: z.boolean().nullish(),
    })
    .nullish(),
  adressePostaleDuSiege: AdressePostale.nullish(),
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
  codeService: z.string(),
  libelleService: z.string().nullish(),
  estActif: z.boolean().nullish(),
  statutService: z.string().nullish(),
  dateDbtService: z.string().nullish(),
  dateFinService: z.string().nullish(),
});
export type StructureService = z.infer<typeof StructureService>;
export const SearchServicesResponse = z.looseObject({
  ...envelopeShape,
  listeServices: listOf(StructureService),
  parametresRetour: ParametresRetour.nullish(),
});
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
      codeService: z.string().nullish(),
      nomService: z.string().nullish(),
      descriptionService: z.string().nullish(),
    })
    .nullish(),
  parametres: z
    .looseObject({
      numeroEngagement: z.boolean().nullish(),
      miseEnPaiement: z.boolean().nullish(),
      dateCreation: z.string().nullish(),
      dateDebutValidite: z.string().nullish(),
      dateFinValidite: z.string().nullish(),
      dateModification: z.string().nullish(),
    })
    .nullish(),
  adressePostale: AdressePostale.nullish(),
});
export type ConsultServiceResponse = z.infer<typeof ConsultServiceResponse>;
