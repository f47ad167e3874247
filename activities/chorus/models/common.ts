import { z } from 'zod';

/**
 * Shapes shared by every Chorus operation (API-FACTS §3). Response schemas are loose objects:
 * unknown members are kept, and members the API may leave out or send as null are `nullish`.
 */

/** An exact decimal amount: a string in our code, a JSON number on the wire (domain/chorus-json.ts). */
export const Decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected an exact decimal amount');
export type Decimal = z.infer<typeof Decimal>;

/** Chorus identifiers (idStructureCPP, idService, identifiantFactureCPP…) are int64, below 2^53 in practice. */
export const ChorusId = z.number().int();

/** A list member the API may omit (OCA treats "no list" as "nothing found"): always an array for us. */
export function listOf<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((items): z.output<T>[] => items ?? []);
}

/** `{codeRetour, libelle}` carried by every answer but health-check. */
export const envelopeShape = {
  codeRetour: z.number().int(),
  libelle: z.string().nullish(),
};

/** Request paging (`nbResultatsParPage`, 1-based `pageResultatDemandee`); its member name varies per operation. */
export interface PaginationRequest {
  nbResultatsParPage?: number;
  pageResultatDemandee?: number;
  triColonne?: string;
  triSens?: 'Ascendant' | 'Descendant';
}

/** Answer paging; default page size is 10. */
export const ParametresRetour = z.looseObject({
  nbResultatsParPage: z.number().int().nullish(),
  pageCourante: z.number().int().nullish(),
  pages: z.number().int().nullish(),
  total: z.number().int().nullish(),
});
export type ParametresRetour = z.infer<typeof ParametresRetour>;

export type CodeLangue = 'FR' | 'EN' | 'fr' | 'en';

/** A postal address block as structures and services return it. */
export const AdressePostale = z.looseObject({
  adresse: z.string().nullish(),
  complementAdresse1: z.string().nullish(),
  complementAdresse2: z.string().nullish(),
  codePostal: z.string().nullish(),
  ville: z.string().nullish(),
  pays: z.string().nullish(),
  telephone: z.string().nullish(),
  indicatifTelephone: z.string().nullish(),
  fax: z.string().nullish(),
  indicatifFax: z.string().nullish(),
});
