import { parseBenchArgs, runBench } from '../../scripts/bench';
import { benchReportSchema, formatBench, type BenchReport } from '../../scripts/bench/report';

/**
 * `npm run bench -- --short` on the real parts as separate processes (Temporal dev server, PostgreSQL,
 * simulator, API, one worker): every figure is produced and well formed. Their values are not asserted:
 * performance is read from the printed figures (docs/performance.md), not timed in the test suite.
 */
describe('npm run bench, short form', () => {
  let report: BenchReport;

  beforeAll(async () => {
    const log = (line: string) => process.stderr.write(`[bench test] ${line}\n`);
    report = await runBench(parseBenchArgs(['--short']), log);
    process.stderr.write(`${formatBench(report)}\n`);
  }, 10 * 60_000);

  it('produces a report the schema accepts: every figure a finite number', () => {
    expect(() => benchReportSchema.parse(report)).not.toThrow();
    expect(report.mode).toBe('short');
  });

  it('counts the Chorus calls of every plain invoice, with both sends among them', () => {
    expect(report.calls.paid).toBe(report.calls.invoices);
    expect(report.calls.byOperation['factures/soumettre']).toBeGreaterThan(0);
    expect(report.calls.byOperation['transverses/ajouter/fichier']).toBeGreaterThan(0);
    expect(report.calls.perInvoice).toBeGreaterThan(0);
    expect(report.calls.dailyPollingPerInvoice).toBeGreaterThan(2);
    expect(report.calls.minimumPerInvoice).toBeGreaterThan(2);
  });

  it('reads history events, latencies, throughput and memory', () => {
    for (const events of [report.history.plain, report.history.dataTask, report.history.recycle]) {
      expect(events).toBeGreaterThan(0);
    }
    expect(report.latency.service.p50).toBeGreaterThan(0);
    expect(report.latency.direct.p50).toBeGreaterThan(0);
    // DEPOSEE is Chorus's answer stored in the history, when the workflow task the deposit ran in
    // completes; the timeline's SUBMITTED is stamped with the deposit's own end, before that.
    expect(report.latency.recorded.p50).toBeLessThanOrEqual(report.latency.service.p50);
    expect(report.throughput.invoicesPerMinute).toBeGreaterThan(0);
    expect(report.throughput.callsAdmitted).toBeGreaterThan(0);
    expect(report.throughput.callSeconds).toBeGreaterThan(0);
    expect(report.memory.points.map((p) => p.rssMiB).every((rss) => rss > 0)).toBe(true);
    expect(report.memory.extrapolatedTo).toBe(50_000);
  });

  it('prints one table row per figure', () => {
    const table = formatBench(report);
    for (const row of [
      'Chorus calls per plain invoice',
      'history events, plain invoice',
      'history events, with a data task',
      'history events, with a recycle',
      'POST → DEPOSEE p50 / p95',
      'throughput at 20 calls/s',
      'worker RSS at 50000 (extrapolated)',
    ]) {
      expect(table).toContain(row);
    }
  });
});
