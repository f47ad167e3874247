// Long by nature: one run's workload, disruptions and verdict, which read each other's state.
import { cpus, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultRule } from '../../simulator/faults';
import type { InvoiceView, OpenTask } from '../../workflows/contracts/invoice';
import { TERMINAL_STATUSES } from '../../workflows/contracts/invoice';
import { percentile, type ChaosReport } from './report';
import { answerAsAPersonWould } from '../answers';
import {
  between,
  buyersThatEndByThemselves,
  invoiceFor,
  seededRandom,
  type Dataset,
  type DatasetBuyer,
} from './workload';

/** The running parts the harness drives; the local run and the production check provide their own. */
export interface ChaosTopology {
  /** API base URLs to spread the load over (the harness moves on to the next one when one fails). */
  apiUrls(): string[];
  simulatorUrl: string;
  keys: { system: string; staff: string; admin: string };
  /** SIGKILLs one worker (chosen with `random`) and starts a replacement; returns what it did. */
  killWorker(random: () => number): Promise<string>;
  /** Restarts the Temporal server on the same database. */
  restartTemporal(): Promise<string>;
  /** Extra disruptions at given fractions of the submission period (the production check kills an API). */
  extraDisruptions?: Array<{ at: number; run: () => Promise<string> }>;
  describe: string[];
}

export interface ChaosOptions {
  invoices: number;
  seed: number;
  /** Seconds over which the invoices are submitted. */
  submitOverSeconds: number;
  /** Worker kills: every `killEvery` seconds (a range), at most `maxKills` (Infinity: while the run lasts). */
  killEvery: [number, number];
  maxKills: number;
  /** Fraction of the submission period at which Temporal restarts (none when undefined). */
  temporalRestartAt?: number;
  /** Seconds, after the last submission, within which every invoice must end. */
  horizonSeconds: number;
  faults: boolean;
  /** Share of Chorus calls answered 500/502/503 while the faults are on (default 0.1). */
  errorRate?: number;
  connectionId: string;
  log: (line: string) => void;
}

const END = new Set<string>(TERMINAL_STATUSES);
/** A stuck invoice that changed this recently was still progressing when the horizon fell. */
const STILL_MOVING_SECONDS = 60;
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

interface Tracked {
  id: string;
  invoiceNumber: string;
  buyer: DatasetBuyer;
  submittedAt: number;
  status?: string;
  endedAt?: number;
}

export class ApiClient {
  private next = 0;
  constructor(private readonly topology: ChaosTopology) {}

