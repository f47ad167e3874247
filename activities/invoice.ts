import { ApplicationFailure } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { attachmentExtension } from '../domain/invoice';
import type { AllowedValue, BuyerFacts, ReferenceLists, SupplierFacts } from '../domain/readiness';
import type { ChorusEndpoints, ChorusEnvironment } from '../platform/config';
import type { ConnectionDirectory, ConnectionRecord } from '../platform/connections';
import type { Logger } from '../platform/logger';
import type { ChorusStatusObservation } from '../workflows/invoice/definitions';
import type {
  ConnectionHealth,
  FoundInvoice,
  InvoiceActivities,
  SubmitOutcome,
} from '../workflows/invoice/activity-types';
import type { PollResult, TrackerActivities } from '../workflows/tracker/activity-types';
import {
  trackerWorkflowId,
  trackInvoiceSignal,
  untrackInvoiceSignal,
  type StatusChange,
  type TrackerSchedule,
} from '../workflows/tracker/definitions';
import type { connectionTrackerWorkflow } from '../workflows/tracker/workflow';
import type { BlobStore } from '../platform/blob-store';
import type { AppDatabase } from '../platform/database';
import { ChorusClient } from './chorus/client';
import { ChorusBusinessError } from './chorus/errors';
import { toApplicationFailure } from './chorus/failure';
import { requireConnection } from './connection';

export interface InvoiceActivityDependencies {
  connections: ConnectionDirectory;
  endpoints: Record<ChorusEnvironment, ChorusEndpoints>;
  chorusTimeoutMs: number;
  blobs: BlobStore;
  /** The Temporal client the worker already has, to reach the per-connection tracker. */
  temporal: () => Client;
  taskQueue: string;
  trackerSchedule?: Partial<TrackerSchedule>;
  /** The app database: invoice rows, the webhook outbox. */
  db: AppDatabase;
  logger: Logger;
  /** How long supplier facts and Chorus reference lists are reused (they change rarely). */
  referenceCacheMs?: number;
  /** Whether a connection may be used now; the connection workflow provides the real answer. */
  connectionHealth?: (connection: ConnectionRecord) => Promise<ConnectionHealth>;
}

type TrackRequest = { invoiceNumber: string; workflowId: string; identifiantFactureCPP: number };

/** Chorus writes times as `YYYY-MM-DD HH:MM` (French time); keep that form, minute precision. */
export function chorusMinute(text: string | null | undefined): string {
  return (text ?? '').replace('T', ' ').slice(0, 16);
}

const MIME_TYPES: Record<string, string> = {
  PDF: 'application/pdf',
  XML: 'application/xml',
  PNG: 'image/png',
  JPG: 'image/jpeg',
  JPEG: 'image/jpeg',
  TXT: 'text/plain',
  CSV: 'text/csv',
  ZIP: 'application/zip',
  DOC: 'application/msword',
  DOCX: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  XLS: 'application/vnd.ms-excel',
  XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ODT: 'application/vnd.oasis.opendocument.text',
  ODS: 'application/vnd.oasis.opendocument.spreadsheet',
};

/** Duplicate-number refusals are recognised by their text: no code is documented for them. */
const DUPLICATE_NUMBER = /d[ée]j[àa] d[ée]pos[ée].*num[ée]ro de facture/i;

/** Keeps a value for `ttlMs`; concurrent callers share one load. */
class TimedCache<T> {
  private readonly entries = new Map<string, { until: number; value: Promise<T> }>();
  constructor(private readonly ttlMs: number) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.until > Date.now()) return hit.value;
    const value = load();
    this.entries.set(key, { until: Date.now() + this.ttlMs, value });
    value.catch(() => this.entries.delete(key));
    return value;
  }
}

