import got from 'got';
import { credentialsByScenario } from '../../simulator/dataset';
import { invoiceBody, startStack, type Stack } from './stack-harness';

/**
 * What an operator watches, on the real stack: the API's and the worker's `GET /metrics` (the
 * worker's with the Temporal SDK's own series) name the documented series and move when an invoice
 * goes to Chorus Pro; every API request gets a request id, echoed, logged once and kept in the memo
 * of the invoice workflow it started.
 */

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ sdkMetrics: true });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

interface Scrape {
  text: string;
  contentType: string;
  /** Sum of the samples of `name` whose labels include `labels` (undefined: no such sample). */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** Families announced by `# TYPE` lines. */
  families: Set<string>;
}

async function scrape(url: string): Promise<Scrape> {
  const response = await got(`${url}/metrics`, { throwHttpErrors: false, retry: { limit: 0 } });
  expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
  const text = response.body;
  const families = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
  const samples = text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const m = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line);
      if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
      const labels = Object.fromEntries(
        [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]),
      );
      return { name: m[1], labels, value: Number(m[3]) };
    });
  return {
    text,
    contentType: String(response.headers['content-type']),
    families,
    value(name, labels = {}) {
      const matching = samples.filter(
        (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
      );
      return matching.length === 0 ? undefined : matching.reduce((sum, s) => sum + s.value, 0);
    },
  };
}

const SUBMIT = 'factures/soumettre';

