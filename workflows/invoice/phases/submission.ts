import { sleep, workflowInfo } from '@temporalio/workflow';
import { whoText, type Actor } from '../../../domain/actor';
import { msOf } from '../../../domain/durations';
import { isDecimalText, parseDecimal } from '../../../domain/money';
import { joinLocalized, t, type Localized } from '../../../domain/messages';
import { computeTotals } from '../../../domain/totals';
import { bankAccountChoices } from '../../../domain/readiness';
import type { ChorusSubmitBody } from '../../../domain/chorus-invoice';
import type { DepositAdoptedFact, LookupFact } from '../../contracts/audit';
import type { FoundInvoice } from '../../contracts/invoice';
import { failureMessage, failureType, isConnectionProblem } from '../../failures';
import { chorus, submission } from '../activity-proxies';
import { nowIso, nowMs } from '../clock';
import type { InvoiceContext } from '../context';
import { InvoiceFailed } from '../outcomes';
import { awaitAnswer } from '../tasks';
import {
  closeTask,
  note,
  openTask,
  record,
  recordAgain,
  recordStepAsActivity,
  setStatus,
  takePendingRecord,
} from '../transitions';
import { parkOnCredentialsFailure, withConnection } from './connection';
import { applyDataAnswer, currentValueOf, submitBodyOf } from './preparation';

/**
 * SUBMITTING → SUBMITTED, exactly once: `soumettre` has no idempotency key and Chorus refuses a
 * reused number, so after an unknown outcome the invoice is looked up before anything is resent,
 * and a duplicate-number refusal of our own earlier success is adopted, never overwritten.
 */
export async function submitExactlyOnce(ctx: InvoiceContext): Promise<'submitted' | 'corrected'> {
  setStatus(ctx, 'SUBMITTING');
  const body = submitBodyOf(ctx);
  let unanswered = 0;
  for (let attempt = 1; ; attempt++) {
    if (attempt > 1) {
      // The previous attempt's outcome is unknown: look before any resend.
      const found = await lookUp(ctx, 'after-unknown-outcome', body);
      if (found.ours) {
        adopt(ctx, found.invoice!, 'found-after-unknown-outcome', t('journey.adoptedAfterUnknown'));
        return 'submitted';
      }
      if (found.ambiguous) {
        // Several deposits of ours match this buyer, day and amount: only a person can tell.
        await askWhetherToKeepTrying(
          ctx,
          attempt - 1,
          t('reason.ambiguousLookup', { count: found.ambiguous }).en,
        );
      }
    }
    // The SUBMITTING record is stored by the deposit activity beside its call: this step's workflow
    // task then schedules it without waiting for a record first.
    let taken = takePendingRecord(ctx);
    try {
      // After a deposit the activity also registers the invoice with its tracker (one step, not two).
      const claim = {
        workflowId: ctx.workflowId,
        runId: workflowInfo().runId,
        attempt: nextDepositAttempt(ctx),
      };
      const outcome = await submission.submitInvoice({
        connectionId: ctx.connectionId,
        body,
        track: { workflowId: ctx.workflowId, invoiceNumber: ctx.state.invoice.invoiceNumber },
        claim,
        ...(taken ? { record: taken } : {}),
      });
      // This step's workflow task stores Chorus's answer in the history: its record does not hold it.
      recordStepAsActivity(ctx);
      if (taken && !outcome.recorded) recordAgain(ctx, taken);
      taken = undefined;
      const { recorded: _stored, endedAtMs: _ended, ...answer } = outcome;
      record(ctx, { kind: 'submission.sent', attempt, request: body, outcome: answer });
      if (outcome.kind === 'accepted') {
        ctx.state.registeredWithTracker = outcome.registered === true;
        adopt(
          ctx,
          {
            identifiantFactureCPP: outcome.identifiantFactureCPP,
            statut: outcome.statut,
            numeroFacture: outcome.numeroFacture,
          },
          'accepted',
          t('journey.deposited', { date: outcome.dateDepot }),
        );
        return 'submitted';
      }
      if (outcome.kind === 'rejected') {
        if (outcome.fields?.length) {
          await askForCorrection(ctx, outcome);
          return 'corrected';
        }
        throw new InvoiceFailed(
          t('reason.refusedBySubmission', { libelle: outcome.libelle, code: outcome.codeRetour }),
        );
      }
      const found = await lookUp(ctx, 'after-duplicate-refusal', body);
      if (found.ours) {
        adopt(ctx, found.invoice!, 'found-after-duplicate-refusal', t('journey.adoptedDuplicate'));
        return 'submitted';
      }
      await resolveForeignDuplicate(ctx, found.invoice);
      return 'submitted';
    } catch (err) {
      // Whether the activity stored it before failing is unknown: recorded again (idempotent).
      if (taken) recordAgain(ctx, taken);
      if (err instanceof InvoiceFailed) throw err;
      if (isConnectionProblem(err)) {
        await parkOnCredentialsFailure(ctx, err);
        setStatus(ctx, 'SUBMITTING');
        continue;
      }
      const type = failureType(err);
      record(ctx, {
        kind: 'submission.unknown',
        attempt,
        request: body,
        error: failureMessage(err),
        ...(type ? { errorType: type } : {}),
      });
      note(ctx, t('journey.outcomeUnknown', { error: failureMessage(err) }));
      unanswered += 1;
      if (unanswered >= ctx.timings.submitAttemptsBeforeAsking) {
        // The last lookup and the next one guard against a deposit that did happen.
        const found = await lookUp(ctx, 'after-unknown-outcome', body);
        if (found.ours) {
          adopt(ctx, found.invoice!, 'found-after-unknown-outcome', t('journey.adoptedAfterUnknown'));
          return 'submitted';
        }
        await askWhetherToKeepTrying(ctx, unanswered, failureMessage(err));
        unanswered = 0;
        setStatus(ctx, 'SUBMITTING');
      }
      const after = ctx.timings.resubmitBackoff;
      record(ctx, { kind: 'timer.armed', purpose: 'resubmit-backoff', after });
      await sleep(msOf(after));
    }
  }
}

