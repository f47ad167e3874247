// Long by nature: one read-only tour, its steps in the order they run against the environment.
/**
 * `npm run sandbox-check -- --connection <id>`: a read-only tour of a connection's Chorus Pro
 * environment — token, technical account, API families, supplier structure, one buyer search, the
 * code lists — printing each step with ✓/✗ and, where the real answers differ from what the client
 * expects (unknown members, other types, other codes), what they looked like. It never submits.
 *
 *   npm run sandbox-check -- --connection acme-qualif [--buyer-siret 11000000000015] [--json]
 *   npm run sandbox-check -- --simulator-url http://127.0.0.1:3100 --simulator-scenario credentials.valid
 *
 * `--connection` reads the record through the connection directory (secrets opened with the sealing
 * key, as workers do: DATA_DIR, CONNECTIONS_FILE, SEALING_KEY_DIR). Exit code: 0 when every step
 * sending needs passed, 1 otherwise, 2 on bad arguments.
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { ChorusClient, type ChorusCredentials } from '../activities/chorus/client';
import { isChorusError, type ChorusError } from '../activities/chorus/errors';
import type { ApiFamily } from '../activities/chorus/families';
import { API_FAMILY_LABELS } from '../activities/chorus/families';
import { redactSecrets } from '../activities/chorus/redaction';
import { PisteTokenCache } from '../activities/chorus/token-cache';
import { API_FAMILIES_NEEDED, isNoResult } from '../activities/chorus/uncertain-facts';
import { loadConfig, type ChorusEndpoints, type ChorusEnvironment } from '../platform/config';
import type { ConnectionDirectory } from '../platform/connections';
import { createLogger } from '../platform/logger';
import { appDatabase, sharedStores } from '../platform/services';

/** What the tour needs to know about a connection. */
export interface CheckTarget {
  label: string;
  environment: ChorusEnvironment;
  endpoints: ChorusEndpoints;
  supplierSiret: string;
  credentials: ChorusCredentials;
}

export type StepResult = 'ok' | 'warning' | 'failed' | 'skipped';

export interface CheckStep {
  name: string;
  result: StepResult;
  summary: string;
  /** Where the real answer differs from what the client expects, and what it looked like. */
  differences: string[];
  errorType?: string;
}

export interface CheckReport {
  target: { label: string; environment: ChorusEnvironment; supplierSiret: string; clientId: string };
  steps: CheckStep[];
  ok: boolean;
}

type JsonType = 'number' | 'string' | 'boolean' | 'list' | 'object';

/** The members the client reads in an answer, with the JSON type it expects (null always allowed). */
interface Expectation {
  /** The list whose first item is compared; the answer itself when absent. */
  list?: string;
  members: Record<string, JsonType>;
}

const ENVELOPE: Record<string, JsonType> = { codeRetour: 'number', libelle: 'string' };