  /** One request, tried on each API in turn (and again after a pause) until one answers below 500. */
  async call(
    method: 'GET' | 'POST' | 'PUT',
    route: string,
    key: string,
    body?: unknown,
    attempts = 30,
    timeoutMs = 30_000,
  ): Promise<{ status: number; body: unknown }> {
    let lastError = '';
    for (let attempt = 0; attempt < attempts; attempt++) {
      const urls = this.topology.apiUrls();
      const url = urls[this.next++ % urls.length];
      try {
        const response = await fetch(`${url}${route}`, {
          method,
          headers: { ...bearer(key), ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await response.text();
        const parsed = text ? (JSON.parse(text) as unknown) : undefined;
        if (response.status < 500) return { status: response.status, body: parsed };
        lastError = `HTTP ${response.status} ${text.slice(0, 200)}`;
      } catch (err) {
        lastError = (err as Error).message;
      }
      await sleep(Math.min(500 * (attempt + 1), 3_000));
    }
    throw new Error(`${method} ${route} failed ${attempts} times: ${lastError}`);
  }
}

export async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The simulator's faults: the base rate for the whole run, and bursts added at random moments. */
class FaultInjector {
  readonly counts = { lostAnswers: 0, rateLimitBursts: 0, latencySpikes: 0 };
  constructor(
    private readonly simulatorUrl: string,
    private readonly random: () => number,
    private readonly errorRate: number,
  ) {}

  async start(): Promise<void> {
    // A share of calls answer a 5xx, spread over the three codes a gateway gives.
    const base: FaultRule[] = [500, 502, 503].map((status) => ({
      route: '*',
      errorRate: this.errorRate / 3,
      errorStatus: status as 500 | 502 | 503,
    }));
    await json(`${this.simulatorUrl}/__admin/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(base),
    });
  }

  async burst(): Promise<void> {
    const pick = this.random();
    let rule: FaultRule;
    // Each burst is a period of a few seconds (`forMs`), as a gateway's trouble is: a rule waiting
    // for its `times` would, late in a run with few invoices left, be met by the same ones every time.
    if (pick < 0.4) {
      rule = { route: 'factures/soumettre', loseAnswer: true, times: 1, forMs: 10_000 };
      this.counts.lostAnswers++;
    } else if (pick < 0.7) {
      rule = {
        route: '*',
        retryAfterSeconds: 1 + Math.floor(this.random() * 2),
        times: 2 + Math.floor(this.random() * 4),
        forMs: 3_000,
      };
      this.counts.rateLimitBursts++;
    } else {
      rule = { route: '*', latencyMs: 2_000, times: 3 + Math.floor(this.random() * 6), forMs: 5_000 };
      this.counts.latencySpikes++;
    }
    await json(`${this.simulatorUrl}/__admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(rule),
    });
  }

  async stop(): Promise<void> {
    await json(`${this.simulatorUrl}/__admin/faults`, { method: 'DELETE' });
  }
}

/**
 * Submits the invoices across every buyer scenario that ends by itself, answers their tasks as a person
 * would, disrupts the run (worker kills, a Temporal restart, simulator faults), then checks that each
 * invoice was deposited at most once, none was lost and all ended within the horizon.
 */
export async function runChaos(topology: ChaosTopology, options: ChaosOptions): Promise<ChaosReport> {
  const { log } = options;
  const random = seededRandom(options.seed);
  const api = new ApiClient(topology);
  const dataset = await json<Dataset>(`${topology.simulatorUrl}/__admin/dataset`);
  const buyers = buyersThatEndByThemselves(dataset);
  const valid = dataset.credentials.find((c) => c.scenario === 'credentials.valid')!;
  await json(`${topology.simulatorUrl}/__admin/counters/reset`, { method: 'POST' });

  // The connection, created through the API as an administrator would.
  const created = await api.call('POST', '/v1/connections', topology.keys.admin, {
    id: options.connectionId,
    environment: 'simulator',
    supplierSiret: valid.supplierSiret,
    piste: valid.piste,
    technicalAccount: valid.technicalAccount,
  });
  if (![200, 201, 202, 409].includes(created.status)) {
    throw new Error(
      `creating connection ${options.connectionId}: HTTP ${created.status} ${JSON.stringify(created.body)}`,
    );
  }
  await waitConnected(api, topology, options.connectionId);

  const runTag = `${options.seed.toString(36)}${Date.now().toString(36).slice(-5)}`.toUpperCase();
  const tracked = new Map<string, Tracked>();
  const events: string[] = [];
  const note = (line: string) => {
    events.push(`${new Date().toISOString().slice(11, 19)} ${line}`);
    log(line);
  };
  const errorRate = options.errorRate ?? 0.1;
  const faults = new FaultInjector(topology.simulatorUrl, random, errorRate);
  if (options.faults) await faults.start();

  const started = Date.now();
  const loadAtStart = loadavg()[0];
  const submitMs = options.submitOverSeconds * 1000;
  let submissionsDone = false;
  let kills = 0;
  let temporalRestarts = 0;
  const rejectedSubmissions: string[] = [];

  // Disruptions run beside the load until every invoice ended (or the horizon passed).
  let finished = false;
  const disruptions = (async () => {
    let nextKill = started + between(random, options.killEvery[0], options.killEvery[1]) * 1000;
    let nextBurst = started + between(random, 2, 6) * 1000;
    const restartAt =
      options.temporalRestartAt === undefined ? undefined : started + options.temporalRestartAt * submitMs;
    const extras = (topology.extraDisruptions ?? []).map((d) => ({
      ...d,
      when: started + d.at * submitMs,
      done: false,
    }));
    let restarted = false;
    while (!finished) {
      const now = Date.now();
      try {
        if (restartAt !== undefined && !restarted && now >= restartAt) {
          restarted = true;
          note(await topology.restartTemporal());
          temporalRestarts++;
        }
        for (const extra of extras) {
          if (!extra.done && now >= extra.when) {
            extra.done = true;
            note(await extra.run());
          }
        }
        if (kills < options.maxKills && now >= nextKill) {
          note(await topology.killWorker(random));
          kills++;
          nextKill = Date.now() + between(random, options.killEvery[0], options.killEvery[1]) * 1000;
        }
        if (options.faults && now >= nextBurst) {
          await faults.burst();
          nextBurst = Date.now() + between(random, 2, 6) * 1000;
        }
      } catch (err) {
        note(`disruption failed: ${(err as Error).message}`);
      }
      await sleep(250);
    }
  })();

  // Submissions, evenly over the period, a few at a time.
  const submitting = (async () => {
    const concurrency = 4;
    let index = 0;
    const worker = async () => {
      while (index < options.invoices) {
        const i = index++;
        const due = started + (submitMs * i) / options.invoices;
        if (due > Date.now()) await sleep(due - Date.now());
        const buyer = buyers[i % buyers.length];
        const invoiceNumber = `CH-${runTag}-${String(i + 1).padStart(4, '0')}`;
        const submittedAt = Date.now();
        const response = await api.call(
          'POST',
          '/v1/invoices',
          topology.keys.system,
          invoiceFor(buyer, options.connectionId, invoiceNumber, i),
        );
        const body = response.body as { id?: string };
        if ((response.status === 202 || response.status === 200) && body.id) {
          tracked.set(body.id, { id: body.id, invoiceNumber, buyer, submittedAt });
        } else {
          rejectedSubmissions.push(
            `${invoiceNumber}: HTTP ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    submissionsDone = true;
    note(`all ${tracked.size} invoices accepted`);
  })();

  // Tasks are answered as they appear, beside the status follow-up.
  let following = true;
  const answerer = new TaskAnswerer(api, topology, options.connectionId, (id) => tracked.get(id)?.buyer);
  const answering = answerer.run(() => !following, 1_000, log);

  // Follow-up: list statuses until everything ended or the horizon passed.
  let lastSubmission = Date.now();
  const horizonMs = options.horizonSeconds * 1000;
  for (;;) {
    await sleep(2_000);
    if (!submissionsDone) lastSubmission = Date.now();
    try {
      await refreshStatuses(api, topology, options.connectionId, tracked);
    } catch (err) {
      log(`follow-up: ${(err as Error).message}`);
    }
    const open = [...tracked.values()].filter((t) => !t.endedAt).length;
    if (submissionsDone && open === 0) break;
    if (submissionsDone && Date.now() - lastSubmission > horizonMs) break;
    if (Math.round((Date.now() - started) / 1000) % 20 < 2) {
      log(
        `${Math.round((Date.now() - started) / 1000)}s: ${tracked.size} accepted, ${tracked.size - open} ended, ${open} open`,
      );
    }
  }
  following = false;
  await answering;
  await submitting;
  finished = true;
  await disruptions;
  if (options.faults) await faults.stop();

  // The verdict, read back once everything is quiet.
  const counters = await json<{
    invoices: Record<string, Record<string, number>>;
    duplicatesRefused: number;
  }>(`${topology.simulatorUrl}/__admin/counters`);
  const deposits = new Map<string, number>();
  for (const bySupplier of Object.values(counters.invoices)) {
    for (const [numero, n] of Object.entries(bySupplier)) {
      if (numero.startsWith(`CH-${runTag}-`)) deposits.set(numero, (deposits.get(numero) ?? 0) + n);
    }
  }
  const lost: string[] = [];
  const depositTimes: number[] = [];
  const byState: Record<string, number> = {};
  const stuck: string[] = [];
  const verdictAt = Date.now();
  let stuckStillMoving = 0;
  for (const t of tracked.values()) {
    const view = await api.call('GET', `/v1/invoices/${encodeURIComponent(t.id)}`, topology.keys.system);
    if (view.status === 404) {
      lost.push(t.id);
      continue;
    }
    const invoice = view.body as InvoiceView;
    const status = invoice.status;
    if (END.has(status)) byState[status] = (byState[status] ?? 0) + 1;
    else {
      // How long before the verdict the invoice last changed: still moving, or silent?
      const lastMoved = Math.max(t.submittedAt, ...invoice.timeline.map((entry) => Date.parse(entry.at)));
      const idleSeconds = Math.max(0, Math.round((verdictAt - lastMoved) / 1000));
      if (idleSeconds <= STILL_MOVING_SECONDS) stuckStillMoving += 1;
      stuck.push(
        `${t.id} ${t.buyer.scenario} (${status}${invoice.openTask ? `, task ${invoice.openTask.kind}` : ''}${invoice.statusReason ? `: ${invoice.statusReason}` : ''}; last moved ${idleSeconds} s before the end)`,
      );
    }
    const deposited = invoice.timeline.find((entry) => entry.status === 'SUBMITTED');
    if (deposited) depositTimes.push((Date.parse(deposited.at) - t.submittedAt) / 1000);
  }
  const perNumber: Record<string, number> = {};
  for (const n of deposits.values()) perNumber[String(n)] = (perNumber[String(n)] ?? 0) + 1;
  const duplicates = [...deposits.entries()].filter(([, n]) => n > 1).map(([numero, n]) => `${numero} ×${n}`);
  return {
    invoices: options.invoices,
    seed: options.seed,
    durationSeconds: Math.round((Date.now() - started) / 1000),
    topology: topology.describe,
    disruptions: {
      workerKills: kills,
      temporalRestarts,
      ...faults.counts,
      faultBaseRate: options.faults
        ? `${Math.round(errorRate * 100)}% of Chorus calls answer 500/502/503`
        : 'none',
    },
    submitted: tracked.size,
    rejectedSubmissions,
    deposited: deposits.size,
    depositsPerInvoiceNumber: perNumber,
    duplicatesRefusedByChorus: counters.duplicatesRefused,
    duplicates,
    endedByState: byState,
    stuck,
    stuckStillMoving,
    lost,
    machineLoad: { start: loadAtStart, end: loadavg()[0], cores: cpus().length },
    timeToDeposit: {
      count: depositTimes.length,
      p50: percentile(depositTimes, 50),
      p95: percentile(depositTimes, 95),
    },
    horizonSeconds: options.horizonSeconds,
    events,
    ok:
      duplicates.length === 0 && lost.length === 0 && stuck.length === 0 && rejectedSubmissions.length === 0,
  };
}

export async function waitConnected(
  api: ApiClient,
  topology: ChaosTopology,
  connectionId: string,
): Promise<void> {
  const deadline = Date.now() + 120_000;
  let last = '';
  while (Date.now() < deadline) {
    const response = await api.call('GET', `/v1/connections/${connectionId}`, topology.keys.admin);
    last = JSON.stringify(response.body).slice(0, 300);
    const status = (response.body as { status?: string }).status;
    if (status === 'CONNECTED' || status === 'DEGRADED') return;
    await sleep(1_000);
  }
  throw new Error(`connection ${connectionId} not connected within 120 s: ${last}`);
}

async function refreshStatuses(
  api: ApiClient,
  topology: ChaosTopology,
  connectionId: string,
  tracked: Map<string, Tracked>,
): Promise<void> {
  let pageToken: string | undefined;
  do {
    const query = new URLSearchParams({ connectionId, pageSize: '200', ...(pageToken ? { pageToken } : {}) });
    const page = await api.call('GET', `/v1/invoices?${query}`, topology.keys.system);
    const body = page.body as { invoices: Array<{ id: string; status?: string }>; nextPageToken?: string };
    for (const item of body.invoices ?? []) {
      const t = tracked.get(item.id);
      if (!t || !item.status) continue;
      t.status = item.status;
      if (END.has(item.status) && !t.endedAt) t.endedAt = Date.now();
    }
    pageToken = body.nextPageToken;
  } while (pageToken);
}

/** How long a task's answer is awaited, and how long before an answer without reply is sent again. */
const ANSWER_WAIT_MS = 90_000;

/**
 * The back-office people of a run: lists open tasks often (`GET /v1/tasks`) and starts each new
 * task's answer at once, beside those still in flight (at most `concurrency`), so that no invoice
 * waits on the harness for longer than one listing.
 */
export class TaskAnswerer {
  /** `<invoiceId>#<taskId>` of the tasks answered (2xx). */
  readonly answered = new Set<string>();
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Answers that got no reply in time, and when they may be sent again (the first may still land). */
  private readonly unanswered = new Map<string, number>();

  constructor(
    private readonly api: ApiClient,
    private readonly topology: ChaosTopology,
    private readonly connectionId: string,
    private readonly buyerOf: (invoiceId: string) => DatasetBuyer | undefined,
    private readonly concurrency = 16,
  ) {}

  /** One listing: starts the answer of every open task not answered nor in flight yet. */
  async poll(): Promise<void> {
    const list = await this.api.call(
      'GET',
      `/v1/tasks?connectionId=${encodeURIComponent(this.connectionId)}`,
      this.topology.keys.staff,
    );
    const tasks = (list.body as { tasks?: Array<{ invoiceId: string; task: OpenTask }> }).tasks ?? [];
    for (const { invoiceId, task } of tasks) {
      const key = `${invoiceId}#${task.id}`;
      if (this.answered.has(key) || this.inFlight.has(key)) continue;
      if ((this.unanswered.get(key) ?? 0) > Date.now()) continue;
      // The rest is listed again on the next poll, once answers in flight have made room.
      if (this.inFlight.size >= this.concurrency) break;
      const answering = this.answer(key, invoiceId, task).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, answering);
    }
  }

  /** Polls every `everyMs` until `done()` says so, then lets the answers in flight end. */
  async run(done: () => boolean, everyMs = 1_000, log?: (line: string) => void): Promise<void> {
    while (!done()) {
      try {
        await this.poll();
      } catch (err) {
        log?.(`tasks: ${(err as Error).message}`);
      }
      await sleep(everyMs);
    }
    await this.settle();
  }

  async settle(): Promise<void> {
    await Promise.all([...this.inFlight.values()]);
  }

  private async answer(key: string, invoiceId: string, task: OpenTask): Promise<void> {
    const answer = answerAsAPersonWould(task, this.buyerOf(invoiceId));
    const route = `/v1/invoices/${encodeURIComponent(invoiceId)}/${answer ? 'task' : 'cancel'}`;
    try {
      // Sent once, its reply awaited long: an answer is a workflow update, which lands when the
      // workflow's next task runs; sending it again while the workers are behind only adds to their work.
      const response = await this.api.call(
        'POST',
        route,
        this.topology.keys.staff,
        answer ?? { reason: 'nothing to pick' },
        1,
        ANSWER_WAIT_MS,
      );
      // A 409/422 means the task moved on meanwhile: it is listed again if still open.
      if (response.status < 300) this.answered.add(key);
    } catch {
      // No reply in time: listed again on a later poll, if the first answer has not landed by then.
      this.unanswered.set(key, Date.now() + ANSWER_WAIT_MS);
    }
  }
}

/** One listing of the open tasks, every answer awaited (the benchmark's follow-up). */
export async function answerTasks(
  api: ApiClient,
  topology: ChaosTopology,
  connectionId: string,
  tracked: Map<string, Tracked>,
  answered: Set<string>,
): Promise<void> {
  const answerer = new TaskAnswerer(api, topology, connectionId, (id) => tracked.get(id)?.buyer, 8);
  for (const key of answered) answerer.answered.add(key);
  await answerer.poll();
  await answerer.settle();
  for (const key of answerer.answered) answered.add(key);
}