/** The number of this run's next `soumettre` attempt (every attempt of every pass through the deposit). */
function nextDepositAttempt(ctx: InvoiceContext): number {
  ctx.state.depositAttempts = (ctx.state.depositAttempts ?? 0) + 1;
  return ctx.state.depositAttempts;
}

/**
 * Chorus refused a value a person can change (a closed engagement, an inactive service…): never a
 * dead end — a task asks for it with Chorus's own message, then the invoice is checked and sent
 * again (a refused `soumettre` created nothing in Chorus, so the number is still free).
 */
async function askForCorrection(
  ctx: InvoiceContext,
  refusal: { codeRetour: number; libelle: string; fields?: string[] },
): Promise<void> {
  const s = ctx.state;
  const fields = refusal.fields ?? [];
  const why = t('task.correction.why', { libelle: refusal.libelle });
  const title = t('task.correction.title');
  const description = t('task.correction.description', { code: refusal.codeRetour });
  openTask(ctx, {
    kind: 'CORRECTION',
    title: title.en,
    titleFr: title.fr,
    description: description.en,
    descriptionFr: description.fr,
    fields: fields.map((field) => ({
      field,
      why: why.en,
      whyFr: why.fr,
      required: fields.length === 1,
      ...(fields.length > 1 ? { oneOf: 'correction' } : {}),
      ...(field === 'bankAccountId' && s.bankAccounts?.length
        ? { allowedValues: bankAccountChoices(s.bankAccounts) }
        : {}),
      ...(currentValueOf(s.invoice, field) !== undefined
        ? { currentValue: currentValueOf(s.invoice, field), refusedAnswer: currentValueOf(s.invoice, field) }
        : {}),
    })),
  });
  s.statusReason = t('reason.correctionAsked', { libelle: refusal.libelle, code: refusal.codeRetour });
  setStatus(ctx, 'AWAITING_DATA', s.statusReason);
  const received = await awaitAnswer(ctx, true);
  applyDataAnswer(ctx, received.values ?? {});
  s.statusReason = undefined;
  closeTask(ctx);
}

/** A repeatable failure: a person decides whether to keep trying; refusing fails the invoice (nothing was deposited). */
async function askWhetherToKeepTrying(
  ctx: InvoiceContext,
  attempts: number,
  lastError: string,
): Promise<void> {
  const s = ctx.state;
  const title = t('task.submissionFailing.title');
  const description = t('task.submissionFailing.description', { attempts, lastError });
  openTask(ctx, {
    kind: 'SUBMISSION_FAILING',
    title: title.en,
    titleFr: title.fr,
    description: description.en,
    descriptionFr: description.fr,
    fields: [],
  });
  s.statusReason = t('reason.submissionFailing', { attempts, lastError });
  setStatus(ctx, 'ACTION_REQUIRED', s.statusReason);
  const decision = await awaitAnswer(ctx, false);
  closeTask(ctx);
  s.statusReason = undefined;
  if (!decision.approve) {
    throw new InvoiceFailed(
      t('reason.submissionAbandoned', { who: whoText(decision.answeredBy), attempts, lastError }),
    );
  }
}