export function createInvoiceActivities(
  deps: InvoiceActivityDependencies,
): Omit<InvoiceActivities, 'recordInvoiceState'> & TrackerActivities {
  const clients = new Map<string, { record: ConnectionRecord; client: ChorusClient }>();
  const cacheMs = deps.referenceCacheMs ?? 5 * 60_000;
  const supplierCache = new TimedCache<SupplierFacts>(cacheMs);
  const listsCache = new TimedCache<ReferenceLists>(cacheMs);

  async function connection(
    connectionId: string,
  ): Promise<{ record: ConnectionRecord; client: ChorusClient }> {
    const record = await requireConnection(deps.connections, connectionId);
    const cached = clients.get(connectionId);
    if (cached && JSON.stringify(cached.record) === JSON.stringify(record)) return cached;
    const client = new ChorusClient({
      endpoints: deps.endpoints[record.environment],
      credentials: { piste: record.piste, technicalAccount: record.technicalAccount },
      timeoutMs: deps.chorusTimeoutMs,
      logger: deps.logger,
    });
    clients.set(connectionId, { record, client });
    return { record, client };
  }

  /** Runs a Chorus call and turns its typed errors into Temporal failures (one place). */
  async function chorusCall<T>(
    connectionId: string,
    call: (c: ChorusClient, record: ConnectionRecord) => Promise<T>,
  ): Promise<T> {
    const { client, record } = await connection(connectionId);
    try {
      return await call(client, record);
    } catch (err) {
      throw toApplicationFailure(err);
    }
  }

  /** The supplier's idStructureCPP as the technical account sees it, and whether it is public. */
  function supplierOf(client: ChorusClient, record: ConnectionRecord): Promise<SupplierFacts> {
    return supplierCache.get(
      `${record.id}:${record.supplierSiret}:${record.technicalAccount.login}`,
      async () => {
        const answer = await client.activeSupplierStructures();
        const id =
          answer.listeStructures.find((s) => s.identifiant === record.supplierSiret)?.idStructureCPP ?? null;
        let isPublic = false;
        if (id !== null) {
          const structure = await client.consultStructure({ idStructureCPP: id, codeLangue: 'fr' });
          isPublic = structure.informationGenerales?.structurePriveePublique === 'PUBLIQUE';
        }
        return { idStructureCPP: id, siret: record.supplierSiret, isPublic };
      },
    );
  }

  async function supplierId(client: ChorusClient, record: ConnectionRecord): Promise<number | null> {
    return (await supplierOf(client, record)).idStructureCPP;
  }

  const activities: Omit<InvoiceActivities, 'recordInvoiceState'> & TrackerActivities = {
    async connectionHealth(connectionId) {
      const record = await deps.connections.get(connectionId);
      if (!record) return { healthy: false, reason: `No connection "${connectionId}" is configured.` };
      return deps.connectionHealth ? deps.connectionHealth(record) : { healthy: true };
    },

    async supplierFacts(connectionId): Promise<SupplierFacts> {
      return chorusCall(connectionId, (client, record) => supplierOf(client, record));
    },

    async buyerFacts({
      connectionId,
      buyerSiret,
      serviceCode,
      engagementNumber,
      idFournisseur,
    }): Promise<BuyerFacts> {
      return chorusCall(connectionId, async (client) => {
        const found = await client.searchStructures({
          structure: { identifiantStructure: buyerSiret, typeIdentifiantStructure: 'SIRET' },
          restreindreStructuresPrivees: false,
        });
        const hit = found.listeStructures.find((s) => s.identifiantStructure === buyerSiret);
        if (!hit) return { structure: null, services: [] };
        const consulted = await client.consultStructure({
          idStructureCPP: hit.idStructureCPP,
          codeLangue: 'fr',
        });
        const p = consulted.parametres ?? {};
        const services = await client.allServices(hit.idStructureCPP);
        const chosen = serviceCode ? services.find((s) => s.codeService === serviceCode) : undefined;
        const chosenNeedsEngagement = chosen
          ? Boolean(
              (
                await client.consultService({
                  idStructure: hit.idStructureCPP,
                  idService: chosen.idService,
                  codeLangue: 'fr',
                })
              ).parametres?.numeroEngagement,
            )
          : false;
        let engagementFound: boolean | undefined;
        if (engagementNumber && idFournisseur) {
          const engagements = await client.searchEngagements({
            structureReceptriceEngagementJuridique: idFournisseur,
            numeroEngagementJuridique: engagementNumber,
          });
          engagementFound = engagements.listeEngagementJuridique.some(
            (e) => e.numeroEngagementJuridique === engagementNumber,
          );
        }
        return {
          structure: {
            idStructureCPP: hit.idStructureCPP,
            designation: hit.designationStructure ?? buyerSiret,
            active: (hit.statut ?? 'ACTIVE').startsWith('ACTI'),
            serviceCodeRequired: Boolean(p.codeServiceDoitEtreRenseigne),
            engagementRequired: Boolean(p.numeroEJDoitEtreRenseigne),
            serviceOrEngagementRequired: Boolean(p.gestionNumeroEJOuCodeService),
            paymentNotReported: Boolean(p.statutMiseEnPaiementNestPasRemonte),
          },
          services: services.map((s) => ({
            idService: s.idService,
            code: s.codeService,
            label: s.libelleService ?? s.codeService,
            active: s.estActif !== false,
            engagementRequired: s.idService === chosen?.idService ? chosenNeedsEngagement : false,
          })),
          ...(engagementFound !== undefined ? { engagementFound } : {}),
        };
      });
    },

    async referenceLists(connectionId): Promise<ReferenceLists> {
      return chorusCall(connectionId, (client) =>
        listsCache.get(connectionId, async () => {
          const [frames, reasons, modes] = await Promise.all([
            client.billingFrames({ typeDemandePaiement: 'FACTURE' }),
            client.vatExemptionReasons({ codeLangue: 'FR' }),
            client.paymentModes(),
          ]);
          const billingFrames: AllowedValue[] = frames.listeCadreFacturation.map((f) => ({
            value: f.codeCadreFacturation.split('_')[0],
            label: f.codeCadreFacturation,
          }));
          return {
            billingFrames,
            vatExemptionReasons: reasons.listeMotifsExonerationTva.map((r) => ({
              value: r.codeMotifExonerationTva,
              label: r.libelleMotifExonerationTva ?? r.codeMotifExonerationTva,
            })),
            paymentModes: modes.listeModePaiement.map((m) => ({
              value: m.modePaiement,
              label: m.modePaiement,
            })),
          };
        }),
      );
    },

    async uploadAttachment({ connectionId, ref, fileName }) {
      const content = await deps.blobs.get(ref).catch((err: Error) => {
        throw ApplicationFailure.create({ type: 'BlobNotFound', message: err.message, nonRetryable: true });
      });
      const extension = attachmentExtension(fileName) ?? 'PDF';
      return chorusCall(connectionId, async (client) => {
        const answer = await client.uploadFile({
          pieceJointeFichier: content.toString('base64'),
          pieceJointeNom: fileName,
          pieceJointeTypeMime: MIME_TYPES[extension] ?? 'application/octet-stream',
          pieceJointeExtension: extension,
        });
        return { pieceJointeId: answer.pieceJointeId };
      });
    },

    async submitInvoice({ connectionId, body }): Promise<SubmitOutcome> {
      const { client } = await connection(connectionId);
      try {
        const answer = await client.submitInvoice(body);
        return {
          kind: 'accepted',
          identifiantFactureCPP: answer.identifiantFactureCPP,
          statut: answer.statutFacture ?? 'DEPOSEE',
          dateDepot: answer.dateDepot ?? '',
        };
      } catch (err) {
        if (err instanceof ChorusBusinessError) {
          const details = err.toDetails();
          const codeRetour = details.codeRetour ?? 0;
          const libelle = details.libelle ?? err.message;
          return DUPLICATE_NUMBER.test(libelle)
            ? { kind: 'duplicate-number', codeRetour, libelle }
            : { kind: 'rejected', codeRetour, libelle };
        }
        throw toApplicationFailure(err);
      }
    },

    async findSubmittedInvoice({ connectionId, invoiceNumber }): Promise<FoundInvoice | null> {
      return chorusCall(connectionId, async (client, record) => {
        const idFournisseur = await supplierId(client, record);
        const hits = await client.allSupplierInvoices({
          numeroFacture: invoiceNumber,
          ...(idFournisseur ? { idFournisseur } : {}),
        });
        const hit = hits.find((h) => h.numeroFacture === invoiceNumber);
        if (!hit) return null;
        return {
          identifiantFactureCPP: hit.identifiantFactureCPP,
          numeroFacture: invoiceNumber,
          statut: hit.statut ?? 'DEPOSEE',
          buyerSiret: hit.codeDestinataire ?? '',
          ...(hit.montantTTC ? { amountInclVat: hit.montantTTC } : {}),
          ...(hit.dateDepot ? { dateDepot: hit.dateDepot } : {}),
        };
      });
    },

    async invoiceStatusHistory({ connectionId, identifiantFactureCPP }): Promise<ChorusStatusObservation[]> {
      return chorusCall(connectionId, async (client) => {
        const history = await client.invoiceHistory({
          idFacture: identifiantFactureCPP,
          nbResultatsMaximum: 100,
        });
        return (history.historiquesDesStatuts?.histoStatut ?? []).map((h) => ({
          identifiantFactureCPP,
          status: h.histoStatutCode,
          at: chorusMinute(h.histoStatutDatePassage),
          ...(h.histoStatutCommentaire ? { comment: h.histoStatutCommentaire } : {}),
        }));
      });
    },

    async recycleInvoice({
      connectionId,
      identifiantFactureCPP,
      buyerSiret,
      serviceCode,
      engagementNumber,
      comment,
    }) {
      await chorusCall(connectionId, (client) =>
        client.recycleInvoice({
          identifiantFactureCPP,
          destinataire: {
            codeDestinataire: buyerSiret,
            ...(serviceCode ? { codeServiceExecutant: serviceCode } : {}),
          },
          ...(engagementNumber ? { reference: { numeroBonCommande: engagementNumber } } : {}),
          ...(comment ? { commentaire: comment } : {}),
        }),
      );
    },

    async completeInvoice({ connectionId, identifiantFactureCPP, attachments, comment }) {
      await chorusCall(connectionId, (client) =>
        client.completeInvoice({
          identifiantFactureCPP,
          pieceJointeComplementaire: attachments.map((a) => ({
            pieceJointeComplementaireDesignation: a.fileName,
            pieceJointeComplementaireType: a.type,
            pieceJointeComplementaireId: a.pieceJointeId,
          })),
          ...(comment ? { commentaire: comment } : {}),
        }),
      );
    },

    async trackInvoice({ connectionId, workflowId, invoiceNumber, identifiantFactureCPP }) {
      await deps
        .temporal()
        .workflow.signalWithStart<typeof connectionTrackerWorkflow, [TrackRequest]>(
          'connectionTrackerWorkflow',
          {
            workflowId: trackerWorkflowId(connectionId),
            taskQueue: deps.taskQueue,
            args: [{ connectionId, schedule: deps.trackerSchedule }],
            signal: trackInvoiceSignal,
            signalArgs: [{ invoiceNumber, workflowId, identifiantFactureCPP }],
          },
        );
    },

    async untrackInvoice({ connectionId, invoiceNumber }) {
      try {
        await deps
          .temporal()
          .workflow.getHandle(trackerWorkflowId(connectionId))
          .signal(untrackInvoiceSignal, { invoiceNumber });
      } catch (err) {
        deps.logger.info(
          { connectionId, invoiceNumber, err: (err as Error).message },
          'tracker not running; nothing to untrack',
        );
      }
    },

    async pollInvoiceChanges({ connectionId, since, pageSize }): Promise<PollResult> {
      return chorusCall(connectionId, async (client, record) => {
        const idFournisseur = await supplierId(client, record);
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
              at: chorusMinute(hit.dateHeureEtatCourant),
              ...(hit.commentaireEtatCourant ? { comment: hit.commentaireEtatCourant } : {}),
            });
          }
        }
        const cursor = changes.reduce<string | undefined>(
          (max, c) => (!max || c.at > max ? c.at : max),
          since,
        );
        return { changes, pages, ...(cursor ? { cursor } : {}) };
      });
    },
  };
  return activities;
}