describe('metrics and request ids', () => {
  it('exposes the documented series, which move when an invoice is deposited', async () => {
    const api0 = await scrape(stack.api.url);
    const worker0 = await scrape(stack.workerHealth.url);
    expect(api0.contentType).toMatch(/^text\/plain; version=0\.0\.4/);

    for (const family of [
      'chorus_invoices',
      'chorus_open_tasks',
      'chorus_oldest_open_task_age_seconds',
      'chorus_connections',
      'chorus_webhook_events',
      'chorus_webhook_oldest_pending_age_seconds',
      'chorus_http_request_duration_seconds',
      'chorus_metrics_source_up',
    ]) {
      expect({ api: family, present: api0.families.has(family) }).toEqual({ api: family, present: true });
    }
    expect(api0.value('chorus_metrics_source_up', { source: 'records' })).toBe(1);
    expect(api0.value('chorus_metrics_source_up', { source: 'temporal' })).toBe(1);
    expect(api0.value('chorus_open_tasks', { kind: 'MISSING_DATA' })).toBe(0);
    expect(api0.value('chorus_connections', { status: 'FAILED' })).toBe(0);

    for (const family of [
      'chorus_api_calls_total',
      'chorus_api_call_duration_seconds',
      'chorus_api_retries_total',
      'chorus_activity_retries_total',
      'chorus_webhook_deliveries_total',
      'chorus_webhook_delivery_duration_seconds',
      'chorus_temporal_sdk_metrics_up',
    ]) {
      expect({ worker: family, present: worker0.families.has(family) }).toEqual({
        worker: family,
        present: true,
      });
    }
    // The SDK Runtime's exporter, read through the worker's own endpoint: one target per worker.
    expect(worker0.value('chorus_temporal_sdk_metrics_up')).toBe(1);
    expect(worker0.text).toMatch(/^temporal_\w+/m);

    const deposited = (s: Scrape) =>
      ['SUBMITTED', 'TRACKING', 'PAID'].reduce(
        (n, status) => n + (s.value('chorus_invoices', { status }) ?? 0),
        0,
      );
    const depositedBefore = deposited(api0);
    const submitsBefore = worker0.value('chorus_api_calls_total', { operation: SUBMIT, outcome: 'ok' }) ?? 0;

    const id = await stack.submit(invoiceBody(stack, 'buyer.no-requirement'));
    const tracked = await stack.waitFor(id, (v) => v.chorusInvoiceId != null, 'deposited in Chorus Pro');
    expect(tracked.chorusStatus).toBeTruthy();

    const worker1 = await scrape(stack.workerHealth.url);
    expect(worker1.value('chorus_api_calls_total', { operation: SUBMIT, outcome: 'ok' })).toBe(
      submitsBefore + 1,
    );
    expect(
      worker1.value('chorus_api_call_duration_seconds_count', { operation: SUBMIT }),
    ).toBeGreaterThanOrEqual(1);
    // Structure checks and tracking read Chorus too.
    expect(worker1.value('chorus_api_calls_total', { outcome: 'ok' })).toBeGreaterThan(
      worker0.value('chorus_api_calls_total', { outcome: 'ok' }) ?? 0,
    );
    expect(
      worker1.value('temporal_request', {}) ?? worker1.value('temporal_request_total', {}),
    ).toBeGreaterThan(0);

    // The row follows the workflow within moments.
    const api1 = await stack.waitUntil(async () => {
      const s = await scrape(stack.api.url);
      return deposited(s) === depositedBefore + 1 ? s : undefined;
    }, 'chorus_invoices of deposited statuses up by one');
    expect(api1.value('chorus_invoices', { status: 'RECEIVED' })).toBe(
      api0.value('chorus_invoices', { status: 'RECEIVED' }),
    );
    expect(
      api1.value('chorus_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/v1/invoices',
        status: '202',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      api1.value('chorus_http_request_duration_seconds_count', { route: '/v1/invoices/:id', status: '200' }),
    ).toBeGreaterThanOrEqual(1);
  }, 90_000);

  it('counts a FAILED connection and the Chorus calls it had refused, by outcome', async () => {
    const set = credentialsByScenario(stack.simulator.ctx.dataset, 'credentials.bad-password');
    const created = await stack.as('admin').post('v1/connections', {
      json: {
        id: 'metrics-bad-password',
        supplierSiret: set.supplierSiret,
        environment: 'simulator',
        piste: set.piste,
        technicalAccount: set.technicalAccount,
      },
    });
    expect(created.statusCode).toBe(202);
    await stack.waitUntil(async () => {
      const s = await scrape(stack.api.url);
      return s.value('chorus_connections', { status: 'FAILED' }) === 1 ? s : undefined;
    }, 'chorus_connections{status="FAILED"} 1');
    const worker = await scrape(stack.workerHealth.url);
    expect(
      worker.value('chorus_api_calls_total', { outcome: 'technical_account_rejected' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('echoes a sane X-Request-Id, logs the request once with it, and keeps it in the workflow memo', async () => {
    const response = await stack.as('system').post('v1/invoices', {
      json: invoiceBody(stack, 'buyer.no-requirement'),
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(response.statusCode).toBe(202);
    expect(response.headers['x-request-id']).toBe('abc-123');
    const { id } = response.body as unknown as { id: string };

    const description = await stack.client.workflow.getHandle(id).describe();
    expect(description.memo?.requestId).toBe('abc-123');

    const lines = await stack.waitUntil(async () => {
      const found = stack.logLines.filter(
        (l) => l.includes('"requestId":"abc-123"') && l.includes('"msg":"request"'),
      );
      return found.length > 0 ? found : undefined;
    }, 'the access log line');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(line).toMatchObject({
      method: 'POST',
      route: '/v1/invoices',
      status: 202,
      keyId: expect.any(String),
      // From the log line to the workflow, and back through its memo.
      workflowId: id,
    });
    expect(line.durationMs).toEqual(expect.any(Number));
    // Never the key, the headers or the body.
    expect(lines[0]).not.toMatch(/dev-key|Bearer|authorization|invoiceNumber/i);
  });

  it('replaces a missing or unsafe request id by a generated one, and names routes by their pattern', async () => {
    const missing = await stack.as('system').get('v1/me');
    expect(missing.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    for (const unsafe of ['has spaces', 'x'.repeat(129), 'quote"and{brace}']) {
      const answer = await stack.as('system').get('v1/me', { headers: { 'x-request-id': unsafe } });
      expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    // Refused before any route runs, still answered with an id and logged under the pattern.
    const unknownInvoice = await stack.withKey(undefined).get('v1/invoices/invoice%3Anope%3AF-1', {
      headers: { 'x-request-id': 'trace-401' },
    });
    expect(unknownInvoice.statusCode).toBe(401);
    expect(unknownInvoice.headers['x-request-id']).toBe('trace-401');
    const line = await stack.waitUntil(
      async () => stack.logLines.find((l) => l.includes('"requestId":"trace-401"')),
      'the 401 log line',
    );
    expect(JSON.parse(line)).toMatchObject({
      route: '/v1/invoices/:id',
      id: 'invoice:nope:F-1',
      status: 401,
    });
    const workerHealth = await got(`${stack.workerHealth.url}/healthz`, { throwHttpErrors: false });
    expect(workerHealth.statusCode).toBe(200);
  });
});
