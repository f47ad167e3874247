/**
 * Invoice workflow unit tests with MOCKED ACTIVITIES on the real Temporal dev server: every branch
 * of the lifecycle and the handler/timer races, in seconds. End-to-end tests with the real
 * activities and the simulator live in test/e2e.
 */
import { ApplicationFailure, defaultPayloadConverter, type Duration } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { InvoiceInput } from '../../domain/invoice';
import type { BuyerFacts } from '../../domain/readiness';
import type { InvoiceActivities, InvoiceEvent, SubmitOutcome } from '../../workflows/contracts/invoice';
import {
  answerTaskUpdate,
  cancelInvoiceUpdate,
  chorusStatusSignal,
  connectionHealthySignal,
  invoiceStateQuery,
  type InvoiceStatus,
  type InvoiceView,
  type InvoiceWorkflowInput,
} from '../../workflows/contracts/invoice';
import * as sa from '../../workflows/contracts/search-attributes';
import type { invoiceWorkflow as InvoiceWorkflowFn } from '../../workflows/invoice/workflow';
import { buyerStructure } from '../helpers/buyer-facts';
import { connectTestEnv, uniqueTaskQueue } from '../helpers/temporal';

const BUYER = '11000000000015';
const structure = buyerStructure;

interface Scenario {
  buyer?: BuyerFacts;
  healthy?: () => boolean;
  submit?: (
    call: number,
    request: Parameters<InvoiceActivities['submitInvoice']>[0],
  ) => Promise<Omit<SubmitOutcome, 'endedAtMs'>>;
  found?: () => ReturnType<InvoiceActivities['findSubmittedInvoice']>;
  history?: () => ReturnType<InvoiceActivities['invoiceStatusHistory']>;
  uploadDelayMs?: number;
  /** What an upload attempt throws, by its number (1 for the first), if anything. */
  uploadFailure?: (call: number) => Error | undefined;
  readinessDelayMs?: number;
  /** Whether the deposit's activity registered the invoice with its tracker (default: it did). */
  registered?: boolean;
}

type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];

/** The activity a local activity's marker is for (the SDK names it in the marker's data). */
function markerType(event: HistoryEvent): string | undefined {
  const data = event.markerRecordedEventAttributes?.details?.data?.payloads?.[0];
  return data
    ? defaultPayloadConverter.fromPayload<{ activity_type: string }>(data).activity_type
    : undefined;
}

/** The local activities of a history, in the order their markers were written. */
function localSteps(history: HistoryEvent[]): string[] {
  return history.flatMap((e) => {
    const type = markerType(e);
    return type ? [type] : [];
  });
}

function mockActivities(scenario: Scenario = {}) {
  let submitCalls = 0;
  const calls: string[] = [];
  const events: InvoiceEvent[] = [];
  const log =
    <A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      calls.push(name);
      return fn(...args);
    };
  const activities: InvoiceActivities = {
    connectionHealth: log('connectionHealth', async () =>
      scenario.healthy && !scenario.healthy()
        ? {
            healthy: false,
            reason: { en: 'technical password expired', fr: 'mot de passe technique expiré' },
          }
        : { healthy: true },
    ),
    supplierFacts: log('supplierFacts', async () => ({
      idStructureCPP: 25783752,
      siret: '87654321000019',
      isPublic: false,
    })),
    buyerFacts: log('buyerFacts', async () => scenario.buyer ?? { structure: structure(), services: [] }),
    referenceLists: log('referenceLists', async () => ({})),
    supplierBankAccounts: log('supplierBankAccounts', async () => [{ id: 11, label: 'Compte principal' }]),
    uploadAttachment: log('uploadAttachment', async () => {
      if (scenario.uploadDelayMs) await new Promise((r) => setTimeout(r, scenario.uploadDelayMs));
      const attempt = calls.filter((c) => c === 'uploadAttachment').length;
      const failure = scenario.uploadFailure?.(attempt);
      if (failure) throw failure;
      return { pieceJointeId: 7000 + attempt, endedAtMs: Date.now() };
    }),
    submitInvoice: log('submitInvoice', async (request) => {
      submitCalls += 1;
      const answer = scenario.submit
        ? await scenario.submit(submitCalls, request)
        : {
            kind: 'accepted' as const,
            identifiantFactureCPP: 4242,
            statut: 'DEPOSEE',
            dateDepot: '2026-11-28',
            registered: scenario.registered ?? true,
          };
      return { ...answer, endedAtMs: Date.now() } as SubmitOutcome;
    }),
    findSubmittedInvoice: log('findSubmittedInvoice', async () => (scenario.found ? scenario.found() : null)),
    invoiceStatusHistory: log('invoiceStatusHistory', async () =>
      scenario.history ? scenario.history() : { observations: [] },
    ),
    recycleInvoice: log('recycleInvoice', async () => ({ sent: true as const })),
    completeInvoice: log('completeInvoice', async () => ({ sent: true as const })),
    trackInvoice: log('trackInvoice', async () => undefined),
    recordInvoiceState: log('recordInvoiceState', async (record) => {
      events.push(...record.events.map((e) => e.event));
      return record.events;
    }),
    // The merged look-up, as the real one composes the health and four reads (each still logged by name).
    readinessFacts: log('readinessFacts', async (request) => {
      if (scenario.readinessDelayMs) await new Promise((r) => setTimeout(r, scenario.readinessDelayMs));
      const health = await activities.connectionHealth(request.connectionId);
      if (!health.healthy) return { healthy: false as const, reason: health.reason, endedAtMs: Date.now() };
      const supplier = await activities.supplierFacts(request.connectionId);
      const idFournisseur = supplier.idStructureCPP ?? undefined;
      const [buyer, lists, bankAccounts] = await Promise.all([
        activities.buyerFacts({ ...request, idFournisseur }),
        activities.referenceLists(request.connectionId),
        request.readBankAccounts && idFournisseur !== undefined
          ? activities.supplierBankAccounts({
              connectionId: request.connectionId,
              idStructure: idFournisseur,
            })
          : undefined,
      ]);
      return {
        healthy: true as const,
        supplier,
        buyer,
        lists,
        ...(bankAccounts ? { bankAccounts } : {}),
        endedAtMs: Date.now(),
      };
    }),
  };
  return { activities, calls, events };
}

