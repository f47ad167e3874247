// Long by nature: the benchmark's phases, one after the other, against the stack it starts.
import { LOCAL_ACTIVITY_MARKER, localActivityOf } from '../../audit/history';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import type { InvoiceView } from '../../workflows/contracts/invoice';
import { answerTasks, ApiClient, json, waitConnected } from '../chaos/harness';
import type { LocalTopology } from '../chaos/local-topology';
import type { Dataset, DatasetBuyer } from '../chaos/workload';
import { DIRECT_OPERATIONS, runDirect } from './direct';
import { percentile, type BenchReport } from './report';
import {
  benchInvoice,
  DATA_TASK_BUYER,
  PLAIN_BUYERS,
  RECYCLE_BUYER,
  type BenchBuyer,
  type BenchInvoiceBody,
} from './workload';

export interface BenchSizes {
  /** Plain invoices followed to PAID for the calls per invoice (200 in the issue). */
  invoices: number;
  /** Invoices submitted one after the other with 150 ms a Chorus call. */
  latencyInvoices: number;
  callLatencyMs: number;
  /** Invoices submitted at once under the PISTE quota. */
  throughputInvoices: number;
  quotaPerSecond: number;
  /** Invoices in tracking at which the worker's memory is read (ascending, at least two). */
  memoryCounts: number[];
  extrapolateTo: number;
}

type Log = (line: string) => void;
type CallCounts = Record<string, number>;

interface Counters {
  calls: CallCounts;
}

const END = new Set(['PAID', 'REJECTED', 'TRACKING_ENDED', 'CANCELLED', 'FAILED']);
const DAY_MS = 86_400_000;

/** One connection on a topology, with the API calls the phases need. */
class BenchSession {
  readonly api: ApiClient;
  private dataset?: Dataset;
  private sequence = 0;
  private readonly runTag = Date.now().toString(36).toUpperCase().slice(-6);

  constructor(
    readonly topology: LocalTopology,
    readonly connectionId: string,
    private readonly log: Log,
  ) {
    this.api = new ApiClient(topology);
  }

  async open(): Promise<void> {
    this.dataset = await json<Dataset>(`${this.topology.simulatorUrl}/__admin/dataset`);
    const valid = this.credentials();
    const created = await this.api.call('POST', '/v1/connections', this.topology.keys.admin, {
      id: this.connectionId,
      environment: 'simulator',
      supplierSiret: valid.supplierSiret,
      piste: valid.piste,
      technicalAccount: valid.technicalAccount,
    });
    if (![200, 201, 202, 409].includes(created.status)) {
      throw new Error(`creating connection ${this.connectionId}: HTTP ${created.status}`);
    }
    await waitConnected(this.api, this.topology, this.connectionId);
  }

  credentials() {
    const found = this.dataset?.credentials.find((c) => c.scenario === 'credentials.valid');
    if (!found) throw new Error('the simulator has no credentials.valid');
    return found;
  }

  buyer(scenario: string): DatasetBuyer {
    const found = this.dataset?.structures.find((s) => s.scenario === scenario);
    if (!found) throw new Error(`the simulator has no buyer ${scenario}`);
    return found;
  }

  body(buyer: BenchBuyer): BenchInvoiceBody {
    const number = `BN-${this.runTag}-${String(++this.sequence).padStart(5, '0')}`;
    return benchInvoice(this.connectionId, number, this.buyer(buyer.scenario).siret, buyer);
  }

  /** POST /v1/invoices; returns the invoice id and when the request left. */
  async submit(body: BenchInvoiceBody): Promise<{ id: string; postedAt: number }> {
    const postedAt = Date.now();
    const response = await this.api.call('POST', '/v1/invoices', this.topology.keys.system, body);
    const id = (response.body as { id?: string }).id;
    if ((response.status !== 202 && response.status !== 200) || !id) {
      throw new Error(`POST /v1/invoices: HTTP ${response.status} ${JSON.stringify(response.body)}`);
    }
    return { id, postedAt };
  }

