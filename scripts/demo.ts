/**
 * `npm run demo` — against a running stack (`./run start`): submits one invoice per buyer scenario
 * of the simulator's data set through the REST API and shows their progress live until each one
 * reaches its end state. Tasks are answered the way a person would (the first allowed value,
 * approval, a supporting document) unless `--leave-tasks` is given, so you can answer them with
 * curl as in the README walkthrough.
 *
 *   npm run demo [-- --leave-tasks] [--api http://127.0.0.1:3000] [--simulator http://127.0.0.1:3100]
 *   npm run demo -- --batch 300    # 300 invoices as one batch (POST /v1/invoice-batches), with a progress bar
 *
 * It submits with a `system` key and answers tasks with a `staff` key: API_KEY_SYSTEM and
 * API_KEY_STAFF, or the development keys when the service runs in development mode. Every call to
 * the API goes through the typed client generated from its OpenAPI document (clients/typescript),
 * so the demo proves the contract by using it.
 */
import got from 'got';
import { answerAsAPersonWould } from './answers';
import { createChorusProClient, type Schemas } from '../clients/typescript/src';
import { INVOICE_STATUSES, TERMINAL_STATUSES } from '../workflows/contracts/invoice';

type InvoiceView = Schemas['InvoiceView'];
type InvoiceSubmission = Schemas['InvoiceSubmission'];

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

const END_STATES: readonly string[] = TERMINAL_STATUSES;
const PDF = Buffer.from('%PDF-1.4\n% justificatif de démonstration\n').toString('base64');

const http = got.extend({ retry: { limit: 0 }, timeout: { request: 10_000 }, responseType: 'json' });
const system = createChorusProClient({
  baseUrl: api,
  apiKey: process.env.API_KEY_SYSTEM ?? 'dev-key-system',
});
const staff = createChorusProClient({
  baseUrl: api,
  apiKey: process.env.API_KEY_STAFF ?? 'dev-key-staff',
  actingUser: 'demo',
});

/** The error body of a refused call, for the console. */
const refusal = (status: number, error: unknown) => `HTTP ${status} ${JSON.stringify(error)}`;

