import { formatReport, type ChaosReport } from '../../scripts/chaos/report';

const base: ChaosReport = {
  invoices: 3,
  seed: 1,
  durationSeconds: 700,
  topology: ['two workers'],
  disruptions: {
    workerKills: 2,
    temporalRestarts: 1,
    lostAnswers: 1,
    rateLimitBursts: 0,
    latencySpikes: 0,
    faultBaseRate: '10% of Chorus calls answer 500/502/503',
  },
  submitted: 3,
  rejectedSubmissions: [],
  deposited: 3,
  depositsPerInvoiceNumber: { '1': 3 },
  duplicatesRefusedByChorus: 0,
  duplicates: [],
  endedByState: { PAID: 1 },
  stuck: [
    'inv-1 buyer.pays (TRACKING; last moved 12 s before the end)',
    'inv-2 buyer.rejects (SUBMITTING; last moved 540 s before the end)',
  ],
  stuckStillMoving: 1,
  lost: [],
  machineLoad: { start: 2.94, end: 17.5, cores: 2 },
  timeToDeposit: { count: 3, p50: 10, p95: 20 },
  horizonSeconds: 600,
  events: [],
  ok: false,
};

describe('the chaos table', () => {
  it("shows the machine's load, and says when stuck invoices were still moving at the horizon", () => {
    const text = formatReport(base);
    expect(text).toMatch(
      /^\| machine load \(1-minute average\) +\| 2\.9 at the start, 17\.5 at the end, on 2 cores$/m,
    );
    expect(text).toContain('1 of the 2 stuck invoices changed in their last minute');
    expect(text).toContain('--horizon');
    expect(text).toContain('inv-2 buyer.rejects (SUBMITTING; last moved 540 s before the end)');
  });

  it('says nothing of the horizon when every stuck invoice was silent', () => {
    expect(formatReport({ ...base, stuckStillMoving: 0 })).not.toContain('--horizon');
  });
});
