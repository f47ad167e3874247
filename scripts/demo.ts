/**
 * `npm run demo` — against a running stack (`./run start`): submits one invoice per buyer scenario
 * of the simulator's data set through the REST API and shows their progress live until each one
 * reaches its end state. Tasks are answered the way a person would (the first allowed value,
 * approval, a supporting document) unless `--leave-tasks` is given, so you can answer them with
 * curl as in the README walkthrough.
 *
 *   npm run demo [-- --leave-tasks] [--api http://127.0.0.1:3000] [--simulator http://127.0.0.1:3100]
 *
 * It submits with a `system` key and answers tasks with a `staff` key: API_KEY_SYSTEM and
 * API_KEY_STAFF, or the development keys when the service runs in development mode.
 */
import got from 'got';
import type { InvoiceView, OpenTask } from '../workflows/contracts/invoice';

interface DatasetStructure {
  scenario: string;
  siret: string;
  designation: string;
  description: string;
  engagements: Array<{ numeroEngagementJuridique: string }>;
}

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const api = option('--api', process.env.API_URL ?? `http://127.0.0.1:${process.env.API_PORT ?? 3000}`);
const simulator = option(
  '--simulator',
  process.env.SIMULATOR_URL ?? `http://127.0.0.1:${process.env.SIMULATOR_PORT ?? 3100}`,
);
const connectionId = option('--connection', 'demo');
const answerTasks = !args.includes('--leave-tasks');
const timeoutMs = Number(option('--timeout', '180')) * 1000;

const END_STATES = ['PAID', 'TRACKING_ENDED', 'REJECTED', 'CANCELLED', 'FAILED'];
const PDF = Buffer.from('%PDF-1.4\n% justificatif de démonstration\n').toString('base64');

const http = got.extend({ retry: { limit: 0 }, timeout: { request: 10_000 }, responseType: 'json' });
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const systemKey = bearer(process.env.API_KEY_SYSTEM ?? 'dev-key-system');
const staffKey = bearer(process.env.API_KEY_STAFF ?? 'dev-key-staff');

function sample(buyer: DatasetStructure, index: number) {
  const stamp = Date.now().toString(36).toUpperCase().slice(-5);
  return {
    connectionId,
    invoiceNumber: `DEMO-${stamp}-${String(index + 1).padStart(2, '0')}`,
    issueDate: new Date().toISOString().slice(0, 10),
    buyer: { siret: buyer.siret },
    billingFrame: 'A1',
    vatRegime: 'TVA_SUR_DEBIT',
    paymentMode: 'VIREMENT',
    requireApproval: buyer.scenario === 'buyer.no-requirement',
    lines: [
      {
        description: 'Maintenance annuelle',
        quantity: '1',
        unitPriceExclVat: '480.00',
        vatRatePercent: '20',
      },
      {
        description: 'Pièces détachées',
        quantity: '3',
        unitPriceExclVat: { cents: 1290 },
        vatRatePercent: '20',
      },
    ],
    attachments: [{ fileName: 'bon-de-livraison.pdf', contentBase64: PDF }],
  };
}

/** What a person would answer: the first allowed value, a known engagement, an approval. */
function answerFor(task: OpenTask, buyer: DatasetStructure): Record<string, unknown> {
  if (task.kind === 'APPROVAL') return { taskId: task.id, approve: true };
  if (task.kind === 'DUPLICATE_NUMBER') return { taskId: task.id, approve: false };
  if (task.kind === 'COMPLETE') {
    return {
      taskId: task.id,
      values: { comment: 'Bon de livraison signé joint.' },
      attachments: [{ fileName: 'bl-signe.pdf', contentBase64: PDF }],
    };
  }
  const values: Record<string, string> = {};
  for (const field of task.fields) {
    if (field.field === 'comment' || field.field === 'attachments') continue;
    if (field.field === 'references.engagementNumber' && buyer.engagements[0]) {
      values[field.field] = buyer.engagements[0].numeroEngagementJuridique;
    } else if (field.allowedValues?.length) {
      values[field.field] =
        (task.kind === 'RECYCLE' && field.allowedValues.find((v) => v.value === 'LOGISTIQUE')?.value) ||
        field.allowedValues[0].value;
    }
  }
  return { taskId: task.id, values };
}