function sample(buyer: DatasetStructure, index: number): InvoiceSubmission {
  const stamp = Date.now().toString(36).toUpperCase().slice(-5);
  return {
    connectionId,
    invoiceNumber: `DEMO-${stamp}-${String(index + 1).padStart(2, '0')}`,
    issueDate: new Date().toISOString().slice(0, 10),
    buyer: { siret: buyer.siret },
    // A subcontractor's invoice (validated by the main contractor) for the validator scenarios.
    billingFrame: buyer.scenario.startsWith('buyer.validator-') ? 'A9' : 'A1',
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

async function main(): Promise<void> {
  const dataset = await http.get(`${simulator}/__admin/dataset`).json<{ structures: DatasetStructure[] }>();
  const buyers = dataset.structures.filter((s) => s.scenario.startsWith('buyer.'));
  const mainContractor = dataset.structures.find((s) => s.scenario === 'validator.main-contractor');
  console.log(`Submitting ${buyers.length} invoices on connection "${connectionId}" to ${api} …`);
  const runs: Array<{ id: string; buyer: DatasetStructure; view?: InvoiceView; answered: Set<string> }> = [];
  for (const [i, buyer] of buyers.entries()) {
    const { data, error, response } = await system.POST('/v1/invoices', { body: sample(buyer, i) });
    if (!data) {
      console.error(`  ${buyer.scenario}: ${refusal(response.status, error)}`);
      continue;
    }
    runs.push({ id: data.id, buyer, answered: new Set() });
  }

  const started = Date.now();
  const live = process.stdout.isTTY;
  let previous = '';
  while (Date.now() - started < timeoutMs) {
    for (const run of runs) {
      const params = { path: { id: run.id } };
      const read = await system.GET('/v1/invoices/{id}', { params });
      if (!read.data) throw new Error(`reading ${run.id}: ${refusal(read.response.status, read.error)}`);
      run.view = read.data;
      const task = run.view.openTask;
      if (answerTasks && task && !run.answered.has(task.id)) {
        run.answered.add(task.id);
        const answer = answerAsAPersonWould(task, run.buyer, mainContractor?.siret);
        // Nothing a person could pick (e.g. an inactive buyer structure): cancel, as they would.
        const done = answer
          ? await staff.POST('/v1/invoices/{id}/task', { params, body: answer })
          : await system.POST('/v1/invoices/{id}/cancel', {
              params,
              body: { reason: `demo: ${task.fields.map((f) => f.why).join(' ')}` },
            });
        if (done.error)
          console.error(`  ${run.buyer.scenario}: ${refusal(done.response.status, done.error)}`);
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

const BAR_WIDTH = 50;
/**
 * Where each status stands in the bar: not started, before Chorus, deposited and followed, ended
 * (the statuses are listed in lifecycle order: before Chorus Pro until SUBMITTED).
 */
const FIRST_IN_CHORUS = INVOICE_STATUSES.indexOf('SUBMITTED');
const BAR_STAGES: Array<{ mark: string; label: string; statuses: string[] }> = [
  { mark: '·', label: 'not started', statuses: ['NOT_STARTED'] },
  { mark: '░', label: 'before Chorus Pro', statuses: INVOICE_STATUSES.slice(0, FIRST_IN_CHORUS) },
  {
    mark: '▒',
    label: 'in Chorus Pro',
    statuses: INVOICE_STATUSES.slice(FIRST_IN_CHORUS).filter((s) => !END_STATES.includes(s)),
  },
  { mark: '█', label: 'ended', statuses: [...END_STATES, 'CONFLICT'] },
];

/** `[████▒▒▒░░··]` from the batch's counts by status, each stage in proportion to its invoices. */
function progressBar(counts: Record<string, number | undefined>, total: number): string {
  let bar = '';
  for (const stage of BAR_STAGES) {
    const n = stage.statuses.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
    bar += stage.mark.repeat(Math.round((n / Math.max(total, 1)) * BAR_WIDTH));
  }
  return `[${bar.slice(0, BAR_WIDTH).padEnd(BAR_WIDTH, ' ')}]`;
}

/** `--batch N`: N invoices to a buyer that needs nothing more, sent as one batch and followed to their end. */
async function batchDemo(size: number): Promise<void> {
  const dataset = await http.get(`${simulator}/__admin/dataset`).json<{ structures: DatasetStructure[] }>();
  const buyer = dataset.structures.find((s) => s.scenario === 'buyer.no-requirement');
  if (!buyer) throw new Error('the simulator has no buyer.no-requirement structure');
  const invoices = Array.from({ length: size }, (_, i) => ({
    ...sample(buyer, i),
    invoiceNumber: `B${Date.now().toString(36).toUpperCase().slice(-6)}-${String(i + 1).padStart(4, '0')}`,
    requireApproval: false,
  }));
  const sentAt = Date.now();
  const sent = await system.POST('/v1/invoice-batches', { body: { invoices } });
  if (!sent.data) throw new Error(`sending the batch: ${refusal(sent.response.status, sent.error)}`);
  const { id } = sent.data;
  console.log(
    `Batch ${id}: ${sent.data.accepted} invoices accepted in ${Date.now() - sentAt} ms on connection "${connectionId}".`,
  );
  console.log(BAR_STAGES.map((s) => `${s.mark} ${s.label}`).join('   '));
  const live = process.stdout.isTTY;
  let previous = '';
  while (Date.now() - sentAt < timeoutMs) {
    const read = await system.GET('/v1/invoice-batches/{id}', { params: { path: { id } } });
    if (!read.data) throw new Error(`reading ${id}: ${refusal(read.response.status, read.error)}`);
    const { counts, total, progress } = read.data;
    const ended = BAR_STAGES[3].statuses.reduce((sum, s) => sum + (counts[s as keyof typeof counts] ?? 0), 0);
    const summary = Object.entries(counts)
      .map(([status, n]) => `${status} ${n}`)
      .join(', ');
    const line = `${progressBar(counts, total)} ${ended}/${total} ended — ${summary} (started ${progress.started + progress.existing}/${total})`;
    if (line !== previous) {
      if (live) process.stdout.write(`\r\x1b[K${line}`);
      else console.log(line);
      previous = line;
    }
    if (ended >= total) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  if (live) process.stdout.write('\n');
  console.log(`Done in ${Math.round((Date.now() - sentAt) / 1000)} s: GET ${api}/v1/invoice-batches/${id}`);
}

const batchSize = args.includes('--batch') ? Number(option('--batch', '300')) : undefined;
if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 1000)) {
  console.error('--batch takes a number of invoices from 1 to 1000');
  process.exit(2);
}

(batchSize !== undefined ? batchDemo(batchSize) : main()).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`demo failed: ${message}\nIs the stack running? Start it with ./run start`);
  process.exit(1);
});
