import type { ChorusEndpoints } from '../platform/config';
import type { ConnectionRecord } from '../platform/connections';
import type { Logger } from '../platform/logger';
import { ChorusClient } from './chorus/client';
import {
  ApiFamilyNotSubscribedError,
  isChorusError,
  PisteCredentialsRejectedError,
  PisteQuotaExceededError,
  TechnicalAccountRejectedError,
  type ChorusError,
} from './chorus/errors';
import { PisteTokenCache } from './chorus/token-cache';

/**
 * A connection verified layer by layer, each check with a remedy for the person who did the
 * onboarding, in French and English, naming the screen to go to (DESIGN §4).
 */

export const FAMILY_CHECKS = [
  { family: 'transverses', label: 'Transverses' },
  { family: 'structures', label: 'Structures' },
  { family: 'utilisateurs', label: 'Utilisateurs' },
  { family: 'engagementsJuridiques', label: 'Engagements' },
  { family: 'factures', label: 'Factures' },
] as const;

export type ConnectionCheckId =
  | 'piste-oauth'
  | 'technical-account'
  | `api-family:${(typeof FAMILY_CHECKS)[number]['family']}`
  | 'supplier-attachment'
  | 'password-expiry';

export interface Remedy {
  fr: string;
  en: string;
}

export interface ConnectionCheck {
  id: ConnectionCheckId;
  /** `skipped` when an earlier layer failed and this one could not be tried. */
  result: 'ok' | 'warning' | 'failed' | 'skipped';
  ok: boolean;
  message: string;
  remedy?: Remedy;
  checkedAt: string;
}

export interface ConnectionVerification {
  status: 'CONNECTED' | 'DEGRADED' | 'FAILED';
  checks: ConnectionCheck[];
  /** `YYYY-MM-DD` from `dateExpirationMotPasseCompteTech`, when it could be read. */
  passwordExpiresOn?: string;
  daysUntilPasswordExpiry?: number;
  idStructureCPP?: number;
}

export const PASSWORD_WARNING_DAYS = 30;

const REMEDIES: Record<string, Remedy> = {
  'piste-oauth': {
    fr:
      "PISTE refuse l'identifiant ou le secret client (invalid_client). Dans PISTE, « Mes applications » → votre application → " +
      'onglet « Authentification / OAuth credentials » : recopiez le client_id et le client secret (« view client secret »), ' +
      "et vérifiez que ce sont ceux de l'environnement visé (bac à sable ou production).",
    en:
      'PISTE refuses the client id or secret (invalid_client). In PISTE, "My applications" → your application → ' +
      '"Authentication / OAuth credentials" tab: copy the client_id and the client secret again ("view client secret"), ' +
      'and check they belong to the intended environment (sandbox or production).',
  },
  'technical-account': {
    fr:
      'Chorus Pro refuse le compte technique (login or password incorrects). Dans Chorus Pro, « Raccordements EDI et API » → ' +
      '« Compte technique » : vérifiez le login TECH_…@cpro.fr et le mot de passe ; un mot de passe expiré doit être renouvelé ; ' +
      "un compte technique tout juste créé n'est actif qu'au bout d'environ 30 minutes.",
    en:
      'Chorus Pro refuses the technical account (login or password incorrects). In Chorus Pro, "Raccordements EDI et API" → ' +
      '"Compte technique": check the TECH_…@cpro.fr login and the password; an expired password must be renewed; ' +
      'a technical account created minutes ago only becomes active after about 30 minutes.',
  },
  'supplier-attachment': {
    fr:
      "Le compte technique n'est pas rattaché à la structure du fournisseur. Dans Chorus Pro, en gestionnaire principal de la structure, " +
      '« Raccordements EDI et API » → « Gérer raccordement API » → « Déclarer un raccordement PISTE » pour cette structure, ' +
      'puis créez le compte technique sur cette structure ; vérifiez aussi le SIRET du fournisseur saisi ici.',
    en:
      "The technical account is not attached to the supplier structure. In Chorus Pro, as the structure's main manager, " +
      '"Raccordements EDI et API" → "Gérer raccordement API" → "Déclarer un raccordement PISTE" for this structure, ' +
      'then create the technical account on it; also check the supplier SIRET entered here.',
  },
  'password-expiry': {
    fr: 'Renouvelez le mot de passe du compte technique dans Chorus Pro (« Raccordements EDI et API » → « Compte technique »), puis mettez à jour la connexion ici.',
    en: 'Renew the technical account password in Chorus Pro ("Raccordements EDI et API" → "Compte technique"), then update the connection here.',
  },
};

