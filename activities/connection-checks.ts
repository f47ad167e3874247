import { t, type Localized } from '../domain/messages';
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

/**
 * The API families, and whether sending needs them: Factures, Structures and Transverses are
 * required; without Utilisateurs or Engagements invoices still go (the connection is DEGRADED).
 */
export const FAMILY_CHECKS = [
  { family: 'transverses', label: 'Transverses', required: true },
  { family: 'structures', label: 'Structures', required: true },
  { family: 'utilisateurs', label: 'Utilisateurs', required: false },
  { family: 'engagementsJuridiques', label: 'Engagements', required: false },
  { family: 'factures', label: 'Factures', required: true },
] as const;

export type ConnectionCheckId =
  | 'piste-oauth'
  | 'technical-account'
  | `api-family:${(typeof FAMILY_CHECKS)[number]['family']}`
  | 'supplier-attachment'
  | 'password-expiry';

export type Remedy = Localized;

export interface ConnectionCheck {
  id: ConnectionCheckId;
  /** `skipped` when an earlier layer failed and this one could not be tried. */
  result: 'ok' | 'warning' | 'failed' | 'skipped';
  ok: boolean;
  message: string;
  messageFr: string;
  remedy?: Remedy;
  checkedAt: string;
}

export interface ConnectionVerification {
  status: 'CONNECTED' | 'DEGRADED' | 'FAILED';
  checks: ConnectionCheck[];
  /** `YYYY-MM-DD` from `dateExpirationMotPasseCompteTech`, when it could be read. */
  passwordExpiresOn?: string;
  /** Whole days left at `chorusTime`: the countdown runs on Chorus's clock, not ours. */
  daysUntilPasswordExpiry?: number;
  /**
   * Chorus's time during the verification: the `Date` header of its last answer (the simulator's
   * simulated now), or this host's clock when no answer told it.
   */
  chorusTime: string;
  idStructureCPP?: number;
}

export const PASSWORD_WARNING_DAYS = 30;

function familyRemedy(label: string, environment: string): Localized {
  return t('connection.remedy.family', { family: label, environment });
}

export interface VerifyDependencies {
  endpoints: ChorusEndpoints;
  timeoutMs: number;
  logger: Logger;
  /** This host's clock: the checks' timestamps, and Chorus's time when its answers tell none. */
  now?: () => Date;
}

