import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { RECORD_ACTIVITY_OPTIONS } from '../activity-options';
import { describeActor } from '../../domain/actor';
import { toChorusSubmitBody, type ChorusSubmitBody } from '../../domain/chorus-invoice';
import { isDecimalText, parseDecimal } from '../../domain/money';
import { msOf } from '../../domain/durations';
import { isReady, readinessChecklist, type ReadinessItem, type SupplierFacts } from '../../domain/readiness';
import { applyAnswerValues, checkAnswerValues } from '../../domain/task-answers';
import { computeTotals } from '../../domain/totals';
import * as sa from '../search-attributes';
import type { FoundInvoice, InvoiceActivities, InvoiceEvent, InvoiceStateRecord } from './activity-types';
import {
  answerTaskUpdate,
  CANCELLABLE_STATUSES,
  cancelInvoiceUpdate,
  chorusStatusSignal,
  connectionHealthySignal,
  DEFAULT_TIMINGS,
  invoiceStateQuery,
  TERMINAL_STATUSES,
  type AttachmentRecord,
  type CancelRequest,
  type CarriedState,
  type ChorusStatusObservation,
  type InvoiceStatus,
  type InvoiceView,
  type InvoiceWorkflowInput,
  type OpenTask,
  type TaskAnswer,
  type TaskField,
  type TaskKind,
  type TimelineEntry,
} from './definitions';

/** Activity failure types that mean "the connection needs fixing", never "the invoice is wrong". */
export const CONNECTION_PROBLEM_TYPES = [
  'ChorusPisteCredentialsRejected',
  'ChorusTechnicalAccountRejected',
  'ChorusApiFamilyNotSubscribed',
];

const NON_RETRYABLE = [
  ...CONNECTION_PROBLEM_TYPES,
  'ChorusBusinessError',
  'BlobNotFound',
  'UnknownConnection',
];

/** Reads and idempotent writes: Temporal retries them with backoff for as long as Chorus is down. */
const chorus = proxyActivities<InvoiceActivities>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: NON_RETRYABLE,
  },
});

/** `soumettre` is never retried blindly: one attempt, then the workflow looks the invoice up. */
const submission = proxyActivities<InvoiceActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 1 },
});

/** The invoice's row and webhook outbox in the app database: in order, never awaited by the lifecycle. */
const records = proxyActivities<InvoiceActivities>(RECORD_ACTIVITY_OPTIONS);

class InvoiceCancelled extends Error {}
class InvoiceFailed extends Error {}

function failureType(err: unknown): string | undefined {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure)
    return err.cause.type ?? undefined;
  return undefined;
}

function failureMessage(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}

/**
 * One invoice, from the first check to payment (DESIGN §3). Durations come from the input so
 * tests run in seconds.
 */
