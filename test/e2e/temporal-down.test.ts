/**
 * The API answers invoice reads while the Temporal server is stopped: from the rows the workflows
 * recorded, flagged as possibly stale; lists and the task inbox too. This file runs its own Temporal
 * dev server (the run's shared one must not stop) and restarts it before it ends.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDevServer, type DevServer } from '../../scripts/temporal';
import type { InvoiceView } from '../../workflows/contracts/invoice';
import { invoiceBody, startStack, type Stack } from './stack-harness';

describe('invoice reads while Temporal is down', () => {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'chorus-temporal-down-'));
  chmodSync(stateDir, 0o755);
  const dbFile = path.join(stateDir, 'temporal.sqlite');
  let server: DevServer;
  let stack: Stack;
  let waiting: string;
  let deposited: string;

  beforeAll(async () => {
    server = await startDevServer({ dbFile, stateDir, readyTimeoutMs: 90_000, log: () => {} });
    stack = await startStack({ temporal: { address: server.address, namespace: server.namespace } });
    waiting = await stack.submit(invoiceBody(stack, 'buyer.requires-engagement'));
    deposited = await stack.submit(invoiceBody(stack, 'buyer.no-requirement'));
    await stack.waitFor(waiting, (v) => v.status === 'AWAITING_DATA', 'AWAITING_DATA');
    await stack.waitFor(deposited, (v) => v.chorusInvoiceId !== undefined, 'deposit');
    // The rows follow the workflows within moments.
    await stack.waitUntil(async () => {
      const tasks = await stack.http.get('v1/tasks');
      const ids = (tasks.body as unknown as { tasks: Array<{ invoiceId: string }> }).tasks.map(
        (t) => t.invoiceId,
      );
      return ids.includes(waiting) ? true : undefined;
    }, 'the open task recorded');
    await server.stop();
  });
  afterAll(async () => {
    // Back up on the same port and file, so the worker and clients close cleanly.
    server = await startDevServer({
      dbFile,
      stateDir,
      port: Number(server.address.split(':')[1]),
      log: () => {},
    });
    if (stack) {
      await stack.waitUntil(
        async () => ((await stack.http.get('healthz')).statusCode === 200 ? true : undefined),
        'Temporal reachable again',
        90_000,
      );
      // Calls made while the server was down are retried by the client on timers of up to 6 s
      // (5 s, 20 % jitter); one firing after the connection is closed throws. Let them run first.
      await new Promise((r) => setTimeout(r, 6_500));
    }
    await stack?.stop();
    await server.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }, 240_000);

  it('reads an invoice from its row, flagged as possibly stale', async () => {
    for (const [id, status] of [
      [waiting, 'AWAITING_DATA'],
      [deposited, undefined],
    ] as const) {
      const response = await stack.http.get(`v1/invoices/${encodeURIComponent(id)}`);
      expect(response.statusCode).toBe(200);
      const view = response.body as unknown as InvoiceView & { read: Record<string, unknown> };
      if (status) expect(view.status).toBe(status);
      expect(view.invoiceNumber).toBe(id.split(':')[2]);
      expect(view.read).toMatchObject({
        source: 'database',
        possiblyStale: true,
        recordedAt: expect.any(String),
      });
    }
    const task = (
      (await stack.http.get(`v1/invoices/${encodeURIComponent(waiting)}`)).body as unknown as InvoiceView
    ).openTask;
    expect(task?.kind).toBe('MISSING_DATA');
  });

  it('lists invoices and open tasks from the database', async () => {
    const list = await stack.http.get('v1/invoices', { searchParams: { connectionId: stack.connectionId } });
    expect(list.statusCode).toBe(200);
    const ids = (list.body as unknown as { invoices: Array<{ id: string }> }).invoices.map((i) => i.id);
    expect(ids).toEqual(expect.arrayContaining([waiting, deposited]));
    const tasks = await stack.http.get('v1/tasks');
    expect(tasks.statusCode).toBe(200);
    expect(
      (tasks.body as unknown as { tasks: Array<{ invoiceId: string }> }).tasks.map((t) => t.invoiceId),
    ).toContain(waiting);
  });

  it('says in /healthz that Temporal is unreachable and the database answers', async () => {
    const health = await stack.http.get('healthz');
    expect(health.statusCode).toBe(503);
    expect(health.body).toEqual({ status: 'unavailable', temporal: 'unreachable', database: 'ok' });
  });
});
