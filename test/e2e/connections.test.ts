/**
 * Connections end to end: created through the REST API, verified layer by layer by their
 * workflow against the simulator, fixed by new credentials — and invoices that waited for them
 * then proceed. No secret ever reaches a workflow history, an answer or the connections file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { credentialsByScenario } from '../../simulator/dataset';
import type { InvoiceView } from '../../workflows/invoice/definitions';
import { invoiceBody, startStack, type Stack } from './stack-harness';

interface ConnectionAnswer {
  id: string;
  status: string;
  piste: { clientId: string };
  checks: Array<{ id: string; result: string; message: string; remedy?: { fr: string; en: string } }>;
  passwordExpiresOn: string | null;
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

  async function create(id: string, scenario: string): Promise<void> {
    const set = credentialsByScenario(stack.simulator.ctx.dataset, scenario);
    const response = await stack.http.post('v1/connections', {
      json: {
        id,
        supplierSiret: set.supplierSiret,
        environment: 'simulator',
        piste: set.piste,
        technicalAccount: set.technicalAccount,
      },
    });
    expect(response.statusCode).toBe(202);
    used.push(id);
  }

  async function settled(id: string, wanted?: string): Promise<ConnectionAnswer> {
    const deadline = Date.now() + 30_000;
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
    ['credentials.missing-factures', 'api-family:factures'],
    ['credentials.not-attached', 'supplier-attachment'],
  ])('%s is FAILED at the %s check, with a remedy', async (scenario, check) => {
    const id = `conn-${scenario.split('.')[1]}`;
    await create(id, scenario);
    const connection = await settled(id, 'FAILED');
    expect(failing(connection)).toEqual([check]);
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
    await create('conn-fixme', 'credentials.bad-password');
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
      (v: InvoiceView) => v.chorusInvoiceId !== undefined,
      'deposit after the fix',
    );
    expect(sent.status).toBe('TRACKING');
  });

  it('never stores or shows a secret: workflow histories, API answers and the connections file are clean', async () => {
    const secrets = stack.simulator.ctx.dataset.credentials.flatMap((c) => [
      c.piste.clientSecret,
      c.technicalAccount.password,
      Buffer.from(`${c.technicalAccount.login}:${c.technicalAccount.password}`).toString('base64'),
    ]);
    const texts: string[] = [readFileSync(path.join(stack.dataDir, 'connections.json'), 'utf8')];
    for (const id of used) {
      texts.push(JSON.stringify((await stack.http.get(`v1/connections/${id}`)).body));
      const history = await stack.env.client.workflow.getHandle(`connection:${id}`).fetchHistory();
      texts.push(JSON.stringify(history));
    }
    for await (const execution of stack.env.client.workflow.list({ query: `ConnectionId = 'conn-fixme'` })) {
      texts.push(
        JSON.stringify(
          await stack.env.client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory(),
        ),
      );
    }
    const all = texts.join('\n');
    expect(all.length).toBeGreaterThan(1000);
    for (const secret of secrets) expect(all).not.toContain(secret);
    expect(all).toContain('sealed:v1:');
  });
});
