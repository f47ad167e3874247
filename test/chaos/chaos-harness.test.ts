import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runChaos } from '../../scripts/chaos/harness';
import { startLocalTopology, type LocalTopology } from '../../scripts/chaos/local-topology';
import { formatReport, type ChaosReport } from '../../scripts/chaos/report';

/**
 * `npm run chaos`'s short form, on the real parts as separate processes (Temporal dev server, simulator,
 * API, two workers, PostgreSQL): 60 invoices across every buyer scenario that ends by itself, one worker
 * SIGKILLed, one Temporal restart, lost soumettre answers, 429 bursts and latency spikes. The per-call 5xx
 * rate is 2 % here rather than the long form's 10 %: see docs/chaos.md (multi-call activities).
 */
describe('chaos harness, short form', () => {
  let workDir: string;
  let topology: LocalTopology | undefined;
  let report: ChaosReport;

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'chaos-test-'));
    const log = (line: string) => process.stderr.write(`[chaos test] ${line}\n`);
    topology = await startLocalTopology({ workDir, clockSpeed: 86_400, workers: 2, log });
    report = await runChaos(topology, {
      invoices: 60,
      seed: 20261201,
      submitOverSeconds: 30,
      killEvery: [10, 15],
      maxKills: 1,
      temporalRestartAt: 0.5,
      horizonSeconds: 480,
      faults: true,
      errorRate: 0.02,
      connectionId: 'chaos-test',
      log,
    });
    process.stderr.write(`${formatReport(report, 'Chaos test')}\n`);
  }, 20 * 60_000);

  afterAll(async () => {
    await topology?.stop();
    // A failed run keeps its logs and databases for inspection.
    if (report?.ok) rmSync(workDir, { recursive: true, force: true });
    else process.stderr.write(`kept ${workDir}\n`);
  }, 120_000);

  it('disrupted the run: a worker killed, Temporal restarted, simulator faults injected', () => {
    expect(report.disruptions.workerKills).toBe(1);
    expect(report.disruptions.temporalRestarts).toBe(1);
    expect(
      report.disruptions.lostAnswers + report.disruptions.rateLimitBursts + report.disruptions.latencySpikes,
    ).toBeGreaterThan(0);
  });

  it('accepted and deposited every invoice exactly once', () => {
    expect(report.submitted).toBe(60);
    expect(report.rejectedSubmissions).toEqual([]);
    expect(report.duplicates).toEqual([]);
    expect(report.deposited).toBe(60);
    expect(report.depositsPerInvoiceNumber).toEqual({ '1': 60 });
  });

  it('lost none and ended every invoice within the horizon, in the states its buyer leads to', () => {
    expect(report.lost).toEqual([]);
    expect(report.stuck).toEqual([]);
    const ended = Object.values(report.endedByState).reduce((a, b) => a + b, 0);
    expect(ended).toBe(60);
    expect(report.endedByState.PAID).toBeGreaterThan(0);
    expect(report.endedByState.REJECTED).toBeGreaterThan(0);
    expect(report.endedByState.TRACKING_ENDED).toBeGreaterThan(0);
    expect(report.endedByState.FAILED).toBeUndefined();
    expect(report.timeToDeposit.count).toBe(60);
    expect(report.ok).toBe(true);
  });
});