const EXPECTATIONS: Record<string, Expectation> = {
  'transverses/health-check': {
    members: { body: 'string', statusCode: 'string', statusCodeValue: 'number' },
  },
  'transverses/recuperer/structures/actives/fournisseur': {
    list: 'listeStructures',
    members: { idStructureCPP: 'number', identifiant: 'string', designationStructure: 'string' },
  },
  'structures/consulter': {
    members: { informationGenerales: 'object', parametres: 'object', adressePostaleDuSiege: 'object' },
  },
  'structures/rechercher': {
    list: 'listeStructures',
    members: {
      idStructureCPP: 'number',
      identifiantStructure: 'string',
      designationStructure: 'string',
      typeIdentifiantStructure: 'string',
      statut: 'string',
    },
  },
  'structures/rechercher/services': {
    list: 'listeServices',
    members: {
      idService: 'number',
      codeService: 'string',
      libelleService: 'string',
      estActif: 'boolean',
      statutService: 'string',
      dateDbtService: 'string',
      dateFinService: 'string',
    },
  },
  'utilisateurs/monCompte/recuperer/rattachements': {
    list: 'listeStructureRattachement',
    members: {
      idStructure: 'number',
      identifiantStructure: 'string',
      typeIdentifiantStructure: 'string',
      designationStructure: 'string',
      roleUtilisateur: 'string',
      statutUtilisateur: 'string',
      statutRattachementStructure: 'string',
      idRattachementStructure: 'number',
      listeServicesRattache: 'list',
    },
  },
  'engagementsJuridiques/rechercher': {
    list: 'listeEngagementJuridique',
    members: {
      numeroEngagementJuridique: 'string',
      libelleEtatCourantEJ: 'string',
      montantTotalHt: 'number',
    },
  },
  'factures/rechercher/fournisseur': {
    list: 'listeFactures',
    members: {
      identifiantFactureCPP: 'number',
      numeroFacture: 'string',
      statut: 'string',
      dateDepot: 'string',
      dateHeureEtatCourant: 'string',
      commentaireEtatCourant: 'string',
      codeDestinataire: 'string',
      montantTTC: 'number',
    },
  },
  'transverses/recuperer/cadrefacturation': {
    list: 'listeCadreFacturation',
    members: { codeCadreFacturation: 'string' },
  },
  'transverses/recuperer/motifs/exonerationtva': {
    list: 'listeMotifsExonerationTva',
    members: { codeMotifExonerationTva: 'string', libelleMotifExonerationTva: 'string' },
  },
  'transverses/recuperer/modereglements': { list: 'listeModePaiement', members: { modePaiement: 'string' } },
  'transverses/recuperer/typespj': {
    list: 'listeTypePieceJointe',
    members: {
      codeTypePieceJointe: 'string',
      idTypePieceJointe: 'number',
      libelleTypePieceJointe: 'string',
      typeObjet: 'string',
    },
  },
  'transverses/recuperer/coordbanc/valides': {
    list: 'listeCoordonneeBancaire',
    members: { idCoordonneeBancaire: 'number', nomCoordonneeBancaire: 'string' },
  },
};

function jsonType(value: unknown): JsonType | 'null' {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'object';
  return typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string';
}