export async function invoiceWorkflow(input: InvoiceWorkflowInput): Promise<InvoiceView> {
  const timings = { ...DEFAULT_TIMINGS, ...input.timings };
  const { workflowId } = workflowInfo();
  const connectionId = input.invoice.connectionId;
  const carried: CarriedState | undefined = input.carried;

  let invoice = input.invoice;
  let attachments: AttachmentRecord[] = input.attachments;
  let status: InvoiceStatus = carried?.status ?? 'RECEIVED';
  let statusReason: string | undefined;
  let chorusStatus = carried?.chorusStatus;
  let chorusInvoiceId = carried?.chorusInvoiceId;
  let lastChorusChangeAt = carried?.lastChorusChangeAt;
  let eventSequence = carried?.eventSequence ?? 0;
  const timeline: TimelineEntry[] = carried?.timeline ?? [];
  const chorusTimeline: ChorusStatusObservation[] = carried?.chorusTimeline ?? [];
  let checklist: ReadinessItem[] = [];
  let supplier: SupplierFacts | undefined;
  let task: OpenTask | undefined;
  let answer: TaskAnswer | undefined;
  let cancelRequest: CancelRequest | undefined;
  let connectionNudged = false;
  const incoming: ChorusStatusObservation[] = [...(carried?.pendingObservations ?? [])];
  let recordSequence = carried?.recordSequence ?? 0;
  let recording: Promise<void> = Promise.resolve();

  const view = (): InvoiceView => ({
    workflowId,
    invoiceNumber: invoice.invoiceNumber,
    connectionId,
    status,
    chorusStatus,
    chorusInvoiceId,
    statusReason,
    checklist,
    openTask: task,
    attachments,
    timeline,
    chorusTimeline,
    invoice,
    requestHash: input.requestHash,
  });

  setHandler(invoiceStateQuery, view);
  setHandler(
    answerTaskUpdate,
    (received) => {
      answer = received;
      return { accepted: true as const, status };
    },
    { validator: (received) => validateAnswer(task, received) },
  );
  setHandler(
    cancelInvoiceUpdate,
    async (request) => {
      cancelRequest = request;
      await condition(() => status === 'CANCELLED');
      return { status };
    },
    {
      validator: (_request: CancelRequest) => {
        if (!CANCELLABLE_STATUSES.includes(status)) {
          throw ApplicationFailure.create({
            type: 'CancelRefused',
            message:
              status === 'CANCELLED'
                ? 'The invoice is already cancelled.'
                : `The invoice is ${status}: it was already sent to Chorus Pro (or is being sent) and can no longer be cancelled. ` +
                  'Issue a credit note to cancel it.',
          });
        }
      },
    },
  );
  setHandler(chorusStatusSignal, (observations) => {
    incoming.push(...observations);
  });
  setHandler(connectionHealthySignal, () => {
    connectionNudged = true;
  });

  // ---- state changes: timeline, search attributes, database record + webhook outbox ---------

  function event(type: InvoiceEvent['type'], previousStatus?: InvoiceStatus): InvoiceEvent | undefined {
    if (!invoice.webhookUrl) return undefined;
    eventSequence += 1;
    return {
      id: `${workflowId}#${eventSequence}`,
      type,
      occurredAt: new Date().toISOString(),
      invoice: {
        workflowId,
        connectionId,
        invoiceNumber: invoice.invoiceNumber,
        status,
        previousStatus,
        chorusStatus,
        chorusInvoiceId,
        statusReason,
      },
      ...(task && type !== 'invoice.status_changed'
        ? { task: { id: task.id, kind: task.kind, title: task.title } }
        : {}),
    };
  }

  /** One record after another (a later state never lands before an earlier one), each retried until stored. */
  function recordState(events: (InvoiceEvent | undefined)[] = []): void {
    recordSequence += 1;
    const entry = JSON.parse(
      JSON.stringify({
        sequence: recordSequence,
        runId: workflowInfo().runId,
        recordedAt: new Date().toISOString(),
        view: view(),
        supplierSiret: supplier?.siret,
        events: events.flatMap((e) =>
          e && invoice.webhookUrl ? [{ url: invoice.webhookUrl, event: e }] : [],
        ),
      }),
    ) as InvoiceStateRecord;
    recording = recording
      .then(() => records.recordInvoiceState(entry))
      .catch((err: unknown) => {
        log.warn('invoice record not stored', { sequence: entry.sequence, error: failureMessage(err) });
      });
  }

  function publish(events: (InvoiceEvent | undefined)[] = []): void {
    upsertSearchAttributes([
      { key: sa.InvoiceStatus, value: status },
      { key: sa.ChorusStatus, value: chorusStatus ?? null },
      { key: sa.ConnectionId, value: connectionId },
      { key: sa.BuyerSiret, value: invoice.buyer.siret },
      { key: sa.InvoiceNumber, value: invoice.invoiceNumber },
      { key: sa.HasOpenTask, value: task !== undefined },
      ...(supplier ? [{ key: sa.SupplierSiret, value: supplier.siret }] : []),
    ]);
    recordState(events);
  }

  function setStatus(next: InvoiceStatus, note?: string): void {
    const previous = status;
    const changed = next !== previous;
    status = next;
    if (changed || note)
      timeline.push({ at: new Date().toISOString(), status, chorusStatus, ...(note ? { note } : {}) });
    publish(changed ? [event('invoice.status_changed', previous)] : []);
  }

  function openTask(
    kind: TaskKind,
    title: string,
    description: string,
    fields: TaskField[],
    extra: Partial<OpenTask> = {},
  ): void {
    task = {
      id: `${kind.toLowerCase()}-${timeline.length + 1}`,
      kind,
      title,
      description,
      fields,
      openedAt: new Date().toISOString(),
      remindersSent: 0,
      ...extra,
    };
    answer = undefined;
    publish([event('invoice.task_opened')]);
  }

  function closeTask(): void {
    task = undefined;
    answer = undefined;
    publish();
  }

  function throwIfCancelled(): void {
    if (cancelRequest) throw new InvoiceCancelled(cancelRequest.reason ?? 'cancelled on request');
  }

  /** Waits for the answer to the open task, sending reminders; cancellable when `cancellable`. */
  async function awaitAnswer(cancellable: boolean): Promise<TaskAnswer> {
    for (;;) {
      const got = await condition(
        () => answer !== undefined || (cancellable && cancelRequest !== undefined),
        msOf(timings.taskReminderAfter),
      );
      if (cancellable) throwIfCancelled();
      if (got && answer) {
        const received = answer;
        answer = undefined;
        return received;
      }
      if (task) {
        task.remindersSent += 1;
        recordState([event('invoice.task_reminder')]);
      }
    }
  }

  // ---- connection ---------------------------------------------------------------------------

  /** Waits (visibly) until the connection can be used; never fails the invoice for credentials. */
  async function awaitHealthyConnection(reason?: string): Promise<void> {
    let health = reason ? { healthy: false, reason } : await chorus.connectionHealth(connectionId);
    while (!health.healthy) {
      statusReason = health.reason;
      if (status !== 'WAITING_FOR_CONNECTION') setStatus('WAITING_FOR_CONNECTION', health.reason);
      connectionNudged = false;
      await condition(
        () => connectionNudged || cancelRequest !== undefined,
        msOf(timings.connectionRecheckEvery),
      );
      if (CANCELLABLE_STATUSES.includes(status)) throwIfCancelled();
      health = await chorus.connectionHealth(connectionId);
    }
    statusReason = undefined;
  }

  /** Runs a Chorus read; a credentials problem parks the invoice until the connection is fixed. */
  async function withConnection<T>(call: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await call();
      } catch (err) {
        const type = failureType(err);
        if (!type || !CONNECTION_PROBLEM_TYPES.includes(type)) throw err;
        const resume = status;
        await awaitHealthyConnection(failureMessage(err));
        setStatus(resume);
      }
    }
  }

  // ---- CHECKING → AWAITING_DATA → AWAITING_APPROVAL → UPLOADING --------------------------------

  async function evaluateReadiness(): Promise<void> {
    supplier = await withConnection(() => chorus.supplierFacts(connectionId));
    const [buyer, lists] = await Promise.all([
      withConnection(() =>
        chorus.buyerFacts({
          connectionId,
          buyerSiret: invoice.buyer.siret,
          serviceCode: invoice.buyer.serviceCode,
          engagementNumber: invoice.references.engagementNumber,
          idFournisseur: supplier?.idStructureCPP ?? undefined,
        }),
      ),
      withConnection(() => chorus.referenceLists(connectionId)),
    ]);
    checklist = readinessChecklist({
      invoice: { ...invoice, attachments: [] },
      supplier,
      buyer,
      attachments: attachments.map((a) => ({ fileName: a.fileName, sizeBytes: a.sizeBytes })),
      lists,
    });
  }

  async function prepare(): Promise<void> {
    for (;;) {
      await awaitHealthyConnection();
      throwIfCancelled();
      setStatus('CHECKING');
      await evaluateReadiness();
      throwIfCancelled();
      if (isReady(checklist)) break;

      const failing = checklist.filter((i) => !i.ok);
      if (failing.some((i) => i.id === 'supplier-known')) {
        // The technical account cannot invoice for this supplier: a connection problem, not invoice data.
        await awaitHealthyConnection(failing.find((i) => i.id === 'supplier-known')?.message);
        continue;
      }
      const fields: TaskField[] = failing
        .filter((i) => i.field)
        .map((i) => ({
          field: i.field!,
          why: i.message,
          whyFr: i.messageFr,
          required: true,
          allowedValues: i.allowedValues,
          currentValue: currentValueOf(i.field!),
        }));
      openTask(
        'MISSING_DATA',
        'Données manquantes pour Chorus Pro',
        `Chorus Pro needs ${fields.length} more piece(s) of information for this buyer before the invoice can be sent.`,
        fields,
        {
          descriptionFr: `Chorus Pro demande ${fields.length} information(s) de plus pour cet acheteur avant l’envoi de la facture.`,
        },
      );
      setStatus('AWAITING_DATA', failing.map((i) => i.message).join(' '));
      const received = await awaitAnswer(true);
      invoice = applyAnswerValues(invoice, received.values ?? {});
      if (received.attachments) attachments = mergeAttachments(attachments, received.attachments);
      timeline.push({ at: new Date().toISOString(), status, note: answerNote(received) });
      closeTask();
    }

    if (invoice.requireApproval) {
      const payload = buildBody();
      openTask(
        'APPROVAL',
        'Validation avant envoi',
        'Check the exact data that will be sent to Chorus Pro, then approve ("Envoyer") or refuse.',
        [],
        {
          chorusPayload: payload,
          descriptionFr:
            'Vérifiez les données exactes qui seront envoyées à Chorus Pro, puis validez (« Envoyer ») ou refusez.',
        },
      );
      setStatus('AWAITING_APPROVAL');
      const decision = await awaitAnswer(true);
      timeline.push({ at: new Date().toISOString(), status, note: answerNote(decision) });
      closeTask();
      if (!decision.approve)
        throw new InvoiceCancelled(`not approved${decision.comment ? `: ${decision.comment}` : ''}`);
    }

    setStatus('UPLOADING');
    attachments = await uploadAll(attachments);
    throwIfCancelled();
  }

  async function uploadAll(list: AttachmentRecord[]): Promise<AttachmentRecord[]> {
    const uploaded: AttachmentRecord[] = [];
    for (const attachment of list) {
      if (attachment.pieceJointeId !== undefined) {
        uploaded.push(attachment);
        continue;
      }
      const { pieceJointeId } = await withConnection(() =>
        chorus.uploadAttachment({ connectionId, ref: attachment.ref, fileName: attachment.fileName }),
      );
      uploaded.push({ ...attachment, pieceJointeId });
    }
    return uploaded;
  }

  function currentValueOf(field: string): string | undefined {
    const value = field
      .split('.')
      .reduce<unknown>(
        (obj, key) => (obj && typeof obj === 'object' ? (obj as Record<string, unknown>)[key] : undefined),
        invoice,
      );
    return typeof value === 'string' ? value : undefined;
  }

  function buildBody(): ChorusSubmitBody {
    return toChorusSubmitBody(
      { ...invoice, attachments: [] },
      {
        idFournisseur: supplier?.idStructureCPP ?? 0,
        attachments: attachments.map((a) => ({
          fileName: a.fileName,
          type: a.type,
          main: a.main,
          pieceJointeId: a.pieceJointeId ?? 0,
        })),
      },
    );
  }

  // ---- SUBMITTING, exactly once ---------------------------------------------------------------

  function isOurs(found: FoundInvoice): boolean {
    if (found.buyerSiret !== invoice.buyer.siret) return false;
    if (found.amountInclVat === undefined || !isDecimalText(found.amountInclVat)) return true;
    return parseDecimal(found.amountInclVat) === computeTotals(invoice.lines).inclVat;
  }

  function adopt(identifiantFactureCPP: number, statut: string, note: string): void {
    chorusInvoiceId = identifiantFactureCPP;
    chorusStatus = statut;
    lastChorusChangeAt = new Date().toISOString();
    setStatus('SUBMITTED', note);
  }

  function lookUp(): Promise<FoundInvoice | null> {
    return withConnection(() =>
      chorus.findSubmittedInvoice({ connectionId, invoiceNumber: invoice.invoiceNumber }),
    );
  }

  /** Adopts an invoice Chorus already has under our number when it is this one (same buyer, same amount). */
  function adoptIfOurs(found: FoundInvoice | null, note: string): boolean {
    if (!found || !isOurs(found)) return false;
    adopt(found.identifiantFactureCPP, found.statut, note);
    return true;
  }

  async function submitExactlyOnce(): Promise<void> {
    setStatus('SUBMITTING');
    const body = buildBody();
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) {
        // The previous attempt's outcome is unknown: look before any resend.
        if (
          adoptIfOurs(
            await lookUp(),
            'found in Chorus Pro after an unanswered submission: adopted, not sent again',
          )
        )
          return;
      }
      try {
        const outcome = await submission.submitInvoice({ connectionId, body });
        if (outcome.kind === 'accepted') {
          adopt(outcome.identifiantFactureCPP, outcome.statut, `deposited on ${outcome.dateDepot}`);
          return;
        }
        if (outcome.kind === 'rejected') {
          throw new InvoiceFailed(
            `Chorus Pro refused the invoice: ${outcome.libelle} (code ${outcome.codeRetour}). Correct it and submit it again.`,
          );
        }
        const found = await lookUp();
        if (adoptIfOurs(found, 'Chorus Pro already had this invoice from an earlier attempt: adopted'))
          return;
        await resolveForeignDuplicate(found);
        return;
      } catch (err) {
        if (err instanceof InvoiceFailed) throw err;
        const type = failureType(err);
        if (type && CONNECTION_PROBLEM_TYPES.includes(type)) {
          await awaitHealthyConnection(failureMessage(err));
          setStatus('SUBMITTING');
          continue;
        }
        timeline.push({
          at: new Date().toISOString(),
          status,
          note: `submission outcome unknown (${failureMessage(err)}); the invoice will be looked up before any resend`,
        });
        await sleep(msOf(timings.resubmitBackoff));
      }
    }
  }

  async function resolveForeignDuplicate(found: FoundInvoice | null): Promise<void> {
    const described = found
      ? `Chorus Pro already has invoice ${invoice.invoiceNumber} from this supplier, for buyer ${found.buyerSiret}${found.amountInclVat ? ` and ${found.amountInclVat} incl. VAT` : ''}.`
      : `Chorus Pro says invoice number ${invoice.invoiceNumber} was already used by this supplier.`;
    openTask(
      'DUPLICATE_NUMBER',
      'Numéro de facture déjà utilisé',
      `${described} If that invoice is this one, approve to follow it; otherwise refuse: a new invoice number is needed.`,
      [],
      {
        descriptionFr: `Chorus Pro connaît déjà une facture ${invoice.invoiceNumber} de ce fournisseur. S’il s’agit de celle-ci, confirmez pour la suivre ; sinon refusez : il faut un nouveau numéro de facture.`,
      },
    );
    setStatus('ACTION_REQUIRED', described);
    const decision = await awaitAnswer(false);
    closeTask();
    if (decision.approve && found) {
      adopt(
        found.identifiantFactureCPP,
        found.statut,
        `confirmed by ${describeActor(decision.answeredBy, 'a person')} as the same invoice`,
      );
      return;
    }
    throw new InvoiceFailed(
      `Invoice number ${invoice.invoiceNumber} is already used in Chorus Pro: a new invoice number is needed.`,
    );
  }

  // ---- TRACKING ---------------------------------------------------------------------------------

  function record(observations: ChorusStatusObservation[]): void {
    for (const o of observations) {
      if (chorusTimeline.some((t) => t.status === o.status && t.at === o.at)) continue;
      chorusTimeline.push(o);
      lastChorusChangeAt = new Date().toISOString();
    }
    chorusTimeline.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }

  let handledActionAt: string | undefined;

  async function track(): Promise<'done' | 'continue-as-new'> {
    if (status === 'SUBMITTED') {
      await chorus.trackInvoice({
        connectionId,
        workflowId,
        invoiceNumber: invoice.invoiceNumber,
        identifiantFactureCPP: chorusInvoiceId!,
      });
      setStatus('TRACKING');
    }
    for (;;) {
      const sinceChange = Date.now() - new Date(lastChorusChangeAt ?? 0).getTime();
      const horizonLeft = msOf(timings.paymentHorizon) - sinceChange;
      if (horizonLeft <= 0) {
        statusReason = `No status change for ${timings.paymentHorizon}; last Chorus Pro status ${chorusStatus ?? 'unknown'}. This buyer may not report payments.`;
        await chorus.untrackInvoice({ connectionId, invoiceNumber: invoice.invoiceNumber });
        setStatus('TRACKING_ENDED', statusReason);
        return 'done';
      }
      const got = await condition(
        () => incoming.length > 0,
        Math.min(msOf(timings.trackingFallbackAfter), horizonLeft),
      );
      // The tracker reports the latest status only; the history also holds the ones passed in between.
      const signalled = got ? incoming.splice(0) : [];
      const history = await withConnection(() =>
        chorus.invoiceStatusHistory({ connectionId, identifiantFactureCPP: chorusInvoiceId! }),
      );
      const observations = [...signalled, ...history];
      const before = chorusTimeline.length;
      record(observations);
      if (chorusTimeline.length === before && !got) continue;

      if (chorusTimeline.some((o) => o.status === 'MISE_EN_PAIEMENT')) {
        chorusStatus = 'MISE_EN_PAIEMENT';
        statusReason = undefined;
        await chorus.untrackInvoice({ connectionId, invoiceNumber: invoice.invoiceNumber });
        setStatus(
          'PAID',
          `payment issued ${chorusTimeline.find((o) => o.status === 'MISE_EN_PAIEMENT')?.at ?? ''}`.trim(),
        );
        return 'done';
      }
      const latest = chorusTimeline[chorusTimeline.length - 1];
      if (!latest) continue;
      chorusStatus = latest.status;
      if (latest.status === 'REJETEE') {
        statusReason = `Rejected by the buyer${latest.comment ? `: ${latest.comment.replace(/[.\s]+$/, '')}` : ''}. A new invoice number is needed to invoice again.`;
        await chorus.untrackInvoice({ connectionId, invoiceNumber: invoice.invoiceNumber });
        setStatus('REJECTED', statusReason);
        return 'done';
      }
      if (
        (latest.status === 'A_RECYCLER' || latest.status === 'SUSPENDUE') &&
        handledActionAt !== latest.at
      ) {
        handledActionAt = latest.at;
        await (latest.status === 'A_RECYCLER' ? recycle(latest) : complete(latest));
        setStatus('TRACKING');
        continue;
      }
      setStatus('TRACKING', `Chorus Pro status ${latest.status}`);
      if (workflowInfo().continueAsNewSuggested && task === undefined) return 'continue-as-new';
    }
  }

  async function recycle(observation: ChorusStatusObservation): Promise<void> {
    const reason = observation.comment ? ` The buyer says: "${observation.comment}".` : '';
    const buyer = await withConnection(() =>
      chorus.buyerFacts({
        connectionId,
        buyerSiret: invoice.buyer.siret,
        idFournisseur: supplier?.idStructureCPP ?? undefined,
      }),
    );
    const services = buyer.services
      .filter((s) => s.active && s.code !== 'FACTURES_PUBLIQUES')
      .map((s) => ({ value: s.code, label: s.label }));
    openTask(
      'RECYCLE',
      'Facture à recycler',
      `The buyer sent the invoice back for wrong routing data (A_RECYCLER).${reason} Give the right service code and/or engagement number; the invoice keeps its number.`,
      [
        {
          field: 'buyer.serviceCode',
          why: 'The buyer service that must receive the invoice.',
          whyFr: 'Le service de l’acheteur qui doit recevoir la facture.',
          required: false,
          allowedValues: services,
          currentValue: invoice.buyer.serviceCode,
        },
        {
          field: 'references.engagementNumber',
          why: 'The engagement (purchase order) number, if the buyer asks for one.',
          whyFr: 'Le numéro d’engagement (bon de commande), si l’acheteur en demande un.',
          required: false,
          currentValue: invoice.references.engagementNumber,
        },
        {
          field: 'comment',
          why: 'A message for the buyer (optional).',
          whyFr: 'Un message pour l’acheteur (facultatif).',
          required: false,
        },
      ],
      {
        descriptionFr: `L’acheteur a renvoyé la facture pour des données d’acheminement erronées (A_RECYCLER).${reasonFr(observation)} Indiquez le bon code service et/ou numéro d’engagement ; la facture garde son numéro.`,
      },
    );
    setStatus('ACTION_REQUIRED', `A_RECYCLER${reason}`);
    const received = await awaitAnswer(false);
    invoice = applyAnswerValues(invoice, received.values ?? {});
    timeline.push({ at: new Date().toISOString(), status, note: answerNote(received) });
    closeTask();
    await withConnection(() =>
      chorus.recycleInvoice({
        connectionId,
        identifiantFactureCPP: chorusInvoiceId!,
        buyerSiret: invoice.buyer.siret,
        serviceCode: invoice.buyer.serviceCode,
        engagementNumber: invoice.references.engagementNumber,
        comment: received.values?.comment,
      }),
    );
    chorusStatus = 'DEPOSEE';
  }

  async function complete(observation: ChorusStatusObservation): Promise<void> {
    const reason = observation.comment ? ` The buyer says: "${observation.comment}".` : '';
    openTask(
      'COMPLETE',
      'Facture suspendue à compléter',
      `The buyer suspended the invoice (SUSPENDUE): supporting documents are missing.${reason} Add the attachments and/or a comment.`,
      [
        {
          field: 'attachments',
          why: 'The missing supporting documents (type "Doc. Annexe" by default).',
          whyFr: 'Les pièces justificatives manquantes (type « Doc. Annexe » par défaut).',
          required: false,
        },
        {
          field: 'comment',
          why: 'A message for the buyer (≤ 2000 characters).',
          whyFr: 'Un message pour l’acheteur (2000 caractères au plus).',
          required: false,
        },
      ],
      {
        descriptionFr: `L’acheteur a suspendu la facture (SUSPENDUE) : des pièces justificatives manquent.${reasonFr(observation)} Ajoutez les pièces jointes et/ou un commentaire.`,
      },
    );
    setStatus('ACTION_REQUIRED', `SUSPENDUE${reason}`);
    const received = await awaitAnswer(false);
    timeline.push({ at: new Date().toISOString(), status, note: answerNote(received) });
    closeTask();
    const added = await uploadAll(received.attachments ?? []);
    attachments = mergeAttachments(attachments, added);
    await withConnection(() =>
      chorus.completeInvoice({
        connectionId,
        identifiantFactureCPP: chorusInvoiceId!,
        attachments: added.map((a) => ({
          pieceJointeId: a.pieceJointeId!,
          fileName: a.fileName,
          type: a.type,
        })),
        comment: received.values?.comment,
      }),
    );
    chorusStatus = 'COMPLETEE';
  }

  // ---- main ---------------------------------------------------------------------------------------

  let outcome: 'done' | 'continue-as-new' = 'done';
  try {
    if (!carried) {
      setStatus('RECEIVED', 'received');
      await prepare();
      await submitExactlyOnce();
    }
    outcome = await track();
  } catch (err) {
    task = undefined;
    if (err instanceof InvoiceCancelled) {
      statusReason = err.message;
      setStatus('CANCELLED', err.message);
    } else if (err instanceof InvoiceFailed) {
      statusReason = err.message;
      setStatus('FAILED', err.message);
    } else {
      statusReason = `Unexpected error: ${failureMessage(err)}`;
      setStatus('FAILED', statusReason);
    }
  }

  await condition(allHandlersFinished);
  if (outcome === 'continue-as-new') {
    await recording;
    await continueAsNew<typeof invoiceWorkflow>({
      ...input,
      invoice,
      attachments,
      carried: {
        status,
        chorusStatus,
        chorusInvoiceId,
        timeline,
        chorusTimeline,
        lastChorusChangeAt,
        eventSequence,
        recordSequence,
        pendingObservations: incoming.splice(0),
      },
    });
  }
  if (!TERMINAL_STATUSES.includes(status))
    log.warn('invoice workflow ended in a non-terminal state', { status });
  await recording;
  return view();
}

