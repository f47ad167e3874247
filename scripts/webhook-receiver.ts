/**
 * `npm run webhook-receiver -- --port 4000 --secret whsec_… [--secret <previous>]`
 *
 * A runnable example of the receiving side of this service's webhooks, with Node built-ins only (copy
 * it): it checks `x-chorus-signature` (HMAC-SHA256 of "<t>.<body>" with the connection's secret, a
 * timestamp within 5 minutes), answers 2xx at once, and handles each event id once (deliveries are
 * at least once: a retry after a lost answer, a redelivery on request). See docs/webhooks.md.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { parseArgs } from 'node:util';

export const TOLERANCE_SECONDS = 5 * 60;

/** True when one v1 of the header is the HMAC of "<t>.<body>" under one of `secrets`, and t is recent. */
export function signatureIsValid(
  body: string,
  header: string,
  secrets: readonly string[],
  now = Date.now(),
): boolean {
  const fields = header.split(',').map((part) => part.trim().split('='));
  const t = Number(fields.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(now / 1000 - t) > TOLERANCE_SECONDS) return false;
  const given = fields.filter(([key, value]) => key === 'v1' && value).map(([, value]) => Buffer.from(value));
  return secrets.some((secret) => {
    const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
    return given.some((g) => g.length === expected.length && timingSafeEqual(g, expected));
  });
}

export interface ReceiverOptions {
  /** The connection's signing secret; during a rotation, the new one and the old one. */
  secrets: readonly string[];
  /** Called once per event id. Keep the ids in your database in real use, not in memory. */
  onEvent: (event: { id: string; type: string; [key: string]: unknown }) => void;
  now?: () => number;
}

export function createReceiver(options: ReceiverOptions): Server {
  const seen = new Set<string>();
  return createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const signature = String(req.headers['x-chorus-signature'] ?? '');
      if (req.method !== 'POST' || !signatureIsValid(body, signature, options.secrets, options.now?.())) {
        res.writeHead(401).end();
        return;
      }
      const event = JSON.parse(body) as { id: string; type: string };
      // Dedup by event id: a second delivery of the same event is acknowledged and ignored.
      if (!seen.has(event.id)) {
        seen.add(event.id);
        options.onEvent(event);
      }
      res.writeHead(204).end();
    });
  });
}

if (require.main === module) {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '4000' }, secret: { type: 'string', multiple: true } },
  });
  if (!values.secret?.length) {
    process.stderr.write(
      'usage: npm run webhook-receiver -- --port 4000 --secret <signing secret> [--secret <previous>]\n',
    );
    process.exit(2);
  }
  const server = createReceiver({
    secrets: values.secret,
    onEvent: (event) => process.stdout.write(`${JSON.stringify(event)}\n`),
  });
  server.listen(Number(values.port), '127.0.0.1', () =>
    process.stderr.write(`Receiving webhooks on http://127.0.0.1:${values.port}/ (Ctrl-C stops)\n`),
  );
}
