/**
 * `npm run chaos -- [options]`: the service under stress, as separate processes (Temporal dev server,
 * simulator, API, two workers, PostgreSQL), with N invoices across every buyer scenario that ends by itself,
 * while workers are SIGKILLed every 10–20 s, Temporal restarts once and the simulator injects faults.
 * Prints one table (or --json) and exits 1 on any duplicate, lost or stuck invoice. See docs/chaos.md.
 */
import { parseArgs } from 'node:util';
import { runChaos, type ChaosOptions } from './chaos/harness';
import { startLocalTopology } from './chaos/local-topology';
import { formatReport } from './chaos/report';
import { inRunFolder } from './run-folder';
import { parseCommandLine, runScript } from './run-script';

const USAGE = `usage: npm run chaos -- [--invoices 500] [--submit-over 240] [--kill-every 10-20] [--max-kills N]
       [--temporal-restart-at 0.4] [--horizon 600] [--clock-speed 21600] [--seed N] [--no-faults]
       [--workers 2] [--keep] [--json]
  --invoices N            invoices to submit (default 500)
  --submit-over S         seconds over which they are submitted (default: N / 2, at least 20)
  --kill-every A-B        SIGKILL a random worker every A to B seconds, and start a new one (default 10-20)
  --max-kills N           stop killing after N kills (default: no limit while the run lasts)
  --temporal-restart-at F restart Temporal once, at this fraction of the submission period (default 0.4; "none")
  --horizon S             every invoice must end within S seconds of the last submission (default 600: more than
                          the longest retry interval of the activities, 5 minutes)
  --clock-speed X         simulated seconds per real second (default 21600: a payment in about two minutes,
                          and the simulator's valid password, 400 simulated days, lasts 26 minutes)
  --seed N                seed of every random choice (default: the time)
  --error-rate R          share of Chorus calls answered 500/502/503 (default 0.1)
  --no-faults             no simulator faults (kills and the restart only)
  --keep                  keep the run's folder (logs, databases) and print where it is
  --json                  print the report as JSON instead of the table
Exit status: 0 when no invoice was deposited twice, lost or stuck; 1 otherwise; 2 on bad options.`;

export function parseChaosArgs(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      invoices: { type: 'string', default: '500' },
      'submit-over': { type: 'string' },
      'kill-every': { type: 'string', default: '10-20' },
      'max-kills': { type: 'string' },
      'temporal-restart-at': { type: 'string', default: '0.4' },
      horizon: { type: 'string', default: '600' },
      'clock-speed': { type: 'string', default: '21600' },
      seed: { type: 'string' },
      'no-faults': { type: 'boolean', default: false },
      'error-rate': { type: 'string', default: '0.1' },
      workers: { type: 'string', default: '2' },
      keep: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const number = (name: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min)
      throw new Error(`--${name} must be a number ≥ ${min}, got "${value}"`);
    return n;
  };
  const invoices = Math.floor(number('invoices', values.invoices, 1));
  const killEvery = (values['kill-every'] ?? '').split('-').map(Number);
  if (killEvery.length !== 2 || !(killEvery[0] > 0) || !(killEvery[1] >= killEvery[0])) {
    throw new Error(`--kill-every must look like 10-20, got "${values['kill-every']}"`);
  }
  const restart = values['temporal-restart-at'];
  return {
    help: values.help,
    json: values.json,
    keep: values.keep,
    workers: Math.floor(number('workers', values.workers, 1)),
    clockSpeed: number('clock-speed', values['clock-speed'], 1),
    options: {
      invoices,
      seed: values.seed === undefined ? Date.now() % 1_000_000 : Math.floor(number('seed', values.seed, 0)),
      submitOverSeconds:
        values['submit-over'] === undefined
          ? Math.max(20, invoices / 2)
          : number('submit-over', values['submit-over'], 1),
      killEvery: [killEvery[0], killEvery[1]] as [number, number],
      maxKills:
        values['max-kills'] === undefined
          ? Infinity
          : Math.floor(number('max-kills', values['max-kills'], 0)),
      temporalRestartAt: restart === 'none' ? undefined : number('temporal-restart-at', restart, 0),
      horizonSeconds: number('horizon', values.horizon, 10),
      faults: !values['no-faults'],
      errorRate: number('error-rate', values['error-rate'], 0),
      connectionId: 'chaos',
    } satisfies Omit<ChaosOptions, 'log'>,
  };
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(() => parseChaosArgs(argv), USAGE);
  if (typeof parsed === 'number') return parsed;
  const log = (line: string) => process.stderr.write(`[chaos] ${line}\n`);
  return inRunFolder({
    prefix: 'chorus-chaos-',
    keep: parsed.keep,
    log,
    start: (workDir) =>
      startLocalTopology({ workDir, clockSpeed: parsed.clockSpeed, workers: parsed.workers, log }),
    run: async (topology) => {
      const report = await runChaos(topology, { ...parsed.options, log });
      process.stdout.write(
        parsed.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`,
      );
      return report.ok ? 0 : 1;
    },
  });
}

if (require.main === module) runScript('chaos', () => main(process.argv.slice(2)));
