import { ApplicationFailure } from '@temporalio/common';
import type { ChorusSubmitBody } from '../domain/chorus-invoice';
import { msOf } from '../domain/durations';
import { attachmentExtension } from '../domain/invoice';
import type { BlobStore } from '../platform/blob-store';
import type { AppDatabase } from '../platform/database';
import type { InvoiceStateRecord } from '../workflows/contracts/invoice';
import { ROUTING_FIELDS } from './buyer-directory';
import type { ChorusAccess } from './chorus-access';
import { ChorusBusinessError } from './chorus/errors';
import { toApplicationFailure } from './chorus/failure';
import { DUPLICATE_NUMBER_REFUSAL } from './chorus/uncertain-facts';
import { correctableFields } from './correctable-refusals';
import type { LocalStepEnd } from './readiness';
import { mimeTypeOf } from './mime-types';
import { storeInvoiceState } from './records';
import { DEFAULT_TRACKER_SCHEDULE } from '../workflows/contracts/tracker';
import { registerWithTracker, type TrackingActivityDependencies } from './tracking';

/** What Chorus answered a deposit. */
type DepositAnswer =
  | {
      kind: 'accepted';
      identifiantFactureCPP: number;
      statut: string;
      dateDepot: string;
      /** The number Chorus gave the invoice (it may number invoices itself). */
      numeroFacture?: string;
      /** Whether the connection's tracker is known awake right after the deposit (else the workflow wakes it). */
      registered?: boolean;
    }
  /** Chorus refused the number because the supplier already used it. */
  | { kind: 'duplicate-number'; codeRetour: number; libelle: string }
  /**
   * Chorus refused the invoice for a business reason (codeRetour/libelle); `fields` when a person
   * can fix it by changing those values (activities/correctable-refusals.ts).
   */
  | { kind: 'rejected'; codeRetour: number; libelle: string; fields?: string[] };

export type SubmitOutcome = DepositAnswer & {
  /** The webhook events of the state stored beside the call (`record`), when it was stored. */
  recorded?: InvoiceStateRecord['events'];
} & LocalStepEnd;

/** What `soumettre` is sent with: the connection, the body, and which workflow's tracker to wake after. */
interface DepositRequest {
  connectionId: string;
  body: ChorusSubmitBody;
  track?: { workflowId: string; invoiceNumber: string };
  /**
   * The attempt, claimed in the app database before anything is sent (claimDepositAttempt): the
   * deposit runs as a local activity, and a second run of the same attempt sends nothing.
   */
  claim?: DepositClaim;
}

/** One `soumettre` attempt of one workflow run: claimed once, whichever worker runs it. */
export interface DepositClaim {
  workflowId: string;
  runId: string;
  attempt: number;
}

/** What a second run of a claimed deposit attempt throws: the invoice is looked up before any resend. */
export const DEPOSIT_ATTEMPT_REPEATED = 'DepositAttemptRepeated';

/**
 * Claims a deposit attempt: false when it was claimed before, by a run of this activity whose
 * outcome never reached the workflow's history (its worker stopped before its workflow task ended).
 */
export async function claimDepositAttempt(db: AppDatabase, claim: DepositClaim): Promise<boolean> {
  const claimed = await db
    .insertInto('deposit_attempts')
    .values({ workflow_id: claim.workflowId, run_id: claim.runId, attempt: claim.attempt })
    .onConflict((oc) => oc.doNothing())
    .returning('attempt')
    .executeTakeFirst();
  return claimed !== undefined;
}

export interface FoundInvoice {
  identifiantFactureCPP: number;
  /** Chorus's number for it: ours, or the one Chorus gave it. */
  numeroFacture: string;
  /** `number`: found by our invoice number; `content`: by buyer, deposit day and amount (Chorus renumbered it). */
  foundBy: 'number' | 'content';
  /** Found by content: how many invoices matched (more than one cannot be told apart). */
  matches?: number;
  statut: string;
  buyerSiret: string;
  amountInclVat?: string;
  dateDepot?: string;
}

function found(
  hit: {
    identifiantFactureCPP: number;
    numeroFacture?: string | null;
    statut?: string | null;
    codeDestinataire?: string | null;
    montantTTC?: string | null;
    dateDepot?: string | null;
  },
  foundBy: FoundInvoice['foundBy'],
): FoundInvoice {
  return {
    identifiantFactureCPP: hit.identifiantFactureCPP,
    numeroFacture: hit.numeroFacture ?? '',
    foundBy,
    statut: hit.statut ?? 'DEPOSEE',
    buyerSiret: hit.codeDestinataire ?? '',
    ...(hit.montantTTC ? { amountInclVat: hit.montantTTC } : {}),
    ...(hit.dateDepot ? { dateDepot: hit.dateDepot } : {}),
  };
}

/** Duplicate-number refusals are recognised by their text: no code is documented for them. */
const DUPLICATE_NUMBER = DUPLICATE_NUMBER_REFUSAL.value.libelle;

