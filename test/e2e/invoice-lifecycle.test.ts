/**
 * End to end through the REST API: real Temporal dev server, real worker and activities, real HTTP
 * to the simulator. The simulator's clock is moved forward to play the buyer's side.
 */
import { decodeHistory } from '../../platform/history-codec';
import { credentialsByScenario } from '../../simulator/dataset';
import type { InvoiceView } from '../../workflows/contracts/invoice';
import { invoiceBody, startStack, type Stack } from './stack-harness';

const PDF = Buffer.from('%PDF-1.4\n% facture de test\n').toString('base64');
const DAY = 86_400;

interface Created {
  id: string;
  status: string;
}

describe('invoice lifecycle end to end (REST API → workflow → simulator)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function submit(body: Record<string, unknown>): Promise<Created> {
    const response = await stack.http.post('v1/invoices', { json: body });
    expect({ status: response.statusCode, body: response.body }).toMatchObject({ status: 202 });
    return response.body as unknown as Created;
  }

  const deposited = (v: InvoiceView) => v.status === 'TRACKING' && v.chorusInvoiceId !== undefined;
  const payBuyers = () => stack.simulator.ctx.clock.advance(40 * DAY);

  it('turns a closed engagement that Chorus Pro refuses into a correction task, never a dead end, then reaches PAID', async () => {
    const body = invoiceBody(stack, 'buyer.requires-engagement', {
      references: { engagementNumber: 'EJ-2025-000099' }, // closed (CLOTURE) in the simulator
    });
    const created = await submit(body);
    const correction = await stack.waitFor(
      created.id,
      (v) => v.openTask?.kind === 'CORRECTION',
      'a correction task after the refusal',
    );
    expect(correction.status).toBe('AWAITING_DATA');
    expect(correction.openTask!.fields).toEqual([
      expect.objectContaining({ field: 'references.engagementNumber', refusedAnswer: 'EJ-2025-000099' }),
    ]);
    expect(correction.openTask!.fields[0].whyFr).toMatch(
      /^Chorus Pro a refusé cette valeur : .*EJ-2025-000099/,
    );
    const answered = await stack
      .as('staff', 'claire')
      .post(`v1/invoices/${encodeURIComponent(created.id)}/task`, {
        json: {
          taskId: correction.openTask!.id,
          values: { 'references.engagementNumber': 'EJ-2026-000123' },
        },
      });
    expect(answered.statusCode).toBe(200);
    await stack.waitFor(created.id, deposited, 'deposit after the correction');
    payBuyers();
    const paid = await stack.waitFor(created.id, (v) => v.status === 'PAID', 'PAID');
    expect(paid.invoice.references.engagementNumber).toBe('EJ-2026-000123');
  });

  it('checks engagements only on a connection that asks for it: a closed one must be changed, then PAID', async () => {
    const set = credentialsByScenario(stack.simulator.ctx.dataset, 'credentials.valid');
    const made = await stack.as('admin').post('v1/connections', {
      json: {
        id: 'checks-engagements',
        supplierSiret: set.supplierSiret,
        environment: 'simulator',
        piste: set.piste,
        technicalAccount: set.technicalAccount,
        engagementCheck: true,
      },
    });
    expect(made.statusCode).toBe(202);
    expect((await stack.as('admin').get('v1/connections/checks-engagements')).body).toMatchObject({
      engagementCheck: true,
    });
    const body = {
      ...invoiceBody(stack, 'buyer.requires-engagement', {
        references: { engagementNumber: 'EJ-2025-000099' },
      }),
      connectionId: 'checks-engagements',
    };
    const created = await submit(body);
    const waiting = await stack.waitFor(
      created.id,
      (v) => v.status === 'AWAITING_DATA',
      'the closed engagement',
    );
    const item = waiting.checklist.find((i) => i.id === 'engagement-exists')!;
    expect(item).toMatchObject({ ok: false, field: 'references.engagementNumber' });
    expect(item.messageFr).toMatch(/est clôturé dans Chorus Pro/);
    expect(waiting.openTask!.fields.map((f) => f.field)).toEqual(['references.engagementNumber']);
    await stack.http.post(`v1/invoices/${encodeURIComponent(created.id)}/task`, {
      json: { taskId: waiting.openTask!.id, values: { 'references.engagementNumber': 'EJ-2026-000123' } },
    });
    const tracking = await stack.waitFor(created.id, deposited, 'deposit');
    expect(tracking.checklist.find((i) => i.id === 'engagement-exists')).toMatchObject({ ok: true });
  });

  it('sends an invoice with an attachment, then its credit note, and follows both to PAID', async () => {
    const invoice = invoiceBody(stack, 'buyer.no-requirement', {
      attachments: [{ fileName: 'bon-de-livraison.pdf', contentBase64: PDF }],
    });
    const created = await submit(invoice);
    expect(created.id).toBe(`invoice:${stack.connectionId}:${String(invoice.invoiceNumber)}`);
    const tracking = await stack.waitFor(created.id, deposited, 'deposit');
    expect(tracking.checklist.every((item) => item.ok)).toBe(true);
    expect(tracking.attachments).toEqual([
      expect.objectContaining({
        fileName: 'bon-de-livraison.pdf',
        type: 'Doc. Annexe',
        pieceJointeId: expect.any(Number),
      }),
    ]);
    expect(tracking.attachments[0].ref).toMatch(/^sha256:/);

    const credit = await submit(
      invoiceBody(stack, 'buyer.no-requirement', {
        type: 'CREDIT_NOTE',
        originalInvoiceNumber: invoice.invoiceNumber,
        lines: [
          {
            description: 'Avoir sur déplacement',
            quantity: '1',
            unitPriceExclVat: '45.50',
            vatRatePercent: '20',
          },
        ],
      }),
    );
    await stack.waitFor(credit.id, deposited, 'credit note deposit');

    // The tracker reports the status it finds at each poll: routed within the hour, paid weeks later.
    stack.simulator.ctx.clock.advance(3600);
    await stack.waitFor(
      created.id,
      (v) => v.chorusTimeline.some((o) => o.status === 'MISE_A_DISPOSITION'),
      'MISE_A_DISPOSITION',
    );
    payBuyers();
    const paid = await stack.waitFor(created.id, (v) => v.status === 'PAID', 'PAID');
    expect(paid.chorusStatus).toBe('MISE_EN_PAIEMENT');
    expect(paid.chorusTimeline.map((o) => o.status)).toEqual(
      expect.arrayContaining(['MISE_A_DISPOSITION', 'MISE_EN_PAIEMENT']),
    );
    expect(
      (await stack.waitFor(credit.id, (v) => v.status === 'PAID', 'credit note PAID')).chorusStatus,
    ).toBe('MISE_EN_PAIEMENT');

    const counters = stack.simulator.ctx.counters.snapshot();
    const supplier = Object.values(counters.invoices)[0];
    expect(supplier[String(invoice.invoiceNumber)]).toBe(1);
    expect(counters.calls['transverses/ajouter/fichier']).toBe(1);
  });

  it('asks for a missing engagement number, refuses a bad answer with a field message, then reaches PAID', async () => {
    const created = await submit(invoiceBody(stack, 'buyer.requires-engagement'));
    const waiting = await stack.waitFor(created.id, (v) => v.status === 'AWAITING_DATA', 'AWAITING_DATA');
    const task = waiting.openTask!;
    expect(task.kind).toBe('MISSING_DATA');
    expect(task.fields).toEqual([
      expect.objectContaining({ field: 'references.engagementNumber', required: true }),
    ]);
    expect(task.fields[0].why).toMatch(/engagement number/);

    // The inbox reads the rows the workflow records: it follows the workflow within moments.
    const inbox = await stack.waitUntil(async () => {
      const tasks = await stack.http.get('v1/tasks', { searchParams: { connectionId: stack.connectionId } });
      const ids = (tasks.body as unknown as { tasks: Array<{ invoiceId: string }> }).tasks.map(
        (t) => t.invoiceId,
      );
      return ids.includes(created.id) ? ids : undefined;
    }, 'the task in GET /v1/tasks');
    expect(inbox).toContain(created.id);

    const bad = await stack.http.post(`v1/invoices/${encodeURIComponent(created.id)}/task`, {
      json: { taskId: task.id, values: { 'references.engagementNumber': 'E'.repeat(60) } },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toEqual({
      error: expect.objectContaining({
        code: 'invalid_task_answer',
        fields: { 'references.engagementNumber': 'at most 50 characters (Chorus Pro limit)' },
      }),
    });
    // A refused answer never reaches the history; the API log keeps which key tried it.
    const refusal = stack.logLines.find((line) => line.includes('workflow update refused'));
    expect(JSON.parse(refusal!)).toMatchObject({
      keyId: 'dev-staff',
      refused: 'InvalidTaskAnswer',
      fields: { 'references.engagementNumber': 'at most 50 characters (Chorus Pro limit)' },
    });

    const good = await stack.http.post(`v1/invoices/${encodeURIComponent(created.id)}/task`, {
      json: { taskId: task.id, values: { 'references.engagementNumber': 'EJ-2026-000123' } },
      headers: { 'x-acting-user': 'claire.compta' },
    });
    expect(good.statusCode).toBe(200);
    const tracking = await stack.waitFor(created.id, deposited, 'deposit after the answer');
    expect(tracking.invoice.references.engagementNumber).toBe('EJ-2026-000123');
    expect(tracking.timeline.some((t) => t.note?.includes('claire.compta (key dev-staff)'))).toBe(true);
    // Who answered is part of the workflow history itself (the update's input), not only of a view.
    const history = await decodeHistory(await stack.client.workflow.getHandle(created.id).fetchHistory(), [
      stack.codec,
    ]);
    const answers = (history.events ?? [])
      .filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)
      .map((e) =>
        JSON.parse(
          Buffer.from(
            e.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!.args!.payloads![0]
              .data!,
          ).toString('utf8'),
        ),
      );
    expect(answers).toContainEqual(
      expect.objectContaining({
        values: { 'references.engagementNumber': 'EJ-2026-000123' },
        answeredBy: { keyId: 'dev-staff', role: 'staff', user: 'claire.compta' },
      }),
    );
    payBuyers();
    await stack.waitFor(created.id, (v) => v.status === 'PAID', 'PAID');
  });

  it("offers the buyer's active services (never FACTURES_PUBLIQUES) when a service code is required", async () => {
    const created = await submit(invoiceBody(stack, 'buyer.public-invoices-service'));
    const waiting = await stack.waitFor(created.id, (v) => v.status === 'AWAITING_DATA', 'AWAITING_DATA');
    const field = waiting.openTask!.fields.find((f) => f.field === 'buyer.serviceCode')!;
    expect(field.allowedValues?.map((v) => v.value)).toEqual(['LYCEES']);

    const inactive = await submit(invoiceBody(stack, 'buyer.requires-service'));
    const services = (await stack.waitFor(inactive.id, (v) => v.status === 'AWAITING_DATA', 'AWAITING_DATA'))
      .openTask!.fields[0];
    expect(services.allowedValues?.map((v) => v.value).sort()).toEqual(['ACHATS', 'TECHNIQUE']);
    const refused = await stack.http.post(`v1/invoices/${encodeURIComponent(inactive.id)}/task`, {
      json: {
        taskId: (await stack.waitFor(inactive.id, () => true, 'view')).openTask!.id,
        values: { 'buyer.serviceCode': 'ANCIEN-SERVICE' },
      },
    });
    expect(refused.statusCode).toBe(422);
    expect(
      (refused.body as unknown as { error: { fields: Record<string, string> } }).error.fields[
        'buyer.serviceCode'
      ],
    ).toMatch(/not allowed/);
  });

  it('shows the exact Chorus payload for approval, then sends it', async () => {
    const created = await submit(invoiceBody(stack, 'buyer.no-requirement', { requireApproval: true }));
    const waiting = await stack.waitFor(
      created.id,
      (v) => v.status === 'AWAITING_APPROVAL',
      'AWAITING_APPROVAL',
    );
    expect(waiting.openTask!.chorusPayload).toMatchObject({
      modeDepot: 'SAISIE_API',
      destinataire: { codeDestinataire: stack.buyerSiret('buyer.no-requirement') },
      montantTotal: {
        montantHtTotal: '345.50',
        montantTVA: '69.10',
        montantTtcTotal: '414.60',
        montantAPayer: '414.60',
      },
    });
    const approved = await stack.http.post(`v1/invoices/${encodeURIComponent(created.id)}/task`, {
      json: { taskId: waiting.openTask!.id, approve: true },
    });
    expect(approved.statusCode).toBe(200);
    await stack.waitFor(created.id, deposited, 'deposit after approval');
  });

  it('recycles an A_RECYCLER invoice, completes a SUSPENDUE one, and ends a REJETEE one as REJECTED', async () => {
    const recycled = await submit(invoiceBody(stack, 'buyer.recycles'));
    const suspended = await submit(invoiceBody(stack, 'buyer.suspends'));
    const rejected = await submit(invoiceBody(stack, 'buyer.rejects'));
    for (const c of [recycled, suspended, rejected]) await stack.waitFor(c.id, deposited, 'deposit');

    stack.simulator.ctx.clock.advance(1 * DAY);
    const recycleTask = await stack.waitFor(
      recycled.id,
      (v) => v.openTask?.kind === 'RECYCLE',
      'RECYCLE task',
    );
    expect(recycleTask.status).toBe('ACTION_REQUIRED');
    expect(recycleTask.openTask!.description).toMatch(/LOGISTIQUE/);
    expect(
      (
        await stack.http.post(`v1/invoices/${encodeURIComponent(recycled.id)}/task`, {
          json: {
            taskId: recycleTask.openTask!.id,
            values: { 'buyer.serviceCode': 'LOGISTIQUE', comment: 'Service corrigé' },
          },
        })
      ).statusCode,
    ).toBe(200);

    const completeTask = await stack.waitFor(
      suspended.id,
      (v) => v.openTask?.kind === 'COMPLETE',
      'COMPLETE task',
    );
    expect(
      (
        await stack.http.post(`v1/invoices/${encodeURIComponent(suspended.id)}/task`, {
          json: {
            taskId: completeTask.openTask!.id,
            values: { comment: 'Bon de livraison joint' },
            attachments: [{ fileName: 'bl-signe.pdf', contentBase64: PDF }],
          },
        })
      ).statusCode,
    ).toBe(200);

    const rejectedView = await stack.waitFor(rejected.id, (v) => v.status === 'REJECTED', 'REJECTED');
    expect(rejectedView.statusReason).toMatch(/new invoice number is needed/);

    await stack.waitFor(
      recycled.id,
      (v) => v.status === 'TRACKING' && v.chorusStatus !== 'A_RECYCLER',
      'recycled',
    );
    await stack.waitFor(
      suspended.id,
      (v) => v.status === 'TRACKING' && v.chorusStatus !== 'SUSPENDUE',
      'completed',
    );
    payBuyers();
    expect(
      (await stack.waitFor(recycled.id, (v) => v.status === 'PAID', 'recycled PAID')).invoice.buyer
        .serviceCode,
    ).toBe('LOGISTIQUE');
    await stack.waitFor(suspended.id, (v) => v.status === 'PAID', 'completed PAID');
  });

  it('settles a recycle and a completion whose answers were lost: the resend meets "no longer in that status", tracking goes on to PAID', async () => {
    const recycled = await submit(invoiceBody(stack, 'buyer.recycles'));
    const suspended = await submit(invoiceBody(stack, 'buyer.suspends'));
    for (const c of [recycled, suspended]) await stack.waitFor(c.id, deposited, 'deposit');
    stack.simulator.ctx.clock.advance(1 * DAY);
    const recycleTask = await stack.waitFor(
      recycled.id,
      (v) => v.openTask?.kind === 'RECYCLE',
      'RECYCLE task',
    );
    const completeTask = await stack.waitFor(
      suspended.id,
      (v) => v.openTask?.kind === 'COMPLETE',
      'COMPLETE task',
    );
    // Each answer lands in Chorus but its reply is lost: the activity's retry sends it again, and
    // Chorus refuses it, the invoice having left A_RECYCLER / SUSPENDUE. Before, the invoice FAILED.
    const before = stack.simulator.ctx.counters.snapshot().calls;
    stack.simulator.faults.add({ route: 'factures/recycler', loseAnswer: true, times: 1 });
    stack.simulator.faults.add({ route: 'factures/completer', loseAnswer: true, times: 1 });
    const answers = await Promise.all([
      stack.http.post(`v1/invoices/${encodeURIComponent(recycled.id)}/task`, {
        json: { taskId: recycleTask.openTask!.id, values: { 'buyer.serviceCode': 'LOGISTIQUE' } },
      }),
      stack.http.post(`v1/invoices/${encodeURIComponent(suspended.id)}/task`, {
        json: {
          taskId: completeTask.openTask!.id,
          values: { comment: 'Bon de livraison joint' },
          attachments: [{ fileName: 'bl-signe.pdf', contentBase64: PDF }],
        },
      }),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200]);
    for (const [c, status] of [
      [recycled, 'A_RECYCLER'],
      [suspended, 'SUSPENDUE'],
    ] as const) {
      const settled = await stack.waitFor(
        c.id,
        (v) => v.timeline.some((entry) => entry.note?.includes(`had already left ${status}`)),
        `${status} answer settled`,
      );
      expect(settled.status).not.toBe('FAILED');
    }
    const calls = stack.simulator.ctx.counters.snapshot().calls;
    const sent = (operation: string) => (calls[operation] ?? 0) - (before[operation] ?? 0);
    expect([sent('factures/recycler'), sent('factures/completer')]).toEqual([2, 2]);
    payBuyers();
    const paid = await stack.waitFor(recycled.id, (v) => v.status === 'PAID', 'recycled PAID');
    expect(paid.invoice.buyer.serviceCode).toBe('LOGISTIQUE');
    await stack.waitFor(suspended.id, (v) => v.status === 'PAID', 'completed PAID');
  });

  it('is idempotent on the same payload, answers 409 on a different one, and cancels only before sending', async () => {
    const body = invoiceBody(stack, 'buyer.requires-engagement');
    const first = await submit(body);
    const again = await stack.http.post('v1/invoices', { json: body });
    expect(again.statusCode).toBe(200);
    expect((again.body as unknown as Created).id).toBe(first.id);
    const different = await stack.http.post('v1/invoices', {
      json: {
        ...body,
        lines: [{ description: 'x', quantity: '1', unitPriceExclVat: '1', vatRatePercent: '20' }],
      },
    });
    expect(different.statusCode).toBe(409);

    await stack.waitFor(first.id, (v) => v.status === 'AWAITING_DATA', 'AWAITING_DATA');
    const cancelled = await stack.http.post(`v1/invoices/${encodeURIComponent(first.id)}/cancel`, {
      json: { reason: 'doublon interne' },
    });
    expect(cancelled.statusCode).toBe(200);
    expect((await stack.waitFor(first.id, (v) => v.status === 'CANCELLED', 'CANCELLED')).statusReason).toBe(
      'doublon interne',
    );
    // It never reached Chorus: posting it again sends it again, under the same number.
    await stack.client.workflow.getHandle(first.id).result();
    const resent = await stack.http.post('v1/invoices', { json: body });
    expect(resent.statusCode).toBe(202);
    expect((resent.body as unknown as Created).id).toBe(first.id);
    await stack.waitFor(first.id, (v) => v.status === 'AWAITING_DATA', 'AWAITING_DATA again');

    const sent = await submit(invoiceBody(stack, 'buyer.no-requirement'));
    await stack.waitFor(sent.id, deposited, 'deposit');
    const refused = await stack.http.post(`v1/invoices/${encodeURIComponent(sent.id)}/cancel`, { json: {} });
    expect(refused.statusCode).toBe(409);
    expect((refused.body as unknown as { error: { message: string } }).error.message).toMatch(
      /can no longer be cancelled/,
    );
  });

  it('pages through the list with tokens it signed, and refuses any other token with a 400', async () => {
    const query = { connectionId: stack.connectionId, pageSize: '1' };
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await stack.http.get('v1/invoices', {
        searchParams: { ...query, ...(token ? { pageToken: token } : {}) },
      });
      expect(page.statusCode).toBe(200);
      const body = page.body as unknown as { invoices: Array<{ id: string }>; nextPageToken?: string };
      seen.push(...body.invoices.map((i) => i.id));
      token = body.nextPageToken;
    } while (token && seen.length < 4);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(new Set(seen).size).toBe(seen.length);

    const first = await stack.http.get('v1/invoices', { searchParams: query });
    const issued = (first.body as unknown as { nextPageToken: string }).nextPageToken;
    for (const [pageToken, other] of [
      ['garbage', {}],
      [`${issued.slice(0, -2)}AA`, {}],
      [issued, { status: 'PAID' }], // a token belongs to the query it was given for
    ] as const) {
      const refused = await stack.http.get('v1/invoices', {
        searchParams: { ...query, ...other, pageToken },
      });
      expect(refused.statusCode).toBe(400);
      expect(
        (refused.body as unknown as { error: { fields: Record<string, string> } }).error.fields.pageToken,
      ).toMatch(/not a page token this API gave/);
    }
  });
});
