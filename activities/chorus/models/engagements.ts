import { z } from 'zod';
import { ChorusId, Decimal, envelopeShape, listOf, ParametresRetour } from './common';

/** Engagements family, `/cpro/engagementsJuridiques/v1/...` (API-FACTS §4.4). */

/**
 * `rechercher`: legal commitments (EJ) received by the supplier. The pagination member of this
 * operation is not documented anywhere we found, so none is modelled.
 */
export interface SearchEngagementsRequest {
  /** The supplier's own idStructureCPP: the EJ is "received" by the supplier. */
  structureReceptriceEngagementJuridique?: number;
  numeroEngagementJuridique?: string;
  /** `COMMANDE` for an open order. */
  etatCourantEngagementJuridique?: string;
}
export const Engagement = z.looseObject({
  idEngagementJuridique: ChorusId.nullish(),
  numeroEngagementJuridique: z.string(),
  libelleTypeEngagementJuridique: z.string().nullish(),
  libelleEtatCourantEJ: z.string().nullish(),
  dateCreationEJ: z.string().nullish(),
  montantTotalHt: Decimal.nullish(),
  montantTotalTtc: Decimal.nullish(),
  structureReceptrice: z.union([z.string(), ChorusId]).nullish(),
  statutStructureReceptrice: z.string().nullish(),
  codeServiceExecutant: z.string().nullish(),
  libelleServiceExecutant: z.string().nullish(),
  codeServiceExecutantEmetteur: z.string().nullish(),
  libelleServiceExecutantEmetteur: z.string().nullish(),
});
export type Engagement = z.infer<typeof Engagement>;
export const SearchEngagementsResponse = z.looseObject({
  ...envelopeShape,
  listeEngagementJuridique: listOf(Engagement),
  parametresRetour: ParametresRetour.nullish(),
});
export type SearchEngagementsResponse = z.infer<typeof SearchEngagementsResponse>;