/** How long registering with the tracker may take after a deposit before the workflow does it instead. */
const REGISTER_WITHIN_MS = 10_000;

/**
 * This worker's waking of deposited invoices' trackers (poll soon; started if not running): each
 * call says whether the tracker is awake, and never throws: the deposit is done, and a failed
 * activity would look like an unknown outcome (or, retried, resend it). A tracker this worker woke
 * less than its fastest poll interval ago is not woken again: it polls at a young invoice's pace
 * already, and finds the invoice in the app database (a burst of deposits costs a signal a minute,
 * not one each).
 */
function trackerWaker(deps: SubmissionActivityDependencies) {
  const fastestMs = msOf({ ...DEFAULT_TRACKER_SCHEDULE, ...deps.trackerSchedule }.fastest);
  // When this worker last woke each connection's tracker.
  const woken = new Map<string, number>();
  return async (
    connectionId: string,
    request: { invoiceNumber: string; workflowId: string; identifiantFactureCPP: number },
  ): Promise<boolean> => {
    if (Date.now() - (woken.get(connectionId) ?? -Infinity) < fastestMs) return true;
    try {
      // A deadline on the client's own calls: no retry goes on in the background after it.
      const temporal = deps.temporal();
      await temporal.withDeadline(Date.now() + REGISTER_WITHIN_MS, () =>
        registerWithTracker({ ...deps, temporal: () => temporal }, connectionId, request),
      );
      woken.set(connectionId, Date.now());
      return true;
    } catch (err) {
      deps.logger.warn(
        { connectionId, invoiceNumber: request.invoiceNumber, err: (err as Error).message },
        'tracker not woken after a deposit; the workflow wakes it',
      );
      return false;
    }
  };
}

export type SubmissionActivityDependencies = { blobs: BlobStore; db: AppDatabase } & Pick<
  TrackingActivityDependencies,
  'temporal' | 'taskQueue' | 'trackerSchedule' | 'logger'
>;

