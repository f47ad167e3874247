/**
 * `npm run replay -- --workflow-id <id> [--run-id <run>]`
 * `npm run replay -- --file history.json [--file more.json] [--dir folder]`
 *
 * Replays workflow histories against the CURRENT workflow code and says, for each, "ok" or the
 * exact non-determinism. With --workflow-id it reads every run of that workflow (continue-as-new
 * chains included) from Temporal (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE), decrypting payloads with
 * PAYLOAD_KEYS (files too, when their payloads are still encrypted). Files are Temporal JSON
 * histories (`temporal workflow show -o json`, or `GET /v1/invoices/:id/history?format=temporal`
 * as an auditor). Exit code 0 when every history replays, 1 when one does not, 2 on a usage or
 * input error.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { databaseUrl, payloadDataConverter } from '../platform/services';
import { openDatabase } from '../platform/database';
import { clientConnectionOptions } from '../platform/temporal-connection';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { bundleWorkflows } from '../worker';
import { installRuntime } from '../worker/runtime';
import {
  archivedHistories,
  fetchRuns,
  hasEncryptedPayloads,
  HistoryFileError,
  historyFilesIn,
  readHistoryFile,
  replayAll,
  type HistoryToReplay,
} from './replay/replay';
import { runScript } from './run-script';

export const USAGE = `Replays workflow histories against the current workflow code (workflows/).

usage:
  npm run replay -- --workflow-id <id> [--run-id <run id>]   every run of a workflow (continue-as-new
                                                             chains included), or one run, from Temporal
  npm run replay -- --file <history.json> [--file …]          Temporal JSON history files
  npm run replay -- --dir <folder>                            every *.json history of a folder
  (the options combine: --dir test/replay/histories --file saved.json)
  --workflows <module.ts>   replay against this workflows module instead of workflows/
                            (e.g. a change under review, before it is merged)

Temporal is TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE; encrypted payloads are read with PAYLOAD_KEYS.
A workflow Temporal no longer has is read from the app database's archive (DATABASE_URL).
Prints "ok" or the exact non-determinism for each history.
Exit code: 0 every history replayed, 1 one did not, 2 usage or input error (unreadable file,
unknown workflow, Temporal unreachable).`;

const VALUED = ['--workflow-id', '--run-id', '--file', '--dir', '--workflows'] as const;
type Valued = (typeof VALUED)[number];

/** The options, or what is wrong with them. */
export function parseArgs(args: string[]): { values: Record<Valued, string[]> } | { error: string } {
  const values = Object.fromEntries(VALUED.map((name) => [name, [] as string[]])) as Record<Valued, string[]>;
  for (let i = 0; i < args.length; i++) {
    const name = args[i] as Valued;
    if (!VALUED.includes(name)) return { error: `unknown option ${args[i]}` };
    const value = args[i + 1];
    if (value === undefined || value === '' || value.startsWith('--'))
      return { error: `${name} needs a value` };
    values[name].push(value);
    i++;
  }
  if (values['--workflows'].length > 1) return { error: 'one --workflows module at most' };
  if (values['--workflow-id'].length + values['--file'].length + values['--dir'].length === 0) {
    return { error: 'nothing to replay: give --workflow-id, --file or --dir' };
  }
  if (
    values['--run-id'].length > 0 &&
    (values['--run-id'].length > 1 || values['--workflow-id'].length !== 1)
  ) {
    return { error: '--run-id goes with exactly one --workflow-id' };
  }
  return { values };
}

/** From Temporal, or from the app database's archive once Temporal has deleted the workflow. */
async function runsOf(
  client: Client,
  workflowId: string,
  runId: string | undefined,
  config: ReturnType<typeof loadConfig>,
  out: (line: string) => void,
): Promise<HistoryToReplay[]> {
  try {
    return await fetchRuns(client, workflowId, runId);
  } catch (err) {
    const missing = err instanceof HistoryFileError || (err as Error).name === 'WorkflowNotFoundError';
    if (!missing) throw err;
    let url: string;
    try {
      url = databaseUrl(config);
    } catch {
      throw err;
    }
    const db = openDatabase(url, { max: 1, applicationName: 'replay' });
    try {
      const archived = await archivedHistories(db, workflowId, runId);
      out(`${workflowId} is no longer in Temporal: replaying its ${archived.length} archived run(s).`);
      return archived;
    } finally {
      await db.destroy();
    }
  }
}

export async function main(
  args: string[],
  out = (line: string) => process.stdout.write(`${line}\n`),
): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    out(USAGE);
    return 0;
  }
  const parsed = parseArgs(args);
  if ('error' in parsed) {
    out(`error: ${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  const { values } = parsed;
  const workflowsPath = values['--workflows'][0];
  if (workflowsPath && !existsSync(workflowsPath)) {
    out(`error: ${workflowsPath}: no such workflows module`);
    return 2;
  }

  const config = loadConfig();
  const logger = createLogger({ name: 'replay', level: process.env.LOG_LEVEL ?? 'warn' });
  // The replay worker logs each failure it reports below; quiet unless LOG_LEVEL asks.
  installRuntime(createLogger({ name: 'replay', level: process.env.LOG_LEVEL ?? 'fatal' }));
  const items: HistoryToReplay[] = [];
  let dataConverter: DataConverter | undefined;
  try {
    for (const dir of values['--dir']) {
      for (const file of historyFilesIn(dir)) items.push(readHistoryFile(file));
    }
    for (const file of values['--file']) items.push(readHistoryFile(file));
    if (values['--workflow-id'].length > 0) {
      // Payloads in Temporal are encrypted: they are read with PAYLOAD_KEYS (the development key
      // of DATA_DIR when unset).
      dataConverter = payloadDataConverter(config, logger);
      const { address, namespace } = config.temporal;
      let connection: Connection | undefined;
      try {
        connection = await Connection.connect(clientConnectionOptions(config.temporal.connection));
        const client = new Client({ connection, namespace, dataConverter });
        const runId = values['--run-id'][0];
        for (const id of values['--workflow-id'])
          items.push(...(await runsOf(client, id, runId, config, out)));
      } catch (err) {
        if (err instanceof HistoryFileError) throw err;
        throw new HistoryFileError(
          `could not read from Temporal at ${address} (namespace ${namespace}): ${(err as Error).message}`,
        );
      } finally {
        await connection?.close();
      }
    }
    // A file saved as stored (`?format=temporal` by a non-auditor, `temporal workflow show`
    // without the codec) too.
    if (!dataConverter && items.some((item) => hasEncryptedPayloads(item.history))) {
      dataConverter = payloadDataConverter(config, logger);
    }
  } catch (err) {
    out(`error: ${(err as Error).message}`);
    return 2;
  }

  out(`Bundling ${workflowsPath ?? 'the current workflow code'} and replaying ${items.length} history(ies)…`);
  const workflowBundle = workflowsPath
    ? await bundleWorkflowCode({
        workflowsPath: path.resolve(workflowsPath),
        logger: new DefaultLogger('WARN'),
      })
    : await bundleWorkflows();
  const outcomes = await replayAll(workflowBundle, items, {
    dataConverter,
    onResult: (o) =>
      out(
        o.ok
          ? `ok    ${o.label} (${o.workflowType})`
          : `FAIL  ${o.label} (${o.workflowType}${o.eventId ? `, at history event ${o.eventId}` : ''})\n      ${o.error}`,
      ),
  });
  const failed = outcomes.filter((o) => !o.ok).length;
  out(`${outcomes.length - failed} ok, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

if (require.main === module) runScript('replay', () => main(process.argv.slice(2)));
