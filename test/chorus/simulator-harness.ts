import { Writable } from 'node:stream';
import { ChorusClient, type ChorusCredentials } from '../../activities/chorus/client';
import type { AnswerObserver } from '../../activities/chorus/gateway';
import type { SubmitInvoiceRequest } from '../../activities/chorus/models';
import { PisteTokenCache } from '../../activities/chorus/token-cache';
import { ChorusAccess } from '../../activities/chorus-access';
import type { ChorusEndpoints } from '../../platform/config';
import type { ConnectionDirectory, ConnectionRecord } from '../../platform/connections';
import { createLogger, type Logger } from '../../platform/logger';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../simulator/app';
import type { CredentialSet, Dataset, StructureRecord } from '../../simulator/dataset';

/** What `GET /__admin/counters` answers. */
export interface SimulatorCounters {
  calls: Record<string, number>;
  invoices: Record<string, Record<string, number>>;
  duplicatesRefused: number;
}

export interface FaultRule {
  route: string;
  latencyMs?: number;
  errorRate?: number;
  failNext?: number;
  errorStatus?: 500 | 502 | 503;
  retryAfterSeconds?: number;
  loseAnswer?: boolean;
  times?: number;
}

export interface ClientSettings {
  tokenCache?: PisteTokenCache;
  timeoutMs?: number;
  onAnswer?: AnswerObserver;
}

/**
 * The real simulator on a free port, driven like an outside tool would: data set, counters,
 * faults and clock through `/__admin`. Every client logs into `logLines` for secret scans.
 */
export class SimulatorHarness {
  readonly logLines: string[] = [];
  readonly logger: Logger;

  private constructor(
    readonly sim: RunningSimulator,
    readonly dataset: Dataset,
  ) {
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        this.logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    this.logger = createLogger({ name: 'chorus-test', level: 'debug' }, sink);
  }

  static async start(options: SimulatorOptions = {}): Promise<SimulatorHarness> {
    const sim = await startSimulator({ port: 0, logger: createLogger({ level: 'silent' }), ...options });
    const response = await fetch(`${sim.url}/__admin/dataset`);
    return new SimulatorHarness(sim, (await response.json()) as Dataset);
  }

  get endpoints(): ChorusEndpoints {
    return { tokenUrl: `${this.sim.url}/api/oauth/token`, apiBaseUrl: `${this.sim.url}/cpro` };
  }

  credentialSet(scenario: string): CredentialSet {
    const found = this.dataset.credentials.find((c) => c.scenario === scenario);
    if (!found) throw new Error(`no credentials scenario ${scenario}`);
    return found;
  }

  /**
   * The workers' access to Chorus for one connection of the default supplier (`acme`) with the
   * credentials of `scenario`, every environment pointing at this simulator.
   */
  chorusAccess(scenario = 'credentials.valid'): { record: ConnectionRecord; chorus: ChorusAccess } {
    const record: ConnectionRecord = {
      id: 'acme',
      environment: 'simulator',
      supplierSiret: this.structure('supplier.default').siret,
      ...this.credentials(scenario),
    };
    const connections: ConnectionDirectory = {
      get: async (id) => (id === record.id ? record : undefined),
      describe: async () => undefined,
      list: async () => [],
    };
    const endpoints = this.endpoints;
    const chorus = new ChorusAccess({
      connections,
      endpoints: { simulator: endpoints, sandbox: endpoints, production: endpoints },
      chorusTimeoutMs: 5000,
      logger: this.logger,
    });
    return { record, chorus };
  }

  credentials(scenario: string): ChorusCredentials {
    const set = this.credentialSet(scenario);
    return { piste: { ...set.piste }, technicalAccount: { ...set.technicalAccount } };
  }

  structure(scenario: string): StructureRecord {
    const found = this.dataset.structures.find((s) => s.scenario === scenario);
    if (!found) throw new Error(`no structure scenario ${scenario}`);
    return found;
  }

