/** Chorus Pro API families, named by their path segment under `/cpro/` (API-FACTS §2). */
export type ApiFamily = 'transverses' | 'structures' | 'utilisateurs' | 'engagementsJuridiques' | 'factures';

/** The family name as PISTE shows it on the application's API tab, so a person can find it there. */
export const API_FAMILY_LABELS: Record<ApiFamily, string> = {
  transverses: 'Transverses',
  structures: 'Structures',
  utilisateurs: 'Utilisateurs',
  engagementsJuridiques: 'Engagements',
  factures: 'Factures',
};
