import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createChorusProClient, type Schemas } from '../../clients/typescript/src';
import { ensureSchemathesis, venvPython } from '../../scripts/schemathesis';
import { invoiceBody, startStack, type Stack } from '../e2e/stack-harness';

/**
 * The contract proven by use: the committed client types are what the generator writes from today's
 * document, the typed TypeScript client submits, reads and answers on the real stack, and so does
 * the Python example of docs/examples.
 */

/** Runs a program asynchronously (the API under test answers from this process); stdout + stderr. */
function run(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('typed client', () => {
  it('is generated from the current OpenAPI document (npm run generate-client)', async () => {
    const root = path.join(__dirname, '..', '..');
    const committed = readFileSync(path.join(root, 'clients', 'typescript', 'src', 'schema.ts'), 'utf8');
    // In a child process: the generator's dependencies are ES modules, which jest cannot load.
    const { code, output: expected } = await run(process.execPath, [
      '-r',
      'ts-node/register/transpile-only',
      path.join(root, 'scripts', 'generate-client.ts'),
      '--stdout',
    ]);
    expect(code).toBe(0);
    // On failure: the API's schemas changed; run `npm run generate-client` and commit the result.
    expect(committed === expected).toBe(true);
  });
});

describe('typed client and the Python example on the real stack', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('submits, reads, answers the task and lists through the typed client', async () => {
    const system = createChorusProClient({ baseUrl: stack.api.url, apiKey: 'dev-key-system' });
    const staff = createChorusProClient({
      baseUrl: stack.api.url,
      apiKey: 'dev-key-staff',
      actingUser: 'claire',
    });
    const body = invoiceBody(stack, 'buyer.requires-engagement') as unknown as Schemas['InvoiceSubmission'];
    const submitted = await system.POST('/v1/invoices', { body });
    expect(submitted.response.status).toBe(202);
    const id = submitted.data!.id;

    let task;
    for (const deadline = Date.now() + 30_000; !task && Date.now() < deadline;) {
      const read = await system.GET('/v1/invoices/{id}', { params: { path: { id } } });
      task = read.data?.openTask;
      if (!task) await new Promise((r) => setTimeout(r, 200));
    }
    expect(task?.fields.map((f) => f.field)).toContain('references.engagementNumber');

    const refused = await staff.POST('/v1/invoices/{id}/task', {
      params: { path: { id } },
      body: { taskId: task!.id, values: { 'references.engagementNumber': 'x'.repeat(60) } },
    });
    expect(refused.response.status).toBe(422);
    expect(refused.error?.error.fields).toHaveProperty(['references.engagementNumber']);

    const engagement = stack.simulator.ctx.dataset.structures.find(
      (s) => s.scenario === 'buyer.requires-engagement',
    )!.engagements[0].numeroEngagementJuridique;
    const answered = await staff.POST('/v1/invoices/{id}/task', {
      params: { path: { id } },
      body: { taskId: task!.id, values: { 'references.engagementNumber': engagement } },
    });
    expect(answered.data).toMatchObject({ accepted: true });

    // Once an invoice has ended, a cancel is a conflict with its state (409), not a missing invoice.
    const other = await system.POST('/v1/invoices', {
      body: invoiceBody(stack, 'buyer.requires-engagement') as unknown as Schemas['InvoiceSubmission'],
    });
    const cancel = () =>
      system.POST('/v1/invoices/{id}/cancel', {
        params: { path: { id: other.data!.id } },
        body: { reason: 'test' },
      });
    expect((await cancel()).data).toMatchObject({ status: 'CANCELLED' });
    await stack.client.workflow.getHandle(other.data!.id).result();
    const again = await cancel();
    expect({ status: again.response.status, code: again.error?.error.code }).toEqual({
      status: 409,
      code: 'invoice_ended',
    });

    const listed = await system.GET('/v1/invoices', {
      params: { query: { connectionId: stack.connectionId } },
    });
    expect(listed.data?.invoices.map((i) => i.id)).toContain(id);
  });

  it('runs the Python example (docs/examples/submit_invoice.py) to an answered task', async () => {
    ensureSchemathesis(); // the venv, with requests
    const engagement = stack.simulator.ctx.dataset.structures.find(
      (s) => s.scenario === 'buyer.requires-engagement',
    )!;
    const script = path.join(__dirname, '..', '..', 'docs', 'examples', 'submit_invoice.py');
    const { code, output } = await run(venvPython(), [script], {
      API_URL: stack.api.url,
      CONNECTION_ID: stack.connectionId,
      BUYER_SIRET: engagement.siret,
      ENGAGEMENT_NUMBER: engagement.engagements[0].numeroEngagementJuridique,
      WAIT_FOR: 'TRACKING',
    });
    expect({ code, output }).toMatchObject({ code: 0 });
    expect(output).toMatch(/task asks for references\.engagementNumber/);
    expect(output).toMatch(/answered: \{'accepted': True/);
    expect(output).toMatch(/^TRACKING /m);
  });
});
