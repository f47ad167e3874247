import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runChaos } from '../../scripts/chaos/harness';
import { formatReport, type ChaosReport } from '../../scripts/chaos/report';
import { startProductionTopology, type ProductionTopology } from '../../scripts/production/topology';

/**
 * `./run production-check --short`: docker-compose.yml's topology on this host without Docker — the Temporal
 * server built from its Go module (cached after the first build, which takes minutes) on PostgreSQL, the app
 * database, the simulator, two APIs and two workers from the compiled build with the compose environment —
 * under a worker kill, an API kill and a Temporal restart. The per-call 5xx rate is 2 % (docs/chaos.md).
 */
describe('production check, short form', () => {
  let workDir: string;
  let topology: ProductionTopology | undefined;
  let report: ChaosReport;

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'production-check-test-'));
    const log = (line: string) => process.stderr.write(`[production-check test] ${line}\n`);
    topology = await startProductionTopology({ workDir, clockSpeed: 86_400, log });
    report = await runChaos(topology, {
      invoices: 30,
      seed: 20261202,
      submitOverSeconds: 20,
      killEvery: [8, 12],
      maxKills: 1,
      temporalRestartAt: 0.4,
      horizonSeconds: 480,
      faults: true,
      errorRate: 0.02,
      connectionId: 'production-check-test',
      log,
    });
    process.stderr.write(`${formatReport(report, 'Production check test')}\n`);
  }, 45 * 60_000);

  afterAll(async () => {
    await topology?.stop();
    // A failed run keeps its logs and databases for inspection.
    if (report?.ok) rmSync(workDir, { recursive: true, force: true });
    else process.stderr.write(`kept ${workDir}\n`);
  }, 120_000);

  it('ran the compose topology: Temporal server on PostgreSQL, two APIs, two workers, with a worker kill, an API kill and a restart', () => {
    expect(report.topology.join('\n')).toMatch(
      /Temporal server 1\.32\.0 \(built from go\.temporal\.io\/server/,
    );
    expect(report.topology.join('\n')).toMatch(/2 APIs and 2 workers/);
    expect(report.topology.join('\n')).toMatch(/namespace retention 30 days/);
    expect(report.disruptions.workerKills).toBe(1);
    expect(report.disruptions.temporalRestarts).toBe(1);
    expect(report.events.some((e) => /SIGKILL api-2/.test(e))).toBe(true);
  });

  it('deposited every invoice exactly once, lost none and ended all within the horizon', () => {
    expect(report.submitted).toBe(30);
    expect(report.rejectedSubmissions).toEqual([]);
    expect(report.duplicates).toEqual([]);
    expect(report.depositsPerInvoiceNumber).toEqual({ '1': 30 });
    expect(report.lost).toEqual([]);
    expect(report.stuck).toEqual([]);
    expect(report.endedByState.FAILED).toBeUndefined();
    expect(report.ok).toBe(true);
  });
});
