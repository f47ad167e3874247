/**
 * What the client believes about Chorus Pro that no public contract confirms, in one place, each
 * with its source and confidence (docs/chorus-pro/API-FACTS.md §0: C code, D docs, L live
 * observation, I inferred). `npm run sandbox-check` shows where the qualification environment
 * disagrees; docs/chorus-facts.md says how to correct an entry here after such a run.
 */

export type Confidence = 'C' | 'D' | 'L' | 'I';

export interface Sourced<T> {
  value: T;
  confidence: Confidence;
  source: string;
}

/** The "no result" answer of an empty search (HTTP 200, a non-zero codeRetour, an empty list). */
export interface NoResultCode {
  codeRetour: number;
  libelle?: string;
}

/**
 * Empty-search codes per operation (`<family>/<path>`). An operation absent from this table, or a
 * code absent from its entry, is not taken as "no result": it surfaces as a typed error.
 */
export const NO_RESULT_CODES: Readonly<Record<string, Sourced<readonly NoResultCode[]>>> = {
  'structures/rechercher': {
    value: [{ codeRetour: 20000, libelle: 'TRA_MSG_00.015' }],
    confidence: 'I',
    source:
      'API-FACTS §3.1: 20000 TRA_MSG_00.015 seen for rechercher/recipiendaire (Pastell); assumed for the other Transverses/Structures searches',
  },
  'structures/rechercher/services': {
    value: [{ codeRetour: 20000, libelle: 'TRA_MSG_00.015' }],
    confidence: 'I',
    source: 'as structures/rechercher',
  },
  'transverses/recuperer/structures/actives/fournisseur': {
    value: [{ codeRetour: 20000, libelle: 'TRA_MSG_00.015' }],
    confidence: 'I',
    source: 'as structures/rechercher',
  },
  'transverses/recuperer/coordbanc/valides': {
    value: [{ codeRetour: 20000, libelle: 'TRA_MSG_00.015' }],
    confidence: 'I',
    source: 'as structures/rechercher',
  },
  'transverses/recuperer/typespj': {
    value: [{ codeRetour: 20000, libelle: 'TRA_MSG_00.015' }],
    confidence: 'I',
    source: 'as structures/rechercher',
  },
  'utilisateurs/monCompte/recuperer/rattachements': {
    value: [{ codeRetour: 20000, libelle: 'TRA_MSG_00.015' }],
    confidence: 'I',
    source: 'as structures/rechercher',
  },
  'engagementsJuridiques/rechercher': {
    value: [{ codeRetour: 20000, libelle: 'TRA_MSG_00.015' }],
    confidence: 'I',
    source: 'as structures/rechercher; OCA treats "no list" as "not found"',
  },
  'factures/rechercher/fournisseur': {
    value: [
      { codeRetour: 20007, libelle: 'GFT_MSG_01.075' },
      { codeRetour: 20000, libelle: 'TRA_MSG_00.015' },
    ],
    confidence: 'I',
    source:
      'API-FACTS §3.1: 20007 GFT_MSG_01.075 seen for facturesTravaux/rechercher (Pastell); either code accepted for the invoice search',
  },
};

/** Duplicate-number refusal of `soumettre`: no code is documented, only a French sentence. */
export const DUPLICATE_NUMBER_REFUSAL: Sourced<{ libelle: RegExp; codeRetour?: number }> = {
  value: { libelle: /d[ée]j[àa] d[ée]pos[ée].*num[ée]ro de facture/i },
  confidence: 'I',
  source:
    'API-FACTS §8.4: "Vous avez déjà déposé une demande de paiement avec ce numéro de facture pour cette structure" (anchor study, not re-found); no codeRetour found',
};

/**
 * `recycler` / `completer` refused because the invoice is no longer in the returned status
 * (A_RECYCLER / SUSPENDUE): an earlier send whose answer was lost landed, someone answered in the
 * portal, or the buyer moved on. The return needs no answer any more.
 */
export const RETURN_NO_LONGER_PENDING: Sourced<{
  recycler: { libelle: RegExp; codeRetour?: number };
  completer: { libelle: RegExp; codeRetour?: number };
}> = {
  value: {
    recycler: { libelle: /GDP_MSG_11\.001\b/ },
    completer: { libelle: /GDP_MSG_11\.033\b/, codeRetour: 20002 },
  },
  confidence: 'I',
  source:
    'API-FACTS §8: completerFacture 20002 GDP_MSG_11.033 "status is not SUSPENDUE" (CS17, C); recycler\'s codes 20004–20014 are undocumented (SPEC V4.10 change log), GDP_MSG_11.001 is assumed by analogy',
};

