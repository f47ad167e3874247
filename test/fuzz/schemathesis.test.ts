/**
 * Schemathesis, the standard OpenAPI fuzzer, against the real stack (Temporal dev server, worker,
 * simulator, API over HTTP), once per role's key, on the operations that role may call: examples,
 * coverage (boundary and missing values, undocumented methods), fuzzing and stateful sequences
 * along the document's links (submit → read → answer → cancel; create a connection → read → verify).
 * Checks: no server error, status codes, content types, headers and answer bodies as documented,
 * invalid data refused, valid data accepted, 405 with Allow. Seeded; see docs/fuzzing.md.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROUTE_POLICY } from '../../api/access';
import { DEVELOPMENT_KEYS } from '../../api/auth';
import { OPERATIONS, routeKey } from '../../api/operations';
import { ROLES, type Role } from '../../domain/actor';
import { ensureSchemathesis } from '../../scripts/schemathesis';
import { invoiceBody, startStack, type Stack } from '../e2e/stack-harness';
import { startHttpTarget, type HttpTarget } from '../helpers/http-target';

const SEED = Number(process.env.SCHEMATHESIS_SEED ?? 20261201);
const MAX_EXAMPLES = Number(process.env.SCHEMATHESIS_MAX_EXAMPLES ?? 20);
/** Roles fuzzed at the same time. */
const FUZZ_CONCURRENCY = Number(process.env.SCHEMATHESIS_CONCURRENCY ?? 2);
const ROLES_UNDER_TEST: readonly Role[] = process.env.SCHEMATHESIS_ROLES
  ? (process.env.SCHEMATHESIS_ROLES.split(',') as Role[])
  : ROLES;
const OUTPUT_DIR = path.join(__dirname, '..', '..', 'test-output', 'schemathesis');

export const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
  'negative_data_rejection',
  'positive_data_acceptance',
  'unsupported_method',
  'allow_header_conformance',
];

jest.setTimeout(20 * 60_000);

/** The operationIds a role may call (the policy table), plus the public ones. */
function operationsOf(role: Role): string[] {
  return OPERATIONS.filter((op) => {
    const policy = ROUTE_POLICY.find((p) => routeKey(p) === routeKey(op));
    return op.public || policy?.roles.includes(role);
  }).map((op) => op.operationId);
}

interface Run {
  code: number | null;
  output: string;
  seconds: number;
}

function schemathesis(executable: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // Asynchronous: the API under test answers from this same process.
    const child = spawn(executable, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output, seconds: (Date.now() - started) / 1000 }));
  });
}

