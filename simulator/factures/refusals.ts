import type { Response } from 'express';
import { sendBusinessError } from '../envelope';

/**
 * A functional refusal: HTTP 400 with the Chorus envelope. The real error appendix is not
 * public, so the codes below are the simulator's own, listed in simulator/factures/README.md.
 */
export interface Refusal {
  codeRetour: number;
  libelle: string;
}

export function refusal(codeRetour: number, libelle: string): Refusal {
  return { codeRetour, libelle };
}

export function sendRefusal(res: Response, r: Refusal): void {
  sendBusinessError(res, r.codeRetour, r.libelle);
}

/** Codes of `soumettre` (2000x generic, 203xx per rule). */
export const SUBMIT = {
  CHAMP_OBLIGATOIRE: 20002,
  DROITS_FOURNISSEUR: 20001,
  MODE_DEPOT: 20003,
  NUMERO_FACTURE_ABSENT: 20300,
  NUMERO_FACTURE_INVALIDE: 20301,
  DOUBLON: 20302,
  DESTINATAIRE_INCONNU: 20303,
  DESTINATAIRE_INACTIF: 20304,
  SERVICE_OBLIGATOIRE: 20305,
  SERVICE_INCONNU: 20306,
  SERVICE_INACTIF: 20307,
  SERVICE_FACTURES_PUBLIQUES: 20308,
  ENGAGEMENT_OBLIGATOIRE: 20309,
  SERVICE_OU_ENGAGEMENT: 20310,
  ENGAGEMENT_TROP_LONG: 20311,
  ENGAGEMENT_INCONNU: 20312,
  TYPE_FACTURE: 20313,
  TYPE_TVA: 20314,
  MOTIF_EXONERATION: 20315,
  MODE_PAIEMENT: 20316,
  CADRE_FACTURATION: 20317,
  LIGNES_ABSENTES: 20318,
  TOTAL_HT_INCOHERENT: 20319,
  TOTAL_TTC_INCOHERENT: 20320,
  PIECE_JOINTE: 20321,
  PIECE_JOINTE_PRINCIPALE_ABSENTE: 20322,
  DATE_FACTURE: 20323,
  MONTANT_INVALIDE: 20324,
  DEVISE: 20325,
  LONGUEUR: 20326,
  VALIDEUR_ABSENT: 20327,
  VALIDEUR_INCONNU: 20328,
  COORDONNEES_BANCAIRES_ABSENTES: 20329,
  COORDONNEES_BANCAIRES_INCONNUES: 20330,
  TYPE_PIECE_JOINTE: 20331,
  TAILLE_TOTALE: 20332,
} as const;

/** Codes of `recycler` (the V4.10 change log reserves 20004–20014 for it). */
export const RECYCLE = {
  FACTURE_INCONNUE: 20004,
  DROITS: 20005,
  STATUT: 20006,
  CHAMP_OBLIGATOIRE: 20007,
  DESTINATAIRE: 20008,
  SERVICE: 20009,
  ENGAGEMENT: 20010,
  LONGUEUR: 20011,
} as const;

/** Codes of `completer` (20000–20002 as in the 2017 specification). */
export const COMPLETE = {
  FACTURE_INCONNUE: 20000,
  DROITS: 20001,
  STATUT: 20002,
  CHAMP_OBLIGATOIRE: 20003,
  PIECE_JOINTE: 20004,
  LONGUEUR: 20005,
  TYPE_PIECE_JOINTE: 20006,
  TAILLE_TOTALE: 20007,
} as const;

/** Codes of the read operations (`consulter/*`, `rechercher/fournisseur`). */
export const READ = {
  AUCUN_RESULTAT: 20000,
  FACTURE_INCONNUE: 20000,
  DROITS: 20001,
  CRITERE_INVALIDE: 20002,
} as const;

/** Unknown invoice (GDP_MSG_11.008) or an invoice of a structure the caller is not attached to (GDP_MSG_11.005). */
export function invoiceAccessRefusal(
  reason: 'unknown' | 'not-yours',
  identifiantFactureCPP: number,
  codes: { unknown: number; notYours: number },
): Refusal {
  return reason === 'unknown'
    ? refusal(codes.unknown, `GDP_MSG_11.008 : la facture ${identifiantFactureCPP} n'existe pas`)
    : refusal(
        codes.notYours,
        `GDP_MSG_11.005 : le compte technique n'a pas les droits sur la facture ${identifiantFactureCPP}`,
      );
}
