import { z } from 'zod';

/** A figure the benchmark measured: a finite number, never NaN or Infinity. */
const figure = z.number().finite();
const positive = figure.nonnegative();

/** What `npm run bench` measured; `--json` prints it as is, `formatBench` makes the table. */
export const benchReportSchema = z.object({
  mode: z.enum(['full', 'short']),
  machine: z.object({
    cpus: z.number().int().positive(),
    cpuModel: z.string(),
    memoryGiB: positive,
    node: z.string(),
    platform: z.string(),
  }),
  startedAt: z.string(),
  durationSeconds: positive,
  calls: z.object({
    invoices: z.number().int().positive(),
    buyers: z.number().int().positive(),
    paid: z.number().int().nonnegative(),
    clockSpeed: positive,
    pace: z.record(z.string(), z.string()),
    /** Mean simulated days from DEPOSEE to MISE_EN_PAIEMENT. */
    daysToPayment: positive,
    byOperation: z.record(z.string(), positive),
    perInvoice: positive,
    /** A daily cron per invoice: upload + soumettre, then one status call a day until paid. */
    dailyPollingPerInvoice: positive,
    /** Upload + soumettre, plus one rechercher/fournisseur page a day per 100 invoices in tracking. */
    minimumPerInvoice: positive,
  }),
  history: z.object({
    plain: positive,
    dataTask: positive,
    recycle: positive,
    plainSampled: z.number().int().positive(),
  }),
  latency: z.object({
    callLatencyMs: positive,
    invoices: z.number().int().positive(),
    /** POST → Chorus's answer to soumettre stored in the invoice's history. */
    service: z.object({ p50: positive, p95: positive }),
    /** POST → SUBMITTED in the invoice's timeline: the workflow task after that answer. */
    recorded: z.object({ p50: positive, p95: positive }),
    /**
     * The service's mean seconds, from the histories: API, activities queued, activities running, the
     * rest (workflow tasks, and the local activities that run within them: their markers say no more).
     */
    parts: z.object({
      beforeWorkflow: positive,
      activityQueue: positive,
      activityRun: positive,
      workflowTasks: positive,
    }),
    direct: z.object({ p50: positive, p95: positive, operations: z.array(z.string()) }),
  }),
  throughput: z.object({
    quotaPerSecond: positive,
    invoices: z.number().int().positive(),
    /** From the first POST until every invoice was seen deposited. */
    seconds: positive,
    /** From the first call the simulator admitted to the last: what `quotaShare` is read over. */
    callSeconds: positive,
    invoicesPerMinute: positive,
    callsAdmitted: z.number().int().nonnegative(),
    quotaShare: positive,
    rateLimited: z.number().int().nonnegative(),
  }),
  memory: z.object({
    baselineMiB: positive,
    points: z.array(z.object({ inTracking: z.number().int().positive(), rssMiB: positive })).min(2),
    slopeMiBPer1000: figure,
    extrapolatedMiB: positive,
    extrapolatedTo: z.number().int().positive(),
    requested: z.array(z.number().int().positive()),
  }),
  notes: z.array(z.string()),
});

export type BenchReport = z.infer<typeof benchReportSchema>;

/** The issue's targets, beside which today's figures are printed. */
export const TARGETS = {
  callsPerInvoice: 3,
  historyEventsPlain: 45,
  latencyRatio: 1.3,
  quotaShare: 0.95,
  rssAt50kMiB: 1024,
} as const;

const n1 = (v: number) => v.toFixed(1);
const n2 = (v: number) => v.toFixed(2);
const ratio = (a: number, b: number) => (b > 0 ? `${n2(a / b)}×` : '—');
const mark = (ok: boolean) => (ok ? 'met' : 'not met');