function validateAnswer(task: OpenTask | undefined, answer: TaskAnswer): void {
  if (!task) {
    throw ApplicationFailure.create({
      type: 'NoOpenTask',
      message: 'This invoice has no open task to answer.',
    });
  }
  if (answer.taskId !== task.id) {
    throw ApplicationFailure.create({
      type: 'StaleTask',
      message: `Task ${answer.taskId} is no longer open; the open task is ${task.id} (${task.kind}).`,
    });
  }
  const fieldErrors: Record<string, string> = {};
  if (task.kind === 'APPROVAL' || task.kind === 'DUPLICATE_NUMBER') {
    if (typeof answer.approve !== 'boolean') fieldErrors.approve = 'answer with approve: true or false';
  } else {
    Object.assign(
      fieldErrors,
      checkAnswerValues(
        task.fields.filter((f) => f.field !== 'attachments'),
        answer.values ?? {},
      ),
    );
    const nothing = Object.keys(answer.values ?? {}).length === 0 && (answer.attachments ?? []).length === 0;
    if (nothing)
      fieldErrors[task.fields[0]?.field ?? 'values'] = 'the answer is empty: fill at least one field';
    if (answer.attachments && !task.fields.some((f) => f.field === 'attachments')) {
      fieldErrors.attachments = 'this task does not ask for attachments';
    }
  }
  if (Object.keys(fieldErrors).length > 0) {
    throw ApplicationFailure.create({
      type: 'InvalidTaskAnswer',
      message: `The answer was refused: ${Object.entries(fieldErrors)
        .map(([field, message]) => `${field}: ${message}`)
        .join('; ')}`,
      details: [fieldErrors],
    });
  }
}

function mergeAttachments(existing: AttachmentRecord[], added: AttachmentRecord[]): AttachmentRecord[] {
  const byRef = new Map(existing.map((a) => [a.ref, a]));
  for (const a of added) if (!byRef.has(a.ref)) byRef.set(a.ref, a);
  return [...byRef.values()];
}

/** The buyer's comment, quoted, for a French task description. */
function reasonFr(observation: ChorusStatusObservation): string {
  return observation.comment ? ` L’acheteur indique : « ${observation.comment} ».` : '';
}

function answerNote(answer: TaskAnswer): string {
  const who = describeActor(answer.answeredBy);
  const parts = [
    ...Object.entries(answer.values ?? {}).map(([field, value]) => `${field}=${value}`),
    ...(answer.approve !== undefined ? [answer.approve ? 'approved' : 'refused'] : []),
    ...(answer.attachments?.length ? [`${answer.attachments.length} attachment(s)`] : []),
  ];
  return `task answered by ${who}: ${parts.join(', ') || 'no values'}`;
}