async function main(): Promise<void> {
  const dataset = await http.get(`${simulator}/__admin/dataset`).json<{ structures: DatasetStructure[] }>();
  const buyers = dataset.structures.filter((s) => s.scenario.startsWith('buyer.'));
  console.log(`Submitting ${buyers.length} invoices on connection "${connectionId}" to ${api} …`);
  const runs: Array<{ id: string; buyer: DatasetStructure; view?: InvoiceView; answered: Set<string> }> = [];
  for (const [i, buyer] of buyers.entries()) {
    const response = await http.post(`${api}/v1/invoices`, {
      json: sample(buyer, i),
      headers: systemKey,
      throwHttpErrors: false,
    });
    if (response.statusCode >= 300) {
      console.error(`  ${buyer.scenario}: HTTP ${response.statusCode} ${JSON.stringify(response.body)}`);
      continue;
    }
    runs.push({ id: (response.body as unknown as { id: string }).id, buyer, answered: new Set() });
  }

  const started = Date.now();
  const live = process.stdout.isTTY;
  let previous = '';
  while (Date.now() - started < timeoutMs) {
    for (const run of runs) {
      run.view = await http
        .get(`${api}/v1/invoices/${encodeURIComponent(run.id)}`, { headers: systemKey })
        .json<InvoiceView>();
      const task = run.view.openTask;
      if (answerTasks && task && !run.answered.has(task.id)) {
        run.answered.add(task.id);
        const answer = answerFor(task, run.buyer);
        const fixable =
          answer.approve !== undefined || Object.keys((answer.values as object | undefined) ?? {}).length > 0;
        // Nothing a person could pick (e.g. an inactive buyer structure): cancel, as they would.
        await http.post(`${api}/v1/invoices/${encodeURIComponent(run.id)}/${fixable ? 'task' : 'cancel'}`, {
          json: fixable ? answer : { reason: `demo: ${task.fields.map((f) => f.why).join(' ')}` },
          headers: { ...(fixable ? staffKey : systemKey), 'x-acting-user': 'demo' },
          throwHttpErrors: false,
        });
      }
    }
    const table = runs
      .map((r) => {
        const v = r.view!;
        const task = v.openTask ? ` — task: ${v.openTask.kind}` : '';
        const reason = END_STATES.includes(v.status) && v.statusReason ? ` — ${v.statusReason}` : '';
        return `${r.buyer.scenario.padEnd(34)} ${v.invoiceNumber.padEnd(16)} ${v.status.padEnd(22)} ${(v.chorusStatus ?? '').padEnd(26)}${task}${reason}`;
      })
      .join('\n');
    if (table !== previous) {
      if (live) process.stdout.write('\x1b[2J\x1b[H');
      console.log(
        `${'buyer scenario'.padEnd(34)} ${'invoice'.padEnd(16)} ${'status'.padEnd(22)} ${'Chorus status'.padEnd(26)}\n${table}\n`,
      );
      previous = table;
    }
    if (
      runs.every((r) => r.view && (END_STATES.includes(r.view.status) || (!answerTasks && r.view.openTask)))
    )
      break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const done = runs.filter((r) => r.view && END_STATES.includes(r.view.status)).length;
  console.log(
    `${done}/${runs.length} invoices reached an end state in ${Math.round((Date.now() - started) / 1000)} s.`,
  );
  if (!answerTasks) console.log('Open tasks: curl -s ' + `${api}/v1/tasks`);
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`demo failed: ${message}\nIs the stack running? Start it with ./run start`);
  process.exit(1);
});
