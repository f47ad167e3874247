/**
 * `npm run replay -- --workflow-id <id> [--run-id <run>]`
 * `npm run replay -- --file history.json [--file more.json] [--dir folder]`
 *
 * Replays workflow histories against the CURRENT workflow code and says, for each, "ok" or the
 * exact non-determinism. With --workflow-id it reads every run of that workflow (continue-as-new
 * chains included) from Temporal (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE), decrypting payloads with
 * PAYLOAD_KEYS (files too, when their payloads are still encrypted); files are Temporal JSON histories (`temporal workflow show -o json`, or
 * `GET /v1/invoices/:id/history?format=temporal` as an auditor). Exit code 0 when every history
 * replays, 1 when one does not, 2 on a usage error.
 */
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { payloadDataConverter } from '../platform/services';
import { bundleWorkflows } from '../worker';
import { installRuntime } from '../worker/runtime';
import {
  fetchRuns,
  HistoryFileError,
  historyFilesIn,
  readHistoryFile,
  replayAll,
  type HistoryToReplay,
} from './replay/replay';

const USAGE = `usage:
  npm run replay -- --workflow-id <id> [--run-id <run id>]   every run of a workflow, from Temporal
  npm run replay -- --file <history.json> [--file …]          Temporal JSON history files
  npm run replay -- --dir <folder>                            every *.json history in a folder`;

function values(args: string[], name: string): string[] {
  const out: string[] = [];
  args.forEach((a, i) => {
    if (a === name && args[i + 1] && !args[i + 1].startsWith('--')) out.push(args[i + 1]);
  });
  return out;
}

export async function main(
  args: string[],
  out = (line: string) => process.stdout.write(`${line}\n`),
): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    out(USAGE);
    return 0;
  }
  const known = new Set(['--workflow-id', '--run-id', '--file', '--dir']);
  const unknown = args.filter((a, i) => a.startsWith('--') && !known.has(a) && !known.has(args[i - 1]));
  const workflowIds = values(args, '--workflow-id');
  const files = values(args, '--file');
  const dirs = values(args, '--dir');
  if (unknown.length > 0 || workflowIds.length + files.length + dirs.length === 0) {
    out(unknown.length > 0 ? `unknown option ${unknown[0]}\n${USAGE}` : USAGE);
    return 2;
  }

  const config = loadConfig();
  const logger = createLogger({ name: 'replay', level: process.env.LOG_LEVEL ?? 'warn' });
  installRuntime(logger);
  const items: HistoryToReplay[] = [];
  let connection: Connection | undefined;
  try {
    for (const dir of dirs) for (const file of historyFilesIn(dir)) items.push(readHistoryFile(file));
    for (const file of files) items.push(readHistoryFile(file));
    if (workflowIds.length > 0) {
      const dataConverter = payloadDataConverter(config, logger);
      connection = await Connection.connect({ address: config.temporal.address });
      const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter });
      const runId = values(args, '--run-id')[0];
      for (const id of workflowIds) items.push(...(await fetchRuns(client, id, runId)));
    }
  } catch (err) {
    out(err instanceof HistoryFileError ? `error: ${err.message}` : `error: ${(err as Error).message}`);
    await connection?.close();
    return 2;
  }

  out(`Bundling the current workflow code and replaying ${items.length} history(ies)…`);
  // Encrypted payloads (from Temporal, or a raw history saved as stored) are read with PAYLOAD_KEYS.
  const dataConverter = payloadDataConverter(config, logger);
  const outcomes = await replayAll(await bundleWorkflows(), items, {
    dataConverter,
    onResult: (o) =>
      out(
        o.ok
          ? `ok    ${o.label} (${o.workflowType})`
          : `FAIL  ${o.label} (${o.workflowType})\n      ${o.error}`,
      ),
  });
  await connection?.close();
  const failed = outcomes.filter((o) => !o.ok).length;
  out(`${outcomes.length - failed} replayed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