  /** A client for a credentials scenario, with its own token cache unless one is given. */
  client(scenario: string, settings: ClientSettings = {}): ChorusClient {
    return new ChorusClient({
      endpoints: this.endpoints,
      environment: 'simulator',
      credentials: this.credentials(scenario),
      timeoutMs: settings.timeoutMs ?? 5000,
      tokenCache: settings.tokenCache ?? new PisteTokenCache(),
      logger: this.logger,
      onAnswer: settings.onAnswer,
    });
  }

  async counters(): Promise<SimulatorCounters> {
    return (await this.admin('GET', '/counters')) as SimulatorCounters;
  }

  async calls(operation: string): Promise<number> {
    return (await this.counters()).calls[operation] ?? 0;
  }

  async resetCounters(): Promise<void> {
    await this.admin('POST', '/counters/reset');
  }

  async addFault(rule: FaultRule): Promise<void> {
    await this.admin('POST', '/faults', rule);
  }

  /** The faults still active, each with what is left of it (`remainingFailures`, `remainingCalls`). */
  async faults(): Promise<Array<FaultRule & { remainingCalls: number | null; remainingFailures: number }>> {
    return ((await this.admin('GET', '/faults')) as { faults: never[] }).faults;
  }

  async clearFaults(): Promise<void> {
    await this.admin('DELETE', '/faults');
  }

  async advanceClock(seconds: number): Promise<void> {
    await this.admin('POST', '/clock/advance', { seconds });
  }

  /** Every secret of every credentials scenario: none may appear in logs or errors. */
  secrets(): string[] {
    return this.dataset.credentials.flatMap((c) => [
      c.piste.clientSecret,
      c.technicalAccount.password,
      Buffer.from(`${c.technicalAccount.login}:${c.technicalAccount.password}`, 'utf8').toString('base64'),
    ]);
  }

  close(): Promise<void> {
    return this.sim.close();
  }

  private async admin(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.sim.url}/__admin${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`admin ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return response.json();
  }
}

/** Opaque PISTE bearer tokens are long alphanumeric runs; none may reach a log line. */
export const BEARER_TOKEN_SHAPE = /[A-Za-z0-9]{40,}/;

/**
 * A SAISIE_API invoice whose amounts a binary float would get wrong
 * (0.1 + 0.2, six decimals): HT 370.670367, TVA 74.134073, TTC 444.804440.
 */
export function exactAmountsInvoice(
  harness: SimulatorHarness,
  numeroFactureSaisi: string,
  buyerScenario = 'buyer.no-requirement',
): SubmitInvoiceRequest {
  const supplier = harness.structure('supplier.default');
  const buyer = harness.structure(buyerScenario);
  return {
    modeDepot: 'SAISIE_API',
    numeroFactureSaisi,
    dateFacture: '2026-11-02',
    idUtilisateurCourant: 0,
    fournisseur: { idFournisseur: supplier.idStructureCPP },
    destinataire: { codeDestinataire: buyer.siret },
    cadreDeFacturation: { codeCadreFacturation: 'A1_FACTURE_FOURNISSEUR' },
    references: {
      deviseFacture: 'EUR',
      typeFacture: 'FACTURE',
      typeTva: 'TVA_SUR_DEBIT',
      modePaiement: 'CHEQUE',
    },
    lignePoste: [
      line(1, 'Prestation A', '3', '123.456789'),
      line(2, 'Prestation B', '1', '0.1'),
      line(3, 'Prestation C', '1', '0.2'),
    ],
    ligneTva: [
      {
        ligneTvaTauxManuel: '20',
        ligneTvaMontantBaseHtParTaux: '370.670367',
        ligneTvaMontantTvaParTaux: '74.134073',
      },
    ],
    montantTotal: {
      montantHtTotal: '370.670367',
      montantTVA: '74.134073',
      montantTtcTotal: '444.804440',
      montantAPayer: '444.804440',
    },
  };
}

function line(n: number, label: string, quantity: string, unitPrice: string) {
  return {
    lignePosteNumero: n,
    lignePosteDenomination: label,
    lignePosteQuantite: quantity,
    lignePosteUnite: 'lot',
    lignePosteMontantUnitaireHT: unitPrice,
    lignePosteTauxTvaManuel: '20',
  };
}
