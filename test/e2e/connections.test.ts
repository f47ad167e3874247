/**
 * Connections end to end: created through the REST API, verified layer by layer by their
 * workflow against the simulator, fixed by new credentials — and invoices that waited for them
 * then proceed. No secret ever reaches a workflow history, an answer or the connections file.
 */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { credentialsByScenario } from '../../simulator/dataset';
import type { InvoiceView } from '../../workflows/contracts/invoice';
import { optionalTsToMs, tsToMs } from '@temporalio/common/lib/time';
import { decodeHistory } from '../../platform/history-codec';
import { invoiceBody, startStack, type Stack } from './stack-harness';

interface ConnectionAnswer {
  id: string;
  status: string;
  piste: { clientId: string };
  checks: Array<{ id: string; result: string; message: string; remedy?: { fr: string; en: string } }>;
  passwordExpiresOn: string | null;
}

/** A history as text with every payload decoded (payload data is base64 in the JSON form). */
function decoded(history: unknown): string {
  return JSON.stringify(history, (key, value: unknown) =>
    (key === 'data' || key === 'encoding') && typeof value === 'string'
      ? Buffer.from(value, 'base64').toString('utf8')
      : value,
  );
}

describe('connections end to end', () => {
  let stack: Stack;
  const used: string[] = [];
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** Each connection's own webhook signing secret, as its creation answered it (once). */
  const signingSecrets = new Map<string, string>();
  async function create(id: string, scenario: string, extra: Record<string, unknown> = {}): Promise<void> {
    const set = credentialsByScenario(stack.simulator.ctx.dataset, scenario);
    const response = await stack.http.post('v1/connections', {
      json: {
        id,
        supplierSiret: set.supplierSiret,
        environment: 'simulator',
        piste: set.piste,
        technicalAccount: set.technicalAccount,
        ...extra,
      },
    });
    expect(response.statusCode).toBe(202);
    const { webhookSigningSecret } = response.body as unknown as { webhookSigningSecret: string };
    expect(webhookSigningSecret).toMatch(/^whsec_[0-9a-f]{64}$/);
    signingSecrets.set(id, webhookSigningSecret);
    used.push(id);
  }

  async function settled(id: string, wanted?: string, timeoutMs = 30_000): Promise<ConnectionAnswer> {
    const deadline = Date.now() + timeoutMs;
    let last: ConnectionAnswer | undefined;
    while (Date.now() < deadline) {
      last = (await stack.http.get(`v1/connections/${id}`)).body as unknown as ConnectionAnswer;
      if (last.status !== 'VERIFYING' && last.status !== 'UNKNOWN' && (!wanted || last.status === wanted))
        return last;
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`connection ${id} did not settle (${wanted ?? 'any'}); last ${JSON.stringify(last)}`);
  }
  const failing = (c: ConnectionAnswer) => c.checks.filter((x) => x.result === 'failed').map((x) => x.id);

  it('connects valid credentials, masking all but the last 4 characters of the client id', async () => {
    await create('conn-valid', 'credentials.valid');
    const connection = await settled('conn-valid', 'CONNECTED');
    expect(connection.checks.every((c) => c.result === 'ok')).toBe(true);
    expect(connection.piste.clientId).toBe('****lete');
    expect(connection.passwordExpiresOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const list = (await stack.http.get('v1/connections')).body as unknown as {
      connections: ConnectionAnswer[];
    };
    expect(list.connections.map((c) => c.id)).toContain('conn-valid');
    expect((await stack.http.post('v1/connections', { json: { id: 'conn-valid' } })).statusCode).toBe(400);
  });

  it.each([
    ['credentials.bad-secret', 'piste-oauth'],
    ['credentials.bad-password', 'technical-account'],
    ['credentials.expired', 'technical-account'],
    ['credentials.not-yet-active', 'technical-account'],
    ['credentials.missing-transverses', 'api-family:transverses'],
    ['credentials.missing-structures', 'api-family:structures'],
    ['credentials.missing-factures', 'api-family:factures'],
    ['credentials.not-attached', 'supplier-attachment'],
  ])('%s is FAILED at the %s check, with a remedy', async (scenario, check) => {
    const id = `conn-${scenario.split('.')[1]}`;
    await create(id, scenario);
    const connection = await settled(id, 'FAILED');
    expect(failing(connection)).toEqual([check]);
    expect(connection.checks.find((c) => c.id === check)?.remedy?.fr).toBeTruthy();
  });

  it.each([
    ['credentials.missing-utilisateurs', 'api-family:utilisateurs'],
    ['credentials.missing-engagements', 'api-family:engagementsJuridiques'],
  ])('%s is DEGRADED at the %s check (sending does not need it), with a remedy', async (scenario, check) => {
    const id = `conn-${scenario.split('.')[1]}`;
    await create(id, scenario);
    const connection = await settled(id, 'DEGRADED');
    expect(connection.checks.find((c) => c.id === check)).toMatchObject({ result: 'warning' });
    expect(connection.checks.find((c) => c.id === check)?.remedy?.fr).toBeTruthy();
  });

  it('counts down to password expiry: DEGRADED ten days before', async () => {
    await create('conn-soon', 'credentials.expiring-soon');
    const connection = await settled('conn-soon', 'DEGRADED');
    expect(connection.checks.find((c) => c.id === 'password-expiry')).toMatchObject({ result: 'warning' });
    const verified = (await stack.http.post('v1/connections/conn-soon/verify'))
      .body as unknown as ConnectionAnswer;
    expect(verified.status).toBe('DEGRADED');
  });

  it('keeps invoices waiting while the technical account is refused, and sends them once new credentials work', async () => {
    const events: Array<{ body: string; signature: string }> = [];
    const hooks = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += String(chunk)));
      req.on('end', () => {
        events.push({ body, signature: String(req.headers['x-chorus-signature']) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    const webhookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hooks`;
    await create('conn-fixme', 'credentials.bad-password', { webhookUrl });
    await settled('conn-fixme', 'FAILED');
    const body = { ...invoiceBody(stack, 'buyer.no-requirement'), connectionId: 'conn-fixme' };
    const created = (await stack.http.post('v1/invoices', { json: body })).body as unknown as { id: string };
    const waiting = await stack.waitFor(
      created.id,
      (v) => v.status === 'WAITING_FOR_CONNECTION',
      'WAITING_FOR_CONNECTION',
    );
    expect(waiting.statusReason).toMatch(/Compte technique|technical account/);

    const good = credentialsByScenario(stack.simulator.ctx.dataset, 'credentials.valid');
    const put = await stack.http.put('v1/connections/conn-fixme/credentials', {
      json: { technicalAccount: good.technicalAccount },
    });
    expect(put.statusCode).toBe(202);
    await settled('conn-fixme', 'CONNECTED');
    const sent = await stack.waitFor(
      created.id,
      (v: InvoiceView) => v.status === 'TRACKING' && v.chorusInvoiceId !== undefined,
      'deposit after the fix',
    );
    expect(sent.status).toBe('TRACKING');
    const deadline = Date.now() + 15_000;
    while (events.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((resolve) => hooks.close(resolve));
    const changes = events.map(
      (e) =>
        JSON.parse(e.body) as {
          type: string;
          connection: { status: string; previousStatus: string; failingChecks: string[] };
        },
    );
    expect(changes.map((c) => [c.type, c.connection.previousStatus, c.connection.status])).toEqual([
      ['connection.status_changed', 'VERIFYING', 'FAILED'],
      ['connection.status_changed', 'FAILED', 'CONNECTED'],
    ]);
    expect(changes[0].connection.failingChecks).toEqual(['technical-account']);
    for (const e of events) {
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(e.signature) ?? [];
      // Signed with this connection's own secret (given once at its creation), not a shared key.
      const own = signingSecrets.get('conn-fixme')!;
      expect(createHmac('sha256', own).update(`${t}.${e.body}`).digest('hex')).toBe(v1);
      expect(createHmac('sha256', 'e2e-webhook-secret').update(`${t}.${e.body}`).digest('hex')).not.toBe(v1);
    }
  });

  it('notices at once a technical account refused between two verifications, counts the waiting invoices, and resumes them when it works again', async () => {
    await create('conn-live', 'credentials.valid');
    await settled('conn-live', 'CONNECTED');
    // Someone disables the technical account in Chorus Pro: the connection does not know yet.
    const set = credentialsByScenario(stack.simulator.ctx.dataset, 'credentials.valid');
    const account = stack.simulator.ctx.dataset.technicalAccounts.find(
      (a) => a.login === set.technicalAccount.login,
    )!;
    account.active = false;
    try {
      const body = { ...invoiceBody(stack, 'buyer.no-requirement'), connectionId: 'conn-live' };
      const created = (await stack.http.post('v1/invoices', { json: body })).body as unknown as {
        id: string;
      };
      await stack.waitFor(created.id, (v) => v.status === 'WAITING_FOR_CONNECTION', 'WAITING_FOR_CONNECTION');
      // Told by the invoice, the connection re-verified at once (its schedule is a day away).
      const failed = await settled('conn-live', 'FAILED', 20_000);
      expect(failing(failed)).toEqual(['technical-account']);
      expect(failed).toMatchObject({ waitingInvoices: 1, lastTrouble: { reportedBy: created.id } });

      // The account works again: the FAILED connection re-checks on its own, and the invoice goes.
      account.active = true;
      await settled('conn-live', 'CONNECTED', 30_000);
      await stack.waitFor(
        created.id,
        (v) => v.status === 'TRACKING' && v.chorusInvoiceId !== undefined,
        'deposit once the account works',
      );
      expect(
        ((await stack.http.get('v1/connections/conn-live')).body as unknown as { waitingInvoices: number })
          .waitingInvoices,
      ).toBe(0);
    } finally {
      account.active = true;
    }
  });

  it('answers POST verify within 10 seconds even when Chorus does not answer: 202, the verification goes on', async () => {
    await create('conn-slow', 'credentials.valid');
    await settled('conn-slow', 'CONNECTED');
    // Every call to Chorus now takes 12 s: a verification (several calls) cannot end within 10 s.
    stack.simulator.faults.add({ route: '*', latencyMs: 12_000 });
    try {
      const started = Date.now();
      const answer = await stack.http.post('v1/connections/conn-slow/verify');
      expect(Date.now() - started).toBeLessThan(14_000);
      expect(answer.statusCode).toBe(202);
      expect(answer.body).toMatchObject({ id: 'conn-slow', status: 'VERIFYING' });
    } finally {
      stack.simulator.faults.clear();
    }
    await settled('conn-slow', 'CONNECTED', 60_000);
  });

  it('never stores or shows a secret: workflow histories, API answers and the stored connections are clean', async () => {
    const secrets = stack.simulator.ctx.dataset.credentials.flatMap((c) => [
      c.piste.clientSecret,
      c.technicalAccount.password,
      Buffer.from(`${c.technicalAccount.login}:${c.technicalAccount.password}`).toString('base64'),
    ]);
    const stored = await stack.db.selectFrom('connections').select('record').execute();
    expect(stored.length).toBeGreaterThan(0);
    const texts: string[] = [JSON.stringify(stored)];
    const raw: string[] = [];
    const keep = async (workflowId: string, runId?: string) => {
      const history = await stack.client.workflow.getHandle(workflowId, runId).fetchHistory();
      raw.push(decoded(history));
      texts.push(decoded(await decodeHistory(history, [stack.codec])));
    };
    for (const id of used) {
      texts.push(JSON.stringify((await stack.http.get(`v1/connections/${id}`)).body));
      await keep(`connection:${id}`);
    }
    for (const query of [`ConnectionId = 'conn-fixme'`, `WorkflowId = 'tracker:conn-fixme'`]) {
      for await (const execution of stack.client.workflow.list({ query })) {
        await keep(execution.workflowId, execution.runId);
      }
    }
    // As stored in Temporal, payloads are encrypted: not even the check names can be read.
    expect(raw.join('\n')).not.toContain('technical-account');
    expect(raw.join('\n')).toContain('binary/encrypted');
    const histories = texts.slice(1).join('\n');
    const logs = stack.logLines.join('');
    const all = [texts[0], histories, logs].join('\n');
    expect(histories.length).toBeGreaterThan(1000);
    expect(logs).toContain('chorus call');
    expect(histories).toContain('technical-account'); // payloads really were decoded
    for (const secret of secrets) expect(all).not.toContain(secret);
    expect(texts[0]).toContain('sealed:v1:');
    // PISTE access tokens are 54 letters and digits: none may be in a history or a log line.
    expect(histories).not.toMatch(/(?<![A-Za-z0-9])[A-Za-z0-9]{54}(?![A-Za-z0-9])/);
    expect(logs).not.toMatch(/(?<![A-Za-z0-9])[A-Za-z0-9]{54}(?![A-Za-z0-9])/);
  });

  it('lets another worker take over any activity within 30 s of its worker dying (heartbeat timeouts)', async () => {
    const ids = new Set(used.map((id) => `connection:${id}`));
    for (const query of [`ConnectionId = 'conn-fixme'`, `WorkflowId = 'tracker:conn-fixme'`]) {
      for await (const execution of stack.client.workflow.list({ query })) ids.add(execution.workflowId);
    }
    const scheduled = new Map<string, { startToCloseMs: number; heartbeatMs?: number }>();
    for (const id of ids) {
      const history = await stack.client.workflow.getHandle(id).fetchHistory();
      for (const event of history.events ?? []) {
        const attributes = event.activityTaskScheduledEventAttributes;
        if (!attributes) continue;
        scheduled.set(attributes.activityType?.name ?? '?', {
          startToCloseMs: tsToMs(attributes.startToCloseTimeout),
          heartbeatMs: optionalTsToMs(attributes.heartbeatTimeout) || undefined, // 0: none set
        });
      }
    }
    // The tracker's poll and the connection's verification ran here. The invoice's Chorus steps, its
    // deposit included, are local activities: taken over with their workflow task (10 s), see
    // exactly-once-and-tracking.test.ts for a deposit whose worker stopped.
    expect([...scheduled.keys()]).toEqual(expect.arrayContaining(['pollAndNotify', 'verifyConnection']));
    expect([...scheduled.keys()]).not.toContain('submitInvoice');
    const slow = [...scheduled]
      .filter(([, t]) => Math.min(t.startToCloseMs, t.heartbeatMs ?? Infinity) > 30_000)
      .map(
        ([name, t]) => `${name}: start-to-close ${t.startToCloseMs} ms, heartbeat ${t.heartbeatMs ?? 'none'}`,
      );
    expect(slow).toEqual([]);
  });
});