function familyRemedy(label: string, environment: string): Remedy {
  return {
    fr:
      `L'application PISTE n'a pas accès à l'API « ${label} » (403). Dans PISTE, onglet « API » : acceptez les CGU de l'API « ${label} » ` +
      `pour l'environnement ${environment === 'production' ? 'de production' : 'bac à sable'} (« Consentement CGU API »), ` +
      "puis « Mes applications » → modifier l'application → sélectionnez l'API → « Valider mes choix CGU » → enregistrer.",
    en:
      `The PISTE application may not call the "${label}" API (403). In PISTE, "API" tab: accept the terms of use of the "${label}" API ` +
      `for the ${environment} environment ("Consentement CGU API"), then "My applications" → edit the application → select the API → ` +
      '"Valider mes choix CGU" → save.',
  };
}

export interface VerifyDependencies {
  endpoints: ChorusEndpoints;
  timeoutMs: number;
  logger: Logger;
  now?: () => Date;
}

/** Runs every check in order; a failed layer marks the ones that depend on it as skipped. */
export async function verifyConnection(
  record: ConnectionRecord,
  deps: VerifyDependencies,
): Promise<ConnectionVerification> {
  const now = deps.now ?? (() => new Date());
  const at = () => now().toISOString();
  // A fresh token cache: a verification must really ask PISTE, not reuse a token from before a change.
  const client = new ChorusClient({
    endpoints: deps.endpoints,
    credentials: { piste: record.piste, technicalAccount: record.technicalAccount },
    timeoutMs: deps.timeoutMs,
    tokenCache: new PisteTokenCache(),
    logger: deps.logger,
  });
  const checks: ConnectionCheck[] = [];
  const skip = (id: ConnectionCheckId, why: string) =>
    checks.push({ id, result: 'skipped', ok: false, message: why, checkedAt: at() });

  const probes: Record<string, () => Promise<unknown>> = {
    transverses: () => client.healthCheck(),
    structures: () =>
      client.searchStructures({
        structure: { identifiantStructure: record.supplierSiret, typeIdentifiantStructure: 'SIRET' },
      }),
    utilisateurs: () =>
      client.myAttachments({ parametresRecherche: { nbResultatsParPage: 1, pageResultatDemandee: 1 } }),
    engagementsJuridiques: () => client.searchEngagements({ numeroEngagementJuridique: 'VERIFICATION' }),
    factures: () =>
      client.searchSupplierInvoices({
        rechercheFactureParFournisseur: { nbResultatsParPage: 1, pageResultatDemandee: 1 },
      }),
  };
  const outcomes = new Map<string, ChorusError | undefined>();
  for (const { family } of FAMILY_CHECKS) {
    try {
      await probes[family]();
      outcomes.set(family, undefined);
    } catch (err) {
      if (!isChorusError(err)) throw err;
      outcomes.set(family, err);
      if (err instanceof PisteCredentialsRejectedError) break;
      if (
        !(err instanceof ApiFamilyNotSubscribedError) &&
        !(err instanceof TechnicalAccountRejectedError) &&
        // A used-up quota is reported on each check, not retried for an hour.
        !(err instanceof PisteQuotaExceededError) &&
        err.retryable
      )
        throw err;
    }
  }
  const errors = [...outcomes.values()].filter((e): e is ChorusError => e !== undefined);

  // 1. PISTE OAuth
  const oauthError = errors.find((e) => e instanceof PisteCredentialsRejectedError);
  if (oauthError) {
    checks.push({
      id: 'piste-oauth',
      result: 'failed',
      ok: false,
      message: `PISTE refused the client id ${maskId(record.piste.clientId)} or its secret (HTTP 400 invalid_client).`,
      remedy: REMEDIES['piste-oauth'],
      checkedAt: at(),
    });
    for (const id of [
      'technical-account',
      ...FAMILY_CHECKS.map((f) => `api-family:${f.family}`),
      'supplier-attachment',
      'password-expiry',
    ] as ConnectionCheckId[]) {
      skip(id, 'Not checked: PISTE refused the client credentials.');
    }
    return summarize(checks);
  }
  checks.push({
    id: 'piste-oauth',
    result: 'ok',
    ok: true,
    message: `PISTE issued a token to client ${maskId(record.piste.clientId)}.`,
    checkedAt: at(),
  });

  // 2. Technical account: refused on any subscribed family means refused.
  const accountError = errors.find((e) => e instanceof TechnicalAccountRejectedError);
  const anyAnswered = [...outcomes.values()].some((e) => e === undefined);
  if (accountError) {
    checks.push({
      id: 'technical-account',
      result: 'failed',
      ok: false,
      message: accountError.message,
      remedy: REMEDIES['technical-account'],
      checkedAt: at(),
    });
  } else if (anyAnswered) {
    checks.push({
      id: 'technical-account',
      result: 'ok',
      ok: true,
      message: `Chorus Pro accepts the technical account ${record.technicalAccount.login}.`,
      checkedAt: at(),
    });
  } else {
    skip('technical-account', 'Not checked: no API family answered.');
  }

  // 3. Each family.
  for (const { family, label } of FAMILY_CHECKS) {
    const error = outcomes.get(family);
    const id = `api-family:${family}` as ConnectionCheckId;
    if (error instanceof ApiFamilyNotSubscribedError) {
      checks.push({
        id,
        result: 'failed',
        ok: false,
        message: `The PISTE application is not subscribed to the ${label} API.`,
        remedy: familyRemedy(label, record.environment),
        checkedAt: at(),
      });
    } else if (error instanceof TechnicalAccountRejectedError) {
      checks.push({
        id,
        result: 'ok',
        ok: true,
        message: `${label} API reachable (the technical account was refused, see above).`,
        checkedAt: at(),
      });
    } else if (error) {
      checks.push({ id, result: 'failed', ok: false, message: error.message, checkedAt: at() });
    } else {
      checks.push({ id, result: 'ok', ok: true, message: `${label} API subscribed.`, checkedAt: at() });
    }
  }

  // 4. Attachment to the supplier structure, 5. password expiry: need Transverses and a valid account.
  if (accountError || outcomes.get('transverses') !== undefined) {
    const why = accountError
      ? 'Not checked: the technical account was refused.'
      : 'Not checked: the Transverses API is not available.';
    skip('supplier-attachment', why);
    skip('password-expiry', why);
    return summarize(checks);
  }
  const structures = await client.activeSupplierStructures();
  const supplier = structures.listeStructures.find((s) => s.identifiant === record.supplierSiret);
  if (!supplier) {
    checks.push({
      id: 'supplier-attachment',
      result: 'failed',
      ok: false,
      message: `The technical account may not invoice for supplier ${record.supplierSiret}; it may for: ${structures.listeStructures.map((s) => s.identifiant).join(', ') || 'no structure'}.`,
      remedy: REMEDIES['supplier-attachment'],
      checkedAt: at(),
    });
    skip('password-expiry', 'Not checked: the supplier structure is not reachable.');
    return summarize(checks);
  }
  checks.push({
    id: 'supplier-attachment',
    result: 'ok',
    ok: true,
    message: `Attached to supplier ${record.supplierSiret} (idStructureCPP ${supplier.idStructureCPP}).`,
    checkedAt: at(),
  });

  if (outcomes.get('structures') !== undefined) {
    skip('password-expiry', 'Not checked: the Structures API is not available.');
    return summarize(checks, { idStructureCPP: supplier.idStructureCPP });
  }
  const consulted = await client.consultStructure({
    idStructureCPP: supplier.idStructureCPP,
    codeLangue: 'fr',
  });
  const expiry = consulted.informationGenerales?.dateExpirationMotPasseCompteTech;
  if (!expiry || Number.isNaN(Date.parse(expiry))) {
    checks.push({
      id: 'password-expiry',
      result: 'warning',
      ok: true,
      message: 'Chorus Pro did not give the password expiry date.',
      checkedAt: at(),
    });
    return summarize(checks, { idStructureCPP: supplier.idStructureCPP });
  }
  const days = Math.floor((Date.parse(expiry) - now().getTime()) / 86_400_000);
  const on = new Date(expiry).toISOString().slice(0, 10);
  if (days < 0) {
    checks.push({
      id: 'password-expiry',
      result: 'failed',
      ok: false,
      message: `The technical account password expired on ${on}.`,
      remedy: REMEDIES['password-expiry'],
      checkedAt: at(),
    });
  } else if (days <= PASSWORD_WARNING_DAYS) {
    checks.push({
      id: 'password-expiry',
      result: 'warning',
      ok: true,
      message: `The technical account password expires in ${days} day(s), on ${on}.`,
      remedy: REMEDIES['password-expiry'],
      checkedAt: at(),
    });
  } else {
    checks.push({
      id: 'password-expiry',
      result: 'ok',
      ok: true,
      message: `The technical account password is valid until ${on} (${days} days).`,
      checkedAt: at(),
    });
  }
  return summarize(checks, {
    idStructureCPP: supplier.idStructureCPP,
    passwordExpiresOn: on,
    daysUntilPasswordExpiry: days,
  });
}

function summarize(
  checks: ConnectionCheck[],
  extra: Partial<ConnectionVerification> = {},
): ConnectionVerification {
  const status = checks.some((c) => c.result === 'failed')
    ? 'FAILED'
    : checks.some((c) => c.result === 'warning')
      ? 'DEGRADED'
      : 'CONNECTED';
  return { status, checks, ...extra };
}

/** Only the last 4 characters of a client id are ever shown. */
export function maskId(clientId: string): string {
  return clientId.length <= 4 ? '****' : `****${clientId.slice(-4)}`;
}
