/**
 * The Temporal CLI and dev server for this project, as a module and as `npm run temporal -- <command>`:
 *   path [--test-server]   print the resolved executable (installing it if needed)
 *   install                install both the CLI and the time-skipping test server
 *   start [--ui] [--port N] [--ui-port N] [--db FILE] [--foreground] [--codec-endpoint URL]
 *   stop | status
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../platform/config';
import {
  resolveTemporalCli,
  resolveTestServer,
  TEMPORAL_CLI,
  TEMPORAL_TEST_SERVER,
} from './temporal/binaries';
import { startDevServer, temporalAnswers } from './temporal/dev-server';
import { isAlive, runningDevServer, stopRecordedDevServer } from './temporal/server-process';

export * from './temporal/binaries';
export * from './temporal/dev-server';
export * from './temporal/server-process';
export { ensureSearchAttributes } from './temporal/search-attribute-registration';

const say = (line: string) => process.stdout.write(`${line}\n`);

/** Where the embedded stack keeps Temporal's SQLite file, pid file and log. */
export function temporalStateDir(dataDir = loadConfig().dataDir): string {
  return path.join(dataDir, 'temporal');
}

export function portOf(address: string): number {
  const port = Number(address.slice(address.lastIndexOf(':') + 1));
  if (!Number.isInteger(port) || port <= 0) throw new Error(`no port in Temporal address "${address}"`);
  return port;
}

async function start(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ui: { type: 'boolean', default: false },
      port: { type: 'string' },
      'ui-port': { type: 'string' },
      db: { type: 'string' },
      foreground: { type: 'boolean', default: false },
      'codec-endpoint': { type: 'string' },
    },
  });
  const config = loadConfig();
  const stateDir = temporalStateDir(config.dataDir);
  const running = await runningDevServer(stateDir);
  if (running) {
    say(`Temporal dev server already running (pid ${running.pid}) at ${running.address}`);
    if (running.uiUrl) say(`Web UI: ${running.uiUrl}`);
    return;
  }
  const server = await startDevServer({
    port: values.port ? Number(values.port) : portOf(config.temporal.address),
    ui: values.ui,
    uiPort: values['ui-port'] ? Number(values['ui-port']) : config.temporal.uiPort,
    dbFile: path.resolve(values.db ?? path.join(stateDir, 'temporal.sqlite')),
    namespace: config.temporal.namespace,
    codecEndpoint: values['codec-endpoint'],
    stateDir,
    retention: config.temporal.retention,
    detached: !values.foreground,
    log: say,
  });
  say(`Temporal dev server running (pid ${server.pid}) at ${server.address}`);
  if (server.uiUrl) say(`Web UI: ${server.uiUrl}`);
  say(`Database: ${server.dbFile}   Log: ${server.logFile}`);
  if (!values.foreground) return;
  say('Press Ctrl-C to stop.');
  await new Promise<void>((resolve) => {
    // Signal listeners do not keep Node alive (the server child is unref'd): this interval does.
    const watch = setInterval(() => {
      if (isAlive(server.pid)) return;
      say('Temporal dev server exited by itself.');
      resolve();
    }, 1_000);
    const done = () => {
      clearInterval(watch);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await server.stop();
  say('Temporal dev server stopped.');
}

async function stop(): Promise<void> {
  const stopped = await stopRecordedDevServer(temporalStateDir());
  say(stopped ? `Temporal dev server (pid ${stopped.pid}) stopped.` : 'No Temporal dev server running.');
}

async function status(): Promise<number> {
  const state = await runningDevServer(temporalStateDir());
  if (!state) {
    say('Temporal dev server: not running');
    return 3;
  }
  const ready = await temporalAnswers(state.address, state.namespace);
  say(
    `Temporal dev server: ${ready ? 'running' : 'starting or not answering'} (pid ${state.pid}) at ${state.address}`,
  );
  if (state.uiUrl) say(`Web UI: ${state.uiUrl}`);
  return ready ? 0 : 1;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'path': {
      const testServer = rest.includes('--test-server');
      const resolved = await (testServer ? resolveTestServer() : resolveTemporalCli());
      say(resolved.path);
      return 0;
    }
    case 'install': {
      for (const [binary, resolve] of [
        [TEMPORAL_CLI, resolveTemporalCli],
        [TEMPORAL_TEST_SERVER, resolveTestServer],
      ] as const) {
        const resolved = await resolve({ log: say });
        say(`${binary.label} ${binary.version}: ${resolved.path} (${resolved.source})`);
      }
      return 0;
    }
    case 'start':
      await start(rest);
      return 0;
    case 'stop':
      await stop();
      return 0;
    case 'status':
      return status();
    default:
      process.stderr.write(
        'usage: npm run temporal -- path [--test-server] | install | ' +
          'start [--ui] [--port N] [--ui-port N] [--db FILE] [--foreground] [--codec-endpoint URL] | stop | status\n',
      );
      return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
