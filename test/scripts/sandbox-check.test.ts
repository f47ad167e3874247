import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { FileConnectionDirectory } from '../../platform/connections';
import { createLogger } from '../../platform/logger';
import { loadSealer } from '../../platform/secret-sealer';
import {
  formatReport,
  runSandboxCheck,
  targetFromSimulator,
  type CheckReport,
} from '../../scripts/sandbox-check';
import { startSimulator, type RunningSimulator } from '../../simulator/app';
import { credentialsByScenario } from '../../simulator/dataset';

/**
 * `npm run sandbox-check` against the simulator over real HTTP: the tour, what it reports where
 * answers differ from what the client expects, that it never writes, and the CLI reading a sealed
 * connection record through the connection directory.
 */

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
let sim: RunningSimulator;
let dataDir: string;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, logger: createLogger({ level: 'silent' }) });
  dataDir = mkdtempSync(path.join(tmpdir(), 'sandbox-check-'));
});
afterAll(async () => {
  await sim.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const WRITES = [
  'factures/soumettre',
  'factures/recycler',
  'factures/completer',
  'transverses/ajouter/fichier',
];
const check = async (scenario: string, buyerSiret?: string): Promise<CheckReport> =>
  runSandboxCheck(await targetFromSimulator(sim.url, scenario), { buyerSiret });
const step = (report: CheckReport, name: string) => report.steps.find((s) => s.name.startsWith(name))!;

describe('sandbox-check', () => {
  it('tours a working connection: every step ✓, nothing written', async () => {
    const buyer = sim.ctx.dataset.structures.find((s) => s.scenario === 'buyer.requires-service')!;
    const report = await check('credentials.valid', buyer.siret);
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => [s.name, s.result])).toEqual([
      ['PISTE token', 'ok'],
      ['technical account', 'ok'],
      ['API family Transverses', 'ok'],
      ['API family Structures', 'ok'],
      ['API family Utilisateurs (optional)', 'ok'],
      ['API family Engagements (optional)', 'ok'],
      ['API family Factures', 'ok'],
      ['supplier structure', 'ok'],
      ['supplier structure: password expiry', 'ok'],
      [`buyer search (${buyer.siret})`, 'ok'],
      ['buyer services', 'ok'],
      ['code list: cadres de facturation', 'ok'],
      ['code list: motifs d’exonération de TVA', 'ok'],
      ['code list: modes de règlement', 'ok'],
      ['code list: types de pièces jointes (FACTURE)', 'ok'],
      ['code list: coordonnées bancaires valides', 'ok'],
    ]);
    expect(report.steps.flatMap((s) => s.differences)).toEqual([]);
    expect(step(report, 'code list: types de pièces jointes').summary).toContain('ANX "Doc. Annexe"');
    const calls = sim.ctx.counters.snapshot().calls;
    for (const write of WRITES) expect(calls[write] ?? 0).toBe(0);
    expect(formatReport(report)).toMatch(/^✓ PISTE token/m);
  });

  it('shows what differs when the answers use other types (format.string-ids)', async () => {
    const report = await check('format.string-ids');
    expect(report.ok).toBe(true);
    const differences = report.steps.flatMap((s) => s.differences);
    expect(differences).toContain('codeRetour is string "0" (expected a number)');
    expect(differences).toContainEqual(
      expect.stringMatching(/^listeStructures is object \(expected a list\): \{"idStructureCPP":"25783752"/),
    );
    expect(differences).toContainEqual(
      expect.stringMatching(/idCoordonneeBancaire is a string \(expected a number\): "8316845"/),
    );
    expect(formatReport(report)).toMatch(/^ {4}differs: codeRetour is string "0"/m);
  });

  it('warns for optional families and fails for a missing required one', async () => {
    const three = await check('credentials.three-families');
    expect(three.ok).toBe(true);
    expect(step(three, 'API family Utilisateurs').result).toBe('warning');
    expect(step(three, 'API family Engagements').result).toBe('warning');
    const noFactures = await check('credentials.missing-factures');
    expect(noFactures.ok).toBe(false);
    expect(step(noFactures, 'API family Factures')).toMatchObject({
      result: 'failed',
      errorType: 'ChorusApiFamilyNotSubscribed',
    });
  });

  it('stops at the layer that fails and says which', async () => {
    const badSecret = await check('credentials.bad-secret');
    expect(badSecret.ok).toBe(false);
    expect(step(badSecret, 'PISTE token')).toMatchObject({
      result: 'failed',
      errorType: 'ChorusPisteCredentialsRejected',
    });
    expect(badSecret.steps.slice(1).every((s) => s.result === 'skipped')).toBe(true);
    const quota = await check('credentials.quota-exhausted');
    expect(step(quota, 'technical account')).toMatchObject({
      result: 'failed',
      errorType: 'ChorusQuotaExceeded',
    });
    const secret = credentialsByScenario(sim.ctx.dataset, 'credentials.bad-secret').piste.clientSecret;
    expect(JSON.stringify(badSecret)).not.toContain(secret);
  });

  it('runs from the command line on a sealed connection record, as the README says', async () => {
    const valid = credentialsByScenario(sim.ctx.dataset, 'credentials.valid');
    const sealer = loadSealer({
      dir: path.join(dataDir, 'sealing-keys'),
      production: false,
      logger: createLogger({ level: 'silent' }),
    });
    const directory = new FileConnectionDirectory(path.join(dataDir, 'connections.json'), sealer);
    await directory.upsert({
      id: 'qualif',
      environment: 'simulator',
      supplierSiret: valid.supplierSiret,
      piste: valid.piste,
      technicalAccount: valid.technicalAccount,
    });
    const env = { ...process.env, DATA_DIR: dataDir, SIMULATOR_URL: sim.url, LOG_LEVEL: 'silent' };
    const cli = path.join(ROOT, 'node_modules/.bin/ts-node');
    const { stdout } = await run(
      cli,
      ['--transpile-only', 'scripts/sandbox-check.ts', '--connection', 'qualif', '--json'],
      { cwd: ROOT, env, timeout: 90_000 },
    );
    const report = JSON.parse(stdout) as CheckReport;
    expect(report.ok).toBe(true);
    expect(report.target).toMatchObject({ label: 'connection qualif', environment: 'simulator' });
    expect(stdout).not.toContain(valid.technicalAccount.password);

    const unknown = await run(cli, ['--transpile-only', 'scripts/sandbox-check.ts', '--connection', 'nope'], {
      cwd: ROOT,
      env,
      timeout: 90_000,
    }).catch((e: { code: number; stderr: string }) => e);
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining('No connection "nope"') });
  });
});