/** How Chorus writes date-times, and the zone of those written without an offset. */
export const DATE_TIMES: Sourced<{ forms: readonly string[]; zoneOfShortForm: string }> = {
  value: {
    forms: ['YYYY-MM-DD HH:MM', 'YYYY-MM-DD HH:MM:SS', 'YYYY-MM-DDTHH:MM:SS.sss+HH:MM', 'YYYY-MM-DD'],
    zoneOfShortForm: 'Europe/Paris',
  },
  confidence: 'C',
  source:
    'API-FACTS §3.3: short form in services, recycle answers and history (GO, OCA, COM); ISO with offset in flow reports (COM, PAS); the zone of the short form is inferred (I)',
};

/** Dates we send: plain `YYYY-MM-DD` (a date-time in `dateFacture` made soumettre answer 500). */
export const DATES_SENT: Sourced<string> = {
  value: 'YYYY-MM-DD',
  confidence: 'C',
  source: 'API-FACTS §4.5.1, §10 (PY: HTTP 500 on a date-time in SAISIE_API)',
};

/** `consulter/historique`: order of `histoStatut` and default page size; we read every page and sort by id. */
export const HISTORY_PAGING: Sourced<{ order: 'newest-first' | 'oldest-first'; pageSize: number }> = {
  value: { order: 'newest-first', pageSize: 10 },
  confidence: 'I',
  source:
    'API-FACTS §3.2 (default page size 10, OCA); newest first is assumed, so the client never relies on the order: it sorts by histoStatutId',
};

/** Attachment types for invoices (typeObjet FACTURE): the real list is not public. */
export interface AttachmentTypeFact {
  code: string;
  /** The French label people know and the back-office shows. */
  label: string;
}
export const ATTACHMENT_TYPES: Sourced<readonly AttachmentTypeFact[]> = {
  value: [
    { code: 'ANX', label: 'Doc. Annexe' },
    { code: 'RIB', label: 'RIB' },
    { code: 'BLV', label: 'Bon de livraison' },
    { code: 'DEV', label: 'Devis' },
    { code: 'AUJ', label: 'Autre justificatif' },
    { code: 'AUT', label: 'Autre' },
  ],
  confidence: 'I',
  source:
    'API-FACTS §6.4: FACTURE list not found; AUJ/AUT seen for other objects (COM), RIB sent by integrators, BON_DE_COMMANDE refused by the sandbox; "Doc. Annexe" is the portal default (Organilog). Replace with recuperer/typespj (sandbox-check prints it)',
};

/** Whether `numeroFactureSaisi` is kept in SAISIE_API mode or Chorus numbers the invoice itself. */
export const KEEPS_SUPPLIER_NUMBER: Sourced<'usually' | 'always' | 'never'> = {
  value: 'usually',
  confidence: 'I',
  source:
    'API-FACTS §10: the official sample sends null (Chorus numbers it), PY 2025 marks it mandatory; the numeroFacture of the soumettre answer is the one to keep',
};

/** PISTE API families: those sending needs, and those whose absence only disables a feature. */
export const API_FAMILIES_NEEDED: Sourced<{
  required: readonly string[];
  optional: readonly string[];
}> = {
  value: {
    required: ['factures', 'structures', 'transverses'],
    optional: ['utilisateurs', 'engagementsJuridiques'],
  },
  confidence: 'I',
  source:
    'API-FACTS §4: soumettre, structure look-ups and uploads/reference lists need these three; Utilisateurs only checks attachments, Engagements only checks engagement existence (OCA calls it experimental)',
};

/** What tells the three 403s apart (the real bodies are not documented). */
export const FORBIDDEN_SIGNS: Sourced<{
  quota: RegExp;
  disabledUser: RegExp;
  quotaHeaders: readonly string[];
}> = {
  value: {
    quota: /quota/i,
    disabledUser:
      /(utilisateur|user|compte|account)[^.]{0,40}(d[ée]sactiv|disabled|inactive|bloqu|locked|suspend)|(d[ée]sactiv|disabled|locked)[^.]{0,40}(utilisateur|user|compte|account)/i,
    quotaHeaders: ['x-quota-remaining', 'x-quota-limit', 'x-quota-reset'],
  },
  confidence: 'I',
  source:
    'API-FACTS §8.1: 403 empty body for a route not subscribed (L, INV); 401 then 403 for a disabled technical user (C, OCA #349); "quota PISTE" refusals reported without a shape (§8.3). Quota and disabled-user bodies/headers are assumptions',
};

/** How long to wait after a quota refusal that says nothing about when it resets. */
export const QUOTA_WAIT_SECONDS: Sourced<number> = {
  value: 3600,
  confidence: 'I',
  source: 'API-FACTS §8.3: no documented quota period; one hour so a refused call does not loop',
};

