/**
 * End to end (real stack): the duplicate-number branches of the invoice workflow, which the other
 * end-to-end scenarios never reach, so that their histories are captured for replay too
 * (`npm run capture-histories`). The same supplier account is connected twice; an invoice number
 * already deposited through the first connection is sent again through the second:
 * - the same invoice (same buyer, same amount): Chorus refuses the number, the workflow finds its
 *   own earlier deposit and adopts it, sending nothing twice;
 * - another invoice under that number: a DUPLICATE_NUMBER task; refused → FAILED (a new number is
 *   needed), approved → followed as the invoice Chorus already has.
 */
import { credentialsByScenario } from '../../simulator/dataset';
import type { InvoiceView } from '../../workflows/contracts/invoice';
import { invoiceBody, startStack, type Stack } from '../e2e/stack-harness';

describe('duplicate invoice numbers end to end', () => {
  let stack: Stack;
  let second: string;

  beforeAll(async () => {
    stack = await startStack();
    second = `${stack.connectionId}-bis`;
    const valid = credentialsByScenario(stack.simulator.ctx.dataset, 'credentials.valid');
    const created = await stack.http.post('v1/connections', {
      json: {
        id: second,
        supplierSiret: valid.supplierSiret,
        environment: 'simulator',
        piste: valid.piste,
        technicalAccount: valid.technicalAccount,
      },
    });
    expect(created.statusCode).toBe(202);
    const deadline = Date.now() + 30_000;
    let status = '';
    while (status !== 'CONNECTED' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 150));
      status = ((await stack.http.get(`v1/connections/${second}`)).body as { status?: string }).status ?? '';
    }
    expect(status).toBe('CONNECTED');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const submit = (body: Record<string, unknown>) => stack.submit(body);
  const deposited = (v: InvoiceView) => v.status === 'TRACKING' && v.chorusInvoiceId !== undefined;
  /** Deposits `body` through the stack's connection; returns its Chorus id. */
  const depositFirst = async (body: Record<string, unknown>): Promise<number> => {
    const view = await stack.waitFor(await submit(body), deposited, 'first deposit');
    return view.chorusInvoiceId!;
  };
  const otherAmount = (body: Record<string, unknown>) => ({
    ...body,
    connectionId: second,
    lines: [
      { description: 'Autre facture', quantity: '1', unitPriceExclVat: '999.00', vatRatePercent: '20' },
    ],
  });

  it('adopts its own earlier deposit when Chorus refuses the number, sending nothing twice', async () => {
    const body = invoiceBody(stack, 'buyer.no-requirement');
    const chorusId = await depositFirst(body);
    const refusedBefore = stack.simulator.ctx.counters.snapshot().duplicatesRefused;
    const again = await submit({ ...body, connectionId: second });
    const view = await stack.waitFor(again, deposited, 'adoption of the earlier deposit');
    expect(view.chorusInvoiceId).toBe(chorusId);
    expect(view.timeline.some((t) => t.note?.includes('already had this invoice'))).toBe(true);
    expect(stack.simulator.ctx.counters.snapshot().duplicatesRefused).toBe(refusedBefore + 1);
  });

  it("asks a person about someone else's invoice under the same number: refused, it fails", async () => {
    const body = invoiceBody(stack, 'buyer.no-requirement');
    await depositFirst(body);
    const id = await submit(otherAmount(body));
    const waiting = await stack.waitFor(
      id,
      (v) => v.openTask?.kind === 'DUPLICATE_NUMBER',
      'DUPLICATE_NUMBER task',
    );
    expect(waiting.status).toBe('ACTION_REQUIRED');
    expect(waiting.chorusInvoiceId).toBeUndefined();
    const answer = await stack.http.post(`v1/invoices/${encodeURIComponent(id)}/task`, {
      json: { taskId: waiting.openTask!.id, approve: false },
    });
    expect(answer.statusCode).toBe(200);
    const failed = await stack.waitFor(id, (v) => v.status === 'FAILED', 'FAILED');
    expect(failed.statusReason).toMatch(/new invoice number is needed/);
  });

  it("asks a person about someone else's invoice under the same number: approved, it is followed", async () => {
    const body = invoiceBody(stack, 'buyer.no-requirement');
    const chorusId = await depositFirst(body);
    const id = await submit(otherAmount(body));
    const waiting = await stack.waitFor(
      id,
      (v) => v.openTask?.kind === 'DUPLICATE_NUMBER',
      'DUPLICATE_NUMBER task',
    );
    const answer = await stack.http.post(`v1/invoices/${encodeURIComponent(id)}/task`, {
      json: { taskId: waiting.openTask!.id, approve: true },
    });
    expect(answer.statusCode).toBe(200);
    const followed = await stack.waitFor(id, deposited, 'followed after approval');
    expect(followed.chorusInvoiceId).toBe(chorusId);
  });
});
