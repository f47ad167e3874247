/** What a chaos run found; `--json` prints it as is, otherwise `formatReport` makes the table. */
export interface ChaosReport {
  invoices: number;
  seed: number;
  durationSeconds: number;
  topology: string[];
  disruptions: {
    workerKills: number;
    temporalRestarts: number;
    lostAnswers: number;
    rateLimitBursts: number;
    latencySpikes: number;
    faultBaseRate: string;
    [other: string]: number | string;
  };
  submitted: number;
  rejectedSubmissions: string[];
  deposited: number;
  /** How many invoice numbers Chorus holds once, twice…: anything but "1" is a duplicate. */
  depositsPerInvoiceNumber: Record<string, number>;
  duplicatesRefusedByChorus: number;
  duplicates: string[];
  endedByState: Record<string, number>;
  stuck: string[];
  /** Of the stuck, those that changed in the last minute: a machine too slow for the horizon. */
  stuckStillMoving: number;
  lost: string[];
  /** The 1-minute load average when the run started and when it ended, and the machine's cores. */
  machineLoad: { start: number; end: number; cores: number };
  timeToDeposit: { count: number; p50?: number; p95?: number };
  horizonSeconds: number;
  events: string[];
  ok: boolean;
}

/** Nearest-rank percentile; undefined for no values. */
export function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const seconds = (value: number | undefined) => (value === undefined ? '—' : `${value.toFixed(1)} s`);

export function formatReport(report: ChaosReport, title = 'Chaos run'): string {
  const d = report.disruptions;
  const rows: [string, string][] = [
    ['submitted (accepted by the API)', String(report.submitted)],
    ['deposited in Chorus', String(report.deposited)],
    [
      'deposits per invoice number',
      Object.entries(report.depositsPerInvoiceNumber)
        .sort(([a], [b]) => Number(a) - Number(b))
        .map(([times, count]) => `${times}×: ${count}`)
        .join(', ') || '—',
    ],
    ['duplicates (deposited twice or more)', String(report.duplicates.length)],
    ['same-number refusals by Chorus', String(report.duplicatesRefusedByChorus)],
    [
      'ended, by state',
      Object.entries(report.endedByState)
        .sort(([, a], [, b]) => b - a)
        .map(([state, count]) => `${state} ${count}`)
        .join(', ') || '—',
    ],
    [`stuck (no end within ${report.horizonSeconds} s)`, String(report.stuck.length)],
    ['lost (accepted, no workflow)', String(report.lost.length)],
    ['submissions refused', String(report.rejectedSubmissions.length)],
    [
      'time to DEPOSEE p50 / p95',
      `${seconds(report.timeToDeposit.p50)} / ${seconds(report.timeToDeposit.p95)} (${report.timeToDeposit.count} invoices)`,
    ],
    [
      'disruptions',
      `${d.workerKills} worker kills (SIGKILL), ${d.temporalRestarts} Temporal restart(s)` +
        Object.entries(d)
          .filter(
            ([key]) =>
              ![
                'workerKills',
                'temporalRestarts',
                'lostAnswers',
                'rateLimitBursts',
                'latencySpikes',
                'faultBaseRate',
              ].includes(key),
          )
          .map(([key, value]) => `, ${value} ${key}`)
          .join(''),
    ],
    [
      'simulator faults',
      `${d.faultBaseRate}; ${d.lostAnswers} lost soumettre answers, ${d.rateLimitBursts} 429 bursts (Retry-After), ${d.latencySpikes} 2 s latency spikes`,
    ],
    ['duration', `${report.durationSeconds} s`],
    [
      'machine load (1-minute average)',
      `${report.machineLoad.start.toFixed(1)} at the start, ${report.machineLoad.end.toFixed(1)} at the end, on ${report.machineLoad.cores} cores`,
    ],
    ['result', report.ok ? 'OK: no duplicate, lost or stuck invoice' : 'FAILED'],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = [
    `${title}: ${report.invoices} invoices, seed ${report.seed}`,
    ...report.topology.map((line) => `  ${line}`),
    '',
    ...rows.map(([label, value]) => `| ${label.padEnd(width)} | ${value}`),
  ];
  const detail = (name: string, items: string[]) =>
    items.length
      ? [
          ``,
          `${name}:`,
          ...items.slice(0, 20).map((i) => `  ${i}`),
          ...(items.length > 20 ? [`  … ${items.length - 20} more`] : []),
        ]
      : [];
  const slowMachine = report.stuckStillMoving
    ? [
        '',
        `${report.stuckStillMoving} of the ${report.stuck.length} stuck invoices changed in their last minute: still ` +
          `progressing when the horizon fell. On a loaded machine (load ${report.machineLoad.end.toFixed(1)} on ` +
          `${report.machineLoad.cores} cores) give them longer with --horizon; an invoice silent for minutes is the ` +
          `one to look at (--keep keeps the logs and the databases).`,
      ]
    : [];
  return [
    ...lines,
    ...slowMachine,
    ...detail('duplicates', report.duplicates),
    ...detail('lost', report.lost),
    ...detail('stuck', report.stuck),
    ...detail('refused submissions', report.rejectedSubmissions),
    ...detail(
      'disruptions, in order',
      report.events.filter((e) => !/invoices accepted/.test(e)),
    ),
  ].join('\n');
}