/** Looks our number up in Chorus and says whether what it finds is this invoice (same buyer and amount). */
async function lookUp(
  ctx: InvoiceContext,
  reason: LookupFact['reason'],
  body: ChorusSubmitBody,
): Promise<{ invoice: FoundInvoice | null; ours: boolean; ambiguous?: number }> {
  const s = ctx.state;
  const invoiceNumber = s.invoice.invoiceNumber;
  // Chorus may number invoices itself: then ours is found by buyer, deposit day and amount.
  const byContent =
    s.buyerStructureId !== undefined
      ? {
          buyerStructureId: s.buyerStructureId,
          amountInclVat: body.montantTotal.montantTtcTotal,
          depositedFrom: new Date(nowMs() - 86_400_000).toISOString().slice(0, 10),
        }
      : undefined;
  const found = await withConnection(ctx, () =>
    chorus.findSubmittedInvoice({
      connectionId: ctx.connectionId,
      invoiceNumber,
      ...(byContent ? { byContent } : {}),
    }),
  );
  const ambiguous = found?.foundBy === 'content' && (found.matches ?? 1) > 1 ? found.matches : undefined;
  const ours = found !== null && !ambiguous && isOurs(ctx, found);
  record(ctx, {
    kind: 'lookup.done',
    reason,
    invoiceNumber,
    found: found
      ? {
          identifiantFactureCPP: found.identifiantFactureCPP,
          statut: found.statut,
          buyerSiret: found.buyerSiret,
          ...(found.amountInclVat ? { amountInclVat: found.amountInclVat } : {}),
          ...(found.dateDepot ? { dateDepot: found.dateDepot } : {}),
          ...(found.numeroFacture ? { numeroFacture: found.numeroFacture } : {}),
          foundBy: found.foundBy,
          ...(found.matches !== undefined ? { matches: found.matches } : {}),
        }
      : null,
    ...(found ? { ours } : {}),
  });
  return { invoice: found, ours, ...(ambiguous ? { ambiguous } : {}) };
}

function isOurs(ctx: InvoiceContext, found: FoundInvoice): boolean {
  const invoice = ctx.state.invoice;
  if (found.buyerSiret !== invoice.buyer.siret) return false;
  if (found.amountInclVat === undefined || !isDecimalText(found.amountInclVat)) return true;
  return parseDecimal(found.amountInclVat) === computeTotals(invoice.lines).inclVat;
}

function adopt(
  ctx: InvoiceContext,
  deposit: { identifiantFactureCPP: number; statut: string; numeroFacture?: string },
  how: DepositAdoptedFact['how'],
  journeyNote: Localized,
  confirmedBy?: Actor,
): void {
  const s = ctx.state;
  s.chorusInvoiceId = deposit.identifiantFactureCPP;
  s.chorusStatus = deposit.statut;
  if (deposit.numeroFacture && deposit.numeroFacture !== s.invoice.invoiceNumber)
    s.chorusInvoiceNumber = deposit.numeroFacture;
  s.lastChorusChangeAt = nowIso();
  record(ctx, {
    kind: 'deposit.adopted',
    identifiantFactureCPP: deposit.identifiantFactureCPP,
    statut: deposit.statut,
    ...(s.chorusInvoiceNumber ? { chorusInvoiceNumber: s.chorusInvoiceNumber } : {}),
    how,
    ...(confirmedBy ? { confirmedBy } : {}),
  });
  setStatus(ctx, 'SUBMITTED', journeyNote);
}

/** Someone else's invoice (or one we cannot tell) has our number: a person decides. */
async function resolveForeignDuplicate(ctx: InvoiceContext, found: FoundInvoice | null): Promise<void> {
  const s = ctx.state;
  const number = s.invoice.invoiceNumber;
  const facts = !found
    ? t('task.duplicate.notFound', { number })
    : found.amountInclVat
      ? t('task.duplicate.foundWithAmount', {
          number,
          buyerSiret: found.buyerSiret,
          amount: found.amountInclVat,
        })
      : t('task.duplicate.found', { number, buyerSiret: found.buyerSiret });
  const described = joinLocalized([facts, t('task.duplicate.decide')]);
  const title = t('task.duplicate.title');
  openTask(ctx, {
    kind: 'DUPLICATE_NUMBER',
    title: title.en,
    titleFr: title.fr,
    description: described.en,
    descriptionFr: described.fr,
    fields: [],
  });
  s.statusReason = described;
  setStatus(ctx, 'ACTION_REQUIRED', described);
  const decision = await awaitAnswer(ctx, false);
  closeTask(ctx);
  s.statusReason = undefined;
  if (decision.approve && found) {
    adopt(
      ctx,
      found,
      'confirmed-by-person',
      t('journey.confirmedSame', { who: whoText(decision.answeredBy) }),
      decision.answeredBy,
    );
    return;
  }
  throw new InvoiceFailed(t('reason.numberUsed', { number }));
}
