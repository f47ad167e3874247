/**
 * The audit trail end to end: an invoice goes through a MISSING_DATA task, a `soumettre` whose
 * answer is lost (the simulator commits the invoice, then drops the connection) and an A_RECYCLER
 * return by the buyer, then is paid. Its timeline (GET /v1/invoices/:id/history) must tell that
 * story correctly — who answered what, the unknown outcome and the lookup that adopted the
 * invoice instead of sending it again, the buyer's comment and the recycling — and contain no
 * secret, whatever the role that reads it.
 */
import type { Got } from 'got';
import type { AuditEntry } from '../../audit/timeline';
import type { InvoiceView } from '../../workflows/contracts/invoice';
import { invoiceBody, startStack, type Stack } from './stack-harness';

const DAY = 86_400;

interface TimelineAnswer {
  invoiceId: string;
  runs: Array<{ runId: string; startedAt: string; closedAt?: string }>;
  entries: AuditEntry[];
}

describe('audit timeline end to end: a task, a lost answer and A_RECYCLER', () => {
  let stack: Stack;
  /** The API as the given role calls it (its development key). */
  let history: (role: 'staff' | 'auditor' | 'system') => Got;

  beforeAll(async () => {
    stack = await startStack();
    history = (role) => stack.as(role).extend({ responseType: 'text' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const deposited = (v: InvoiceView) => v.status === 'TRACKING' && v.chorusInvoiceId !== undefined;

  it('tells the story of the invoice correctly and shows no secret', async () => {
    const body = invoiceBody(stack, 'buyer.recycles', {
      buyer: { siret: stack.buyerSiret('buyer.recycles'), serviceCode: 'SERVICE-INCONNU' },
    });
    const invoiceNumber = String(body.invoiceNumber);
    const created = await stack.http.post('v1/invoices', { json: body });
    expect(created.statusCode).toBe(202);
    const id = (created.body as unknown as { id: string }).id;
    const path = `v1/invoices/${encodeURIComponent(id)}`;

    // 1. The service code does not exist: a MISSING_DATA task, answered by Marie.
    const waiting = await stack.waitFor(id, (v) => v.status === 'AWAITING_DATA', 'AWAITING_DATA');
    expect(waiting.openTask!.fields.map((f) => f.field)).toEqual(['buyer.serviceCode']);
    // 2. The next soumettre is committed by Chorus Pro but its answer is lost.
    stack.simulator.faults.add({ route: 'factures/soumettre', loseAnswer: true, times: 1 });
    const answered = await stack.as('staff', 'marie.dupont').post(`${path}/task`, {
      json: { taskId: waiting.openTask!.id, values: { 'buyer.serviceCode': 'ACHATS' } },
    });
    expect(answered.statusCode).toBe(200);
    const tracking = await stack.waitFor(id, deposited, 'deposit after the lost answer');

    // 3. The buyer sends it back (A_RECYCLER); Paul gives the right service; the first recycler call
    // meets a Chorus Pro outage (503) and is retried by Temporal.
    stack.simulator.faults.add({ route: 'factures/recycler', failNext: 1, times: 1 });
    stack.simulator.ctx.clock.advance(1 * DAY);
    const recycle = await stack.waitFor(id, (v) => v.openTask?.kind === 'RECYCLE', 'RECYCLE task');
    const recycled = await stack.as('staff', 'paul.martin').post(`${path}/task`, {
      json: {
        taskId: recycle.openTask!.id,
        values: { 'buyer.serviceCode': 'LOGISTIQUE', comment: 'Service logistique, comme demandé' },
      },
    });
    expect(recycled.statusCode).toBe(200);
    await stack.waitFor(id, (v) => v.status === 'TRACKING' && v.chorusStatus !== 'A_RECYCLER', 'recycled');
    // 4. The audit of a paid invoice holds the statuses its tracker saw at its polls: Chorus's days
    // pass one status at a time, as they do between polls in production.
    const reported = (status: string, times: number) => (v: InvoiceView) =>
      v.chorusTimeline.filter((o) => o.status === status).length >= times;
    for (const [days, status, times] of [
      [1 / 24, 'MISE_A_DISPOSITION', 2],
      [4, 'SERVICE_FAIT', 1],
      [10, 'MANDATEE', 1],
    ] as const) {
      stack.simulator.ctx.clock.advance(days * DAY);
      await stack.waitFor(id, reported(status, times), status);
    }
    stack.simulator.ctx.clock.advance(26 * DAY);
    const paid = await stack.waitFor(id, (v) => v.status === 'PAID', 'PAID');
    await stack.client.workflow.getHandle(id).result();
    const sent = Object.values(stack.simulator.ctx.counters.snapshot().invoices).reduce(
      (n, perSupplier) => n + (perSupplier[invoiceNumber] ?? 0),
      0,
    );
    expect(sent).toBe(1);

    // ---- the timeline --------------------------------------------------------------------------
    const answer = await history('auditor').get(`${path}/history`, { responseType: 'json' });
    expect(answer.statusCode).toBe(200);
    const timeline = answer.body as unknown as TimelineAnswer;
    expect(timeline.invoiceId).toBe(id);
    expect(timeline.runs).toHaveLength(1);
    const entries = timeline.entries;
    const of = (kind: AuditEntry['kind']) => entries.filter((e) => e.kind === kind);
    const indexOf = (entry: AuditEntry | undefined) => entries.indexOf(entry!);
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort());

    // The task, who answered it and with what.
    const [missing, recycleTask] = of('task.opened');
    expect(missing.details).toMatchObject({
      taskKind: 'MISSING_DATA',
      taskId: waiting.openTask!.id,
      fields: [
        {
          field: 'buyer.serviceCode',
          why: expect.stringContaining('SERVICE-INCONNU'),
          allowedValues: ['ACHATS', 'LOGISTIQUE'],
        },
      ],
    });
    const [marie, paul] = of('task.answered');
    expect(marie.summary).toBe(
      `Task ${waiting.openTask!.id} (missing data) was answered by marie.dupont (key dev-staff): buyer.serviceCode = "ACHATS".`,
    );
    expect(marie.summaryFr).toBe(
      `Tâche ${waiting.openTask!.id} (Données manquantes) traitée par marie.dupont (clé dev-staff) : Code service de l’acheteur = « ACHATS ».`,
    );
    expect(marie.details).toMatchObject({
      answeredBy: { keyId: 'dev-staff', role: 'staff', user: 'marie.dupont' },
      values: { 'buyer.serviceCode': 'ACHATS' },
    });
    expect(of('checklist.evaluated').map((e) => e.details.ok)).toEqual([false, true]);

    // The lost answer: one failed soumettre, the pause, the lookup that adopted the invoice — and no resend.
    const [failed] = of('activity.failed');
    expect(failed.details).toMatchObject({
      activity: 'submitInvoice',
      failure: { type: 'ChorusUnavailable' },
    });
    const [lost] = of('submission.unknown');
    expect(lost.summary).toMatch(/no usable answer.*outcome is unknown, so the invoice is looked up/);
    expect((lost.details.request as { numeroFactureSaisi: string }).numeroFactureSaisi).toBe(invoiceNumber);
    const backoff = of('timer.armed').find((e) => e.details.purpose === 'resubmit-backoff');
    const [lookup] = of('lookup.done');
    expect(lookup.details).toMatchObject({
      reason: 'after-unknown-outcome',
      ours: true,
      found: {
        identifiantFactureCPP: tracking.chorusInvoiceId,
        buyerSiret: stack.buyerSiret('buyer.recycles'),
      },
    });
    expect(lookup.summary).toContain(`found: Chorus Pro invoice ${tracking.chorusInvoiceId}`);
    const [adopted] = of('deposit.adopted');
    expect(adopted.details).toMatchObject({ how: 'found-after-unknown-outcome' });
    const submittedStatus = of('status.changed').find((e) => e.details.to === 'SUBMITTED');
    expect(indexOf(lost)).toBeLessThan(indexOf(backoff));
    expect(indexOf(backoff)).toBeLessThan(indexOf(lookup));
    expect(indexOf(lookup)).toBeLessThan(indexOf(adopted));
    expect(indexOf(adopted)).toBeLessThan(indexOf(submittedStatus));
    expect(of('submission.sent')).toHaveLength(0); // the only soumettre is the one whose answer was lost

    // A_RECYCLER with the buyer's comment and Chorus Pro's time, the task, Paul's answer, recycler.
    const aRecycler = of('chorus.status').find((e) => e.details.status === 'A_RECYCLER')!;
    const observed = paid.chorusTimeline.find((o) => o.status === 'A_RECYCLER')!;
    expect(aRecycler.details).toMatchObject({ chorusAt: observed.at, comment: observed.comment });
    expect(aRecycler.summary).toContain(`at ${observed.at}`);
    expect(recycleTask.details).toMatchObject({
      taskKind: 'RECYCLE',
      taskId: recycle.openTask!.id,
      buyerComment: observed.comment,
      fields: expect.arrayContaining([
        expect.objectContaining({ field: 'buyer.serviceCode', allowedValues: ['ACHATS', 'LOGISTIQUE'] }),
      ]),
    });
    expect(paul.summary).toBe(
      `Task ${recycle.openTask!.id} (invoice to recycle) was answered by paul.martin (key dev-staff): ` +
        'buyer.serviceCode = "LOGISTIQUE", comment = "Service logistique, comme demandé".',
    );
    const [recycler] = of('chorus.recycled');
    expect(recycler.details).toMatchObject({
      identifiantFactureCPP: paid.chorusInvoiceId,
      serviceCode: 'LOGISTIQUE',
      comment: 'Service logistique, comme demandé',
    });
    const [retry] = of('activity.retried');
    expect(retry.details).toMatchObject({
      activity: 'recycleInvoice',
      attempt: 2,
      lastFailure: { message: expect.stringContaining('503') },
    });
    expect(retry.summary).toMatch(
      /^The recycling \(factures\/recycler\) started attempt 2; the previous attempt failed: .*503/,
    );
    expect(of('activity.retried')).toHaveLength(1);
    expect(indexOf(aRecycler)).toBeLessThan(indexOf(recycleTask));
    expect(indexOf(recycleTask)).toBeLessThan(indexOf(paul));
    expect(indexOf(paul)).toBeLessThan(indexOf(recycler));

    // Statuses and the end.
    const transitions = of('status.changed').map((e) => e.details.to);
    expect(transitions).toEqual([
      'CHECKING',
      'AWAITING_DATA',
      'CHECKING',
      'UPLOADING',
      'SUBMITTING',
      'SUBMITTED',
      'TRACKING',
      'ACTION_REQUIRED',
      'TRACKING',
      'PAID',
    ]);
    const chorusStatuses = of('chorus.status').map((e) => e.details.status);
    expect(chorusStatuses).toEqual(
      expect.arrayContaining([
        'A_RECYCLER',
        'MISE_A_DISPOSITION',
        'SERVICE_FAIT',
        'MANDATEE',
        'MISE_EN_PAIEMENT',
      ]),
    );
    // MISE_A_DISPOSITION twice: before the return and after the recycling, at different Chorus times.
    expect(chorusStatuses.filter((s) => s === 'MISE_A_DISPOSITION')).toHaveLength(2);
    // Each status once: the tracker and the history report some of the same ones.
    const seen = of('chorus.status').map((e) => `${String(e.details.status)}@${String(e.details.chorusAt)}`);
    expect(new Set(seen).size).toBe(seen.length);
    expect(entries[entries.length - 1]).toMatchObject({
      kind: 'result',
      details: { status: 'PAID', chorusStatus: 'MISE_EN_PAIEMENT', chorusInvoiceId: paid.chorusInvoiceId },
    });

    // ---- no secret, for any reader ----------------------------------------------------------------
    const raw = await history('auditor').get(`${path}/history`, { searchParams: { format: 'temporal' } });
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['x-payloads']).toBe('decoded');
    const stored = await history('staff').get(`${path}/history`, { searchParams: { format: 'temporal' } });
    expect(stored.headers['x-payloads']).toBe('encoded');
    const staffTimeline = await history('staff').get(`${path}/history`, { responseType: 'json' });
    expect((staffTimeline.body as unknown as TimelineAnswer).entries).toEqual(entries);

    const decodedRaw = JSON.stringify(JSON.parse(raw.body), (key, value: unknown) =>
      (key === 'data' || key === 'encoding') && typeof value === 'string'
        ? Buffer.from(value, 'base64').toString('utf8')
        : value,
    );
    expect(decodedRaw).toContain('Service logistique, comme demandé'); // payloads really were decoded
    const texts = [JSON.stringify(timeline), decodedRaw, stored.body];
    const secrets = stack.simulator.ctx.dataset.credentials.flatMap((c) => [
      c.piste.clientSecret,
      c.technicalAccount.password,
      Buffer.from(`${c.technicalAccount.login}:${c.technicalAccount.password}`).toString('base64'),
    ]);
    for (const text of texts) {
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/sealed:v1:/);
      expect(text).not.toMatch(/dev-key-(system|staff|auditor|admin)/);
      expect(text).not.toContain('e2e-webhook-secret');
    }
    // PISTE access tokens are 54 letters and digits.
    for (const text of [JSON.stringify(timeline), decodedRaw])
      expect(text).not.toMatch(/(?<![A-Za-z0-9])[A-Za-z0-9]{54}(?![A-Za-z0-9])/);
  });
});
