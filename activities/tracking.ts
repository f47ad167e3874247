import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Logger } from '../platform/logger';
import { chorusStatusSignal, type ChorusHistory } from '../workflows/contracts/invoice';
import type { AppDatabase } from '../platform/database';
import {
  TRACKER_WORKFLOW_TYPE,
  trackerWorkflowId,
  trackInvoiceSignal,
  type InvoiceNotice,
  type PollResult,
  type StatusChange,
  type TrackerInput,
  type TrackerSchedule,
} from '../workflows/contracts/tracker';
import type { ChorusAccess } from './chorus-access';
import { noticesFor, trackedCount } from './tracked-invoices';

export interface TrackingActivityDependencies {
  /** The Temporal client the worker already has, to reach the per-connection tracker. */
  temporal: () => Client;
  taskQueue: string;
  trackerSchedule?: Partial<TrackerSchedule>;
  /** The app database: which invoices the tracker follows (activities/tracked-invoices.ts). */
  db: AppDatabase;
  logger: Logger;
}

type TrackRequest = { invoiceNumber: string; workflowId: string; identifiantFactureCPP: number };

/**
 * Tells an invoice's connection tracker that it was deposited (poll soon), starting the tracker if it
 * is not running. The tracker finds the invoice itself in the app database.
 */
export async function registerWithTracker(
  deps: Pick<TrackingActivityDependencies, 'temporal' | 'taskQueue' | 'trackerSchedule'>,
  connectionId: string,
  request: TrackRequest,
): Promise<void> {
  const trackerInput: TrackerInput = { connectionId, schedule: deps.trackerSchedule };
  await deps
    .temporal()
    .workflow.signalWithStart<(input: TrackerInput) => Promise<void>, [TrackRequest]>(TRACKER_WORKFLOW_TYPE, {
      workflowId: trackerWorkflowId(connectionId),
      taskQueue: deps.taskQueue,
      args: [trackerInput],
      signal: trackInvoiceSignal,
      signalArgs: [request],
    });
}

/** Chorus writes times as `YYYY-MM-DD HH:MM` (French time); keep that form, minute precision. */
export function chorusMinute(text: string | null | undefined): string {
  return (text ?? '').replace('T', ' ').slice(0, 16);
}

/** How many invoices are signalled at once (a poll after a quiet weekend may move hundreds). */
const SIGNALS_IN_FLIGHT = 20;

/**
 * Tells each invoice workflow its new Chorus status, by a signal from the worker's client: the
 * tracker's history holds one activity per poll, not two events per invoice, and its next poll does
 * not wait on each signal's delivery. Returns the invoice numbers whose workflow is gone.
 */
export async function signalInvoices(client: Client, notices: InvoiceNotice[]): Promise<{ gone: string[] }> {
  const gone: string[] = [];
  for (let i = 0; i < notices.length; i += SIGNALS_IN_FLIGHT) {
    await Promise.all(
      notices.slice(i, i + SIGNALS_IN_FLIGHT).map(async ({ invoiceNumber, workflowId, observation }) => {
        try {
          await client.workflow.getHandle(workflowId).signal(chorusStatusSignal, [observation]);
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
          gone.push(invoiceNumber);
        }
      }),
    );
  }
  return { gone };
}

/**
 * Following invoices after deposit: the per-connection tracker's batched polls, an invoice's own
 * status history, and registering invoices with the tracker.
 */
export function createTrackingActivities(chorus: ChorusAccess, deps: TrackingActivityDependencies) {
  return {
    /** Every status of the invoice (every page), oldest first by history id, and the current one. */
    async invoiceStatusHistory(input: {
      connectionId: string;
      identifiantFactureCPP: number;
    }): Promise<ChorusHistory> {
      const { identifiantFactureCPP } = input;
      return chorus.call(input.connectionId, async (client) => {
        const history = await client.invoiceHistory(identifiantFactureCPP);
        return {
          observations: history.statuses.map((h) => ({
            identifiantFactureCPP,
            status: h.code,
            at: h.at ?? chorusMinute(h.chorusDate),
            ...(h.histoStatutId !== null ? { historyId: h.histoStatutId } : {}),
            ...(h.comment ? { comment: h.comment } : {}),
          })),
          ...(history.statutCourantCode ? { current: history.statutCourantCode } : {}),
          ...(history.numeroFacture ? { numeroFacture: history.numeroFacture } : {}),
        };
      });
    },

    async trackInvoice(input: {
      connectionId: string;
      workflowId: string;
      invoiceNumber: string;
      identifiantFactureCPP: number;
    }): Promise<void> {
      const { connectionId, workflowId, invoiceNumber, identifiantFactureCPP } = input;
      await registerWithTracker(deps, connectionId, { invoiceNumber, workflowId, identifiantFactureCPP });
    },

    /**
     * One poll of the tracker: the pages changed since `since`, matched to the invoices the
     * connection tracks (the app database's rows), and each one told what is news to it, by a signal
     * from the worker's client. Done again after a failure, it reads the same pages and tells the
     * same news (an invoice ignores a status it knows). The tracker's history holds one activity a
     * poll, however many invoices moved.
     */
    async pollAndNotify(input: {
      connectionId: string;
      since?: string;
      pageSize: number;
    }): Promise<PollResult> {
      const { connectionId, since, pageSize } = input;
      const read = await readChanges(chorus, connectionId, since, pageSize);
      const notices = await noticesFor(deps.db, connectionId, read.changes);
      const { gone } = await signalInvoices(deps.temporal(), notices);
      return {
        pages: read.pages,
        ...(read.cursor ? { cursor: read.cursor } : {}),
        changes: read.changes.length,
        notified: notices.length - gone.length,
        gone,
        tracked: await trackedCount(deps.db, connectionId),
      };
    },
  };
}

/** The `rechercher/fournisseur` pages changed since `since` (every page), and the next cursor. */
async function readChanges(
  chorus: ChorusAccess,
  connectionId: string,
  since: string | undefined,
  pageSize: number,
): Promise<{ changes: StatusChange[]; pages: number; cursor?: string }> {
  return chorus.call(connectionId, async (client, record) => {
    const idFournisseur = (await chorus.supplierOf(client, record)).idStructureCPP;
    const changes: StatusChange[] = [];
    let pages = 0;
    const criteria = {
      ...(idFournisseur ? { idFournisseur } : {}),
      ...(since ? { periodeDateHeureEtatCourantDu: since } : {}),
    };
    for await (const page of client.supplierInvoicePages(criteria, pageSize)) {
      pages += 1;
      for (const hit of page.items) {
        if (!hit.numeroFacture || !hit.statut) continue;
        changes.push({
          invoiceNumber: hit.numeroFacture,
          identifiantFactureCPP: hit.identifiantFactureCPP,
          status: hit.statut,
          at: hit.etatCourantAt ?? chorusMinute(hit.dateHeureEtatCourant),
          cursor: chorusMinute(hit.dateHeureEtatCourant),
          ...(hit.commentaireEtatCourant ? { comment: hit.commentaireEtatCourant } : {}),
        });
      }
    }
    // The cursor stays in the form Chorus is asked with (its own date text, to the minute).
    const cursor = changes.reduce<string | undefined>(
      (max, c) => (!max || c.cursor > max ? c.cursor : max),
      since,
    );
    return { changes, pages, ...(cursor ? { cursor } : {}) };
  });
}
