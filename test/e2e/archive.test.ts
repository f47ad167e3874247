/**
 * Records that outlive the workflow, end to end: an invoice is paid, its closed run archived, then
 * deleted from Temporal (as retention would); the API still reads, lists, shows its timeline and raw
 * history and exports its evidence, and `npm run replay` replays it, all from the database.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import { InvoiceArchiver } from '../../worker/archiver';
import { archiveIntact, archivedRuns, timelineEntries } from '../../platform/database';
import { createLogger } from '../../platform/logger';
import type { InvoiceView } from '../../workflows/contracts/invoice';
import { testServer } from '../helpers/temporal';
import { invoiceBody, startStack, type Stack } from './stack-harness';

const DAY = 86_400; // the simulator clock moves in seconds
const PDF = Buffer.from('%PDF-1.4 bon de livraison').toString('base64');
const root = path.resolve(__dirname, '../..');

function replayCli(args: string[], env: Record<string, string>) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', path.join(root, 'scripts/replay.ts'), ...args],
      {
        cwd: root,
        env: { ...process.env, DATA_DIR: mkdtempSync(path.join(tmpdir(), 'replay-archive-')), ...env },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += String(c)));
    child.stderr.on('data', (c) => (stderr += String(c)));
    const timer = setTimeout(() => child.kill(), 180_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('archive: an invoice deleted from Temporal is still read, listed, audited, exported and replayed', () => {
  let stack: Stack;
  let id: string;
  let body: Record<string, unknown>;
  const enc = () => encodeURIComponent(id);

  beforeAll(async () => {
    stack = await startStack();
    body = invoiceBody(stack, 'buyer.no-requirement', {
      attachments: [{ fileName: 'bon-de-livraison.pdf', contentBase64: PDF }],
    });
    id = await stack.submit(body);
    await stack.waitFor(id, (v) => v.chorusInvoiceId !== undefined, 'deposit');
    // The audit of a paid invoice holds the statuses its tracker saw: DEPOSEE, then the payment.
    await stack.waitFor(id, (v) => v.chorusTimeline.some((o) => o.status === 'DEPOSEE'), 'DEPOSEE');
    stack.simulator.ctx.clock.advance(40 * DAY);
    await stack.waitFor(id, (v) => v.status === 'PAID', 'PAID');
    await stack.client.workflow.getHandle(id).result();

    const archiver = new InvoiceArchiver({
      client: stack.client,
      db: stack.db,
      logger: createLogger({ name: 'archive-test', level: 'silent' }),
      scope: `TaskQueue = '${stack.taskQueue}'`,
    });
    // Visibility may list the closed run a moment after it closed.
    await stack.waitUntil(
      async () =>
        (await archiver.archiveClosedRuns()) > 0 || (await archivedRuns(stack.db, id)).length > 0
          ? true
          : undefined,
      'the closed run archived',
    );
    expect(await archiver.archiveClosedRuns()).toBe(0); // idempotent: nothing new the second time

    const { runId } = await stack.client.workflow.getHandle(id).describe();
    // Temporal deletes asynchronously, through its own task queues: on a busy server (the whole suite
    // shares it) the request can wait behind other work, so it is repeated (idempotent) while waiting.
    const requestDeletion = () =>
      stack.client.workflowService
        .deleteWorkflowExecution({
          namespace: stack.client.options.namespace,
          workflowExecution: { workflowId: id, runId },
        })
        .catch(() => undefined);
    await requestDeletion();
    let requestedAt = Date.now();
    await stack.waitUntil(
      () =>
        stack.client.workflow
          .getHandle(id)
          .describe()
          .then(async () => {
            if (Date.now() - requestedAt > 15_000) {
              requestedAt = Date.now();
              await requestDeletion();
            }
            return undefined;
          })
          .catch((err: unknown) => (err instanceof WorkflowNotFoundError ? true : undefined)),
      'the workflow deleted from Temporal',
      180_000,
    );
  }, 300_000);
  afterAll(async () => {
    if (process.env.SHOW_ERRORS)
      process.stdout.write(stack.logLines.filter((l) => /"level":50/.test(l)).join(''));
    await stack?.stop();
  });

  it('keeps the run as stored with its decoded timeline and a content hash that checks', async () => {
    const runs = await archivedRuns(stack.db, id);
    expect(runs).toHaveLength(1);
    expect(runs[0].closeStatus).toBe('COMPLETED');
    expect(runs[0].contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(archiveIntact(runs[0])).toBe(true);
    // As stored: the payloads are still encrypted, the invoice's lines are not readable in it (its id is).
    expect(runs[0].history).toContain(Buffer.from('binary/encrypted').toString('base64'));
    expect(runs[0].history).not.toContain('Maintenance');
    expect(timelineEntries(runs[0]).length).toBeGreaterThan(5);
    expect(archiveIntact({ ...runs[0], history: runs[0].history.replace('"eventId"', '"eventld"') })).toBe(
      false,
    );
  });

  it('reads the invoice from its row, says so, and lists it', async () => {
    const read = await stack.http.get(`v1/invoices/${enc()}`);
    expect(read.statusCode).toBe(200);
    const view = read.body as unknown as InvoiceView & { read: Record<string, unknown> };
    expect(view).toMatchObject({ status: 'PAID', chorusStatus: 'MISE_EN_PAIEMENT' });
    expect(view.read).toMatchObject({ source: 'database', archived: true, possiblyStale: false });
    const list = await stack.http.get('v1/invoices', {
      searchParams: {
        connectionId: stack.connectionId,
        status: 'PAID',
        invoiceNumber: String(body.invoiceNumber),
      },
    });
    expect((list.body as unknown as { invoices: Array<{ id: string; closedAt?: string }> }).invoices).toEqual(
      [expect.objectContaining({ id, closedAt: expect.any(String) })],
    );
  });

  it('serves the audit timeline and the raw history from the archive', async () => {
    const timeline = await stack.as('auditor').get(`v1/invoices/${enc()}/history`);
    expect(timeline.statusCode).toBe(200);
    const t = timeline.body as unknown as {
      source: string;
      entries: Array<{ kind: string; details: Record<string, unknown> }>;
    };
    expect(t.source).toBe('archive');
    expect(t.entries.find((e) => e.kind === 'result')?.details).toMatchObject({ status: 'PAID' });
    expect(t.entries.some((e) => e.kind === 'attachment.uploaded')).toBe(true);

    const raw = await stack.as('auditor').get(`v1/invoices/${enc()}/history`, {
      searchParams: { format: 'temporal' },
      responseType: 'text',
    });
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['x-history-source']).toBe('archive');
    expect(raw.headers['x-payloads']).toBe('decoded');
    expect(raw.body).toContain(String(body.invoiceNumber));
  });

  it('exports the evidence bundle: invoice, attachment hashes, Chorus statuses with their dates, timeline, raw history', async () => {
    const response = await stack.as('auditor').get(`v1/invoices/${enc()}/evidence`);
    expect(response.statusCode).toBe(200);
    const bundle = response.body as unknown as {
      source: string;
      invoice: InvoiceView;
      attachments: Array<{ fileName: string; ref: string }>;
      chorusStatuses: Array<{ status: string; at: string }>;
      timeline: unknown[];
      runs: Array<{ archived: boolean; contentHash: string; history: { events: unknown[] } }>;
      bundleHash: string;
    };
    expect(bundle.source).toBe('archive');
    expect(bundle.invoice.status).toBe('PAID');
    expect(bundle.attachments).toEqual([
      expect.objectContaining({
        fileName: 'bon-de-livraison.pdf',
        ref: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      }),
    ]);
    expect(bundle.chorusStatuses.map((s) => s.status)).toEqual(
      expect.arrayContaining(['DEPOSEE', 'MISE_EN_PAIEMENT']),
    );
    for (const s of bundle.chorusStatuses) expect(s.at).toMatch(/^\d{4}-\d{2}-\d{2}/);
    expect(bundle.timeline.length).toBeGreaterThan(5);
    expect(bundle.runs).toEqual([
      expect.objectContaining({ archived: true, contentHash: expect.stringMatching(/^sha256:/) }),
    ]);
    expect(bundle.runs[0].history.events.length).toBeGreaterThan(5);
    expect(bundle.bundleHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await stack.as('system').get(`v1/invoices/${enc()}/evidence`)).statusCode).toBe(403);
  });

  it('keeps the number taken: the same number with other content is still a 409', async () => {
    const again = await stack.as('system').post('v1/invoices', {
      json: {
        ...body,
        lines: [{ description: 'autre', quantity: '1', unitPriceExclVat: '1.00', vatRatePercent: '20' }],
      },
    });
    expect(again.statusCode).toBe(409);
  });

  it('replays it with npm run replay -- --workflow-id, from the archive', async () => {
    const { status, stdout, stderr } = await replayCli(['--workflow-id', id], {
      TEMPORAL_ADDRESS: testServer().address,
      DATABASE_URL: stack.databaseUrl,
      PAYLOAD_KEYS: stack.payloadKeys,
    });
    expect({ status, stderr: stderr.slice(-500) }).toMatchObject({ status: 0 });
    expect(stdout).toContain('no longer in Temporal: replaying its 1 archived run(s)');
    expect(stdout).toMatch(
      new RegExp(`ok {4}${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} run .* \\(archive\\)`),
    );
    expect(stdout).toContain('1 ok, 0 failed');
  });
});
