/**
 * Invoice batches end to end (REST API → one workflow per invoice → simulator): a batch with
 * invalid items is refused whole with each error under its index; duplicate numbers are the same
 * invoice (same content) or a conflict (other content); a valid batch's invoices reach their deposit
 * in Chorus Pro and the batch counts them by status. Keys limited to another connection see nothing.
 */
import { randomBytes } from 'node:crypto';
import type { Got } from 'got';
import { hashApiKey, type ApiKeyEntry } from '../../api/auth';
import { BatchStarter } from '../../api/invoice-batches';
import { prepareSubmission } from '../../api/invoices';
import { jsonText } from '../../platform/database';
import { DatabaseBlobStore } from '../../platform/database-stores';
import { createLogger } from '../../platform/logger';
import type { z } from 'zod';
import type { InvoiceBatchView } from '../../api/schemas/batches';
import { invoiceBody, startStack, type Stack } from './stack-harness';

type Batch = z.output<typeof InvoiceBatchView>;

const key = (name: string) => `batch-${name}-${randomBytes(12).toString('hex')}`;
const KEYS = {
  system: key('system'),
  auditor: key('auditor'),
  otherSystem: key('other-system'),
  otherAuditor: key('other-auditor'),
};

describe('invoice batches end to end', () => {
  let stack: Stack;
  let system: Got;
  let auditor: Got;

  beforeAll(async () => {
    const apiKeys: ApiKeyEntry[] = [
      { id: 'system', role: 'system', connections: ['*'], hash: hashApiKey(KEYS.system) },
      { id: 'auditor', role: 'auditor', connections: ['*'], hash: hashApiKey(KEYS.auditor) },
      { id: 'other-system', role: 'system', connections: ['other'], hash: hashApiKey(KEYS.otherSystem) },
      { id: 'other-auditor', role: 'auditor', connections: ['other'], hash: hashApiKey(KEYS.otherAuditor) },
    ];
    stack = await startStack({ apiKeys });
    system = stack.withKey(KEYS.system);
    auditor = stack.withKey(KEYS.auditor);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const readBatch = async (id: string, as: Got = auditor): Promise<Batch> => {
    const read = await as.get(`v1/invoice-batches/${id}`);
    expect({ status: read.statusCode, body: read.body }).toMatchObject({ status: 200 });
    return read.body as unknown as Batch;
  };
  const rowsOf = (ids: string[]) =>
    stack.db.selectFrom('invoices').select('workflow_id').where('workflow_id', 'in', ids).execute();

  it('refuses a batch with invalid items whole: every error at once under its index, nothing started', async () => {
    const valid = invoiceBody(stack, 'buyer.no-requirement');
    const other = invoiceBody(stack, 'buyer.no-requirement');
    const response = await system.post('v1/invoice-batches', {
      json: {
        invoices: [
          valid,
          invoiceBody(stack, 'buyer.no-requirement', { buyer: { siret: '12345678901234' } }),
          other,
          invoiceBody(stack, 'buyer.no-requirement', { lines: [], connectionId: 'nowhere' }),
          invoiceBody(stack, 'buyer.no-requirement', { surprise: true }),
        ],
      },
    });
    expect(response.statusCode).toBe(400);
    const error = (response.body as unknown as { error: { code: string; fields: Record<string, string> } })
      .error;
    expect(error.code).toBe('validation_failed');
    expect(Object.keys(error.fields).sort()).toEqual([
      'invoices.1.buyer.siret',
      'invoices.3.lines',
      'invoices.4.surprise',
    ]);
    // The connection of item 3 is checked once its fields are valid: alone, it is refused by name.
    const unknown = await system.post('v1/invoice-batches', {
      json: { invoices: [valid, invoiceBody(stack, 'buyer.no-requirement', { connectionId: 'nowhere' })] },
    });
    expect(unknown.statusCode).toBe(400);
    expect(Object.keys((unknown.body as unknown as { error: { fields: object } }).error.fields)).toEqual([
      'invoices.1.connectionId',
    ]);
    // A key limited to another connection submits only there: this one is unknown to it.
    const otherTenant = await stack
      .withKey(KEYS.otherSystem)
      .post('v1/invoice-batches', { json: { invoices: [valid] } });
    expect(otherTenant.statusCode).toBe(400);
    const empty = await system.post('v1/invoice-batches', { json: { invoices: [] } });
    expect(empty.statusCode).toBe(400);

    const ids = [valid, other].map((b) => `invoice:${stack.connectionId}:${String(b.invoiceNumber)}`);
    expect(await rowsOf(ids)).toEqual([]);
    for (const id of ids) {
      const read = await system.get(`v1/invoices/${encodeURIComponent(id)}`);
      expect(read.statusCode).toBe(404);
    }
  });

  it('treats a number already used as the same invoice (same content) or a conflict (other content), in and across batches', async () => {
    const submitOne = async (body: Record<string, unknown>) => {
      const submitted = await system.post('v1/invoices', { json: body });
      expect(submitted.statusCode).toBe(202);
      return (submitted.body as unknown as { id: string }).id;
    };
    const earlier = invoiceBody(stack, 'buyer.no-requirement');
    const earlierId = await submitOne(earlier);
    const taken = invoiceBody(stack, 'buyer.no-requirement');
    const takenId = await submitOne(taken);
    const fresh = invoiceBody(stack, 'buyer.no-requirement');
    const changed = (body: Record<string, unknown>) => ({ ...body, issueDate: '2026-11-27' });

    const response = await system.post('v1/invoice-batches', {
      json: { invoices: [earlier, changed(taken), fresh, fresh, changed(fresh)] },
    });
    expect(response.statusCode).toBe(202);
    const accepted = response.body as unknown as { id: string; accepted: number };
    expect(accepted.accepted).toBe(5);
    expect(response.headers.location).toBe(`/v1/invoice-batches/${accepted.id}`);

    const batch = await stack.waitUntil(async () => {
      const b = await readBatch(accepted.id);
      return b.progress.pending === 0 ? b : undefined;
    }, 'the batch started');
    const freshId = `invoice:${stack.connectionId}:${String(fresh.invoiceNumber)}`;
    expect(batch.invoices.map((i) => [i.index, i.id, i.outcome, i.duplicateOf])).toEqual([
      [0, earlierId, 'existing', undefined],
      [1, takenId, 'conflict', undefined],
      [2, freshId, 'started', undefined],
      [3, freshId, 'existing', 2],
      [4, freshId, 'conflict', 2],
    ]);
    expect(batch.invoices[1].error?.message).toMatch(/already submitted .* with different content/);
    expect(batch.invoices[4].error?.message).toMatch(/item 2 of this batch/);
    expect(batch.progress).toEqual({ pending: 0, started: 1, existing: 2, conflict: 2 });
    expect(batch.counts.CONFLICT).toBe(2);
    expect(batch.startedAt).toBeDefined();
    // Each invoice once in the counts, whatever its current status.
    const counted = Object.entries(batch.counts)
      .filter(([k]) => k !== 'CONFLICT' && k !== 'NOT_STARTED')
      .reduce((sum, [, n]) => sum + (n ?? 0), 0);
    expect(counted).toBe(2);

    // The batch is another tenant's to a key limited to another connection: unknown.
    const hidden = await stack.withKey(KEYS.otherAuditor).get(`v1/invoice-batches/${accepted.id}`);
    expect(hidden.statusCode).toBe(404);
    const missing = await auditor.get(`v1/invoice-batches/batch_${'0'.repeat(32)}`);
    expect(missing.statusCode).toBe(404);
    // Not even a batch id (a NUL cannot reach a text column): unknown too, never a 500.
    const garbled = await auditor.get(`v1/invoice-batches/${encodeURIComponent('invoice:x:\u0000')}`);
    expect(garbled.statusCode).toBe(404);
  });

  it('starts each invoice of a batch as its own workflow and counts them by status up to their deposit', async () => {
    const N = 20;
    const bodies = Array.from({ length: N }, () => invoiceBody(stack, 'buyer.no-requirement'));
    const started = Date.now();
    const response = await system.post('v1/invoice-batches', { json: { invoices: bodies } });
    const answeredInMs = Date.now() - started;
    expect(response.statusCode).toBe(202);
    const { id } = response.body as unknown as { id: string };

    const deposited = await stack.waitUntil(
      async () => {
        const b = await readBatch(id);
        return b.counts.TRACKING === N ? b : undefined;
      },
      `${N} invoices deposited`,
      35_000,
    );
    expect(deposited.progress).toEqual({ pending: 0, started: N, existing: 0, conflict: 0 });
    expect(deposited.counts).toEqual({ TRACKING: N });
    expect(new Set(deposited.invoices.map((i) => i.id)).size).toBe(N);
    expect(deposited.invoices.every((i) => i.status === 'TRACKING')).toBe(true);
    // Each one is in Chorus Pro under its own number.
    const rows = await stack.db
      .selectFrom('invoices')
      .select(['workflow_id', 'chorus_invoice_id'])
      .where(
        'workflow_id',
        'in',
        deposited.invoices.map((i) => i.id),
      )
      .execute();
    expect(rows).toHaveLength(N);
    expect(rows.every((r) => r.chorus_invoice_id !== null)).toBe(true);
    process.stdout.write(`batch of ${N}: answered in ${answeredInMs} ms, all deposited\n`);
  });

  it('takes over a batch left half-started by a process that stopped (its lease ran out)', async () => {
    // The rows an API process leaves when it stops between storing a batch and starting its invoices.
    const body = invoiceBody(stack, 'buyer.no-requirement');
    const prepared = await prepareSubmission(
      {
        blobs: new DatabaseBlobStore(stack.db),
        connectionExists: async () => true,
        webhookVerdict: async () => ({ allowed: true }),
      },
      undefined,
      body,
    );
    const id = `batch_${randomBytes(16).toString('hex')}`;
    await stack.db
      .insertInto('invoice_batches')
      .values({
        id,
        key_id: 'system',
        connection_ids: [stack.connectionId],
        item_count: 1,
        locked_until: new Date(Date.now() - 1000),
      })
      .execute();
    await stack.db
      .insertInto('invoice_batch_items')
      .values({
        batch_id: id,
        position: 0,
        connection_id: stack.connectionId,
        invoice_number: String(body.invoiceNumber),
        workflow_id: prepared.workflowId,
        outcome: 'pending',
        input: jsonText(prepared),
      })
      .execute();
    expect((await readBatch(id)).progress.pending).toBe(1);
    const starter = new BatchStarter({
      client: stack.client,
      db: stack.db,
      taskQueue: stack.taskQueue,
      logger: createLogger({ name: 'batch-test', level: 'silent' }),
    });
    expect(await starter.run(id)).toBe(true);
    await starter.stop();
    const batch = await readBatch(id);
    expect(batch.progress).toEqual({ pending: 0, started: 1, existing: 0, conflict: 0 });
    expect(batch.invoices[0]).toMatchObject({ id: prepared.workflowId, outcome: 'started' });
    const read = await system.get(`v1/invoices/${encodeURIComponent(prepared.workflowId)}`);
    expect(read.statusCode).toBe(200);
  });
});
