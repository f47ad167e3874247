import { z } from 'zod';
import { ChorusId, ChorusText, Decimal, optional, pagedAnswer } from './common';

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
  idEngagementJuridique: optional(ChorusId),
  numeroEngagementJuridique: ChorusText,
  libelleTypeEngagementJuridique: optional(ChorusText),
  libelleEtatCourantEJ: optional(ChorusText),
  dateCreationEJ: optional(ChorusText),
  montantTotalHt: optional(Decimal),
  montantTotalTtc: optional(Decimal),
  structureReceptrice: optional(ChorusText),
  statutStructureReceptrice: optional(ChorusText),
  codeServiceExecutant: optional(ChorusText),
  libelleServiceExecutant: optional(ChorusText),
  codeServiceExecutantEmetteur: optional(ChorusText),
  libelleServiceExecutantEmetteur: optional(ChorusText),
});
export type Engagement = z.infer<typeof Engagement>;
export const SearchEngagementsResponse = pagedAnswer('listeEngagementJuridique', Engagement);
export type SearchEngagementsResponse = z.infer<typeof SearchEngagementsResponse>;
