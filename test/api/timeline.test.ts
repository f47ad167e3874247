/**
 * The audit timeline on histories produced for real: the e2e stack (Temporal dev server,
 * simulator, worker with the real activities and the payload codec) runs an invoice through a
 * MISSING_DATA task to PAID; the timeline renders the facts the workflow recorded beside what
 * Temporal did, correctly and with no secret. The route is called through the API with the
 * auditor's and the staff's keys.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Got } from 'got';
import { defaultDataConverter } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { openApiDocument } from '../../api/openapi';
import { factsFromHistories } from '../../audit/history';
import { buildTimeline, type AuditEntry, type RunHistory } from '../../audit/timeline';
import type { AuditFact } from '../../workflows/contracts/audit';
import { decodeHistory } from '../../platform/history-codec';
import { type InvoiceView } from '../../workflows/contracts/invoice';
import { bundleWorkflowsOnce } from '../helpers/temporal';
import { invoiceBody, startStack, type Stack } from '../e2e/stack-harness';

const DAY = 86_400;
const PDF = Buffer.from('%PDF-1.4\n% bon de livraison signé\n').toString('base64');
const HOOK_TOKEN = 'hook-query-token-0123456789';

describe('OpenAPI', () => {
  it('describes the history route, its query and both answers', () => {
    const doc = openApiDocument() as {
      paths: Record<string, Record<string, { parameters: Array<{ name: string }>; description: string }>>;
      components: { schemas: Record<string, { properties: Record<string, { enum?: string[] }> }> };
    };
    const get = doc.paths['/v1/invoices/{id}/history'].get;
    expect(get.parameters.map((p) => p.name)).toEqual(['id', 'format', 'runId']);
    expect(get.description).toMatch(/Roles: staff, auditor\.$/);
    expect(doc.components.schemas.AuditEntry.properties.kind.enum).toContain('task.answered');
    expect(doc.components.schemas.TemporalHistory).toBeDefined();
    // The document is built afresh each time: nothing accumulates.
    expect(openApiDocument()).toEqual(doc);
  });
});

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return body;
}

describe('audit timeline of a real invoice: MISSING_DATA task, answer, PAID', () => {
  let stack: Stack;
  let hooks: Server;
  let hookUrl: string;
  let refuseNextHook = true;
  let id: string;
  let invoiceNumber: string;
  let paid: InvoiceView;
  let runs: RunHistory[];
  let facts: AuditFact[];
  let entries: AuditEntry[];
  /** The API with the auditor's key (a request may send another key in its headers). */
  let api: Got;

  const of = (kind: AuditEntry['kind']) => entries.filter((e) => e.kind === kind);

  beforeAll(async () => {
    // Reminders after 2 seconds, so a task left open a moment shows one.
    stack = await startStack({ timings: { taskReminderAfter: '2 seconds' } });
    hooks = createServer((req, res) => {
      void readBody(req).then(() => {
        // The first delivery is refused: the timeline must show the retry and its cause.
        if (refuseNextHook) {
          refuseNextHook = false;
          res.writeHead(503).end();
          return;
        }
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hooks?token=${HOOK_TOKEN}`;

    const body = invoiceBody(stack, 'buyer.requires-engagement', {
      webhookUrl: hookUrl,
      attachments: [{ fileName: 'bon-de-livraison.pdf', contentBase64: PDF }],
    });
    invoiceNumber = String(body.invoiceNumber);
    const created = await stack.http.post('v1/invoices', { json: body });
    expect(created.statusCode).toBe(202);
    id = (created.body as unknown as { id: string }).id;
    const waiting = await stack.waitFor(id, (v) => v.status === 'AWAITING_DATA', 'AWAITING_DATA');
    const taskId = waiting.openTask!.id;
    const staff = stack.as('staff', 'claire.compta');
    const refused = await staff.post(`v1/invoices/${encodeURIComponent(id)}/task`, {
      json: { taskId, values: { 'references.engagementNumber': 'E'.repeat(60) } },
    });
    expect(refused.statusCode).toBe(422);
    const answered = await staff.post(`v1/invoices/${encodeURIComponent(id)}/task`, {
      json: { taskId, values: { 'references.engagementNumber': 'EJ-2026-000123' } },
    });
    expect(answered.statusCode).toBe(200);
    await stack.waitFor(id, (v) => v.status === 'TRACKING' && v.chorusInvoiceId !== undefined, 'deposit');
    // A paid invoice's audit holds the statuses its tracker saw at its polls: Chorus's days pass one
    // status at a time here, as they do between polls in production.
    for (const [days, status] of [
      [1 / 24, 'MISE_A_DISPOSITION'],
      [4, 'SERVICE_FAIT'],
      [10, 'MANDATEE'],
    ] as const) {
      stack.simulator.ctx.clock.advance(days * DAY);
      await stack.waitFor(id, (v) => v.chorusTimeline.some((o) => o.status === status), status);
    }
    stack.simulator.ctx.clock.advance(26 * DAY);
    paid = await stack.waitFor(id, (v) => v.status === 'PAID', 'PAID');
    // The run ends once every record is stored: then the history is complete.
    await stack.client.workflow.getHandle(id).result();

    const description = await stack.client.workflow.getHandle(id).describe();
    const history = await stack.client.workflow.getHandle(id, description.runId).fetchHistory();
    runs = [{ runId: description.runId, events: history.events ?? [] }];
    facts = paid.audit;
    entries = await buildTimeline(runs, facts, stack.client.options.loadedDataConverter);

    api = stack.as('auditor').extend({ responseType: 'text' });
  });

  afterAll(async () => {
    await new Promise((resolve) => hooks?.close(resolve));
    await stack?.stop();
  });

  it('is in time order, every entry with a sentence in English and French', () => {
    expect(entries.length).toBeGreaterThan(20);
    const times = entries.map((e) => e.at);
    expect([...times].sort()).toEqual(times);
    for (const e of entries) {
      expect(e.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(e.summary).toMatch(/^[A-Z].*[.)]$/s);
      expect(e.summaryFr).toMatch(/^[A-ZÀ-Ü].*[.)]$/s);
      if (e.source === 'temporal') {
        expect(e.runId).toBe(runs[0].runId);
        expect(e.eventId).toBeGreaterThan(0);
      }
    }
    expect(entries.find((e) => e.kind === 'invoice.received')).toMatchObject({
      source: 'workflow',
      details: { invoiceNumber, connectionId: stack.connectionId, lines: 2, attachments: 1 },
    });
    expect(entries[0]).toMatchObject({ kind: 'run.started', source: 'temporal' });
  });

  it('shows the readiness checklist as evaluated, with what Chorus said, failing on the engagement number, then passing', () => {
    const checklists = of('checklist.evaluated');
    expect(checklists.length).toBe(2);
    expect(checklists[0].details.ok).toBe(false);
    expect(checklists[0].summary).toContain('PREFECTURE DU VAL D EXEMPLE requires an engagement number');
    expect(checklists[0].summaryFr).toContain('exige un numéro d’engagement');
    expect(checklists[0].details.basis).toMatchObject({
      buyer: { designation: 'PREFECTURE DU VAL D EXEMPLE', engagementRequired: true, active: true },
    });
    expect(checklists[1].details.ok).toBe(true);
    // The connection does not check engagements (the default): nothing was looked up.
    expect(checklists[1].details.basis).not.toHaveProperty('engagementFound');
  });

  it('shows the task that was opened, and who answered it with what', () => {
    const [opened] = of('task.opened');
    expect(opened.details).toMatchObject({
      taskKind: 'MISSING_DATA',
      taskId: expect.stringMatching(/^missing_data-\d+$/),
      fields: [expect.objectContaining({ field: 'references.engagementNumber' })],
    });
    expect(opened.summary).toMatch(/\(missing data\), asking for: references\.engagementNumber/);
    expect(opened.summaryFr).toContain('(Données manquantes)');

    const [answered] = of('task.answered');
    expect(answered.details).toMatchObject({
      taskKind: 'MISSING_DATA',
      values: { 'references.engagementNumber': 'EJ-2026-000123' },
      answeredBy: { keyId: 'dev-staff', role: 'staff', user: 'claire.compta' },
    });
    expect(answered.summary).toContain('claire.compta (key dev-staff)');
    expect(answered.summary).toContain('references.engagementNumber = "EJ-2026-000123"');
    expect(of('task.closed')).toHaveLength(1);
    // The refused answer never reached the workflow: Temporal does not write rejected updates.
    expect(JSON.stringify(entries)).not.toContain('E'.repeat(60));
  });

  it('shows the uploaded attachment and the exact soumettre request with Chorus Pro answer', () => {
    const [upload] = of('attachment.uploaded');
    expect(upload.details).toMatchObject({
      fileName: 'bon-de-livraison.pdf',
      sizeBytes: Buffer.from(PDF, 'base64').length,
      ref: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      pieceJointeId: paid.attachments[0].pieceJointeId,
    });

    const [submitted] = of('submission.sent');
    expect(submitted.details.request).toMatchObject({
      numeroFactureSaisi: invoiceNumber,
      destinataire: { codeDestinataire: stack.buyerSiret('buyer.requires-engagement') },
      references: { numeroBonCommande: 'EJ-2026-000123' },
      montantTotal: { montantTtcTotal: '414.60' },
      pieceJointeComplementaire: [
        expect.objectContaining({ pieceJointeComplementaireId: paid.attachments[0].pieceJointeId }),
      ],
    });
    expect(submitted.details.outcome).toMatchObject({
      kind: 'accepted',
      identifiantFactureCPP: paid.chorusInvoiceId,
      statut: 'DEPOSEE',
    });
    expect(submitted.summary).toContain(`Chorus Pro invoice ${paid.chorusInvoiceId}`);
    expect(of('deposit.adopted')).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ how: 'accepted' }) }),
    ]);
  });

  it('shows every Chorus Pro status once, with Chorus Pro timestamps, and the status transitions', () => {
    const chorus = of('chorus.status');
    const statuses = chorus.map((e) => e.details.status);
    expect(statuses).toEqual(
      expect.arrayContaining(['MISE_A_DISPOSITION', 'SERVICE_FAIT', 'MANDATEE', 'MISE_EN_PAIEMENT']),
    );
    for (const observed of paid.chorusTimeline) {
      const entry = chorus.find(
        (e) => e.details.status === observed.status && e.details.chorusAt === observed.at,
      )!;
      expect(entry).toBeDefined();
      expect(entry.summary).toContain(`at ${observed.at}`);
    }

    const transitions = of('status.changed').map((e) => e.details.to);
    expect(transitions).toEqual([
      'CHECKING',
      'AWAITING_DATA',
      'CHECKING',
      'UPLOADING',
      'SUBMITTING',
      'SUBMITTED',
      'TRACKING',
      'PAID',
    ]);
    expect(of('tracking.started')).toHaveLength(1);
    expect(of('tracking.stopped')).toHaveLength(1);
    expect(of('result')).toEqual([
      expect.objectContaining({
        details: expect.objectContaining({ status: 'PAID', chorusStatus: 'MISE_EN_PAIEMENT' }),
      }),
    ]);
    expect(entries[entries.length - 1].kind).toBe('result');
  });

  it('shows the webhook events queued for the outbox with the state changes, and none delivered by the workflow', () => {
    const queued = of('webhook.queued');
    expect(queued.map((e) => e.details.type)).toEqual(
      expect.arrayContaining(['invoice.status_changed', 'invoice.task_opened']),
    );
    // SUBMITTING's event is stored by the deposit itself, beside its call: read from its result.
    expect(queued.map((e) => e.details.status)).toEqual(
      expect.arrayContaining(['CHECKING', 'SUBMITTING', 'PAID']),
    );
    // Event ids are the invoice's, numbered in order: the outbox delivers them in that order.
    const numbers = queued.map((e) => Number(String(e.details.eventId).split('#')[1]));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const e of queued) {
      expect(e.details.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hooks\?\[redacted\]$/);
      expect(e.summary).toMatch(/queued .*the outbox delivers it/);
    }
    expect(entries.filter((e) => e.kind.startsWith('webhook.') && e.kind !== 'webhook.queued')).toEqual([]);
  });

  it('reads the facts from the history when the workflow is not asked, and the same with and without a codec', async () => {
    expect(await factsFromHistories(runs, stack.client.options.loadedDataConverter)).toEqual(facts);
    const plain = await decodeHistory(
      { events: runs[0].events },
      stack.client.options.loadedDataConverter.payloadCodecs,
    );
    const plainRuns = [{ runId: runs[0].runId, events: plain.events ?? [] }];
    const withoutCodec = await buildTimeline(
      plainRuns,
      await factsFromHistories(plainRuns, defaultDataConverter),
      defaultDataConverter,
    );
    expect(withoutCodec).toEqual(entries);
    // Without the key, encrypted payloads stay unreadable: no facts, but Temporal's events still show.
    const blind = await buildTimeline(
      runs,
      await factsFromHistories(runs, defaultDataConverter),
      defaultDataConverter,
    );
    expect(blind.map((e) => e.kind)).toEqual(expect.arrayContaining(['run.started', 'result']));
    expect(blind.every((e) => e.source === 'temporal')).toBe(true);
    expect(JSON.stringify(blind)).not.toContain('EJ-2026-000123');
  });

  it("renders what was recorded, not what today's rules would decide: a changed checklist rule leaves it unchanged", async () => {
    let again: AuditEntry[] = [];
    await jest.isolateModulesAsync(async () => {
      jest.doMock('../../domain/readiness', () => ({
        ...jest.requireActual('../../domain/readiness'),
        readinessChecklist: () => [{ id: 'engagement-number', ok: false, message: 'A new rule.' }],
        isReady: () => false,
      }));
      const isolated = (await import('../../audit/timeline')) as typeof import('../../audit/timeline');
      again = await isolated.buildTimeline(runs, facts, stack.client.options.loadedDataConverter);
    });
    jest.dontMock('../../domain/readiness');
    expect(again).toEqual(entries);
    expect(JSON.stringify(again)).not.toContain('A new rule.');
  });

  it('contains no secret of the connection, no sealed string, no bearer token, no API key', () => {
    const text = JSON.stringify(entries);
    const credentials = stack.simulator.ctx.dataset.credentials.flatMap((c) => [
      c.piste.clientSecret,
      c.technicalAccount.password,
      Buffer.from(`${c.technicalAccount.login}:${c.technicalAccount.password}`).toString('base64'),
    ]);
    for (const secret of credentials) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/sealed:v1:/);
    expect(text).not.toMatch(/(?<![A-Za-z0-9])[A-Za-z0-9]{54}(?![A-Za-z0-9])/);
    expect(text).not.toMatch(/dev-key-(system|staff|auditor|admin)/);
    expect(text).not.toContain(HOOK_TOKEN);
    expect(text).not.toContain('e2e-webhook-secret');
    expect(text).not.toContain(PDF);
  });

  it('serves the timeline and the raw history over HTTP', async () => {
    const path = `v1/invoices/${encodeURIComponent(id)}/history`;
    const timeline = await api.get(path, { responseType: 'json' });
    expect(timeline.statusCode).toBe(200);
    const body = timeline.body as {
      invoiceId: string;
      runs: Array<{ runId: string }>;
      entries: AuditEntry[];
    };
    expect(body.invoiceId).toBe(id);
    expect(body.runs.map((r) => r.runId)).toEqual([runs[0].runId]);
    expect(body.entries).toEqual(entries);

    // The auditor gets decoded payloads: plain JSON a replay reads without any key.
    const raw = await api.get(path, {
      searchParams: { format: 'temporal' },
      headers: { authorization: 'Bearer dev-key-auditor' },
    });
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['x-payloads']).toBe('decoded');
    expect(raw.headers['x-temporal-run-id']).toBe(runs[0].runId);
    const json = JSON.parse(raw.body) as { events: Array<Record<string, unknown>> };
    expect(json.events).toHaveLength(runs[0].events.length);
    expect(raw.body).not.toContain(Buffer.from('binary/encrypted').toString('base64'));
    expect(raw.body).toContain(Buffer.from('json/plain').toString('base64'));
    const history = historyFromJSON(json);
    await Worker.runReplayHistory({ workflowBundle: await bundleWorkflowsOnce() }, history, id);

    // Staff get the history as stored: encrypted.
    const stored = await api.get(path, {
      searchParams: { format: 'temporal' },
      headers: { authorization: 'Bearer dev-key-staff' },
    });
    expect(stored.statusCode).toBe(200);
    expect(stored.headers['x-payloads']).toBe('encoded');
    expect(stored.body).toContain(Buffer.from('binary/encrypted').toString('base64'));

    const byRun = await api.get(path, {
      searchParams: { format: 'temporal', runId: runs[0].runId },
      headers: { authorization: 'Bearer dev-key-auditor' },
    });
    expect(byRun.statusCode).toBe(200);
  });

  it('shows a reminder for a task left open, and a cancellation with who asked and why', async () => {
    const created = await stack.http.post('v1/invoices', {
      json: invoiceBody(stack, 'buyer.requires-engagement'),
    });
    const other = (created.body as unknown as { id: string }).id;
    const handle = stack.client.workflow.getHandle(other);
    await stack.waitFor(
      other,
      (v) => v.status === 'AWAITING_DATA' && v.openTask!.remindersSent > 0,
      'a reminder',
    );
    const cancelled = await stack
      .as('staff', 'jeanne.martin')
      .post(`v1/invoices/${encodeURIComponent(other)}/cancel`, {
        json: { reason: 'commande annulée par le client' },
      });
    expect(cancelled.statusCode).toBe(200);
    expect((await handle.result()).status).toBe('CANCELLED');

    const timeline = await api.get(`v1/invoices/${encodeURIComponent(other)}/history`, {
      responseType: 'json',
    });
    const list = (timeline.body as { entries: AuditEntry[] }).entries;
    const [reminder] = list.filter((e) => e.kind === 'task.reminder');
    expect(reminder.summary).toMatch(
      /^Reminder 1: task missing_data-\d+ \(missing data\) was still unanswered after 2 seconds\.$/,
    );
    const [cancel] = list.filter((e) => e.kind === 'cancel.requested');
    expect(cancel.summary).toBe(
      'Cancellation requested by jeanne.martin (key dev-staff), reason "commande annulée par le client".',
    );
    expect(cancel.summaryFr).toBe(
      'Annulation demandée par jeanne.martin (clé dev-staff), motif « commande annulée par le client ».',
    );
    expect(cancel.details).toMatchObject({
      requestedBy: { keyId: 'dev-staff', role: 'staff', user: 'jeanne.martin' },
    });
    expect(list.filter((e) => e.kind === 'status.changed').map((e) => e.details.to)).toEqual([
      'CHECKING',
      'AWAITING_DATA',
      'CANCELLED',
    ]);
    expect(list[list.length - 1]).toMatchObject({
      kind: 'result',
      details: { status: 'CANCELLED', statusReason: 'commande annulée par le client' },
    });
  });

  it('answers 400 to a bad query and 404 to an unknown invoice or run', async () => {
    const path = `v1/invoices/${encodeURIComponent(id)}/history`;
    const bad = await api.get(path, { searchParams: { format: 'xml' }, responseType: 'json' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toEqual({
      error: expect.objectContaining({ code: 'validation_failed', fields: { format: expect.any(String) } }),
    });
    const unknownParam = await api.get(path, { searchParams: { verbose: '1' }, responseType: 'json' });
    expect(unknownParam.statusCode).toBe(400);
    const badRun = await api.get(path, {
      searchParams: { format: 'temporal', runId: 'nope' },
      responseType: 'json',
    });
    expect(badRun.statusCode).toBe(400);
    expect((badRun.body as { error: { fields: Record<string, string> } }).error.fields.runId).toBeDefined();
    const runWithoutFormat = await api.get(path, {
      searchParams: { runId: runs[0].runId },
      responseType: 'json',
    });
    expect(runWithoutFormat.statusCode).toBe(400);

    const unknown = await api.get(
      `v1/invoices/${encodeURIComponent(`invoice:${stack.connectionId}:NOPE-1`)}/history`,
      {
        responseType: 'json',
      },
    );
    expect(unknown.statusCode).toBe(404);
    expect((unknown.body as { error: { code: string } }).error.code).toBe('not_found');
    const notInvoice = await api.get(
      `v1/invoices/${encodeURIComponent(`tracker:${stack.connectionId}`)}/history`,
      {
        responseType: 'json',
      },
    );
    expect(notInvoice.statusCode).toBe(404);
    const unknownRun = await api.get(path, {
      searchParams: { format: 'temporal', runId: '00000000-0000-4000-8000-000000000000' },
      responseType: 'json',
    });
    expect(unknownRun.statusCode).toBe(404);
  });
});