function sample(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** How a real answer differs from what the client expects of `operation`. */
export function differencesOf(operation: string, answer: unknown): string[] {
  const expectation = EXPECTATIONS[operation];
  if (!expectation || !answer || typeof answer !== 'object') return [];
  const root = answer as Record<string, unknown>;
  const out: string[] = [];
  const codeRetour = root.codeRetour;
  if (operation !== 'transverses/health-check') {
    if (typeof codeRetour !== 'number')
      out.push(`codeRetour is ${jsonType(codeRetour)} ${sample(codeRetour)} (expected a number)`);
    const code = Number(codeRetour);
    if (Number.isInteger(code) && code !== 0 && !isNoResult(operation, code)) {
      out.push(
        `codeRetour ${code} "${String(root.libelle ?? '')}" is not a known "no result" code of this operation`,
      );
    }
  }
  let subject = root;
  let where = '';
  if (expectation.list) {
    const list = root[expectation.list];
    where = `${expectation.list}[0].`;
    if (list !== undefined && list !== null && !Array.isArray(list)) {
      out.push(`${expectation.list} is ${jsonType(list)} (expected a list): ${sample(list)}`);
    }
    const first = Array.isArray(list) ? list[0] : list;
    if (!first || typeof first !== 'object') return out;
    subject = first as Record<string, unknown>;
    for (const key of Object.keys(root)) {
      if (key !== expectation.list && key !== 'parametresRetour' && !(key in ENVELOPE)) {
        out.push(`unknown member ${key}: ${sample(root[key])}`);
      }
    }
  }
  for (const [key, value] of Object.entries(subject)) {
    if (!expectation.list && key in ENVELOPE) continue;
    const expected = expectation.members[key];
    if (expected === undefined) {
      out.push(`unknown member ${where}${key}: ${sample(value)}`);
      continue;
    }
    const actual = jsonType(value);
    if (actual !== 'null' && actual !== expected) {
      out.push(
        `${where}${key} is ${actual === 'list' ? 'a list' : `a ${actual}`} (expected ${expected === 'list' ? 'a list' : `a ${expected}`}): ${sample(value)}`,
      );
    }
  }
  return out;
}

const FAMILY_PROBES: Record<ApiFamily, (client: ChorusClient, siret: string) => Promise<unknown>> = {
  transverses: (c) => c.healthCheck(),
  structures: (c, siret) =>
    c.searchStructures({ structure: { identifiantStructure: siret, typeIdentifiantStructure: 'SIRET' } }),
  utilisateurs: (c) =>
    c.myAttachments({ parametresRecherche: { nbResultatsParPage: 1, pageResultatDemandee: 1 } }),
  engagementsJuridiques: (c) => c.searchEngagements({ numeroEngagementJuridique: 'SANDBOX-CHECK' }),
  factures: (c) =>
    c.searchSupplierInvoices({
      rechercheFactureParFournisseur: { nbResultatsParPage: 1, pageResultatDemandee: 1 },
    }),
};

/** Runs the tour; never calls an operation that writes. */
export async function runSandboxCheck(
  target: CheckTarget,
  options: { buyerSiret?: string } = {},
): Promise<CheckReport> {
  const answers: Array<{ operation: string; answer: unknown }> = [];
  const client = new ChorusClient({
    endpoints: target.endpoints,
    environment: target.environment,
    credentials: target.credentials,
    timeoutMs: 30_000,
    tokenCache: new PisteTokenCache(),
    // Logs go to stderr: stdout is the report (or its JSON).
    logger: createLogger({ name: 'sandbox-check', level: 'error' }, pino.destination(2)),
    onAnswer: (operation, answer) => answers.push({ operation, answer }),
  });
  const secrets = [target.credentials.piste.clientSecret, target.credentials.technicalAccount.password];
  const steps: CheckStep[] = [];

  const step = async <T>(
    name: string,
    call: () => Promise<T>,
    describe: (value: T) => { summary: string; result?: StepResult },
    failure: StepResult = 'failed',
  ): Promise<T | undefined> => {
    const before = answers.length;
    try {
      const value = await call();
      const described = describe(value);
      const differences = answers.slice(before).flatMap((a) => differencesOf(a.operation, a.answer));
      steps.push({ name, result: described.result ?? 'ok', summary: described.summary, differences });
      return value;
    } catch (error) {
      if (!isChorusError(error)) throw error;
      const typed: ChorusError = error;
      steps.push({
        name,
        result: failure,
        summary: redactSecrets(`${typed.type}: ${typed.message}`, secrets),
        differences: typed.responseBody
          ? [`answer: HTTP ${typed.httpStatus ?? '?'} ${typed.responseBody}`]
          : [],
        errorType: typed.type,
      });
      return undefined;
    }
  };
  const skip = (name: string, why: string) =>
    steps.push({ name, result: 'skipped', summary: why, differences: [] });

  const token = await step(
    'PISTE token',
    () => client.obtainAccessToken(),
    () => ({
      summary: `PISTE issued a token to client ${target.credentials.piste.clientId}`,
    }),
  );
  if (token === undefined && steps.at(-1)?.result === 'failed') {
    for (const name of [
      'technical account',
      'API families',
      'supplier structure',
      'buyer search',
      'code lists',
    ]) {
      skip(name, 'not tried: no PISTE token');
    }
    return report(target, steps);
  }

  const account = await step(
    'technical account',
    () => client.healthCheck(),
    (h) => ({
      summary: `Chorus Pro accepts ${target.credentials.technicalAccount.login} (health-check: ${h.statusCode ?? '?'})`,
    }),
  );
  if (account === undefined) {
    for (const name of ['API families', 'supplier structure', 'buyer search', 'code lists']) {
      skip(name, `not tried: the first API call failed (${steps.at(-1)?.errorType ?? 'error'})`);
    }
    return report(target, steps);
  }

  for (const family of Object.keys(FAMILY_PROBES) as ApiFamily[]) {
    const required = API_FAMILIES_NEEDED.value.required.includes(family);
    await step(
      `API family ${API_FAMILY_LABELS[family]}${required ? '' : ' (optional)'}`,
      () => FAMILY_PROBES[family](client, target.supplierSiret),
      () => ({ summary: 'subscribed' }),
      required ? 'failed' : 'warning',
    );
  }

  const suppliers = await step(
    'supplier structure',
    () => client.activeSupplierStructures(),
    (answer) => {
      const found = answer.listeStructures.find((s) => s.identifiant === target.supplierSiret);
      return found
        ? {
            summary: `${target.supplierSiret} is idStructureCPP ${found.idStructureCPP} (${found.designationStructure ?? ''})`,
          }
        : {
            result: 'failed',
            summary: `the technical account may not invoice for ${target.supplierSiret}; it may for: ${answer.listeStructures.map((s) => s.identifiant).join(', ') || 'none'}`,
          };
    },
  );
  const supplierId = suppliers?.listeStructures.find(
    (s) => s.identifiant === target.supplierSiret,
  )?.idStructureCPP;
  if (supplierId !== undefined) {
    await step(
      'supplier structure: password expiry',
      () => client.consultStructure({ idStructureCPP: supplierId, codeLangue: 'fr' }),
      (s) => {
        const expiry = s.informationGenerales?.dateExpirationMotPasseCompteTech;
        return expiry
          ? { summary: `technical password expires on ${expiry}` }
          : { result: 'warning', summary: 'no dateExpirationMotPasseCompteTech in the answer' };
      },
    );
  }

  const buyerSiret = options.buyerSiret ?? target.supplierSiret;
  const buyers = await step(
    `buyer search (${buyerSiret})`,
    () =>
      client.searchStructures({
        structure: { identifiantStructure: buyerSiret, typeIdentifiantStructure: 'SIRET' },
        restreindreStructuresPrivees: false,
      }),
    (answer) =>
      answer.listeStructures.length > 0
        ? {
            summary: `found ${answer.listeStructures.map((s) => `${s.identifiantStructure} → ${s.idStructureCPP} (${s.statut ?? '?'})`).join(', ')}`,
          }
        : { result: 'warning', summary: `no structure ${buyerSiret} (codeRetour ${answer.codeRetour})` },
  );
  const buyer = buyers?.listeStructures[0];
  if (buyer) {
    await step(
      'buyer services',
      () => client.searchServices({ idStructure: buyer.idStructureCPP }),
      (answer) => ({
        summary: `${answer.listeServices.length} service(s) on this page${answer.parametresRetour?.total != null ? ` of ${answer.parametresRetour.total}` : ''}`,
      }),
      'warning',
    );
  }

  await step(
    'code list: cadres de facturation',
    () => client.billingFrames({ typeDemandePaiement: 'FACTURE' }),
    (a) => ({
      summary: a.listeCadreFacturation.map((f) => f.codeCadreFacturation).join(', ') || 'empty',
    }),
  );
  await step(
    'code list: motifs d’exonération de TVA',
    () => client.vatExemptionReasons({ codeLangue: 'FR' }),
    (a) => ({
      summary: a.listeMotifsExonerationTva.map((r) => r.codeMotifExonerationTva).join(', ') || 'empty',
    }),
  );
  await step(
    'code list: modes de règlement',
    () => client.paymentModes(),
    (a) => ({
      summary: a.listeModePaiement.map((m) => m.modePaiement).join(', ') || 'empty',
    }),
  );
  await step(
    'code list: types de pièces jointes (FACTURE)',
    () => client.recupererTypesPieceJointe({ codeLangue: 'FR', typeObjet: 'FACTURE' }),
    (a) => ({
      summary:
        a.listeTypePieceJointe
          .map((t) => `${t.codeTypePieceJointe} "${t.libelleTypePieceJointe ?? ''}"`)
          .join(', ') || 'empty',
      result: a.listeTypePieceJointe.length > 0 ? 'ok' : 'warning',
    }),
  );
  if (supplierId !== undefined) {
    await step(
      'code list: coordonnées bancaires valides',
      () => client.recupererCoordonneesBancairesValides({ idStructure: supplierId }),
      (a) => ({
        summary:
          a.listeCoordonneeBancaire
            .map((b) => `${b.idCoordonneeBancaire} "${b.nomCoordonneeBancaire ?? ''}"`)
            .join(', ') || 'none',
      }),
      'warning',
    );
  } else {
    skip('code list: coordonnées bancaires valides', 'not tried: the supplier structure is not reachable');
  }
  return report(target, steps);
}

function report(target: CheckTarget, steps: CheckStep[]): CheckReport {
  return {
    target: {
      label: target.label,
      environment: target.environment,
      supplierSiret: target.supplierSiret,
      clientId: target.credentials.piste.clientId,
    },
    steps,
    ok: steps.every((s) => s.result !== 'failed'),
  };
}

const MARKS: Record<StepResult, string> = { ok: '✓', warning: '⚠', failed: '✗', skipped: '·' };

export function formatReport(report: CheckReport): string {
  const head = `Chorus Pro check of ${report.target.label} (${report.target.environment}, supplier ${report.target.supplierSiret}, PISTE client ${report.target.clientId}) — read-only, nothing is submitted`;
  const lines = report.steps.flatMap((s) => [
    `${MARKS[s.result]} ${s.name}: ${s.summary}`,
    ...s.differences.map((d) => `    differs: ${d}`),
  ]);
  return [
    head,
    ...lines,
    report.ok ? 'Every step sending needs passed.' : 'Some steps failed: see ✗ above.',
  ].join('\n');
}

/** The connection's record through the project's connection directory, secrets opened. */
export async function targetFromConnection(
  connections: ConnectionDirectory,
  id: string,
  endpoints: Record<ChorusEnvironment, ChorusEndpoints>,
): Promise<CheckTarget> {
  const record = await connections.get(id);
  if (!record) throw new UsageError(`No connection "${id}" is configured.`);
  return {
    label: `connection ${id}`,
    environment: record.environment,
    endpoints: endpoints[record.environment],
    supplierSiret: record.supplierSiret,
    credentials: { piste: record.piste, technicalAccount: record.technicalAccount },
  };
}

/** A credentials scenario of a running simulator (`/__admin/dataset`), without a stored connection. */
export async function targetFromSimulator(url: string, scenario: string): Promise<CheckTarget> {
  const response = await fetch(`${url.replace(/\/$/, '')}/__admin/dataset`);
  if (!response.ok) throw new UsageError(`${url} did not give its data set (HTTP ${response.status})`);
  const dataset = (await response.json()) as {
    credentials: Array<{ scenario: string; supplierSiret: string } & ChorusCredentials>;
  };
  const set = dataset.credentials.find((c) => c.scenario === scenario);
  if (!set) throw new UsageError(`The simulator has no credentials scenario "${scenario}".`);
  return {
    label: `simulator scenario ${scenario}`,
    environment: 'simulator',
    endpoints: { tokenUrl: `${url}/api/oauth/token`, apiBaseUrl: `${url}/cpro` },
    supplierSiret: set.supplierSiret,
    credentials: { piste: set.piste, technicalAccount: set.technicalAccount },
  };
}

class UsageError extends Error {}

const USAGE = `usage: npm run sandbox-check -- --connection <id> [--buyer-siret <siret>] [--json]
       npm run sandbox-check -- --simulator-url <url> --simulator-scenario <scenario> [--buyer-siret <siret>] [--json]`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      connection: { type: 'string' },
      'simulator-url': { type: 'string' },
      'simulator-scenario': { type: 'string' },
      'buyer-siret': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  let target: CheckTarget;
  if (values.connection) {
    const config = loadConfig();
    const logger = createLogger({ name: 'sandbox-check', level: 'warn' }, pino.destination(2));
    const db = await appDatabase(config, logger, 'sandbox-check');
    try {
      const { connections } = await sharedStores(config, db, { logger, role: 'worker' });
      target = await targetFromConnection(connections, values.connection, config.chorus);
    } finally {
      await db.destroy();
    }
  } else if (values['simulator-url'] && values['simulator-scenario']) {
    target = await targetFromSimulator(values['simulator-url'], values['simulator-scenario']);
  } else {
    throw new UsageError('give --connection <id>, or --simulator-url with --simulator-scenario');
  }
  const result = await runSandboxCheck(target, { buyerSiret: values['buyer-siret'] });
  console.log(values.json ? JSON.stringify(result, null, 2) : formatReport(result));
  return result.ok ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const usage =
        error instanceof UsageError ||
        (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
      console.error(`${(error as Error).message}${usage ? `\n${USAGE}` : ''}`);
      process.exit(usage ? 2 : 1);
    },
  );
}
