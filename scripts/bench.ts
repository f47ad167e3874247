/**
 * `npm run bench -- [options]`: what the service costs, beside the alternatives, on the real parts as
 * separate processes (Temporal dev server, simulator, API, one worker, PostgreSQL). See docs/performance.md.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { startLocalTopology, type LocalTopology } from './chaos/local-topology';
import { measureCallsAndHistory, measureLatencyThroughputMemory, type BenchSizes } from './bench/harness';
import { benchReportSchema, formatBench, type BenchReport } from './bench/report';
import { PRODUCTION_PACE, scaledPace } from './bench/workload';
import { inRunFolder } from './run-folder';
import { parseCommandLine, runScript } from './run-script';
import { MEASURED_WORKER_HEAP_LIMIT_MIB } from '../worker/heap';

const USAGE = `usage: npm run bench -- [--short] [--json] [--invoices 200] [--clock-speed 21600]
       [--latency-invoices 20] [--call-latency 150] [--throughput-invoices 100] [--quota 20]
       [--memory 1000,10000] [--extrapolate 50000] [--worker-cache N] [--worker-heap MIB] [--workflow-heap MIB] [--keep]
  --short                 a small run (about a minute; the test suite runs it): 10 invoices, memory at 12 and 16
  --json                  print the report as JSON instead of the table
  --invoices N            plain invoices over 10 buyers followed from submission to payment (default 200)
  --clock-speed X         simulated seconds per real second while they are followed (default 21600: a
                          simulated day every 4 s); the service's durations are production's divided by X
  --latency-invoices N    invoices timed one after the other from POST to DEPOSEE (default 20)
  --call-latency MS       delay the simulator adds to every Chorus call meanwhile (default 150)
  --throughput-invoices N invoices submitted at once under the PISTE quota (default 100)
  --quota N               PISTE calls a second per application the simulator allows, beyond which 429 (default 20)
  --memory A,B,…          invoices in tracking at which the worker's resident memory is read (default 1000,10000)
  --extrapolate N         invoices in tracking the memory is extrapolated to (default 50000)
  --worker-cache N        the worker's WORKER_MAX_CACHED_WORKFLOWS (default: the service's default)
  --worker-heap MIB       the worker's V8 heap limit, --max-old-space-size (default 0: V8's own; measured: ${MEASURED_WORKER_HEAP_LIMIT_MIB})
  --workflow-heap MIB     the worker's workflow thread heap limit, WORKER_WORKFLOW_HEAP_MIB (default: the service's default; 0: V8's own)
  --keep                  keep the run's folders (logs, databases) and print where they are
Progress goes to stderr, one line a phase; the table (or JSON) to stdout. Exit status 2 on bad options.`;

const SHORT: Partial<BenchSizes> & { clockSpeed: number } = {
  invoices: 10,
  latencyInvoices: 3,
  throughputInvoices: 6,
  memoryCounts: [12, 16],
  clockSpeed: 345_600,
};

export function parseBenchArgs(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      short: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
      invoices: { type: 'string' },
      'clock-speed': { type: 'string' },
      'latency-invoices': { type: 'string' },
      'call-latency': { type: 'string', default: '150' },
      'throughput-invoices': { type: 'string' },
      quota: { type: 'string', default: '20' },
      memory: { type: 'string' },
      extrapolate: { type: 'string', default: '50000' },
      'worker-cache': { type: 'string' },
      'worker-heap': { type: 'string' },
      'workflow-heap': { type: 'string' },
    },
  });
  const number = (name: string, value: string | undefined, fallback: number, min: number): number => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n < min)
      throw new Error(`--${name} must be a number ≥ ${min}, got "${value}"`);
    return n;
  };
  const integer = (name: string, value: string | undefined, fallback: number, min: number) =>
    Math.floor(number(name, value, fallback, min));
  const short = values.short;
  const memoryCounts =
    values.memory === undefined
      ? short
        ? SHORT.memoryCounts!
        : [1000, 10_000]
      : values.memory.split(',').map((v) => integer('memory', v.trim(), 0, 1));
  if (memoryCounts.length < 2 || memoryCounts.some((v, i) => i > 0 && v <= memoryCounts[i - 1])) {
    throw new Error(`--memory must list at least two ascending counts, got "${values.memory}"`);
  }
  const sizes: BenchSizes = {
    invoices: integer('invoices', values.invoices, short ? SHORT.invoices! : 200, 1),
    latencyInvoices: integer(
      'latency-invoices',
      values['latency-invoices'],
      short ? SHORT.latencyInvoices! : 20,
      1,
    ),
    callLatencyMs: integer('call-latency', values['call-latency'], 150, 0),
    throughputInvoices: integer(
      'throughput-invoices',
      values['throughput-invoices'],
      short ? SHORT.throughputInvoices! : 100,
      1,
    ),
    quotaPerSecond: number('quota', values.quota, 20, 1),
    memoryCounts,
    extrapolateTo: integer('extrapolate', values.extrapolate, 50_000, 1),
  };
  return {
    help: values.help,
    json: values.json,
    keep: values.keep,
    short,
    clockSpeed: number('clock-speed', values['clock-speed'], short ? SHORT.clockSpeed : 21_600, 1),
    sizes,
    worker: {
      maxCachedWorkflows:
        values['worker-cache'] === undefined
          ? undefined
          : integer('worker-cache', values['worker-cache'], 0, 0),
      heapLimitMiB: integer('worker-heap', values['worker-heap'], 0, 0),
      workflowHeapMiB:
        values['workflow-heap'] === undefined
          ? undefined
          : integer('workflow-heap', values['workflow-heap'], 0, 0),
    },
  };
}

export function machine(): BenchReport['machine'] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: os.totalmem() / 2 ** 30,
    node: process.versions.node,
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** Both halves of the benchmark, each on its own topology, one after the other. */
export async function runBench(
  parsed: ReturnType<typeof parseBenchArgs>,
  log: (line: string) => void,
): Promise<BenchReport> {
  const startedAt = new Date();
  const notes: string[] = [];
  const withTopology = async <T>(
    name: string,
    clockSpeed: number,
    pace: Record<string, string>,
    run: (topology: LocalTopology) => Promise<T>,
  ): Promise<T> => {
    log(
      `starting the ${name} stack (Temporal dev server, PostgreSQL, simulator ×${clockSpeed}, API, one worker)…`,
    );
    const { maxCachedWorkflows, heapLimitMiB, workflowHeapMiB } = parsed.worker;
    return inRunFolder({
      prefix: `chorus-bench-${name}-`,
      keep: parsed.keep,
      log,
      start: (workDir) =>
        startLocalTopology({
          workDir,
          clockSpeed,
          workers: 1,
          log,
          pace,
          workerHeapLimitMiB: heapLimitMiB,
          workerEnv: {
            ...(maxCachedWorkflows === undefined
              ? {}
              : { WORKER_MAX_CACHED_WORKFLOWS: String(maxCachedWorkflows) }),
            ...(workflowHeapMiB === undefined ? {} : { WORKER_WORKFLOW_HEAP_MIB: String(workflowHeapMiB) }),
          },
        }),
      run,
    });
  };

  const pace = scaledPace(parsed.clockSpeed);
  // The worker paces its Chorus calls to the quota the simulator enforces in phase 4, as a supplier
  // sets CHORUS_CALLS_PER_SECOND to its PISTE application's quota; the accelerated stack (calls and
  // history, no quota) runs unpaced, since its simulated days go by faster than any quota allows.
  const paced = { CHORUS_CALLS_PER_SECOND: String(parsed.sizes.quotaPerSecond) };
  const unpaced = { CHORUS_CALLS_PER_SECOND: '0' };
  const calls = (topology: LocalTopology) =>
    measureCallsAndHistory(topology, parsed.sizes, { clockSpeed: parsed.clockSpeed, pace }, log);
  let first: Awaited<ReturnType<typeof calls>>;
  let second: Awaited<ReturnType<typeof measureLatencyThroughputMemory>>;
  if (parsed.short) {
    // One stack for everything, to stay near a minute: invoices may be paid when memory is read.
    [first, second] = await withTopology(
      'accelerated',
      parsed.clockSpeed,
      { ...pace, ...paced },
      async (topology) => [
        await calls(topology),
        await measureLatencyThroughputMemory(topology, parsed.sizes, log, 'deposited'),
      ],
    );
    notes.push(
      'short run: one accelerated stack for every phase; memory counts deposited invoices, paid or not.',
    );
  } else {
    first = await withTopology('accelerated', parsed.clockSpeed, { ...pace, ...unpaced }, calls);
    second = await withTopology('real-time', 1, { ...PRODUCTION_PACE, ...paced }, (topology) =>
      measureLatencyThroughputMemory(topology, parsed.sizes, log),
    );
  }
  const measured = parsed.sizes.memoryCounts;
  if (measured[measured.length - 1] < 10_000) {
    notes.push(
      `worker memory measured at ${measured.join(' and ')} invoices in tracking, not 1,000 and 10,000 (--memory); ` +
        `the figure at ${parsed.sizes.extrapolateTo} is a linear extrapolation from them.`,
    );
  }
  if (parsed.short) notes.push('short run: the sizes are too small for the figures to mean much.');
  notes.push(
    `worker: ${parsed.worker.maxCachedWorkflows ?? 'default'} cached workflows (WORKER_MAX_CACHED_WORKFLOWS), ` +
      `heap limit ${parsed.worker.heapLimitMiB > 0 ? `${parsed.worker.heapLimitMiB} MiB` : "V8's own"}.`,
  );
  return benchReportSchema.parse({
    mode: parsed.short ? 'short' : 'full',
    machine: machine(),
    startedAt: startedAt.toISOString(),
    durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
    ...first,
    ...second,
    notes,
  });
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(() => parseBenchArgs(argv), USAGE);
  if (typeof parsed === 'number') return parsed;
  const started = Date.now();
  const log = (line: string) =>
    process.stderr.write(`[bench ${Math.round((Date.now() - started) / 1000)}s] ${line}\n`);
  const report = await runBench(parsed, log);
  process.stdout.write(parsed.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatBench(report)}\n`);
  return 0;
}

if (require.main === module) runScript('bench', () => main(process.argv.slice(2)));