  /** Submits `bodies` with a few requests in flight. */
  async submitAll(
    bodies: BenchInvoiceBody[],
    concurrency = 8,
  ): Promise<Array<{ id: string; postedAt: number }>> {
    const out: Array<{ id: string; postedAt: number }> = new Array(bodies.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < bodies.length) {
          const i = next++;
          out[i] = await this.submit(bodies[i]);
        }
      }),
    );
    return out;
  }

  async view(id: string): Promise<InvoiceView> {
    const response = await this.api.call(
      'GET',
      `/v1/invoices/${encodeURIComponent(id)}`,
      this.topology.keys.system,
    );
    if (response.status !== 200) throw new Error(`GET invoice ${id}: HTTP ${response.status}`);
    return response.body as InvoiceView;
  }

  /** Every invoice of the connection and its status, from the records. */
  async statuses(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    let pageToken: string | undefined;
    do {
      const query = new URLSearchParams({
        connectionId: this.connectionId,
        pageSize: '200',
        ...(pageToken ? { pageToken } : {}),
      });
      const page = await this.api.call('GET', `/v1/invoices?${query}`, this.topology.keys.system);
      const body = page.body as { invoices?: Array<{ id: string; status?: string }>; nextPageToken?: string };
      for (const item of body.invoices ?? []) if (item.status) out.set(item.id, item.status);
      pageToken = body.nextPageToken;
    } while (pageToken);
    return out;
  }

  /** Waits until every id's status is in `done` (answering tasks as a person would when asked). */
  async waitAll(
    ids: string[],
    done: (status: string) => boolean,
    what: string,
    timeoutMs: number,
    options: { answerTasks?: boolean; pollMs?: number } = {},
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const answered = new Set<string>();
    let lastLog = Date.now();
    for (;;) {
      if (options.answerTasks) {
        await answerTasks(this.api, this.topology, this.connectionId, new Map(), answered);
      }
      const statuses = await this.statuses();
      const left = ids.filter((id) => !done(statuses.get(id) ?? ''));
      if (left.length === 0) return;
      if (Date.now() > deadline) {
        const sample = left.slice(0, 5).map((id) => `${id} (${statuses.get(id) ?? 'not listed'})`);
        throw new Error(
          `${what}: ${left.length} of ${ids.length} not there after ${timeoutMs / 1000} s: ${sample.join(', ')}`,
        );
      }
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now();
        this.log(`  … ${what}: ${ids.length - left.length}/${ids.length}`);
      }
      await sleep(options.pollMs ?? 1_000);
    }
  }

  async counters(): Promise<Counters> {
    return json<Counters>(`${this.topology.simulatorUrl}/__admin/counters`);
  }

  async admin(path: string, method: 'PUT' | 'POST' | 'DELETE', body?: unknown): Promise<unknown> {
    return json(`${this.topology.simulatorUrl}/__admin/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
}

const delta = (after: CallCounts, before: CallCounts): CallCounts =>
  Object.fromEntries(
    Object.entries(after)
      .map(([op, n]) => [op, n - (before[op] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );

const sum = (counts: CallCounts) => Object.values(counts).reduce((a, b) => a + b, 0);
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

/** Events in every run of a workflow, from Temporal's own history. */
async function historyEvents(client: Client, workflowId: string): Promise<number> {
  // The raw service: memos are encrypted, and only the run ids are needed here.
  const { executions } = await client.workflowService.listWorkflowExecutions({
    namespace: 'default',
    query: `WorkflowId = '${workflowId}'`,
  });
  let events = 0;
  for (const execution of executions) {
    const runId = execution.execution?.runId ?? undefined;
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    events += history.events?.length ?? 0;
  }
  if (executions.length === 0) throw new Error(`no run of ${workflowId} is listed`);
  return events;
}

type HistoryEvents = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>;

/**
 * When Chorus's answer to the invoice's `submitInvoice` (a local activity) was stored in its history:
 * the time of its marker, written when the workflow task it ran in completed.
 */
function depositAnsweredAt(workflowId: string, events: HistoryEvents): number {
  const answered = events.find((e) => localActivityTypeOf(e) === 'submitInvoice');
  if (!answered) throw new Error(`${workflowId} has no submitInvoice marker in its history`);
  return tsToMs(answered.eventTime);
}

/** The activity type a local activity's marker is for. */
function localActivityTypeOf(event: HistoryEvents[number]): string | undefined {
  const marker = event.markerRecordedEventAttributes;
  if (marker?.markerName !== LOCAL_ACTIVITY_MARKER) return undefined;
  return localActivityOf(marker.details?.data?.payloads?.[0]?.data).type;
}

/**
 * Where one invoice's POST → DEPOSEE went, from its history: before the workflow started (the
 * API), activities waiting in their task queue (scheduled → started), activities running (the Chorus
 * calls among them), and the rest (workflow tasks deciding the next step, and their queueing; the
 * local activities run within them, and their markers hold no time that can be trusted for it).
 */
function latencyParts(
  events: HistoryEvents,
  postedAt: number,
  submittedAt: number,
): BenchReport['latency']['parts'] {
  const at = (event: (typeof events)[number]) => tsToMs(event.eventTime);
  const id = (value: unknown) => String(value);
  const scheduled = new Map<string, number>();
  const started = new Map<string, number>();
  let queued = 0;
  let running = 0;
  for (const event of events) {
    const time = at(event);
    if (time > submittedAt) break;
    if (event.activityTaskScheduledEventAttributes) scheduled.set(id(event.eventId), time);
    const start = event.activityTaskStartedEventAttributes;
    if (start) {
      started.set(id(event.eventId), time);
      queued += time - (scheduled.get(id(start.scheduledEventId)) ?? time);
    }
    const end = event.activityTaskCompletedEventAttributes ?? event.activityTaskFailedEventAttributes;
    if (end) running += time - (started.get(id(end.startedEventId)) ?? time);
  }
  const beforeStart = events.length > 0 ? Math.max(0, at(events[0]) - postedAt) : 0;
  const total = submittedAt - postedAt;
  return {
    beforeWorkflow: beforeStart / 1000,
    activityQueue: queued / 1000,
    activityRun: running / 1000,
    workflowTasks: Math.max(0, total - beforeStart - queued - running) / 1000,
  };
}

/**
 * Calls per invoice and history events, on a topology whose simulator runs a simulated day in a few
 * real seconds and whose service polls at production's pace scaled to that clock.
 */
export async function measureCallsAndHistory(
  topology: LocalTopology,
  sizes: Pick<BenchSizes, 'invoices'>,
  meta: { clockSpeed: number; pace: Record<string, string> },
  log: Log,
): Promise<{ calls: BenchReport['calls']; history: BenchReport['history'] }> {
  const session = new BenchSession(topology, 'bench-calls', log);
  await session.open();
  return withTemporalClient(topology, async (client) => {
    log(`phase 1/5: ${sizes.invoices} plain invoices over ${PLAIN_BUYERS.length} buyers, submit → PAID`);
    const before = await session.counters();
    const bodies = Array.from({ length: sizes.invoices }, (_, i) =>
      session.body(PLAIN_BUYERS[i % PLAIN_BUYERS.length]),
    );
    const submitted = await session.submitAll(bodies);
    const ids = submitted.map((s) => s.id);
    const lifetimeMs = Math.max(600_000, (45 * DAY_MS) / meta.clockSpeed + sizes.invoices * 1_000);
    await session.waitAll(ids, (s) => END.has(s), 'ended', lifetimeMs, { pollMs: 1_000 });
    // Tracking stops with the last payment; the counters are read once the service is quiet.
    await sleep(1_000);
    const calls = delta((await session.counters()).calls, before.calls);
    const views = await Promise.all(ids.map(async (id) => ({ id, view: await session.view(id) })));
    const paid = views.filter(({ view }) => view.status === 'PAID');
    const days = paid.map(({ view: v }) => {
      const at = (status: string) => v.chorusTimeline.find((o) => o.status === status)?.at;
      const from = Date.parse(at('DEPOSEE') ?? v.chorusTimeline[0]?.at ?? '');
      const to = Date.parse(at('MISE_EN_PAIEMENT') ?? '');
      return (to - from) / DAY_MS;
    });
    const validDays = days.filter((d) => Number.isFinite(d) && d >= 0);
    const daysToPayment = mean(validDays);
    const n = sizes.invoices;
    const byOperation = Object.fromEntries(Object.entries(calls).map(([op, k]) => [op, k / n]));
    const sends = 2; // transverses/ajouter/fichier (one attachment) + factures/soumettre
    const dailyPolling = sends + mean(validDays.map((d) => Math.ceil(d)));
    const pagesPerDay = Math.ceil(n / 100);
    const minimum = sends + (pagesPerDay * Math.ceil(daysToPayment)) / n;
    log(
      `  ${paid.length}/${n} paid; ${sum(calls)} Chorus calls (${(sum(calls) / n).toFixed(2)} per invoice)`,
    );

    log('phase 2/5: history events — plain (sampled), with a data task, with a recycle');
    const dataTask = await session.submit(session.body(DATA_TASK_BUYER));
    const recycle = await session.submit(session.body(RECYCLE_BUYER));
    await session.waitAll([dataTask.id, recycle.id], (s) => END.has(s), 'task invoices ended', lifetimeMs, {
      answerTasks: true,
    });
    const sample = paid.slice(0, 20).map(({ id }) => id);
    const plainEvents = await Promise.all(sample.map((id) => historyEvents(client, id)));
    return {
      calls: {
        invoices: n,
        buyers: PLAIN_BUYERS.length,
        paid: paid.length,
        clockSpeed: meta.clockSpeed,
        pace: meta.pace,
        daysToPayment,
        byOperation,
        perInvoice: sum(calls) / n,
        dailyPollingPerInvoice: dailyPolling,
        minimumPerInvoice: minimum,
      },
      history: {
        plain: mean(plainEvents),
        plainSampled: Math.max(1, sample.length),
        dataTask: await historyEvents(client, dataTask.id),
        recycle: await historyEvents(client, recycle.id),
      },
    };
  });
}

/** Runs `use` with a Temporal client of the topology's server, closing its connection after. */
async function withTemporalClient<T>(
  topology: LocalTopology,
  use: (client: Client) => Promise<T>,
): Promise<T> {
  const connection = await Connection.connect({ address: topology.temporalAddress() });
  try {
    return await use(new Client({ connection, namespace: 'default' }));
  } finally {
    await connection.close();
  }
}

/** Resident memory of a process, in MiB (Linux /proc, else ps). */
export function rssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    if (kb) return Number(kb[1]) / 1024;
  } catch {
    // not Linux: ask ps
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024;
}

/** The one worker's RSS, the largest of a few readings a second apart (the heap breathes). */
async function workerRss(topology: LocalTopology): Promise<number> {
  const pids = topology.workerPids();
  if (pids.length !== 1) throw new Error(`expected one worker, found ${pids.length}`);
  let max = 0;
  for (let i = 0; i < 4; i++) {
    if (i > 0) await sleep(500);
    max = Math.max(max, rssMiB(pids[0]));
  }
  return max;
}

/**
 * Latency, throughput and memory, on a topology whose simulator runs on the real clock and whose
 * service keeps production's durations (invoices deposited stay in tracking for days).
 */
export async function measureLatencyThroughputMemory(
  topology: LocalTopology,
  sizes: BenchSizes,
  log: Log,
  /** 'deposited': on an accelerated clock invoices may be paid already when memory is read (short run). */
  memoryOf: 'tracking' | 'deposited' = 'tracking',
): Promise<{
  latency: BenchReport['latency'];
  throughput: BenchReport['throughput'];
  memory: BenchReport['memory'];
}> {
  const session = new BenchSession(topology, 'bench-time', log);
  await session.open();
  const baselineMiB = await workerRss(topology);
  const plain = PLAIN_BUYERS[0];
  const deposited = (s: string) => !['RECEIVED', 'CHECKING', 'UPLOADING', 'SUBMITTING', ''].includes(s);

  log(
    `phase 3/5: POST → DEPOSEE for ${sizes.latencyInvoices} invoices, ${sizes.callLatencyMs} ms a Chorus call; then the direct script`,
  );
  await session.admin('faults', 'PUT', [{ route: '*', latencyMs: sizes.callLatencyMs }]);
  const timed: Array<{ id: string; postedAt: number; submittedAt: number }> = [];
  let directSeconds: number[];
  try {
    // A warm-up invoice first: the service's first one also fetches the token, supplier and code lists.
    const warm = await session.submit(session.body(plain));
    await session.waitAll([warm.id], deposited, 'warm-up deposited', 120_000, { pollMs: 100 });
    for (let i = 0; i < sizes.latencyInvoices; i++) {
      const { id, postedAt } = await session.submit(session.body(plain));
      await session.waitAll([id], deposited, 'deposited', 120_000, { pollMs: 100 });
      const at = (await session.view(id)).timeline.find((e) => e.status === 'SUBMITTED')?.at;
      if (!at) throw new Error(`${id} has no SUBMITTED entry in its timeline`);
      timed.push({ id, postedAt, submittedAt: Date.parse(at) });
    }
    const credentials = session.credentials();
    directSeconds = await runDirect(
      topology.simulatorUrl,
      { ...credentials, supplierSiret: credentials.supplierSiret },
      Array.from({ length: sizes.latencyInvoices }, () => ({ body: session.body(plain) })),
    );
  } finally {
    await session.admin('faults', 'DELETE');
  }
  // DEPOSEE is when Chorus's answer to soumettre was stored: the end of the deposit activity in the
  // invoice's history, as the direct script's figure ends with that answer. The workflow task that
  // then stamps SUBMITTED in the invoice's timeline is reported beside it.
  const deposits = await withTemporalClient(topology, (client) =>
    Promise.all(
      timed.map(async (t) => {
        const events = (await client.workflow.getHandle(t.id).fetchHistory()).events ?? [];
        const depositedAt = depositAnsweredAt(t.id, events);
        return { ...t, depositedAt, parts: latencyParts(events, t.postedAt, depositedAt) };
      }),
    ),
  );
  const serviceSeconds = deposits.map((d) => (d.depositedAt - d.postedAt) / 1000);
  const recordedSeconds = deposits.map((d) => (d.submittedAt - d.postedAt) / 1000);
  const parts = deposits.map((d) => d.parts);
  const meanOf = (key: keyof BenchReport['latency']['parts']) => mean(parts.map((p) => p[key]));
  const latency: BenchReport['latency'] = {
    callLatencyMs: sizes.callLatencyMs,
    invoices: sizes.latencyInvoices,
    parts: {
      beforeWorkflow: meanOf('beforeWorkflow'),
      activityQueue: meanOf('activityQueue'),
      activityRun: meanOf('activityRun'),
      workflowTasks: meanOf('workflowTasks'),
    },
    service: { p50: percentile(serviceSeconds, 50), p95: percentile(serviceSeconds, 95) },
    recorded: { p50: percentile(recordedSeconds, 50), p95: percentile(recordedSeconds, 95) },
    direct: {
      p50: percentile(directSeconds, 50),
      p95: percentile(directSeconds, 95),
      operations: [...DIRECT_OPERATIONS],
    },
  };

  log(
    `phase 4/5: ${sizes.throughputInvoices} invoices at once under a quota of ${sizes.quotaPerSecond} calls/s`,
  );
  await session.admin('quota', 'PUT', { callsPerSecond: sizes.quotaPerSecond });
  let throughput: BenchReport['throughput'];
  try {
    const bodies = Array.from({ length: sizes.throughputInvoices }, (_, i) =>
      session.body(PLAIN_BUYERS[i % PLAIN_BUYERS.length]),
    );
    const started = Date.now();
    const submitted = await session.submitAll(bodies, 16);
    await session.waitAll(
      submitted.map((s) => s.id),
      deposited,
      'deposited under the quota',
      600_000 + sizes.throughputInvoices * 2_000,
      { pollMs: 500 },
    );
    const seconds = (Date.now() - started) / 1000;
    const quota = await json<{ admitted: CallCounts; refused: CallCounts; admittedOverMs: number }>(
      `${topology.simulatorUrl}/__admin/quota`,
    );
    const admitted = sum(quota.admitted);
    // The quota's share is read over the time the calls were made, from the simulator's first admitted
    // call to its last (n calls at the full rate span n - 1 intervals): not over the POSTs before the
    // first call nor the status polls after the last, which are the benchmark's, not the service's.
    const callSeconds = quota.admittedOverMs / 1000;
    throughput = {
      quotaPerSecond: sizes.quotaPerSecond,
      invoices: sizes.throughputInvoices,
      seconds,
      callSeconds,
      invoicesPerMinute: (sizes.throughputInvoices / seconds) * 60,
      callsAdmitted: admitted,
      quotaShare: admitted / (sizes.quotaPerSecond * callSeconds + 1),
      rateLimited: sum(quota.refused),
    };
  } finally {
    await session.admin('quota', 'DELETE');
  }

  log(`phase 5/5: worker memory with ${sizes.memoryCounts.join(', ')} invoices in tracking`);
  const points: BenchReport['memory']['points'] = [];
  const inTracking = new Set<string>();
  for (const id of (await session.statuses()).keys()) inTracking.add(id);
  for (const count of sizes.memoryCounts) {
    const missing = count - inTracking.size;
    if (missing > 0) {
      const bodies = Array.from({ length: missing }, () => session.body(plain));
      const batch = 500;
      for (let i = 0; i < bodies.length; i += batch) {
        const submitted = await session.submitAll(bodies.slice(i, i + batch), 16);
        for (const s of submitted) inTracking.add(s.id);
        log(`  … ${inTracking.size}/${count} submitted`);
      }
    }
    const counted = memoryOf === 'tracking' ? (s: string) => s === 'TRACKING' : deposited;
    // A task (a deposit whose answer was lost and whose look-up cannot tell) is answered as a person
    // would, and an invoice that ends that way is not waited for: the point counts those in tracking.
    const settled = (s: string) => counted(s) || s === 'FAILED' || s === 'CANCELLED';
    await session.waitAll([...inTracking], settled, `${count} in tracking`, 600_000 + count * 1_000, {
      pollMs: count > 1_000 ? 5_000 : 1_000,
      answerTasks: true,
    });
    const rss = await workerRss(topology);
    const statuses = await session.statuses();
    const tracked = [...inTracking].filter((id) => counted(statuses.get(id) ?? '')).length;
    points.push({ inTracking: tracked, rssMiB: rss });
    const otherwise = inTracking.size - tracked;
    log(
      `  ${tracked} in tracking${otherwise ? ` (${otherwise} ended otherwise)` : ''}: worker RSS ${Math.round(rss)} MiB`,
    );
  }
  const first = points[0];
  const last = points[points.length - 1];
  const slope =
    last.inTracking > first.inTracking
      ? (last.rssMiB - first.rssMiB) / (last.inTracking - first.inTracking)
      : 0;
  return {
    latency,
    throughput,
    memory: {
      baselineMiB,
      points,
      slopeMiBPer1000: slope * 1000,
      extrapolatedTo: sizes.extrapolateTo,
      extrapolatedMiB: Math.max(0, last.rssMiB + slope * (sizes.extrapolateTo - last.inTracking)),
      requested: sizes.memoryCounts,
    },
  };
}