/** Nearest-rank percentile of `values` (which must not be empty). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function formatBench(r: BenchReport): string {
  const c = r.calls;
  const ops = Object.entries(c.byOperation)
    .sort(([, a], [, b]) => b - a)
    .map(([op, perInvoice]) => `    ${op.padEnd(52)} ${n2(perInvoice)}`);
  const rows: Array<[string, string, string, string]> = [
    [
      'Chorus calls per plain invoice (submit → PAID)',
      n2(c.perInvoice),
      `daily polling ${n2(c.dailyPollingPerInvoice)} (${ratio(c.perInvoice, c.dailyPollingPerInvoice)}); minimum ${n2(c.minimumPerInvoice)} (${ratio(c.perInvoice, c.minimumPerInvoice)})`,
      `≤ ${TARGETS.callsPerInvoice}: ${mark(c.perInvoice <= TARGETS.callsPerInvoice)}`,
    ],
    [
      'history events, plain invoice',
      n1(r.history.plain),
      `mean of ${r.history.plainSampled} paid invoices, every run`,
      `≤ ${TARGETS.historyEventsPlain}: ${mark(r.history.plain <= TARGETS.historyEventsPlain)}`,
    ],
    [
      'history events, with a data task',
      n1(r.history.dataTask),
      `${ratio(r.history.dataTask, r.history.plain)} plain`,
      '',
    ],
    [
      'history events, with a recycle',
      n1(r.history.recycle),
      `${ratio(r.history.recycle, r.history.plain)} plain`,
      '',
    ],
    [
      `POST → DEPOSEE p50 / p95 (${r.latency.callLatencyMs} ms a call)`,
      `${n2(r.latency.service.p50)} / ${n2(r.latency.service.p95)} s`,
      `direct script ${n2(r.latency.direct.p50)} / ${n2(r.latency.direct.p95)} s: ${ratio(r.latency.service.p50, r.latency.direct.p50)} / ${ratio(r.latency.service.p95, r.latency.direct.p95)}`,
      `≤ ${TARGETS.latencyRatio}×: ${mark(r.latency.service.p50 <= TARGETS.latencyRatio * r.latency.direct.p50)}`,
    ],
    [
      `throughput at ${r.throughput.quotaPerSecond} calls/s (${r.throughput.invoices} invoices)`,
      `${n1(r.throughput.invoicesPerMinute)} invoices/min`,
      `${Math.round(r.throughput.quotaShare * 100)} % of the quota used over ${n1(r.throughput.callSeconds)} s of calls, ${r.throughput.rateLimited} × 429`,
      `≥ ${TARGETS.quotaShare * 100} %, 0 × 429: ${mark(r.throughput.quotaShare >= TARGETS.quotaShare && r.throughput.rateLimited === 0)}`,
    ],
    ...r.memory.points.map((p): [string, string, string, string] => [
      `worker RSS, ${p.inTracking} invoices in tracking`,
      `${Math.round(p.rssMiB)} MiB`,
      `idle ${Math.round(r.memory.baselineMiB)} MiB`,
      '',
    ]),
    [
      `worker RSS at ${r.memory.extrapolatedTo} (extrapolated)`,
      `${Math.round(r.memory.extrapolatedMiB)} MiB`,
      `${n1(r.memory.slopeMiBPer1000)} MiB per 1,000 invoices`,
      `≤ ${TARGETS.rssAt50kMiB} MiB: ${mark(r.memory.extrapolatedMiB <= TARGETS.rssAt50kMiB)}`,
    ],
  ];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  const m = r.machine;
  return [
    `npm run bench (${r.mode}) — ${m.cpus} × ${m.cpuModel}, ${n1(m.memoryGiB)} GiB, Node ${m.node}, ${m.platform}; ${r.startedAt}, ${Math.round(r.durationSeconds)} s`,
    '',
    line(['figure', 'today', 'beside', 'target']),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `Chorus calls per plain invoice by operation (${c.invoices} invoices over ${c.buyers} buyers, ${c.paid} paid, ${n1(c.daysToPayment)} simulated days to payment on average; clock ×${c.clockSpeed}):`,
    ...ops,
    `  direct script's calls per invoice: ${r.latency.direct.operations.join(', ')}`,
    `  POST → DEPOSEE ends when Chorus's answer to soumettre is stored in the invoice's history (the deposit's workflow task completes); SUBMITTED, stamped when the deposit ended, is in its timeline ${n2(r.latency.recorded.p50)} / ${n2(r.latency.recorded.p95)} s after the POST (p50 / p95)`,
    `  POST → DEPOSEE, the service's mean: ${n2(r.latency.parts.beforeWorkflow)} s before the workflow starts, ` +
      `${n2(r.latency.parts.activityQueue)} s activities queued, ${n2(r.latency.parts.activityRun)} s activities running, ` +
      `${n2(r.latency.parts.workflowTasks)} s workflow tasks (the local activities run in them: the look-up, the uploads and the deposit) and the rest`,
    `  pace: ${Object.entries(c.pace)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
    ...r.notes.map((note) => `note: ${note}`),
  ].join('\n');
}
