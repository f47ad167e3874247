/**
 * End to end on the simulator's scenarios where the real Chorus Pro differs from an easy
 * assumption (docs/chorus-facts.md): each one reaches its end through the REST API, the worker's
 * real activities and real HTTP.
 */
import { credentialsByScenario, structureByScenario } from '../../simulator/dataset';
import type { InvoiceView } from '../../workflows/contracts/invoice';
import { invoiceBody, startStack, type Stack } from './stack-harness';

const DAY = 86_400;

describe('Chorus Pro as it really is, end to end', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const deposited = (v: InvoiceView) => v.status === 'TRACKING' && v.chorusInvoiceId !== undefined;
  const ended = (v: InvoiceView) =>
    ['PAID', 'REJECTED', 'FAILED', 'CANCELLED', 'TRACKING_ENDED'].includes(v.status);

  async function submit(body: Record<string, unknown>): Promise<string> {
    const response = await stack.http.post('v1/invoices', { json: body });
    expect({ status: response.statusCode, body: response.body }).toMatchObject({ status: 202 });
    return (response.body as unknown as { id: string }).id;
  }

  async function answer(id: string, taskId: string, json: Record<string, unknown>): Promise<void> {
    const response = await stack.as('staff', 'claire').post(`v1/invoices/${encodeURIComponent(id)}/task`, {
      json: { taskId, ...json },
    });
    expect({ status: response.statusCode, body: response.body }).toMatchObject({ status: 200 });
  }

  /** A connection of its own, made through the API like an admin would. */
  async function connect(
    id: string,
    credentials: string,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    const set = credentialsByScenario(stack.simulator.ctx.dataset, credentials);
    const made = await stack.as('admin').post('v1/connections', {
      json: {
        id,
        supplierSiret: set.supplierSiret,
        environment: 'simulator',
        piste: set.piste,
        technicalAccount: set.technicalAccount,
        ...extra,
      },
    });
    expect(made.statusCode).toBe(202);
  }

  it('sees A_RECYCLER given in the same minute as MISE_A_DISPOSITION (history entry order), recycles it, then PAID', async () => {
    const id = await submit(invoiceBody(stack, 'buyer.same-minute-recycle'));
    await stack.waitFor(id, deposited, 'deposit');
    stack.simulator.ctx.clock.advance(1 * DAY);
    const recycle = await stack.waitFor(id, (v) => v.openTask?.kind === 'RECYCLE', 'the recycle task');
    const [available, recycling] = recycle.chorusTimeline.filter((o) => o.status !== 'DEPOSEE').slice(-2);
    expect([available.status, recycling.status]).toEqual(['MISE_A_DISPOSITION', 'A_RECYCLER']);
    expect(Date.parse(available.at)).toBe(Date.parse(recycling.at));
    expect(recycling.historyId!).toBeGreaterThan(available.historyId!);
    await answer(id, recycle.openTask!.id, { values: { 'buyer.serviceCode': 'ACHATS' } });
    await stack.waitFor(id, (v) => v.status === 'TRACKING' && v.chorusStatus !== 'A_RECYCLER', 'recycled');
    stack.simulator.ctx.clock.advance(40 * DAY);
    expect((await stack.waitFor(id, ended, 'the end')).status).toBe('PAID');
  });

  it('keeps the offsets of dates written ISO 8601 with an offset, and reaches PAID', async () => {
    const id = await submit(invoiceBody(stack, 'format.offset-dates'));
    await stack.waitFor(id, deposited, 'deposit');
    // The tracker reports the status it finds at each poll: routed within the hour, paid weeks later.
    stack.simulator.ctx.clock.advance(3600);
    await stack.waitFor(
      id,
      (v) => v.chorusTimeline.some((o) => o.status === 'MISE_A_DISPOSITION'),
      'MISE_A_DISPOSITION',
    );
    stack.simulator.ctx.clock.advance(40 * DAY);
    const paid = await stack.waitFor(id, ended, 'the end');
    expect(paid.status).toBe('PAID');
    const timed = paid.chorusTimeline.filter((o) => o.status !== 'DEPOSEE');
    expect(timed.length).toBeGreaterThan(1);
    for (const o of timed) expect(o.at).toMatch(/T\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
  });

  it('reads every page of a long history: two recycle rounds, more than one page of statuses, then PAID', async () => {
    const id = await submit(invoiceBody(stack, 'buyer.long-history'));
    await stack.waitFor(id, deposited, 'deposit');
    for (const round of [1, 2]) {
      stack.simulator.ctx.clock.advance(10 * DAY);
      const task = await stack.waitFor(id, (v) => v.openTask?.kind === 'RECYCLE', `recycle round ${round}`);
      // The second return's history (read for the buyer's comment) is longer than a page of 10.
      if (round === 2) {
        expect(task.chorusTimeline.length).toBeGreaterThan(10);
      }
      await answer(id, task.openTask!.id, { values: { 'buyer.serviceCode': 'ACHATS' } });
      await stack.waitFor(
        id,
        (v) => v.status === 'TRACKING' && v.openTask === undefined,
        `recycled ${round}`,
      );
    }
    stack.simulator.ctx.clock.advance(60 * DAY);
    const paid = await stack.waitFor(id, ended, 'the end');
    expect(paid.status).toBe('PAID');
    expect(paid.chorusTimeline.filter((o) => o.status === 'A_RECYCLER')).toHaveLength(2);
  });

  it('works with a supplier whose every number comes back as a string', async () => {
    await connect('string-ids', 'format.string-ids');
    const id = await submit({ ...invoiceBody(stack, 'buyer.no-requirement'), connectionId: 'string-ids' });
    const tracking = await stack.waitFor(id, deposited, 'deposit');
    expect(typeof tracking.chorusInvoiceId).toBe('number');
    stack.simulator.ctx.clock.advance(40 * DAY);
    expect((await stack.waitFor(id, ended, 'the end')).status).toBe('PAID');
  });

  it('follows an invoice Chorus numbers itself, and finds it by buyer, day and amount after a lost answer: one deposit', async () => {
    const deposits = () =>
      Object.values(stack.simulator.ctx.counters.snapshot().invoices).reduce(
        (n, perSupplier) => n + Object.values(perSupplier).reduce((a, b) => a + b, 0),
        0,
      );
    const before = deposits();
    stack.simulator.faults.add({ route: 'factures/soumettre', loseAnswer: true, times: 1 });
    const body = invoiceBody(stack, 'buyer.renumbers');
    const id = await submit(body);
    const tracking = await stack.waitFor(id, deposited, 'deposit');
    expect(tracking.chorusInvoiceNumber).toMatch(/^\d{20}$/);
    expect(tracking.chorusInvoiceNumber).not.toBe(body.invoiceNumber);
    expect(deposits() - before).toBe(1);
    stack.simulator.ctx.clock.advance(40 * DAY);
    const paid = await stack.waitFor(id, ended, 'the end');
    expect(paid.status).toBe('PAID');
    expect(paid.audit.find((f) => f.kind === 'lookup.done')).toMatchObject({
      found: { foundBy: 'content' },
      ours: true,
    });
  });

  it('asks which bank account for a VIREMENT when the supplier has several, refuses one not listed, sends the one chosen', async () => {
    await connect('bank', 'credentials.bank-details-required');
    const id = await submit({
      ...invoiceBody(stack, 'buyer.no-requirement'),
      connectionId: 'bank',
      bankAccountId: 999,
    });
    const waiting = await stack.waitFor(id, (v) => v.status === 'AWAITING_DATA', 'the bank account');
    const field = waiting.openTask!.fields.find((f) => f.field === 'bankAccountId');
    expect(field?.allowedValues?.map((a) => a.value)).toEqual(['8316847', '8316848']);
    expect(waiting.checklist.find((c) => c.id === 'bank-details')).toMatchObject({ ok: false });
    const wrong = await stack.as('staff', 'claire').post(`v1/invoices/${encodeURIComponent(id)}/task`, {
      json: { taskId: waiting.openTask!.id, values: { bankAccountId: '123' } },
    });
    expect(wrong.statusCode).toBe(422);
    await answer(id, waiting.openTask!.id, { values: { bankAccountId: '8316848' } });
    const tracking = await stack.waitFor(id, deposited, 'deposit');
    const sent = tracking.audit.find((f) => f.kind === 'submission.sent');
    expect(sent?.kind === 'submission.sent' && sent.request.fournisseur).toMatchObject({
      codeCoordonneesBancairesFournisseur: 8316848,
    });
  });

  it('sends an attachment type only the environment lists (typespj) with its code, and the invoice is deposited', async () => {
    const pdf = Buffer.from('%PDF-1.4\n% proces-verbal\n').toString('base64');
    const id = await submit(
      invoiceBody(stack, 'buyer.no-requirement', {
        attachments: [
          { fileName: 'pv-reception.pdf', contentBase64: pdf, type: 'Procès-verbal de réception' },
        ],
      }),
    );
    const tracking = await stack.waitFor(id, deposited, 'deposit');
    expect(tracking.openTask).toBeUndefined();
    expect(tracking.audit.some((f) => f.kind === 'submission.sent' && f.outcome.kind === 'accepted')).toBe(
      true,
    );
  });

  it('sends through a PISTE application with only Factures, Structures and Transverses: DEGRADED, not FAILED', async () => {
    await connect('three-families', 'credentials.three-families');
    const id = await submit({
      ...invoiceBody(stack, 'buyer.no-requirement'),
      connectionId: 'three-families',
    });
    await stack.waitFor(id, deposited, 'deposit');
    const connection = (await stack.as('admin').get('v1/connections/three-families')).body as unknown as {
      status: string;
    };
    expect(connection.status).toBe('DEGRADED');
  });

  it('lets a person confirm a local authority engagement the search does not know (the check is on), then PAID', async () => {
    await connect('local-ej', 'credentials.valid', { engagementCheck: true });
    const id = await submit({
      ...invoiceBody(stack, 'buyer.local-authority-engagement', {
        references: { engagementNumber: 'BC-2026-117' },
      }),
      connectionId: 'local-ej',
    });
    const waiting = await stack.waitFor(id, (v) => v.status === 'AWAITING_DATA', 'the engagement warning');
    expect(waiting.openTask!.fields.map((f) => f.field)).toEqual([
      'references.engagementNumber',
      'references.engagementConfirmed',
    ]);
    await answer(id, waiting.openTask!.id, { values: { 'references.engagementConfirmed': 'true' } });
    await stack.waitFor(id, deposited, 'deposit');
    stack.simulator.ctx.clock.advance(40 * DAY);
    expect((await stack.waitFor(id, ended, 'the end')).status).toBe('PAID');
  });

  it('asks a subcontractor invoice (A9) for its validator, and ends REJECTED when the validator refuses', async () => {
    const id = await submit(invoiceBody(stack, 'buyer.validator-refuses', { billingFrame: 'A9' }));
    const waiting = await stack.waitFor(id, (v) => v.status === 'AWAITING_DATA', 'the validator');
    expect(waiting.openTask!.fields.map((f) => f.field)).toEqual(['validator.siret']);
    const validator = structureByScenario(stack.simulator.ctx.dataset, 'validator.main-contractor').siret;
    await answer(id, waiting.openTask!.id, { values: { 'validator.siret': validator } });
    await stack.waitFor(id, deposited, 'deposit');
    stack.simulator.ctx.clock.advance(5 * DAY);
    const rejected = await stack.waitFor(id, ended, 'the end');
    expect(rejected.status).toBe('REJECTED');
    expect(rejected.statusReasonFr).toMatch(/structure qui valide.*montant non conforme/);
  });

  it('asks a person to correct the validator in Chorus Pro (ERREUR_FOURNISSEUR_SUR_VALIDEUR), then keeps following', async () => {
    const id = await submit(invoiceBody(stack, 'buyer.validator-error', { billingFrame: 'A9' }));
    const waiting = await stack.waitFor(id, (v) => v.status === 'AWAITING_DATA', 'the validator');
    const validator = structureByScenario(stack.simulator.ctx.dataset, 'validator.main-contractor').siret;
    await answer(id, waiting.openTask!.id, { values: { 'validator.siret': validator } });
    await stack.waitFor(id, deposited, 'deposit');
    stack.simulator.ctx.clock.advance(2 * DAY);
    const asked = await stack.waitFor(
      id,
      (v) => v.openTask?.kind === 'VALIDATOR_ERROR',
      'a VALIDATOR_ERROR task',
    );
    expect(asked.status).toBe('ACTION_REQUIRED');
    expect(asked.chorusStatus).toBe('ERREUR_FOURNISSEUR_SUR_VALIDEUR');
    expect(asked.openTask!.descriptionFr).toMatch(/Corrigez le valideur dans le portail Chorus Pro/);
    expect(asked.openTask!.descriptionFr).toMatch(/n'est pas le titulaire du marché/);
    // A decision: values are refused field by field.
    const refused = await stack
      .as('staff', 'claire')
      .post(`v1/invoices/${encodeURIComponent(id)}/task`, { json: { taskId: asked.openTask!.id } });
    expect(refused.statusCode).toBe(422);
    await answer(id, asked.openTask!.id, { approve: true, comment: 'corrigé dans le portail' });
    const following = await stack.waitFor(
      id,
      (v) => v.status === 'TRACKING' && v.openTask === undefined,
      'tracking again',
    );
    expect(following.audit.some((f) => f.kind === 'task.answered' && f.taskKind === 'VALIDATOR_ERROR')).toBe(
      true,
    );
  });

  it.each([
    ['buyer.abandons', /abandoned in Chorus Pro/],
    ['buyer.deletes', /deleted in Chorus Pro/],
  ])('ends %s as REJECTED with the reason', async (scenario, reason) => {
    const id = await submit(invoiceBody(stack, scenario));
    await stack.waitFor(id, deposited, 'deposit');
    stack.simulator.ctx.clock.advance(5 * DAY);
    const end = await stack.waitFor(id, ended, 'the end');
    expect(end.status).toBe('REJECTED');
    expect(end.statusReason).toMatch(reason);
  });

  it('asks a person, after a bounded number of tries, when soumettre always answers 503', async () => {
    const id = await submit(invoiceBody(stack, 'buyer.unavailable-on-submit'));
    const stuck = await stack.waitFor(
      id,
      (v) => v.openTask?.kind === 'SUBMISSION_FAILING',
      'a person asked',
      90_000,
    );
    expect(stuck.status).toBe('ACTION_REQUIRED');
    await answer(id, stuck.openTask!.id, { approve: false });
    const failed = await stack.waitFor(id, ended, 'the end');
    expect(failed.status).toBe('FAILED');
    expect(failed.statusReason).toMatch(/Nothing was deposited/);
  });
});
