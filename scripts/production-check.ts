/**
 * `./run production-check` (or `npm run production-check -- [options]`): docker-compose.yml's topology run
 * for real on this host, without Docker — the Temporal server built from its Go module on PostgreSQL (schema
 * and namespace set up by the compose one-shots' scripts), the app database, the simulator, two APIs and two
 * workers from the compiled build with the compose environment — then the chaos harness: invoices through
 * both APIs while a worker and an API are killed and Temporal restarts once. Exits 1 on any duplicate, lost
 * or stuck invoice. `--short` is the configuration the test suite runs.
 */
import { parseArgs } from 'node:util';
import { runChaos } from './chaos/harness';
import { formatReport } from './chaos/report';
import { startProductionTopology } from './production/topology';
import { inRunFolder } from './run-folder';
import { parseCommandLine, runScript } from './run-script';

const USAGE = `usage: ./run production-check [--short] [--invoices N] [--seed N] [--clock-speed X] [--keep] [--json]
  --short          30 invoices, one worker kill, one API kill, one Temporal restart (the test suite's form)
  --invoices N     invoices (default 120)
  --clock-speed X  simulated seconds per real second (default 86400)
  --keep           keep the run's folder (databases, logs, secrets) and print where it is
  --json           the report as JSON`;

/** The options, checked (throws on a bad one). */
export function parseProductionCheckArgs(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      short: { type: 'boolean', default: false },
      invoices: { type: 'string' },
      seed: { type: 'string' },
      'clock-speed': { type: 'string', default: '86400' },
      keep: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const invoices = Number(values.invoices ?? (values.short ? 30 : 120));
  const clockSpeed = Number(values['clock-speed']);
  const seed = values.seed === undefined ? Date.now() % 1_000_000 : Number(values.seed);
  if (!(invoices >= 1)) throw new Error(`--invoices must be a number ≥ 1, got "${values.invoices}"`);
  if (!(clockSpeed >= 1))
    throw new Error(`--clock-speed must be a number ≥ 1, got "${values['clock-speed']}"`);
  if (!(seed >= 0)) throw new Error(`--seed must be a number ≥ 0, got "${values.seed}"`);
  return { help: values.help, keep: values.keep, json: values.json, invoices, clockSpeed, seed };
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(() => parseProductionCheckArgs(argv), USAGE);
  if (typeof parsed === 'number') return parsed;
  const { invoices, clockSpeed, seed } = parsed;
  const log = (line: string) => process.stderr.write(`[production-check] ${line}\n`);
  let started = Date.now();
  return inRunFolder({
    prefix: 'chorus-production-check-',
    keep: parsed.keep,
    log,
    start: (workDir) => {
      started = Date.now();
      return startProductionTopology({ workDir, clockSpeed, log });
    },
    run: async (topology) => {
      const startupSeconds = Math.round((Date.now() - started) / 1000);
      log(
        `topology up in ${startupSeconds} s${topology.buildSeconds !== undefined ? ` (Go build ${topology.buildSeconds} s)` : ''}`,
      );
      const report = await runChaos(topology, {
        invoices,
        seed,
        submitOverSeconds: Math.max(20, invoices / 2),
        killEvery: [10, 20],
        maxKills: 1,
        temporalRestartAt: 0.4,
        horizonSeconds: 600,
        faults: true,
        connectionId: 'production-check',
        log,
      });
      const full = { ...report, startupSeconds, goBuildSeconds: topology.buildSeconds };
      process.stdout.write(
        parsed.json
          ? `${JSON.stringify(full, null, 2)}\n`
          : `${formatReport(report, 'Production check')}\n| start-up (build, databases, Temporal, 6 processes) | ${startupSeconds} s${topology.buildSeconds !== undefined ? `, of which the Go build ${topology.buildSeconds} s` : ''}\n`,
      );
      return report.ok ? 0 : 1;
    },
  });
}

if (require.main === module) runScript('production-check', () => main(process.argv.slice(2)));
