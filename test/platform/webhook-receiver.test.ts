import type { AddressInfo } from 'node:net';
import got from 'got';
import { signatureHeader } from '../../activities/webhook-outbox/signing';
import { createReceiver } from '../../scripts/webhook-receiver';

/** The documented receiver example accepts what the service signs, once per event id, and nothing else. */
describe('webhook receiver example (scripts/webhook-receiver.ts)', () => {
  const events: Array<{ id: string }> = [];
  const server = createReceiver({ secrets: ['whsec_new', 'whsec_old'], onEvent: (e) => events.push(e) });
  let url: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const send = (body: string, signature: string) =>
    got.post(url, {
      body,
      headers: { 'content-type': 'application/json', 'x-chorus-signature': signature },
      throwHttpErrors: false,
      retry: { limit: 0 },
    });

  it('accepts a signed event once, dedups its redelivery, and refuses bad or stale signatures', async () => {
    const body = JSON.stringify({ id: 'invoice:acme:F-1#1', type: 'invoice.status_changed' });
    expect((await send(body, signatureHeader(body, ['whsec_new'], new Date()))).statusCode).toBe(204);
    expect((await send(body, signatureHeader(body, ['whsec_old'], new Date()))).statusCode).toBe(204);
    expect(events.map((e) => e.id)).toEqual(['invoice:acme:F-1#1']);
    expect((await send(body, signatureHeader(body, ['someone-else'], new Date()))).statusCode).toBe(401);
    const stale = new Date(Date.now() - 6 * 60_000);
    expect((await send(body, signatureHeader(body, ['whsec_new'], stale))).statusCode).toBe(401);
    expect((await send(`${body} `, signatureHeader(body, ['whsec_new'], new Date()))).statusCode).toBe(401);
  });
});