/** Runs every check in order; a failed layer marks the ones that depend on it as skipped. */
export async function verifyConnection(
  record: ConnectionRecord,
  deps: VerifyDependencies,
): Promise<ConnectionVerification> {
  const now = deps.now ?? (() => new Date());
  const at = () => now().toISOString();
  let chorusDate: Date | undefined;
  const chorusNow = () => chorusDate ?? now();
  // A fresh token cache: a verification must really ask PISTE, not reuse a token from before a change.
  const client = new ChorusClient({
    endpoints: deps.endpoints,
    credentials: { piste: record.piste, technicalAccount: record.technicalAccount },
    timeoutMs: deps.timeoutMs,
    tokenCache: new PisteTokenCache(),
    logger: deps.logger,
    onServerDate: (_operation, date) => {
      chorusDate = date;
    },
  });
  const checks: ConnectionCheck[] = [];
  const summarize = (extra: Partial<ConnectionVerification> = {}) =>
    summarized(checks, { chorusTime: chorusNow().toISOString(), ...extra });
  const add = (
    id: ConnectionCheckId,
    result: ConnectionCheck['result'],
    text: Localized,
    remedy?: Localized,
  ) =>
    checks.push({
      id,
      result,
      ok: result === 'ok' || result === 'warning',
      message: text.en,
      messageFr: text.fr,
      ...(remedy ? { remedy } : {}),
      checkedAt: at(),
    });
  const skip = (id: ConnectionCheckId, why: Localized) => add(id, 'skipped', why);

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
    add(
      'piste-oauth',
      'failed',
      t('connection.check.pisteOauth.failed', { clientId: maskId(record.piste.clientId) }),
      t('connection.remedy.pisteOauth'),
    );
    for (const id of [
      'technical-account',
      ...FAMILY_CHECKS.map((f) => `api-family:${f.family}`),
      'supplier-attachment',
      'password-expiry',
    ] as ConnectionCheckId[]) {
      skip(id, t('connection.check.skipped.oauth'));
    }
    return summarize();
  }
  add('piste-oauth', 'ok', t('connection.check.pisteOauth.ok', { clientId: maskId(record.piste.clientId) }));

  // 2. Technical account: refused on any subscribed family means refused.
  const accountError = errors.find((e) => e instanceof TechnicalAccountRejectedError);
  const anyAnswered = [...outcomes.values()].some((e) => e === undefined);
  if (accountError) {
    add(
      'technical-account',
      'failed',
      t('connection.check.technicalAccount.failed', { login: record.technicalAccount.login }),
      t('connection.remedy.technicalAccount'),
    );
  } else if (anyAnswered) {
    add(
      'technical-account',
      'ok',
      t('connection.check.technicalAccount.ok', { login: record.technicalAccount.login }),
    );
  } else {
    skip('technical-account', t('connection.check.skipped.noFamily'));
  }

  // 3. Each family.
  for (const { family, label, required } of FAMILY_CHECKS) {
    const error = outcomes.get(family);
    const id = `api-family:${family}` as ConnectionCheckId;
    if (error instanceof ApiFamilyNotSubscribedError) {
      add(
        id,
        required ? 'failed' : 'warning',
        t(
          required
            ? 'connection.check.family.notSubscribed'
            : 'connection.check.family.notSubscribedOptional',
          {
            family: label,
          },
        ),
        familyRemedy(label, record.environment),
      );
    } else if (error instanceof TechnicalAccountRejectedError) {
      add(id, 'ok', t('connection.check.family.reachableAccountRefused', { family: label }));
    } else if (error) {
      add(id, 'failed', t('connection.check.family.error', { family: label, error: error.message }));
    } else {
      add(id, 'ok', t('connection.check.family.ok', { family: label }));
    }
  }

  // 4. Attachment to the supplier structure, 5. password expiry: need Transverses and a valid account.
  if (accountError || outcomes.get('transverses') !== undefined) {
    const why = accountError
      ? t('connection.check.skipped.accountRefused')
      : t('connection.check.skipped.noTransverses');
    skip('supplier-attachment', why);
    skip('password-expiry', why);
    return summarize();
  }
  const structures = await client.activeSupplierStructures();
  const supplier = structures.listeStructures.find((s) => s.identifiant === record.supplierSiret);
  if (!supplier) {
    add(
      'supplier-attachment',
      'failed',
      t('connection.check.supplierAttachment.failed', {
        siret: record.supplierSiret,
        others: structures.listeStructures.map((s) => s.identifiant).join(', ') || '—',
      }),
      t('connection.remedy.supplierAttachment'),
    );
    skip('password-expiry', t('connection.check.skipped.noSupplier'));
    return summarize();
  }
  add(
    'supplier-attachment',
    'ok',
    t('connection.check.supplierAttachment.ok', { siret: record.supplierSiret, id: supplier.idStructureCPP }),
  );

  if (outcomes.get('structures') !== undefined) {
    skip('password-expiry', t('connection.check.skipped.noStructures'));
    return summarize({ idStructureCPP: supplier.idStructureCPP });
  }
  const consulted = await client.consultStructure({
    idStructureCPP: supplier.idStructureCPP,
    codeLangue: 'fr',
  });
  const expiry = consulted.informationGenerales?.dateExpirationMotPasseCompteTech;
  if (!expiry || Number.isNaN(Date.parse(expiry))) {
    add('password-expiry', 'warning', t('connection.check.passwordExpiry.unknown'));
    return summarize({ idStructureCPP: supplier.idStructureCPP });
  }
  // Against the time of the answer that told the expiry: a simulated year is then a real one.
  const days = Math.floor((Date.parse(expiry) - chorusNow().getTime()) / 86_400_000);
  const on = new Date(expiry).toISOString().slice(0, 10);
  if (days < 0) {
    add(
      'password-expiry',
      'failed',
      t('connection.check.passwordExpiry.expired', { on }),
      t('connection.remedy.passwordExpiry'),
    );
  } else if (days <= PASSWORD_WARNING_DAYS) {
    add(
      'password-expiry',
      'warning',
      t('connection.check.passwordExpiry.soon', { days, on }),
      t('connection.remedy.passwordExpiry'),
    );
  } else {
    add('password-expiry', 'ok', t('connection.check.passwordExpiry.ok', { on, days }));
  }
  return summarize({
    idStructureCPP: supplier.idStructureCPP,
    passwordExpiresOn: on,
    daysUntilPasswordExpiry: days,
  });
}

function summarized(
  checks: ConnectionCheck[],
  extra: Pick<ConnectionVerification, 'chorusTime'> & Partial<ConnectionVerification>,
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