/** Tolerance between our totals and what Chorus computes. */
export const AMOUNT_TOLERANCE: Sourced<string> = {
  value: '0.01',
  confidence: 'I',
  source: 'API-FACTS §7: no rule found; the official sample keeps 3–6 decimals; one cent assumed',
};

/** Credit notes (AVOIR): the credited invoice in `numeroFactureOrigine`, no payment mode rule found. */
export const CREDIT_NOTE_RULES: Sourced<string> = {
  value: 'typeFacture AVOIR with references.numeroFactureOrigine',
  confidence: 'I',
  source:
    'API-FACTS §4.5.1 (numeroFactureOrigine "for an AVOIR", I); OCA forbids a payment mode on refunds (C)',
};

/**
 * Refusals of `soumettre` that mean a person must change a value: what each says and the fields of
 * our invoice model a person changes (none yet where the model has no such field). The codes are the
 * simulator's — the real appendix is not public.
 */
export interface RefusalForAPerson {
  meaning: string;
  fields: readonly string[];
}
export const REFUSALS_FOR_A_PERSON: Sourced<Readonly<Record<number, RefusalForAPerson>>> = {
  value: {
    20303: { meaning: 'the buyer SIRET is not a Chorus Pro structure', fields: ['buyer.siret'] },
    20304: { meaning: 'the buyer structure is not active', fields: ['buyer.siret'] },
    20305: { meaning: 'a service code is required', fields: ['buyer.serviceCode'] },
    20306: { meaning: 'the service code does not exist', fields: ['buyer.serviceCode'] },
    20307: { meaning: 'the service is inactive', fields: ['buyer.serviceCode'] },
    20308: { meaning: 'FACTURES_PUBLIQUES is for public suppliers only', fields: ['buyer.serviceCode'] },
    20309: { meaning: 'an engagement number is required', fields: ['references.engagementNumber'] },
    20310: {
      meaning: 'a service code or an engagement number is required',
      fields: ['buyer.serviceCode', 'references.engagementNumber'],
    },
    20311: { meaning: 'the engagement number is too long', fields: ['references.engagementNumber'] },
    20312: { meaning: 'the engagement is closed or unknown', fields: ['references.engagementNumber'] },
    20314: { meaning: 'the VAT regime is unknown', fields: ['vatRegime'] },
    20315: { meaning: 'an exemption reason is required', fields: ['vatExemptionReason'] },
    20316: { meaning: 'the payment mode is unknown', fields: ['paymentMode'] },
    20317: { meaning: 'the billing frame is unknown', fields: ['billingFrame'] },
    20327: { meaning: 'A9/A12 need the validator structure (codeStructureValideur)', fields: [] },
    20328: { meaning: 'the validator structure is unknown', fields: [] },
    20329: {
      meaning: 'VIREMENT needs the supplier bank details (codeCoordonneesBancairesFournisseur)',
      fields: ['bankAccountId'],
    },
    20330: { meaning: 'the bank details are not valid for the supplier', fields: ['bankAccountId'] },
    20331: { meaning: 'an attachment type code is unknown', fields: [] },
    20332: { meaning: 'the attachments weigh more than 120 MB', fields: [] },
  },
  confidence: 'I',
  source:
    "API-FACTS §8.2: 20013 and 20303–20305 exist for soumettre (SPEC change log); meanings are the simulator's choice",
};

/** Every entry, for docs and sandbox-check. */
export const UNCERTAIN_FACTS = {
  NO_RESULT_CODES,
  DUPLICATE_NUMBER_REFUSAL,
  RETURN_NO_LONGER_PENDING,
  DATE_TIMES,
  DATES_SENT,
  HISTORY_PAGING,
  ATTACHMENT_TYPES,
  KEEPS_SUPPLIER_NUMBER,
  API_FAMILIES_NEEDED,
  FORBIDDEN_SIGNS,
  QUOTA_WAIT_SECONDS,
  AMOUNT_TOLERANCE,
  CREDIT_NOTE_RULES,
  REFUSALS_FOR_A_PERSON,
} as const;

/** Whether an empty-search answer of `operation` with this code is "no result". */
export function isNoResult(operation: string, codeRetour: number): boolean {
  return NO_RESULT_CODES[operation]?.value.some((c) => c.codeRetour === codeRetour) ?? false;
}

/**
 * The attachment type code for a label people use ("Doc. Annexe" → ANX): from the environment's
 * own list when it was read, else from the table above; a code is kept as is.
 */
export function attachmentTypeCode(labelOrCode: string, listed?: readonly AttachmentTypeFact[]): string {
  const text = labelOrCode.trim();
  const same = (t: AttachmentTypeFact) => t.code === text || t.label.toLowerCase() === text.toLowerCase();
  return (listed?.find(same) ?? ATTACHMENT_TYPES.value.find(same))?.code ?? text;
}