/** Uploading attachments, sending the invoice (one attempt), and finding it again by number. */
export function createSubmissionActivities(chorus: ChorusAccess, deps: SubmissionActivityDependencies) {
  const trackerAwakeAfterDeposit = trackerWaker(deps);
  return {
    async uploadAttachment(input: {
      connectionId: string;
      ref: string;
      fileName: string;
    }): Promise<{ pieceJointeId: number } & LocalStepEnd> {
      // The file is read while the connection's record is: both before the call.
      const reading = deps.blobs.get(input.ref).catch((err: Error) => {
        throw ApplicationFailure.create({ type: 'BlobNotFound', message: err.message, nonRetryable: true });
      });
      reading.catch(() => undefined); // awaited below; not unhandled if the connection fails first
      const extension = attachmentExtension(input.fileName) ?? 'PDF';
      const pieceJointeId = await chorus.call(input.connectionId, async (client) => {
        const content = await reading;
        const answer = await client.uploadFile({
          pieceJointeFichier: content.toString('base64'),
          pieceJointeNom: input.fileName,
          pieceJointeTypeMime: mimeTypeOf(extension),
          pieceJointeExtension: extension,
        });
        return answer.pieceJointeId;
      });
      return { pieceJointeId, endedAtMs: Date.now() };
    },

    /**
     * One attempt only: the workflow decides what to do when the outcome is unknown. After a deposit,
     * wakes the connection's tracker when `track` says for which workflow (`registered`: it is awake).
     */
    async submitInvoice(
      input: DepositRequest & {
        /**
         * The invoice's SUBMITTING state, stored beside the call rather than before it by the workflow
         * (a record the workflow task would wait for): `recorded` in the outcome says it was stored.
         */
        record?: InvoiceStateRecord;
      },
    ): Promise<SubmitOutcome> {
      const { record } = input;
      const stored = record
        ? storeInvoiceState(deps.db, record).then(
            () => true,
            (err: unknown) => {
              deps.logger.warn(
                { workflowId: record.view.workflowId, err: (err as Error).message },
                'invoice record not stored beside the deposit; the workflow records it again',
              );
              return false;
            },
          )
        : Promise.resolve(false);
      try {
        const answer = await deposit(input);
        const recorded = record && (await stored) ? { recorded: record.events } : {};
        return { ...answer, ...recorded, endedAtMs: Date.now() };
      } finally {
        await stored;
      }
    },

    /**
     * Our invoice in Chorus after an unknown outcome: by our number, else — Chorus may number
     * invoices itself — by buyer, deposit day and amount (`byContent`).
     */
    async findSubmittedInvoice(input: {
      connectionId: string;
      invoiceNumber: string;
      byContent?: { buyerStructureId: number; amountInclVat: string; depositedFrom: string };
    }): Promise<FoundInvoice | null> {
      const { invoiceNumber, byContent } = input;
      return chorus.call(input.connectionId, async (client, record) => {
        const idFournisseur = (await chorus.supplierOf(client, record)).idStructureCPP;
        const supplier = idFournisseur ? { idFournisseur } : {};
        const byNumber = (
          await client.allSupplierInvoices({ numeroFacture: invoiceNumber, ...supplier })
        ).find((h) => h.numeroFacture === invoiceNumber);
        if (byNumber) return found(byNumber, 'number');
        if (!byContent) return null;
        const candidates = await client.allSupplierInvoices({
          ...supplier,
          listeDestinataire: [{ idDestinataire: byContent.buyerStructureId }],
          montantTTCMin: byContent.amountInclVat,
          montantTTCMax: byContent.amountInclVat,
          periodeDateDepotDu: byContent.depositedFrom,
        });
        const unclaimed = await notClaimedByOthers(deps.db, input.connectionId, invoiceNumber, candidates);
        if (unclaimed.length === 0) return null;
        const newest = [...unclaimed].sort((a, b) => b.identifiantFactureCPP - a.identifiantFactureCPP)[0];
        return { ...found(newest, 'content'), matches: unclaimed.length };
      });
    },
  };

  /**
   * `soumettre`, one attempt, sent only once its attempt is claimed (`claim`); after a deposit, the
   * tracker woken when `track` says for which workflow.
   */
  async function deposit(input: DepositRequest): Promise<DepositAnswer> {
    const { claim } = input;
    const [{ client, record }, first] = await Promise.all([
      chorus.connection(input.connectionId),
      claim ? claimDepositAttempt(deps.db, claim) : true,
    ]);
    if (!first) {
      throw ApplicationFailure.create({
        type: DEPOSIT_ATTEMPT_REPEATED,
        message: `deposit attempt ${claim!.attempt} was started before by a worker that stopped before its outcome was recorded: it may have reached Chorus, so the invoice is looked up before anything is sent again`,
        nonRetryable: true,
      });
    }
    let answer;
    try {
      answer = await client.submitInvoice(input.body);
    } catch (err) {
      if (err instanceof ChorusBusinessError) {
        const details = err.toDetails();
        const codeRetour = details.codeRetour ?? 0;
        const libelle = details.libelle ?? err.message;
        if (DUPLICATE_NUMBER.test(libelle)) return { kind: 'duplicate-number', codeRetour, libelle };
        const fields = correctableFields(codeRetour);
        // Routed with stale buyer facts, perhaps: the re-check after the correction asks Chorus again.
        if (fields?.some((f) => ROUTING_FIELDS.includes(f))) {
          chorus.buyers.forget(record.environment, input.body.destinataire.codeDestinataire);
        }
        return { kind: 'rejected', codeRetour, libelle, ...(fields ? { fields: [...fields] } : {}) };
      }
      chorus.forget(input.connectionId);
      throw toApplicationFailure(err);
    }
    const registered = input.track
      ? await trackerAwakeAfterDeposit(input.connectionId, {
          workflowId: input.track.workflowId,
          invoiceNumber: answer.numeroFacture || input.track.invoiceNumber,
          identifiantFactureCPP: answer.identifiantFactureCPP,
        })
      : undefined;
    return {
      kind: 'accepted',
      identifiantFactureCPP: answer.identifiantFactureCPP,
      statut: answer.statutFacture ?? 'DEPOSEE',
      dateDepot: answer.dateDepot ?? '',
      ...(answer.numeroFacture ? { numeroFacture: answer.numeroFacture } : {}),
      ...(registered !== undefined ? { registered } : {}),
    };
  }
}

/**
 * The content matches that can be ours: not another of our invoices — by its number on this
 * connection, or by the Chorus id another invoice of ours already holds. Another invoice to the same
 * buyer for the same amount the same day is common; adopting it would leave ours never sent.
 */
async function notClaimedByOthers<T extends { identifiantFactureCPP: number; numeroFacture?: string | null }>(
  db: AppDatabase,
  connectionId: string,
  ourNumber: string,
  candidates: T[],
): Promise<T[]> {
  if (candidates.length === 0) return [];
  const numbers = [...new Set(candidates.flatMap((c) => (c.numeroFacture ? [c.numeroFacture] : [])))];
  const ids = candidates.map((c) => String(c.identifiantFactureCPP));
  const claimed = await db
    .selectFrom('invoices')
    .select(['invoice_number', 'chorus_invoice_id'])
    .where('connection_id', '=', connectionId)
    .where('invoice_number', '!=', ourNumber)
    .where((eb) =>
      eb.or([
        ...(numbers.length > 0 ? [eb('invoice_number', 'in', numbers)] : []),
        eb('chorus_invoice_id', 'in', ids),
      ]),
    )
    .execute();
  const claimedNumbers = new Set(claimed.map((r) => r.invoice_number));
  const claimedIds = new Set(
    claimed.flatMap((r) => (r.chorus_invoice_id ? [String(r.chorus_invoice_id)] : [])),
  );
  return candidates.filter(
    (c) =>
      !claimedIds.has(String(c.identifiantFactureCPP)) &&
      !(c.numeroFacture && claimedNumbers.has(c.numeroFacture)),
  );
}
