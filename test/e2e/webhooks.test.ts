/**
 * Webhooks that do not give up, on the real stack: events are written to the outbox with each state
 * change; the delivery loop (driven here with its own clock, so a day passes in seconds) retries a
 * receiver that is down for a simulated day, then delivers every event, in order per invoice, once
 * each after dedup by event id; a given-up event is listed and redelivered; targets on private
 * addresses are refused; a rotated signing secret signs alongside the old one during the overlap.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_BACKOFF } from '../../activities/webhook-outbox/dispatcher';
import { verifySignature } from '../../activities/webhook-outbox/signing';
import type { WebhookEvent } from '../../api/webhooks';
import { invoiceBody, startStack, type Stack } from './stack-harness';

const DAY_S = 86_400; // the simulator clock moves in seconds
const HOUR_MS = 3_600_000;

interface Received {
  id: string;
  body: string;
  signature: string;
  invoiceId: string;
  sequence: number;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    req.on('data', (c) => (body += String(c)));
    req.on('end', () => resolve(body));
  });

describe('webhook outbox end to end', () => {
  let stack: Stack;
  let receiver: Server;
  let url: string;
  let up = false;
  const received: Received[] = [];
  let now = Date.now();
  const invoices: string[] = [];

  const events = async (query: Record<string, string> = {}) => {
    const response = await stack
      .as('admin')
      .get('v1/webhooks/events', { searchParams: { limit: '500', ...query } });
    expect(response.statusCode).toBe(200);
    return (response.body as unknown as { events: WebhookEvent[] }).events;
  };
  /** Moves the delivery loop's clock and delivers whatever is due then. */
  const pass = async (ms: number) => {
    now += ms;
    await stack.dispatcher.drain();
  };

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      void readBody(req).then((body) => {
        if (!up) return res.writeHead(503).end();
        const event = JSON.parse(body) as { id: string; invoice: { workflowId: string } };
        received.push({
          id: String(req.headers['x-chorus-event-id']),
          body,
          signature: String(req.headers['x-chorus-signature']),
          invoiceId: event.invoice?.workflowId,
          sequence: Number(event.id.split('#')[1]),
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    stack = await startStack({
      webhookDelivery: 'manual',
      dispatcher: { now: () => new Date(now), backoff: DEFAULT_BACKOFF },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('refuses webhook targets on private, loopback or link-local addresses with a clear 400', async () => {
    for (const target of [
      'http://10.0.0.7/hooks',
      'http://169.254.169.254/latest',
      'http://[::1]:9/h',
      'http://192.168.1.10/',
    ]) {
      const response = await stack.as('system').post('v1/invoices', {
        json: invoiceBody(stack, 'buyer.no-requirement', { webhookUrl: target }),
      });
      expect(response.statusCode).toBe(400);
      const { error } = response.body as unknown as {
        error: { code: string; fields: Record<string, string> };
      };
      expect(error.code).toBe('validation_failed');
      expect(error.fields.webhookUrl).toMatch(
        /(private|loopback|linkLocal|uniqueLocal) address .*WEBHOOK_ALLOWED_TARGETS/,
      );
    }
  });

  it('delivers every event after a receiver is down for a simulated day: in order per invoice, once each after dedup', async () => {
    for (let i = 0; i < 3; i += 1)
      invoices.push(await stack.submit(invoiceBody(stack, 'buyer.no-requirement', { webhookUrl: url })));
    for (const id of invoices) await stack.waitFor(id, (v) => v.chorusInvoiceId !== undefined, 'deposit');
    stack.simulator.ctx.clock.advance(40 * DAY_S);
    // A run ends once all its records (rows and outbox events) are stored.
    for (const id of invoices) await stack.client.workflow.getHandle(id).result();
    const queued = (await events({ connectionId: stack.connectionId })).filter((e) =>
      invoices.includes(e.stream),
    );
    expect(queued.length).toBeGreaterThanOrEqual(invoices.length * 4);

    // A day of failures, every quarter of an hour.
    for (let t = 0; t < 24 * 4; t += 1) await pass(HOUR_MS / 4);
    expect(received).toEqual([]);
    const failing = (await events({ status: 'pending' })).filter((e) => invoices.includes(e.stream));
    expect(failing).toHaveLength(queued.length);
    // Only each invoice's first event is tried: the others wait behind it (order per invoice).
    const heads = failing.filter((e) => e.attempts > 0);
    expect(heads).toHaveLength(invoices.length);
    for (const e of heads) {
      expect(e.attempts).toBeGreaterThan(10);
      expect(e.lastError).toBe('the receiver answered HTTP 503');
    }

    up = true;
    for (let round = 0; round < 40 && received.length < queued.length; round += 1) await pass(HOUR_MS);
    const delivered = (await events({ status: 'delivered' })).filter((e) => invoices.includes(e.stream));
    expect(delivered).toHaveLength(queued.length);
    // Exactly once after dedup by event id, and every queued event arrived.
    const unique = new Map(received.map((r) => [r.id, r]));
    expect([...unique.keys()].sort()).toEqual(queued.map((e) => e.id).sort());
    for (const id of invoices) {
      const sequence = received.filter((r) => r.invoiceId === id).map((r) => r.sequence);
      expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
      expect(sequence.length).toBeGreaterThanOrEqual(4);
    }
    for (const r of received) expect(verifySignature(r.body, r.signature, 'e2e-webhook-secret')).toBe(true);
  });

  it('gives up after days, lists the failure, and sends it again on request', async () => {
    up = false;
    const id = await stack.submit(invoiceBody(stack, 'buyer.no-requirement', { webhookUrl: url }));
    await stack.waitUntil(
      async () => ((await events({ invoiceId: id })).length > 0 ? true : undefined),
      'an event queued',
    );
    for (let day = 0; day < 5; day += 1) await pass(24 * HOUR_MS);
    const failed = await events({ status: 'failed', invoiceId: id });
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ status: 'failed', lastError: 'the receiver answered HTTP 503' });

    up = true;
    const redeliver = await stack
      .as('system')
      .post(`v1/webhooks/events/${encodeURIComponent(failed[0].id)}/redeliver`);
    expect(redeliver.statusCode).toBe(202);
    expect((redeliver.body as unknown as WebhookEvent).status).toBe('pending');
    // Redelivery is due at once by the real clock; move the loop's clock up to it.
    now = Math.max(now, Date.now());
    await pass(1_000);
    expect(received.map((r) => r.id)).toContain(failed[0].id);
    expect(
      (await stack.as('staff').post(`v1/webhooks/events/${encodeURIComponent(failed[0].id)}/redeliver`))
        .statusCode,
    ).toBe(403);
    expect((await stack.as('system').post('v1/webhooks/events/nope%231/redeliver')).statusCode).toBe(404);
  });

  it("signs with the connection's own secret, and with both the new and the old one during a rotation's overlap", async () => {
    const rotate = (overlapHours: number) =>
      stack
        .as('admin')
        .post(`v1/connections/${stack.connectionId}/webhook-secret`, { json: { overlapHours } });
    const first = await rotate(24);
    expect(first.statusCode).toBe(201);
    const firstSecret = (first.body as unknown as { secret: string }).secret;
    const second = await rotate(1);
    expect(second.statusCode).toBe(201);
    const rotated = second.body as unknown as { secret: string; previousRetireAt: string };
    expect(new Date(rotated.previousRetireAt).getTime()).toBeGreaterThan(Date.now());

    const [event] = await events({ invoiceId: invoices[0] });
    const before = received.length;
    await stack.as('admin').post(`v1/webhooks/events/${encodeURIComponent(event.id)}/redeliver`);
    now = Math.max(now, Date.now());
    await pass(1_000);
    const again = received.slice(before).find((r) => r.id === event.id)!;
    expect(again.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(verifySignature(again.body, again.signature, rotated.secret)).toBe(true);
    expect(verifySignature(again.body, again.signature, firstSecret)).toBe(true);
    expect(verifySignature(again.body, again.signature, 'e2e-webhook-secret')).toBe(false);
    // A receiver refuses a replay outside the 5-minute tolerance.
    expect(
      verifySignature(again.body, again.signature, rotated.secret, new Date(Date.now() + 6 * 60_000)),
    ).toBe(false);
  });
});
