/**
 * End to end: exactly-once submission under lost answers and a worker restart, webhooks, lists
 * from visibility, buyers that never report payment or report out of order.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InvoiceEvent } from '../../workflows/contracts/invoice';
import type { InvoiceView } from '../../workflows/contracts/invoice';
import * as sa from '../../workflows/contracts/search-attributes';
import { invoiceBody, startStack, type Stack } from './stack-harness';

const DAY = 86_400;

interface Received {
  event: InvoiceEvent;
  signature: string;
  rawBody: string;
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return body;
}

describe('exactly once, webhooks and tracking end to end', () => {
  let stack: Stack;
  let hooks: Server;
  let hookUrl: string;
  const received: Received[] = [];
  let refuseNextHook = true;

  beforeAll(async () => {
    stack = await startStack({ timings: { paymentHorizon: '6 seconds' } });
    hooks = createServer((req, res) => {
      void readBody(req).then((rawBody) => {
        // The first delivery is refused: the activity must retry it.
        if (refuseNextHook) {
          refuseNextHook = false;
          res.writeHead(503).end();
          return;
        }
        received.push({
          event: JSON.parse(rawBody) as InvoiceEvent,
          signature: String(req.headers['x-chorus-signature']),
          rawBody,
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hooks`;
  });
  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => hooks?.close(resolve));
  });

  const submit = async (body: Record<string, unknown>): Promise<string> => {
    const response = await stack.http.post('v1/invoices', { json: body });
    expect(response.statusCode).toBe(202);
    return (response.body as unknown as { id: string }).id;
  };
  const deposited = (v: InvoiceView) => v.status === 'TRACKING' && v.chorusInvoiceId !== undefined;
  const countInSimulator = (invoiceNumber: string) =>
    Object.values(stack.simulator.ctx.counters.snapshot().invoices).reduce(
      (n, perSupplier) => n + (perSupplier[invoiceNumber] ?? 0),
      0,
    );

  it('adopts the invoice after a lost soumettre answer: exactly one invoice in Chorus', async () => {
    stack.simulator.faults.add({ route: 'factures/soumettre', loseAnswer: true, times: 1 });
    const body = invoiceBody(stack, 'buyer.no-requirement');
    const id = await submit(body);
    const view = await stack.waitFor(id, deposited, 'deposit after a lost answer');
    expect(view.timeline.some((t) => t.note?.includes('outcome unknown'))).toBe(true);
    expect(view.timeline.some((t) => t.note?.includes('adopted'))).toBe(true);
    expect(countInSimulator(String(body.invoiceNumber))).toBe(1);
    expect(stack.simulator.ctx.counters.snapshot().duplicatesRefused).toBe(0);
  });

  it('stops a repeatable 5xx on soumettre after a bounded number of tries and asks a person, who resumes it', async () => {
    // Five 503s in a row: the default number of attempts before asking.
    stack.simulator.faults.add({ route: 'factures/soumettre', failNext: 5, errorStatus: 503, times: 5 });
    const body = invoiceBody(stack, 'buyer.no-requirement');
    const id = await submit(body);
    const stuck = await stack.waitFor(id, (v) => v.openTask?.kind === 'SUBMISSION_FAILING', 'a person asked');
    expect(stuck.status).toBe('ACTION_REQUIRED');
    expect(stuck.statusReason).toMatch(/no usable answer to 5 attempts/);
    expect(countInSimulator(String(body.invoiceNumber))).toBe(0);
    const resumed = await stack.as('staff', 'luc').post(`v1/invoices/${encodeURIComponent(id)}/task`, {
      json: { taskId: stuck.openTask!.id, approve: true },
    });
    expect(resumed.statusCode).toBe(200);
    await stack.waitFor(id, deposited, 'deposit once Chorus answers again');
    expect(countInSimulator(String(body.invoiceNumber))).toBe(1);
  });

  it('survives a worker restart in the middle of soumettre: exactly one invoice in Chorus', async () => {
    // Long enough for SUBMITTING to be read: the deposit's workflow task answers no query while it
    // runs, and the API then reads the row the deposit stored beside its call (after 2 s).
    stack.simulator.faults.add({ route: 'factures/soumettre', latencyMs: 5000, times: 1 });
    const body = invoiceBody(stack, 'buyer.no-requirement');
    const id = await submit(body);
    await stack.waitFor(id, (v) => v.status === 'SUBMITTING', 'SUBMITTING');
    await stack.restartWorker();
    await stack.waitFor(id, deposited, 'deposit after the restart', 90_000);
    expect(countInSimulator(String(body.invoiceNumber))).toBe(1);
  });

  it('posts a signed webhook event for every state change, retrying a refused delivery', async () => {
    const id = await submit(invoiceBody(stack, 'buyer.no-requirement', { webhookUrl: hookUrl }));
    await stack.waitFor(id, deposited, 'deposit');
    stack.simulator.ctx.clock.advance(40 * DAY);
    await stack.waitFor(id, (v) => v.status === 'PAID', 'PAID');
    const deadline = Date.now() + 30_000;
    const expected = ['CHECKING', 'SUBMITTED', 'TRACKING', 'PAID'];
    const seen = () =>
      received.filter((r) => r.event.invoice.workflowId === id).map((r) => r.event.invoice.status);
    // The first delivery was refused: it arrives again after the activity's retry delay.
    while (!expected.every((status) => seen().includes(status)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const mine = received.filter((r) => r.event.invoice.workflowId === id);
    expect(mine.map((r) => r.event.invoice.status)).toEqual(
      expect.arrayContaining(['CHECKING', 'SUBMITTED', 'TRACKING', 'PAID']),
    );
    expect(new Set(mine.map((r) => r.event.id)).size).toBe(mine.length);
    for (const r of mine) {
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(r.signature) ?? [];
      expect(createHmac('sha256', 'e2e-webhook-secret').update(`${t}.${r.rawBody}`).digest('hex')).toBe(v1);
    }
  });

  it('lists invoices from visibility with filters', async () => {
    const id = await submit(invoiceBody(stack, 'buyer.requires-engagement'));
    await stack.waitFor(id, (v) => v.status === 'AWAITING_DATA', 'AWAITING_DATA');
    const deadline = Date.now() + 15_000;
    let ids: string[] = [];
    while (!ids.includes(id) && Date.now() < deadline) {
      const page = await stack.http.get('v1/invoices', {
        searchParams: { connectionId: stack.connectionId, status: 'AWAITING_DATA', hasOpenTask: 'true' },
      });
      expect(page.statusCode).toBe(200);
      ids = (page.body as unknown as { invoices: Array<{ id: string }> }).invoices.map((i) => i.id);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(ids).toContain(id);
    const attributes = (await stack.client.workflow.getHandle(id).describe()).typedSearchAttributes;
    expect(attributes.get(sa.InvoiceStatus)).toBe('AWAITING_DATA');
    expect(attributes.get(sa.HasOpenTask)).toBe(true);
    expect(attributes.get(sa.ConnectionId)).toBe(stack.connectionId);
    expect(attributes.get(sa.BuyerSiret)).toBe(stack.buyerSiret('buyer.requires-engagement'));
    expect(attributes.get(sa.SupplierSiret)).toMatch(/^\d{14}$/);
    expect(attributes.get(sa.InvoiceNumber)).toBe(id.split(':')[2]);
    const bad = await stack.http.get('v1/invoices', { searchParams: { status: "X' OR 1=1" } });
    expect(bad.statusCode).toBe(400);
    expect(
      (bad.body as unknown as { error: { fields: Record<string, string> } }).error.fields.status,
    ).toBeDefined();
  });

  it('ends tracking after the horizon for a buyer that never reports payment, and reads out-of-order statuses right', async () => {
    const silent = await submit(invoiceBody(stack, 'buyer.never-reports-payment'));
    const helios = await submit(invoiceBody(stack, 'buyer.out-of-order'));
    await stack.waitFor(silent, deposited, 'deposit');
    await stack.waitFor(helios, deposited, 'deposit');
    stack.simulator.ctx.clock.advance(40 * DAY);
    const paid = await stack.waitFor(
      helios,
      (v) => v.status === 'PAID',
      'PAID despite MANDATEE after MISE_EN_PAIEMENT',
    );
    expect(paid.chorusTimeline.map((o) => o.status)).toEqual(
      expect.arrayContaining(['MISE_EN_PAIEMENT', 'MANDATEE']),
    );
    const ended = await stack.waitFor(silent, (v) => v.status === 'TRACKING_ENDED', 'TRACKING_ENDED', 40_000);
    expect(ended.chorusStatus).toBe('MANDATEE');
    expect(ended.statusReason).toMatch(/may not report payments/);
  });
});