describe('Schemathesis against the real stack, every role', () => {
  let stack: Stack;
  let webhooks: HttpTarget;
  let executable: string;

  beforeAll(async () => {
    executable = ensureSchemathesis();
    webhooks = await startHttpTarget();
    stack = await startStack();
    mkdirSync(OUTPUT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await stack?.stop();
    await webhooks?.close();
  });

  /**
   * The passes of one role: single requests (examples, coverage, fuzzing) on every operation it may
   * call, then sequences along the links, one group of operations at a time (with every operation
   * at once, the sequences spend their budget on the cheapest ones).
   */
  function passesOf(role: Role): Array<{ name: string; phases: string; operationIds: string[] }> {
    const ids = operationsOf(role);
    const mine = (...operationIds: string[]) => operationIds.filter((id) => ids.includes(id));
    return (
      [
        { name: 'requests', phases: 'examples,coverage,fuzzing', operationIds: ids },
        {
          name: 'invoice-sequences',
          phases: 'stateful',
          operationIds: mine(
            'submitInvoice',
            'getInvoice',
            'answerTask',
            'cancelInvoice',
            'getInvoiceHistory',
          ),
        },
        {
          name: 'batch-sequences',
          phases: 'stateful',
          operationIds: mine('submitInvoiceBatch', 'getInvoiceBatch', 'getInvoice'),
        },
        {
          name: 'list-sequences',
          phases: 'stateful',
          operationIds: mine('listInvoices', 'listTasks', 'getInvoice', 'answerTask'),
        },
        {
          name: 'connection-sequences',
          phases: 'stateful',
          operationIds: mine(
            'listConnections',
            'getConnection',
            'createConnection',
            'replaceCredentials',
            'verifyConnection',
          ),
        },
      ]
        // A batch sequence starts with a submission: roles that may only read batches have none.
        .filter((pass) => pass.name !== 'batch-sequences' || pass.operationIds.includes('submitInvoiceBatch'))
        .filter((pass) => pass.operationIds.length > 1)
    );
  }

  /** One role's passes, in order: the failures found (empty when none). */
  async function fuzzRole(role: Role): Promise<string[]> {
    // Invoices for this role: one waiting for an engagement number (an open task), one for approval.
    const seeded = [
      await stack.submit(invoiceBody(stack, 'buyer.requires-engagement')),
      await stack.submit(invoiceBody(stack, 'buyer.no-requirement', { requireApproval: true })),
    ];
    const batch = await stack.http.post('v1/invoice-batches', {
      json: { invoices: [invoiceBody(stack, 'buyer.no-requirement')] },
    });
    if (batch.statusCode !== 202)
      throw new Error(`seeding a batch: ${batch.statusCode} ${JSON.stringify(batch.body)}`);
    const seededBatch = (batch.body as unknown as { id: string }).id;
    const failures: string[] = [];
    for (const pass of passesOf(role)) {
      const phases = process.env.SCHEMATHESIS_PHASES ?? pass.phases;
      const operations = process.env.SCHEMATHESIS_OPERATIONS ?? `^(${pass.operationIds.join('|')})$`;
      const report = path.join(OUTPUT_DIR, `${role}-${pass.name}`);
      const args = [
        '--config-file',
        path.join(__dirname, 'schemathesis', 'schemathesis.toml'),
        'run',
        `${stack.api.url}/v1/openapi.json`,
        '--url',
        stack.api.url,
        '--header',
        `Authorization: Bearer ${DEVELOPMENT_KEYS[role]}`,
        '--include-operation-id-regex',
        operations,
        '--checks',
        CHECKS.join(','),
        '--phases',
        phases,
        '--max-examples',
        String(MAX_EXAMPLES),
        '--seed',
        String(SEED),
        '--generation-database',
        'none',
        // One worker: CPython 3.11 can fail compiling regexes from several threads at once.
        '--workers',
        '1',
        '--request-timeout',
        '30',
        '--max-failures',
        '20',
        '--no-color',
        '--report',
        'junit,ndjson',
        '--report-junit-path',
        `${report}.junit.xml`,
        '--report-ndjson-path',
        `${report}.ndjson`,
      ];
      const run = await schemathesis(executable, args, {
        ...process.env,
        PYTHONPATH: path.join(__dirname, 'schemathesis'),
        SCHEMATHESIS_HOOKS: 'hooks',
        FUZZ_CONNECTION_ID: stack.connectionId,
        FUZZ_API_URL: stack.api.url,
        FUZZ_UPLOAD_KEY: DEVELOPMENT_KEYS.system,
        FUZZ_INVOICE_IDS: seeded.join(','),
        FUZZ_BATCH_IDS: seededBatch,
        FUZZ_WEBHOOK_URL: `${webhooks.url}/status/204`,
      });
      writeFileSync(`${report}.txt`, run.output);
      const summary = run.output
        .split('\n')
        .filter((l) => /API Links|Scenarios|generated|issues found|failures in/.test(l))
        .map((l) => `  ${l.trim()}`);
      process.stdout.write(
        `Schemathesis, ${role} key, ${pass.name} (${phases}; ${pass.operationIds.length} operations, seed ${SEED}): ` +
          `${run.seconds.toFixed(0)} s, exit ${run.code}\n${summary.join('\n')}\n`,
      );
      if (run.code !== 0) failures.push(`${pass.name} (${report}.txt):\n${run.output.slice(-12000)}`);
    }
    return failures;
  }

  /**
   * Every role's run, two at a time (each role has its own key and invoices; the machine has two
   * cores): started by the first role's test, awaited by each role's own test.
   */
  const runs = new Map<Role, Promise<string[]>>();
  function startRuns(): void {
    if (runs.size > 0) return;
    let active = 0;
    const waiting: Array<() => void> = [];
    for (const role of ROLES_UNDER_TEST) {
      const run = (async () => {
        if (active >= FUZZ_CONCURRENCY) await new Promise<void>((resolve) => waiting.push(resolve));
        active += 1;
        try {
          return await fuzzRole(role);
        } finally {
          active -= 1;
          waiting.shift()?.();
        }
      })();
      run.catch(() => undefined); // awaited (and reported) by its role's test
      runs.set(role, run);
    }
  }

  it.each(ROLES_UNDER_TEST.map((role) => [role]))('%s key: no failure', async (role) => {
    startRuns();
    const failures = await runs.get(role)!;
    if (failures.length > 0) {
      throw new Error(`Schemathesis found failures for the ${role} key:\n${failures.join('\n\n')}`);
    }
  });
});