const baseInvoice = InvoiceInput.parse({
  connectionId: 'acme',
  invoiceNumber: 'F-2026-001',
  issueDate: '2026-11-28',
  buyer: { siret: BUYER },
  billingFrame: 'A1',
  vatRegime: 'TVA_SUR_DEBIT',
  paymentMode: 'VIREMENT',
  lines: [{ description: 'Maintenance', quantity: '2', unitPriceExclVat: '100', vatRatePercent: '20' }],
});
const { attachments: _none, ...invoiceWithoutAttachments } = baseInvoice;

function input(
  overrides: Partial<InvoiceWorkflowInput['invoice']> = {},
  extra: Partial<InvoiceWorkflowInput> = {},
): InvoiceWorkflowInput {
  return {
    invoice: { ...invoiceWithoutAttachments, ...overrides },
    attachments: [],
    requestHash: 'test',
    timings: {
      taskReminderAfter: '1 hour',
      trackingFallbackAfter: '1 hour',
      paymentHorizon: '1 hour',
      connectionRecheckEvery: '1 hour',
      resubmitBackoff: '100ms',
    },
    ...extra,
  };
}

describe('invoice workflow (mocked activities)', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    env = await connectTestEnv();
    bundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('../../workflows/invoice/workflow'),
      logger: new DefaultLogger('WARN'),
    });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  async function run(
    scenario: Scenario,
    workflowInput: InvoiceWorkflowInput,
    body: (
      handle: WorkflowHandle<typeof InvoiceWorkflowFn>,
      calls: string[],
      events: InvoiceEvent[],
    ) => Promise<void>,
    workflowTaskTimeout?: Duration,
  ): Promise<string[]> {
    const taskQueue = uniqueTaskQueue('invoice-unit');
    const { activities, calls, events } = mockActivities(scenario);
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      activities,
    });
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start<typeof InvoiceWorkflowFn>('invoiceWorkflow', {
        taskQueue,
        workflowId: `invoice:acme:${taskQueue}`,
        args: [workflowInput],
        ...(workflowTaskTimeout ? { workflowTaskTimeout } : {}),
      });
      await body(handle, calls, events);
    });
    return calls;
  }

  async function waitForStatus(
    handle: WorkflowHandle,
    wanted: InvoiceStatus,
    timeoutMs = 15000,
  ): Promise<InvoiceView> {
    const deadline = Date.now() + timeoutMs;
    let last: InvoiceView | undefined;
    while (Date.now() < deadline) {
      last = await handle.query(invoiceStateQuery);
      if (last.status === wanted) return last;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`status ${wanted} not reached; last ${last?.status} (${last?.statusReason ?? ''})`);
  }

  const paid = [
    { identifiantFactureCPP: 4242, status: 'MISE_A_DISPOSITION', at: '2026-11-28T10:01:00.000Z' },
    { identifiantFactureCPP: 4242, status: 'MISE_EN_PAIEMENT', at: '2026-12-20T10:00:00.000Z' },
  ];

  it('goes from checks to PAID, tracked through the connection tracker', async () => {
    const calls = await run({}, input(), async (handle) => {
      await waitForStatus(handle, 'TRACKING');
      await handle.signal(chorusStatusSignal, paid);
      const result = await handle.result();
      expect(result.status).toBe('PAID');
      expect(result.chorusInvoiceId).toBe(4242);
      expect(result.chorusStatus).toBe('MISE_EN_PAIEMENT');
      expect(result.timeline.map((t) => t.status)).toEqual(
        expect.arrayContaining([
          'RECEIVED',
          'CHECKING',
          'UPLOADING',
          'SUBMITTING',
          'SUBMITTED',
          'TRACKING',
          'PAID',
        ]),
      );
    });
    expect(calls.filter((c) => c === 'submitInvoice')).toHaveLength(1);
    // The connection's health is read within the readiness look-up, not as an activity of its own.
    expect(calls.filter((c) => c === 'connectionHealth')).toHaveLength(1);
    expect(calls.indexOf('connectionHealth')).toBe(calls.indexOf('readinessFacts') + 1);
    // The deposit's activity woke the invoice's tracker: no trackInvoice of its own.
    expect(calls).not.toContain('trackInvoice');
    // Paid on the tracker's word: no history read.
    expect(calls).not.toContain('invoiceStatusHistory');
  });

  it('publishes one search-attribute upsert per step: the last status of the step', async () => {
    await run({}, input(), async (handle) => {
      await waitForStatus(handle, 'TRACKING');
      await handle.signal(chorusStatusSignal, paid);
      await handle.result();
      const history = await handle.fetchHistory();
      const published = (history.events ?? []).flatMap((e) => {
        const field =
          e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.InvoiceStatus;
        return field ? [defaultPayloadConverter.fromPayload<string[]>(field)] : [];
      });
      // RECEIVED, UPLOADING (nothing to upload) and SUBMITTED each share a step with the next status.
      expect(published.flat()).toEqual(['CHECKING', 'SUBMITTING', 'TRACKING', 'PAID']);
    });
  });

  it('shows SUBMITTING in the lists while soumettre keeps failing', async () => {
    await run(
      {
        submit: async () => {
          throw ApplicationFailure.create({ type: 'ChorusUnavailable', message: 'socket hang up' });
        },
      },
      input({}, { timings: { resubmitBackoff: '2 seconds', taskReminderAfter: '1 hour' } }),
      async (handle, calls) => {
        const deadline = Date.now() + 15000;
        while (calls.filter((c) => c === 'submitInvoice').length < 2 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 100));
        }
        const attributes = (await handle.describe()).typedSearchAttributes;
        expect(attributes.get(sa.InvoiceStatus)).toBe('SUBMITTING');
        await handle.terminate('done');
      },
    );
  });

  it('hands its SUBMITTING record to the deposit, which stores it beside its call: the workflow sends no record of its own', async () => {
    const handed: Array<InvoiceStatus | undefined> = [];
    const handedEvents: string[] = [];
    const accepted = {
      kind: 'accepted' as const,
      identifiantFactureCPP: 4242,
      statut: 'DEPOSEE',
      dateDepot: '2026-11-28',
      registered: true,
    };
    await run(
      {
        submit: async (_call, request) => {
          handed.push(request.record?.view.status);
          handedEvents.push(...(request.record?.events ?? []).map((e) => e.event.invoice.status));
          return { ...accepted, ...(request.record ? { recorded: request.record.events } : {}) };
        },
      },
      input({ webhookUrl: 'https://erp.example.test/hooks' }),
      async (handle, _calls, events) => {
        await waitForStatus(handle, 'TRACKING');
        await handle.terminate('done');
        expect(handed).toEqual(['SUBMITTING']);
        expect(handedEvents).toContain('SUBMITTING');
        // Its webhook event was stored by the deposit, so the workflow's records did not send it again.
        expect(events.filter((e) => e.invoice.status === 'SUBMITTING')).toEqual([]);
      },
    );
  });

  it('records the SUBMITTING state itself when the deposit did not store it', async () => {
    await run(
      {
        submit: async () => ({
          kind: 'accepted',
          identifiantFactureCPP: 4242,
          statut: 'DEPOSEE',
          dateDepot: '2026-11-28',
          registered: true,
        }),
      },
      input({ webhookUrl: 'https://erp.example.test/hooks' }),
      async (handle, _calls, events) => {
        await waitForStatus(handle, 'TRACKING');
        await handle.terminate('done');
        const submitting = events.filter(
          (e) => e.type === 'invoice.status_changed' && e.invoice.status === 'SUBMITTING',
        );
        expect(submitting).toHaveLength(1);
      },
    );
  });

  it('registers with the tracker itself when the deposit could not', async () => {
    const calls = await run({ registered: false }, input(), async (handle) => {
      await waitForStatus(handle, 'TRACKING');
      await handle.signal(chorusStatusSignal, paid);
      expect((await handle.result()).status).toBe('PAID');
    });
    expect(calls.filter((c) => c === 'submitInvoice')).toHaveLength(1);
    expect(calls.filter((c) => c === 'trackInvoice')).toHaveLength(1);
  });

  it('asks for a service code OR an engagement number as alternatives, and takes either one', async () => {
    const buyer = {
      structure: structure({ serviceOrEngagementRequired: true }),
      services: [{ idService: 1, code: 'ACHATS', label: 'Achats', active: true, engagementRequired: false }],
    };
    await run({ buyer }, input(), async (handle) => {
      const waiting = await waitForStatus(handle, 'AWAITING_DATA');
      expect(waiting.openTask?.fields.map((f) => [f.field, f.required, f.oneOf])).toEqual([
        ['buyer.serviceCode', false, 'service-or-engagement'],
        ['references.engagementNumber', false, 'service-or-engagement'],
      ]);
      await handle.executeUpdate(answerTaskUpdate, {
        args: [{ taskId: waiting.openTask!.id, values: { 'references.engagementNumber': 'EJ-UNIV-7781' } }],
      });
      await waitForStatus(handle, 'TRACKING');
      await handle.signal(chorusStatusSignal, paid);
      expect((await handle.result()).status).toBe('PAID');
    });
  });

  it('lets a person confirm an engagement number the search does not know: a warning, never a dead end', async () => {
    const buyer = {
      structure: structure({ engagementRequired: true }),
      services: [],
      engagementFound: false,
    };
    await run({ buyer }, input({ references: { engagementNumber: 'BC-MAIRIE-42' } }), async (handle) => {
      const waiting = await waitForStatus(handle, 'AWAITING_DATA');
      expect(waiting.openTask?.fields.map((f) => [f.field, f.oneOf])).toEqual([
        ['references.engagementNumber', 'engagement-number-or-confirmation'],
        ['references.engagementConfirmed', 'engagement-number-or-confirmation'],
      ]);
      await handle.executeUpdate(answerTaskUpdate, {
        args: [{ taskId: waiting.openTask!.id, values: { 'references.engagementConfirmed': 'true' } }],
      });
      const tracking = await waitForStatus(handle, 'TRACKING');
      expect(tracking.invoice.references).toMatchObject({
        engagementNumber: 'BC-MAIRIE-42',
        engagementConfirmed: true,
      });
      expect(tracking.checklist.find((i) => i.id === 'engagement-exists')).toMatchObject({ ok: true });
      await handle.signal(chorusStatusSignal, paid);
      expect((await handle.result()).status).toBe('PAID');
    });
  });

  it('asks for a missing engagement number, refuses a bad answer with a field message, then sends', async () => {
    const buyer = { structure: structure({ engagementRequired: true }), services: [] };
    await run({ buyer }, input(), async (handle) => {
      const waiting = await waitForStatus(handle, 'AWAITING_DATA');
      expect(waiting.openTask?.kind).toBe('MISSING_DATA');
      expect(waiting.openTask?.fields.map((f) => f.field)).toEqual(['references.engagementNumber']);
      const bad = handle.executeUpdate(answerTaskUpdate, {
        args: [{ taskId: waiting.openTask!.id, values: { 'references.engagementNumber': 'X'.repeat(51) } }],
      });
      const error: unknown = await bad.catch((err: unknown) => err);
      expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
      const failure = (error as WorkflowUpdateFailedError).cause as ApplicationFailure;
      expect(failure.type).toBe('InvalidTaskAnswer');
      expect(failure.details?.[0]).toEqual({
        'references.engagementNumber': 'at most 50 characters (Chorus Pro limit)',
      });
      await expect(
        handle.executeUpdate(answerTaskUpdate, { args: [{ taskId: 'stale', values: {} }] }),
      ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);

      await handle.executeUpdate(answerTaskUpdate, {
        args: [
          {
            taskId: waiting.openTask!.id,
            values: { 'references.engagementNumber': 'EJ-2026-000123' },
            answeredBy: { keyId: 'staff-ops', role: 'staff', user: 'marie' },
          },
        ],
      });
      const tracking = await waitForStatus(handle, 'TRACKING');
      expect(tracking.invoice.references.engagementNumber).toBe('EJ-2026-000123');
      expect(tracking.timeline.some((t) => t.note?.includes('answered by marie (key staff-ops)'))).toBe(true);
      expect(tracking.timeline.some((t) => t.noteFr?.includes('traitée par marie (clé staff-ops)'))).toBe(
        true,
      );
      await handle.signal(chorusStatusSignal, paid);
      expect((await handle.result()).status).toBe('PAID');
    });
  });

  it('completes the workflow task that accepts an answer before any record or look-up it leads to', async () => {
    const buyer = { structure: structure({ engagementRequired: true }), services: [] };
    await run({ buyer }, input(), async (handle) => {
      const waiting = await waitForStatus(handle, 'AWAITING_DATA');
      await handle.executeUpdate(answerTaskUpdate, {
        args: [{ taskId: waiting.openTask!.id, values: { 'references.engagementNumber': 'EJ-2026-000123' } }],
      });
      await waitForStatus(handle, 'TRACKING');
      await handle.terminate('done');
      const history = (await handle.fetchHistory()).events ?? [];
      const accepted = history.findIndex(
        (e) =>
          e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ===
          answerTaskUpdate.name,
      );
      expect(accepted).toBeGreaterThan(0);
      // The commands of the workflow task that accepted the answer: from its completion to the next task.
      const completed = history
        .slice(0, accepted)
        .map((e) => !!e.workflowTaskCompletedEventAttributes)
        .lastIndexOf(true);
      const next = history.findIndex((e, i) => i > accepted && !!e.workflowTaskScheduledEventAttributes);
      const commands = history.slice(completed + 1, next);
      // A local activity (a record, the look-up) would hold that task open: a worker lost meanwhile
      // would lose the answer after its effects. The task ends on a timer instead.
      expect(
        commands.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity'),
      ).toEqual([]);
      expect(commands.some((e) => !!e.timerStartedEventAttributes)).toBe(true);
    });
  });

  it('offers only the active services of the buyer as allowed values', async () => {
    const buyer: BuyerFacts = {
      structure: structure({ serviceCodeRequired: true }),
      services: [
        { idService: 1, code: 'ACHATS', label: 'Achats', active: true, engagementRequired: false },
        { idService: 2, code: 'FERME', label: 'Fermé', active: false, engagementRequired: false },
      ],
    };
    await run({ buyer }, input(), async (handle) => {
      const waiting = await waitForStatus(handle, 'AWAITING_DATA');
      expect(waiting.openTask?.fields[0].allowedValues).toEqual([{ value: 'ACHATS', label: 'Achats' }]);
      await expect(
        handle.executeUpdate(answerTaskUpdate, {
          args: [{ taskId: waiting.openTask!.id, values: { 'buyer.serviceCode': 'FERME' } }],
        }),
      ).rejects.toThrow();
      await handle.cancel();
    });
  });

  it('waits for approval showing the exact Chorus payload, then sends', async () => {
    await run({}, input({ requireApproval: true }, oneAttachment), async (handle, calls) => {
      const waiting = await waitForStatus(handle, 'AWAITING_APPROVAL');
      // Nothing leaves for Chorus before a person approves: no upload ahead of the checks.
      expect(calls).not.toContain('uploadAttachment');
      expect(waiting.openTask?.chorusPayload).toMatchObject({
        numeroFactureSaisi: 'F-2026-001',
        montantTotal: { montantHtTotal: '200.00', montantTVA: '40.00', montantTtcTotal: '240.00' },
      });
      await handle.executeUpdate(answerTaskUpdate, {
        args: [{ taskId: waiting.openTask!.id, approve: true }],
      });
      await waitForStatus(handle, 'TRACKING');
      await handle.signal(chorusStatusSignal, paid);
      await handle.result();
    });
  });

  it('looks the invoice up after an unanswered soumettre and adopts it instead of sending twice', async () => {
    let committed = false;
    const calls = await run(
      {
        submit: async () => {
          committed = true;
          throw ApplicationFailure.create({
            type: 'ChorusUnavailable',
            message: 'socket hang up (answer lost)',
          });
        },
        found: async () =>
          committed
            ? {
                identifiantFactureCPP: 5151,
                numeroFacture: 'F-2026-001',
                foundBy: 'number',
                statut: 'DEPOSEE',
                buyerSiret: BUYER,
                amountInclVat: '240.000000',
              }
            : null,
      },
      input(),
      async (handle) => {
        const tracking = await waitForStatus(handle, 'TRACKING');
        expect(tracking.chorusInvoiceId).toBe(5151);
        expect(tracking.timeline.some((t) => t.note?.includes('adopted'))).toBe(true);
        await handle.signal(chorusStatusSignal, paid);
        await handle.result();
      },
    );
    expect(calls.filter((c) => c === 'submitInvoice')).toHaveLength(1);
  });

  it('looks the invoice up when a deposit attempt finds itself claimed by an earlier run, and claims each attempt under its own number', async () => {
    const claims: Array<{ runId: string; attempt: number } | undefined> = [];
    const calls = await run(
      {
        submit: async (n, request) => {
          claims.push(request.claim && { runId: request.claim.runId, attempt: request.claim.attempt });
          if (n === 1) {
            throw ApplicationFailure.create({
              type: 'DepositAttemptRepeated',
              message: 'deposit attempt 1 was started before',
              nonRetryable: true,
            });
          }
          return {
            kind: 'accepted',
            identifiantFactureCPP: 7171,
            statut: 'DEPOSEE',
            dateDepot: '2026-11-28',
          };
        },
      },
      input(),
      async (handle) => {
        const tracking = await waitForStatus(handle, 'TRACKING');
        expect(tracking.chorusInvoiceId).toBe(7171);
        await handle.signal(chorusStatusSignal, paid);
        await handle.result();
      },
    );
    const submitIndexes = calls.flatMap((c, i) => (c === 'submitInvoice' ? [i] : []));
    expect(submitIndexes).toHaveLength(2);
    expect(calls.slice(submitIndexes[0], submitIndexes[1])).toContain('findSubmittedInvoice');
    expect(claims.map((c) => c?.attempt)).toEqual([1, 2]);
    expect(new Set(claims.map((c) => c?.runId)).size).toBe(1);
  });

  it('resends only after the lookup finds nothing', async () => {
    const calls = await run(
      {
        submit: async (n) => {
          if (n === 1) throw ApplicationFailure.create({ type: 'ChorusUnavailable', message: '503' });
          return {
            kind: 'accepted',
            identifiantFactureCPP: 6161,
            statut: 'DEPOSEE',
            dateDepot: '2026-11-28',
          };
        },
      },
      input(),
      async (handle) => {
        expect((await waitForStatus(handle, 'TRACKING')).chorusInvoiceId).toBe(6161);
        await handle.signal(chorusStatusSignal, paid);
        await handle.result();
      },
    );
    const submitIndexes = calls.flatMap((c, i) => (c === 'submitInvoice' ? [i] : []));
    expect(submitIndexes).toHaveLength(2);
    expect(calls.slice(submitIndexes[0], submitIndexes[1])).toContain('findSubmittedInvoice');
  });

  it('recognises a duplicate-number rejection of its own earlier success', async () => {
    await run(
      {
        submit: async () => ({ kind: 'duplicate-number', codeRetour: 20305, libelle: 'déjà déposé' }),
        found: async () => ({
          identifiantFactureCPP: 777,
          numeroFacture: 'F-2026-001',
          foundBy: 'number',
          statut: 'MISE_A_DISPOSITION',
          buyerSiret: BUYER,
          amountInclVat: '240',
        }),
      },
      input(),
      async (handle) => {
        expect((await waitForStatus(handle, 'TRACKING')).chorusInvoiceId).toBe(777);
        await handle.terminate('done');
      },
    );
  });

  it('asks a person after repeated failures of soumettre instead of looping, looking up before every resend', async () => {
    let unavailable = true;
    const calls = await run(
      {
        submit: async () => {
          if (unavailable)
            throw ApplicationFailure.create({ type: 'ChorusUnavailable', message: 'HTTP 503' });
          return {
            kind: 'accepted',
            identifiantFactureCPP: 4242,
            statut: 'DEPOSEE',
            dateDepot: '2026-11-28',
          };
        },
      },
      input({}, { timings: { ...input().timings, submitAttemptsBeforeAsking: 3 } }),
      async (handle) => {
        const stuck = await waitForStatus(handle, 'ACTION_REQUIRED');
        expect(stuck.openTask?.kind).toBe('SUBMISSION_FAILING');
        expect(stuck.openTask?.descriptionFr).toMatch(/3 tentatives.*HTTP 503/);
        // Keep trying: Chorus is back.
        unavailable = false;
        await handle.executeUpdate(answerTaskUpdate, {
          args: [{ taskId: stuck.openTask!.id, approve: true }],
        });
        await waitForStatus(handle, 'TRACKING');
        await handle.signal(chorusStatusSignal, paid);
        expect((await handle.result()).status).toBe('PAID');
      },
    );
    const submits = calls.filter((c) => c === 'submitInvoice').length;
    expect(submits).toBe(4);
    // Every resend came after a lookup that found nothing; one more lookup before asking.
    expect(calls.filter((c) => c === 'findSubmittedInvoice').length).toBe(submits);
  });

  it('fails a repeatedly failing submission when the person stops it, saying nothing was deposited', async () => {
    await run(
      {
        submit: async () =>
          Promise.reject(ApplicationFailure.create({ type: 'ChorusUnavailable', message: 'HTTP 500' })),
      },
      input({}, { timings: { ...input().timings, submitAttemptsBeforeAsking: 2 } }),
      async (handle) => {
        const stuck = await waitForStatus(handle, 'ACTION_REQUIRED');
        await handle.executeUpdate(answerTaskUpdate, {
          args: [
            {
              taskId: stuck.openTask!.id,
              approve: false,
              answeredBy: { keyId: 'k', role: 'staff', user: 'luc' },
            },
          ],
        });
        const result = await handle.result();
        expect(result.status).toBe('FAILED');
        expect(result.statusReason).toMatch(
          /stopped by luc \(key k\) after 2 attempts.*Nothing was deposited/,
        );
      },
    );
  });

  it("makes someone else's invoice under the same number a task, never overwriting it", async () => {
    await run(
      {
        submit: async () => ({ kind: 'duplicate-number', codeRetour: 20305, libelle: 'déjà déposé' }),
        found: async () => ({
          identifiantFactureCPP: 888,
          numeroFacture: 'F-2026-001',
          foundBy: 'number',
          statut: 'MANDATEE',
          buyerSiret: '11000000000023',
          amountInclVat: '99.00',
        }),
      },
      input(),
      async (handle) => {
        const waiting = await waitForStatus(handle, 'ACTION_REQUIRED');
        expect(waiting.openTask?.kind).toBe('DUPLICATE_NUMBER');
        expect(waiting.chorusInvoiceId).toBeUndefined();
        await handle.executeUpdate(answerTaskUpdate, {
          args: [{ taskId: waiting.openTask!.id, approve: false }],
        });
        const result = await handle.result();
        expect(result.status).toBe('FAILED');
        expect(result.statusReason).toMatch(/new invoice number is needed/);
      },
    );
  });

  it('cancels before submission and refuses to cancel after', async () => {
    const buyer = { structure: structure({ engagementRequired: true }), services: [] };
    await run({ buyer }, input(), async (handle) => {
      await waitForStatus(handle, 'AWAITING_DATA');
      const result = await handle.executeUpdate(cancelInvoiceUpdate, {
        args: [{ reason: 'customer withdrew' }],
      });
      expect(result.status).toBe('CANCELLED');
      expect((await handle.result()).statusReason).toBe('customer withdrew');
    });
    await run({}, input(), async (handle) => {
      await waitForStatus(handle, 'TRACKING');
      const refused: unknown = await handle
        .executeUpdate(cancelInvoiceUpdate, { args: [{}] })
        .catch((err: unknown) => err);
      expect((refused as WorkflowUpdateFailedError).cause?.message).toMatch(/can no longer be cancelled/);
      await handle.terminate('done');
    });
  });

  it('honours a cancel that arrives while attachments upload, before anything is sent', async () => {
    // The upload is a local activity, started beside the look-up: the cancel reaches the workflow at
    // its task's heartbeat (80 % of the workflow task timeout, 1.6 s here), while the upload still runs.
    const calls = await run(
      { uploadDelayMs: 5000 },
      input(
        {},
        {
          attachments: [
            {
              ref: `sha256:${'a'.repeat(64)}`,
              fileName: 'bl.pdf',
              sizeBytes: 10,
              type: 'Doc. Annexe',
              main: false,
            },
          ],
        },
      ),
      async (handle, calls) => {
        await waitForStatus(handle, 'CHECKING');
        while (!calls.includes('uploadAttachment')) await new Promise((r) => setTimeout(r, 50));
        const result = await handle.executeUpdate(cancelInvoiceUpdate, { args: [{ reason: 'stop' }] });
        expect(result.status).toBe('CANCELLED');
      },
      '2 seconds',
    );
    expect(calls).not.toContain('submitInvoice');
    expect(calls.filter((c) => c === 'uploadAttachment')).toHaveLength(1);
  });

  it('handles A_RECYCLER with a task then recycler, SUSPENDUE with completer, and REJETEE as terminal', async () => {
    const calls = await run({}, input(), async (handle) => {
      await waitForStatus(handle, 'TRACKING');
      await handle.signal(chorusStatusSignal, [
        {
          identifiantFactureCPP: 4242,
          status: 'A_RECYCLER',
          at: '2026-11-29T10:00:00.000Z',
          comment: 'mauvais service',
        },
      ]);
      const recycle = await waitForStatus(handle, 'ACTION_REQUIRED');
      expect(recycle.openTask?.kind).toBe('RECYCLE');
      await handle.executeUpdate(answerTaskUpdate, {
        args: [
          {
            taskId: recycle.openTask!.id,
            values: { 'references.engagementNumber': 'EJ-9', comment: 'corrigé' },
          },
        ],
      });
      await waitForStatus(handle, 'TRACKING');

      await handle.signal(chorusStatusSignal, [
        { identifiantFactureCPP: 4242, status: 'SUSPENDUE', at: '2026-11-30T10:00:00.000Z' },
      ]);
      const suspended = await waitForStatus(handle, 'ACTION_REQUIRED');
      expect(suspended.openTask?.kind).toBe('COMPLETE');
      await handle.executeUpdate(answerTaskUpdate, {
        args: [
          {
            taskId: suspended.openTask!.id,
            values: { comment: 'BL joint' },
            attachments: [
              {
                ref: `sha256:${'b'.repeat(64)}`,
                fileName: 'bl.pdf',
                sizeBytes: 10,
                type: 'Doc. Annexe',
                main: false,
              },
            ],
          },
        ],
      });
      await waitForStatus(handle, 'TRACKING');

      await handle.signal(chorusStatusSignal, [
        {
          identifiantFactureCPP: 4242,
          status: 'REJETEE',
          at: '2026-12-01T10:00:00.000Z',
          comment: 'montants faux',
        },
      ]);
      const result = await handle.result();
      expect(result.status).toBe('REJECTED');
      expect(result.statusReason).toMatch(/montants faux.*new invoice number is needed/);
    });
    expect(calls).toEqual(expect.arrayContaining(['recycleInvoice', 'uploadAttachment', 'completeInvoice']));
  });

  it('never ends on a value Chorus refuses that a person can change: a correction task, then sent again', async () => {
    const calls = await run(
      {
        submit: async (call) =>
          call === 1
            ? {
                kind: 'rejected',
                codeRetour: 20312,
                libelle: "L'engagement EJ-2025-000099 est clôturé",
                fields: ['references.engagementNumber'],
              }
            : { kind: 'accepted', identifiantFactureCPP: 4242, statut: 'DEPOSEE', dateDepot: '2026-11-28' },
      },
      input({ references: { engagementNumber: 'EJ-2025-000099' } }),
      async (handle) => {
        const correction = await waitForStatus(handle, 'AWAITING_DATA');
        expect(correction.openTask).toMatchObject({
          kind: 'CORRECTION',
          fields: [
            {
              field: 'references.engagementNumber',
              required: true,
              refusedAnswer: 'EJ-2025-000099',
              whyFr: "Chorus Pro a refusé cette valeur : L'engagement EJ-2025-000099 est clôturé",
            },
          ],
        });
        expect(correction.statusReasonFr).toContain('EJ-2025-000099 est clôturé');
        await handle.executeUpdate(answerTaskUpdate, {
          args: [
            { taskId: correction.openTask!.id, values: { 'references.engagementNumber': 'EJ-2026-000123' } },
          ],
        });
        const tracking = await waitForStatus(handle, 'TRACKING');
        expect(tracking.invoice.references.engagementNumber).toBe('EJ-2026-000123');
        await handle.signal(chorusStatusSignal, paid);
        const result = await handle.result();
        expect(result.status).toBe('PAID');
        expect(result.audit.filter((f) => f.kind === 'checklist.evaluated')).toHaveLength(2);
      },
    );
    expect(calls.filter((c) => c === 'submitInvoice')).toHaveLength(2);
  });

  it('keeps tracking after a buyer return answered late: the horizon counts from the last Chorus change, not the wait', async () => {
    await run(
      {},
      input(
        {},
        {
          timings: {
            trackingFallbackAfter: '1 hour',
            paymentHorizon: '3 seconds',
            taskReminderAfter: '1 hour',
            resubmitBackoff: '100ms',
          },
        },
      ),
      async (handle) => {
        await waitForStatus(handle, 'TRACKING');
        await handle.signal(chorusStatusSignal, [
          { identifiantFactureCPP: 4242, status: 'A_RECYCLER', at: '2026-11-29T10:00:00.000Z' },
        ]);
        const recycle = await waitForStatus(handle, 'ACTION_REQUIRED');
        // The person answers after the horizon would have passed.
        await new Promise((r) => setTimeout(r, 4_000));
        await handle.executeUpdate(answerTaskUpdate, {
          args: [{ taskId: recycle.openTask!.id, values: { 'buyer.serviceCode': 'ACHATS' } }],
        });
        const tracking = await waitForStatus(handle, 'TRACKING');
        expect(tracking.status).toBe('TRACKING');
        await handle.signal(chorusStatusSignal, paid);
        expect((await handle.result()).status).toBe('PAID');
      },
    );
  });

  it.each([
    ['REFUSEE_1', /validating structure.*new invoice number/],
    ['ABANDONNEE', /abandoned in Chorus Pro/],
    ['SUPPRIMEE', /deleted in Chorus Pro/],
  ])('ends REJECTED, with the reason, when Chorus says %s', async (status, reason) => {
    await run({}, input(), async (handle) => {
      await waitForStatus(handle, 'TRACKING');
      await handle.signal(chorusStatusSignal, [
        { identifiantFactureCPP: 4242, status, at: '2026-11-29T10:00:00.000Z' },
      ]);
      const result = await handle.result();
      expect(result.status).toBe('REJECTED');
      expect(result.statusReason).toMatch(reason);
    });
  });

  it('treats statuses by Chorus time: a late MANDATEE after MISE_EN_PAIEMENT still ends PAID', async () => {
    await run({}, input(), async (handle) => {
      await waitForStatus(handle, 'TRACKING');
      await handle.signal(chorusStatusSignal, [
        { identifiantFactureCPP: 4242, status: 'MANDATEE', at: '2026-12-21T10:00:00.000Z' },
        { identifiantFactureCPP: 4242, status: 'MISE_EN_PAIEMENT', at: '2026-12-20T10:00:00.000Z' },
      ]);
      expect((await handle.result()).status).toBe('PAID');
    });
  });

  it('falls back to its own status check when the tracker is silent, and ends after the payment horizon', async () => {
    const calls = await run(
      {
        history: async () => ({
          observations: [{ identifiantFactureCPP: 4242, status: 'MANDATEE', at: '2026-12-01T10:00:00.000Z' }],
        }),
      },
      input(
        {},
        {
          timings: {
            trackingFallbackAfter: '300ms',
            paymentHorizon: '2 seconds',
            taskReminderAfter: '1 hour',
            resubmitBackoff: '100ms',
          },
        },
      ),
      async (handle) => {
        const result = await handle.result();
        expect(result.status).toBe('TRACKING_ENDED');
        expect(result.chorusStatus).toBe('MANDATEE');
        expect(result.statusReason).toMatch(/may not report payments/);
        // The end came from the horizon, not from a tracker signal: the audit says the invoice stopped.
        expect(result.audit.filter((f) => f.kind === 'tracking.stopped')).toEqual([
          expect.objectContaining({ stoppedBy: 'invoice' }),
        ]);
      },
    );
    expect(calls).toContain('invoiceStatusHistory');
  });

  it('waits for an unhealthy connection instead of failing, and resumes when told', async () => {
    let healthy = false;
    const calls = await run({ healthy: () => healthy }, input(), async (handle) => {
      const waiting = await waitForStatus(handle, 'WAITING_FOR_CONNECTION');
      expect(waiting.statusReason).toBe('technical password expired');
      healthy = true;
      await handle.signal(connectionHealthySignal);
      await waitForStatus(handle, 'TRACKING');
      await handle.terminate('done');
    });
    // The readiness look-up said the connection was down (no Chorus read then); the waiting loop
    // re-checked the health alone, then the look-up ran again.
    expect(calls.filter((c) => c === 'readinessFacts')).toHaveLength(2);
    expect(calls.filter((c) => c === 'supplierFacts')).toHaveLength(1);
    expect(calls.filter((c) => c === 'connectionHealth')).toHaveLength(3);
  });

  it('parks on a credentials failure from Chorus and sends once the connection recovers', async () => {
    const calls = await run(
      {
        submit: async (n) => {
          if (n === 1) {
            throw ApplicationFailure.create({
              type: 'ChorusTechnicalAccountRejected',
              message: 'login or password incorrects',
              nonRetryable: true,
            });
          }
          return { kind: 'accepted', identifiantFactureCPP: 99, statut: 'DEPOSEE', dateDepot: '2026-11-28' };
        },
      },
      input(),
      async (handle) => {
        const waiting = await waitForStatus(handle, 'WAITING_FOR_CONNECTION');
        expect(waiting.statusReason).toMatch(/login or password incorrects/);
        await handle.signal(connectionHealthySignal);
        expect((await waitForStatus(handle, 'TRACKING')).chorusInvoiceId).toBe(99);
        await handle.terminate('done');
      },
    );
    expect(calls.filter((c) => c === 'submitInvoice')).toHaveLength(2);
  });

  const oneAttachment: Partial<InvoiceWorkflowInput> = {
    attachments: [
      {
        ref: `sha256:${'b'.repeat(64)}`,
        fileName: 'pv.pdf',
        sizeBytes: 10,
        type: 'Doc. Annexe',
        main: false,
      },
    ],
  };

  it('runs the readiness look-up, the uploads and soumettre as local activities, the deposit in the workflow task of the last upload', async () => {
    await run(
      {
        // The upload made beside the look-up fails (one attempt), then the upload after the checks.
        uploadFailure: (n) =>
          n <= 2 ? ApplicationFailure.retryable('502 from Chorus', 'ChorusUnavailable') : undefined,
      },
      input({}, oneAttachment),
      async (handle, calls) => {
        await waitForStatus(handle, 'TRACKING');
        await handle.terminate('done');
        // The failed upload after the checks was retried by the worker (a 2 s backoff, under the
        // local retry threshold).
        expect(calls.filter((c) => c === 'uploadAttachment')).toHaveLength(3);
        const history = (await handle.fetchHistory()).events ?? [];
        const scheduled = history.flatMap((e) => {
          const type = e.activityTaskScheduledEventAttributes?.activityType?.name;
          return type ? [type] : [];
        });
        // The step in which the deposit ended sends its record as an activity, in the same workflow
        // task: the task that stores Chorus's answer waits for no database write.
        expect(scheduled).toEqual(['recordInvoiceState']);
        const completedBefore = (index: number) =>
          history.slice(0, index).filter((e) => e.workflowTaskCompletedEventAttributes).length;
        const recordScheduled = history.findIndex((e) => e.activityTaskScheduledEventAttributes);
        const depositMarker = history.findIndex((e) => markerType(e) === 'submitInvoice');
        expect(completedBefore(recordScheduled)).toBe(completedBefore(depositMarker));
        // A local activity's marker names it: the upload ahead and the look-up side by side, then the
        // upload after the checks (once, its retry included), then the deposit.
        const steps = localSteps(history).filter((type) => type !== 'recordInvoiceState');
        expect([...steps.slice(0, 2)].sort()).toEqual(['readinessFacts', 'uploadAttachment']);
        expect(steps.slice(2)).toEqual(['uploadAttachment', 'submitInvoice']);
        // The deposit ran in the workflow task the last upload ended in: no task completed between.
        const at = (type: string, last = false) => {
          const indexes = history.flatMap((e, i) => (markerType(e) === type ? [i] : []));
          return last ? indexes[indexes.length - 1] : indexes[0];
        };
        const between = history.slice(at('uploadAttachment', true), at('submitInvoice'));
        expect(between.filter((e) => e.workflowTaskCompletedEventAttributes)).toEqual([]);
      },
    );
  });

  it('uploads the attachments beside the readiness look-up, and not again after the checks', async () => {
    const calls = await run({ readinessDelayMs: 1_000 }, input({}, oneAttachment), async (handle) => {
      await waitForStatus(handle, 'TRACKING');
      await handle.terminate('done');
    });
    // The look-up's own reads come after its delay: the upload had started before them.
    expect(calls.indexOf('uploadAttachment')).toBeLessThan(calls.indexOf('connectionHealth'));
    expect(calls.filter((c) => c === 'uploadAttachment')).toHaveLength(1);
  });

  /**
   * An invoice with one attachment to TRACKING on a 2 s workflow task timeout, then its state as a
   * worker without a cache answers the query: by replaying the whole history.
   */
  async function firstRunAndReplay(
    scenario: Scenario,
  ): Promise<{ live: InvoiceView; replayed: InvoiceView }> {
    const taskQueue = uniqueTaskQueue('invoice-unit');
    const workflowId = `invoice:acme:${taskQueue}`;
    const { activities } = mockActivities(scenario);
    const firstRun = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      activities,
    });
    const live = await firstRun.runUntil(async () => {
      const handle = await env.client.workflow.start<typeof InvoiceWorkflowFn>('invoiceWorkflow', {
        taskQueue,
        workflowId,
        args: [input({}, oneAttachment)],
        workflowTaskTimeout: '2 seconds',
      });
      const view = await waitForStatus(handle, 'TRACKING', 30_000);
      await handle.terminate('done');
      return view;
    });
    const replaying = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      activities,
      maxCachedWorkflows: 0,
    });
    const replayed = await replaying.runUntil(
      env.client.workflow.getHandle(workflowId).query(invoiceStateQuery),
    );
    return { live, replayed };
  }

  it.each([
    ['the look-up', { uploadDelayMs: 3_000 }],
    ['the upload ahead', { readinessDelayMs: 3_000 }],
  ])(
    'replays the same commands when %s ends first, across workflow task heartbeats',
    async (_first, delays) => {
      // One ends long before the other, in an activation of its own, and the workflow task is
      // heartbeated (at 1.6 s of its 2 s timeout) between the two ends.
      const { live, replayed } = await firstRunAndReplay(delays);
      expect(replayed.timeline).toEqual(live.timeline);
    },
    60_000,
  );

  it('parks on a credentials failure from an upload and uploads once the connection recovers', async () => {
    const calls = await run(
      {
        // The upload made beside the look-up fails as well (one attempt, then left to the upload after the checks).
        uploadFailure: (n) =>
          n <= 2
            ? ApplicationFailure.create({
                type: 'ChorusPisteCredentialsRejected',
                message: 'invalid_client',
                nonRetryable: true,
              })
            : undefined,
      },
      input({}, oneAttachment),
      async (handle) => {
        const waiting = await waitForStatus(handle, 'WAITING_FOR_CONNECTION');
        expect(waiting.statusReason).toMatch(/invalid_client/);
        await handle.signal(connectionHealthySignal);
        const tracking = await waitForStatus(handle, 'TRACKING');
        expect(tracking.timeline.map((t) => t.status)).toEqual(
          expect.arrayContaining(['UPLOADING', 'WAITING_FOR_CONNECTION', 'SUBMITTING']),
        );
        await handle.terminate('done');
      },
    );
    expect(calls.filter((c) => c === 'uploadAttachment')).toHaveLength(3);
    expect(calls.filter((c) => c === 'submitInvoice')).toHaveLength(1);
  });

  it('gives the same times on a replay as on the first run, local activities outlasting their workflow task', async () => {
    // Each look-up and upload outlasts the workflow task's heartbeat (1.6 s), so the first run's
    // steps span several workflow tasks.
    const { live, replayed } = await firstRunAndReplay({ readinessDelayMs: 2500, uploadDelayMs: 2500 });
    expect(replayed.timeline).toEqual(live.timeline);
    expect(replayed.audit).toEqual(live.audit);
    const uploadedAt = live.audit.find((f) => f.kind === 'attachment.uploaded')!.at;
    // The upload starts beside the look-up, in the step that set CHECKING.
    const checkingAt = live.timeline.find((t) => t.status === 'CHECKING')!.at;
    // The upload's fact carries the time it ended, not the time of the step that started it.
    expect(Date.parse(uploadedAt) - Date.parse(checkingAt)).toBeGreaterThanOrEqual(2_000);
  }, 90_000);

  it('sends reminders for an unanswered task, as webhook events with stable ids', async () => {
    const buyer = { structure: structure({ engagementRequired: true }), services: [] };
    await run(
      { buyer },
      input(
        { webhookUrl: 'https://erp.example.test/hooks' },
        { timings: { taskReminderAfter: '400ms', resubmitBackoff: '100ms' } },
      ),
      async (handle, _calls, events) => {
        await waitForStatus(handle, 'AWAITING_DATA');
        const deadline = Date.now() + 10000;
        while (events.filter((e) => e.type === 'invoice.task_reminder').length < 2 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 100));
        }
        const view = await handle.query(invoiceStateQuery);
        expect(view.openTask!.remindersSent).toBeGreaterThanOrEqual(2);
        const reminders = events.filter((e) => e.type === 'invoice.task_reminder');
        expect(reminders.length).toBeGreaterThanOrEqual(2);
        expect(reminders[0].task).toMatchObject({ kind: 'MISSING_DATA' });
        expect(events.map((e) => e.type)).toEqual(
          expect.arrayContaining(['invoice.status_changed', 'invoice.task_opened']),
        );
        expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
        await handle.executeUpdate(cancelInvoiceUpdate, { args: [{ reason: 'test done' }] });
      },
    );
  });
});
