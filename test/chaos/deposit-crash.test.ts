import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiClient, json, waitConnected } from '../../scripts/chaos/harness';
import { paceFor, startLocalTopology, type LocalTopology } from '../../scripts/chaos/local-topology';
import { invoiceFor, type Dataset } from '../../scripts/chaos/workload';
import type { InvoiceView } from '../../workflows/contracts/invoice';

/**
 * The deposit runs as a local activity: a worker SIGKILLed while `soumettre` is on its way leaves no
 * trace of it in the history, and the next worker runs the step again. It finds the attempt claimed
 * in the app database and sends nothing; the invoice is looked up and adopted. On the real parts as
 * separate processes (Temporal dev server, simulator, API, PostgreSQL, workers from the build).
 */
describe('a worker killed in the middle of soumettre', () => {
  let workDir: string;
  let topology: LocalTopology | undefined;
  let ok = false;

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'deposit-crash-'));
    const log = (line: string) => process.stderr.write(`[deposit crash] ${line}\n`);
    topology = await startLocalTopology({
      workDir,
      clockSpeed: 86_400,
      workers: 1,
      log,
      pace: { ...paceFor(86_400), INVOICE_RESUBMIT_BACKOFF: '1 second' },
    });
  }, 5 * 60_000);

  afterAll(async () => {
    await topology?.stop();
    if (ok) rmSync(workDir, { recursive: true, force: true });
    else process.stderr.write(`kept ${workDir}\n`);
  }, 120_000);

  it(
    'sends the invoice once: the next worker finds the attempt claimed, looks the invoice up and adopts it',
    async () => {
      const t = topology!;
      const api = new ApiClient(t);
      const dataset = await json<Dataset>(`${t.simulatorUrl}/__admin/dataset`);
      const valid = dataset.credentials.find((c) => c.scenario === 'credentials.valid')!;
      const buyer = dataset.structures.find((s) => s.scenario === 'buyer.no-requirement')!;
      const created = await api.call('POST', '/v1/connections', t.keys.admin, {
        id: 'crash',
        environment: 'simulator',
        supplierSiret: valid.supplierSiret,
        piste: valid.piste,
        technicalAccount: valid.technicalAccount,
      });
      expect([200, 201, 202]).toContain(created.status);
      await waitConnected(api, t, 'crash');

      // Chorus takes 8 s to answer this soumettre: time to kill the worker while it waits.
      await json(`${t.simulatorUrl}/__admin/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ route: 'factures/soumettre', latencyMs: 8_000, times: 1 }),
      });
      const number = `CRASH-${Date.now().toString(36).toUpperCase()}`;
      const posted = await api.call(
        'POST',
        '/v1/invoices',
        t.keys.system,
        invoiceFor(buyer, 'crash', number, 1),
      );
      expect(posted.status).toBe(202);
      const id = (posted.body as { id: string }).id;

      const view = async () =>
        (await api.call('GET', `/v1/invoices/${encodeURIComponent(id)}`, t.keys.staff)).body as InvoiceView;
      const until = async (predicate: (v: InvoiceView) => boolean, what: string, timeoutMs: number) => {
        const deadline = Date.now() + timeoutMs;
        let last: InvoiceView | undefined;
        while (Date.now() < deadline) {
          last = await view();
          if (predicate(last)) return last;
          await sleep(200);
        }
        throw new Error(`${what} not reached for ${id}: last status ${last?.status}`);
      };
      // SUBMITTING is stored by the deposit beside its call; then the call is on its way.
      await until((v) => v.status === 'SUBMITTING', 'SUBMITTING', 60_000);
      await sleep(1_500);
      await t.killWorker(() => 0);

      const tracked = await until(
        (v) => v.chorusInvoiceId !== undefined && ['SUBMITTED', 'TRACKING'].includes(v.status),
        'a deposit adopted after the kill',
        120_000,
      );
      const counters = await json<{ invoices: Record<string, Record<string, number>> }>(
        `${t.simulatorUrl}/__admin/counters`,
      );
      const sent = Object.values(counters.invoices).reduce(
        (n, bySupplier) => n + (bySupplier[number] ?? 0),
        0,
      );
      expect(sent).toBe(1);

      const history = (await api.call('GET', `/v1/invoices/${encodeURIComponent(id)}/history`, t.keys.staff))
        .body as { entries: Array<{ kind: string; details: Record<string, unknown> }> };
      const kinds = history.entries.map((e) => e.kind);
      const unknown = history.entries.find((e) => e.kind === 'submission.unknown');
      expect(unknown?.details).toMatchObject({ errorType: 'DepositAttemptRepeated' });
      const lookup = history.entries.find((e) => e.kind === 'lookup.done');
      expect(lookup?.details).toMatchObject({ reason: 'after-unknown-outcome', ours: true });
      expect(history.entries.find((e) => e.kind === 'deposit.adopted')?.details).toMatchObject({
        how: 'found-after-unknown-outcome',
        identifiantFactureCPP: tracked.chorusInvoiceId,
      });
      expect(kinds.filter((k) => k === 'submission.sent')).toEqual([]);
      ok = true;
    },
    5 * 60_000,
  );
});
