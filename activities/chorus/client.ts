import type { ChorusEndpoints, ChorusEnvironment } from '../../platform/config';
import { createLogger, type Logger } from '../../platform/logger';
import type { ChorusCallQuota } from './call-quota';
import { chorusInstant } from './dates';
import { PisteGateway, type AnswerObserver, type ChorusCredentials } from './gateway';
import type { ServerDateObserver } from './server-date';
import type * as m from './models';
import { OPERATIONS } from './operations';
import { collectPages, walkPages, type ChorusPage } from './paging';
import { PisteTokenCache } from './token-cache';
import { attachmentTypeCode, HISTORY_PAGING, type AttachmentTypeFact } from './uncertain-facts';

export type { ChorusCredentials } from './gateway';

export interface ChorusClientOptions {
  endpoints: ChorusEndpoints;
  /** Named in error messages (which PISTE environment to fix); guessed from the token URL when absent. */
  environment?: ChorusEnvironment;
  credentials: ChorusCredentials;
  /** Applies to every single HTTP call, the token request included. */
  timeoutMs: number;
  /** Defaults to one cache shared by the whole process, so tokens outlive a client. */
  tokenCache?: PisteTokenCache;
  logger?: Logger;
  /** Sees every JSON answer as parsed, before it is read (sandbox-check compares real answers). */
  onAnswer?: AnswerObserver;
  /** Sees the time each API answer's `Date` header tells: Chorus's clock, not ours. */
  onServerDate?: ServerDateObserver;
  /** The PISTE application's call quota, shared by every worker; absent: calls are not paced. */
  callQuota?: ChorusCallQuota;
}

/** Page size the page helpers ask for; Chorus answers 10 per page when asked nothing. */
export const DEFAULT_PAGE_SIZE = 100;

/** Tokens are per PISTE client, not per connection object: one cache for the process. */
export const sharedPisteTokenCache = new PisteTokenCache();

/**
 * Chorus Pro through PISTE, one typed method per operation. Every failure is a typed
 * `ChorusError` (errors.ts); nothing is retried here except one resend after a token refresh.
 */
export class ChorusClient {
  private readonly gateway: PisteGateway;
  private readonly environmentKey: string;

  constructor(options: ChorusClientOptions) {
    this.environmentKey = options.endpoints.apiBaseUrl;
    this.gateway = new PisteGateway({
      endpoints: options.endpoints,
      environment: options.environment,
      credentials: options.credentials,
      timeoutMs: options.timeoutMs,
      tokenCache: options.tokenCache ?? sharedPisteTokenCache,
      logger: options.logger ?? createLogger({ name: 'chorus-client' }),
      onAnswer: options.onAnswer,
      onServerDate: options.onServerDate,
      callQuota: options.callQuota,
    });
  }

  /** PISTE OAuth alone: resolves once a token is issued, throws the typed error otherwise. */
  obtainAccessToken(): Promise<void> {
    return this.gateway.ensureAccessToken();
  }

  // Transverses

  healthCheck(): Promise<m.HealthCheckResponse> {
    return this.gateway.send(OPERATIONS.healthCheck, undefined);
  }

  uploadFile(request: m.UploadFileRequest): Promise<m.UploadFileResponse> {
    return this.gateway.send(OPERATIONS.uploadFile, request);
  }

  /** Structures the technical account may invoice as supplier; gives `idFournisseur`. */
  activeSupplierStructures(): Promise<m.ActiveSupplierStructuresResponse> {
    return this.gateway.send(OPERATIONS.activeSupplierStructures, {});
  }

  billingFrames(request: m.BillingFramesRequest): Promise<m.BillingFramesResponse> {
    return this.gateway.send(OPERATIONS.billingFrames, request);
  }

  vatExemptionReasons(request: m.VatExemptionReasonsRequest): Promise<m.VatExemptionReasonsResponse> {
    return this.gateway.send(OPERATIONS.vatExemptionReasons, request);
  }

  paymentModes(): Promise<m.PaymentModesResponse> {
    return this.gateway.send(OPERATIONS.paymentModes, {});
  }

  /** Attachment type codes and labels for `pieceJointeComplementaireType` (`typeObjet` FACTURE for invoices). */
  recupererTypesPieceJointe(request: m.AttachmentTypesRequest): Promise<m.AttachmentTypesResponse> {
    return this.gateway.send(OPERATIONS.attachmentTypes, request);
  }

  /** The supplier's valid bank accounts: an id goes in `fournisseur.codeCoordonneesBancairesFournisseur`. */
  recupererCoordonneesBancairesValides(
    request: m.ValidBankAccountsRequest,
  ): Promise<m.ValidBankAccountsResponse> {
    return this.gateway.send(OPERATIONS.validBankAccounts, request);
  }

  // Structures

  searchStructures(request: m.SearchStructuresRequest): Promise<m.SearchStructuresResponse> {
    return this.gateway.send(OPERATIONS.searchStructures, request);
  }

  consultStructure(request: m.ConsultStructureRequest): Promise<m.ConsultStructureResponse> {
    return this.gateway.send(OPERATIONS.consultStructure, request);
  }

  searchServices(request: m.SearchServicesRequest): Promise<m.SearchServicesResponse> {
    return this.gateway.send(OPERATIONS.searchServices, request);
  }

  consultService(request: m.ConsultServiceRequest): Promise<m.ConsultServiceResponse> {
    return this.gateway.send(OPERATIONS.consultService, request);
  }

  /** Every service of a structure, page by page. */
  servicePages(
    idStructure: number,
    pageSize = DEFAULT_PAGE_SIZE,
  ): AsyncGenerator<ChorusPage<m.StructureService>> {
    return walkPages(async (page) => {
      const answer = await this.searchServices({
        idStructure,
        parametresRechercherServicesStructure: { nbResultatsParPage: pageSize, pageResultatDemandee: page },
      });
      return { items: answer.listeServices, parametresRetour: answer.parametresRetour };
    });
  }

  allServices(idStructure: number, pageSize = DEFAULT_PAGE_SIZE): Promise<m.StructureService[]> {
    return collectPages(this.servicePages(idStructure, pageSize));
  }

  // Utilisateurs

  myAttachments(request: m.MyAttachmentsRequest = {}): Promise<m.MyAttachmentsResponse> {
    return this.gateway.send(OPERATIONS.myAttachments, request);
  }

  // Engagements

  searchEngagements(request: m.SearchEngagementsRequest): Promise<m.SearchEngagementsResponse> {
    return this.gateway.send(OPERATIONS.searchEngagements, request);
  }

  // Factures

  /**
   * Not idempotent. After a `ChorusUnavailable` with `outcomeUnknown`, look the invoice up by
   * number (searchSupplierInvoices) before sending it again.
   */
  async submitInvoice(request: m.SubmitInvoiceRequest): Promise<m.SubmitInvoiceResponse> {
    return this.gateway.send(OPERATIONS.submitInvoice, {
      ...request,
      ...(request.pieceJointeComplementaire?.length
        ? { pieceJointeComplementaire: await this.withTypeCodes(request.pieceJointeComplementaire) }
        : {}),
    });
  }

  /**
   * Chorus wants type codes; people and our invoice model use labels ("Doc. Annexe" → its code). The
   * codes are those this environment lists (`recuperer/typespj`, read once a day); the table of
   * uncertain facts serves when the list cannot be read.
   */
  private async withTypeCodes(
    attachments: m.SupplementaryAttachmentRequest[],
  ): Promise<m.SupplementaryAttachmentRequest[]> {
    const listed = await attachmentTypeLists.get(this.environmentKey, async () => {
      const answer = await this.recupererTypesPieceJointe({ codeLangue: 'FR', typeObjet: 'FACTURE' });
      return answer.listeTypePieceJointe.map((t) => ({
        code: t.codeTypePieceJointe,
        label: t.libelleTypePieceJointe ?? t.codeTypePieceJointe,
      }));
    });
    return attachments.map((a) => ({
      ...a,
      pieceJointeComplementaireType: attachmentTypeCode(a.pieceJointeComplementaireType, listed),
    }));
  }

  searchSupplierInvoices(
    request: m.SearchSupplierInvoicesRequest,
  ): Promise<m.SearchSupplierInvoicesResponse> {
    return this.gateway.send(OPERATIONS.searchSupplierInvoices, request);
  }

  /** The supplier's invoices matching `criteria`, page by page: a poller handles each page as it comes. */
  supplierInvoicePages(
    criteria: m.SupplierInvoiceCriteria,
    pageSize = DEFAULT_PAGE_SIZE,
  ): AsyncGenerator<ChorusPage<m.SupplierInvoiceSummary>> {
    return walkPages(async (page) => {
      const answer = await this.searchSupplierInvoices({
        ...criteria,
        rechercheFactureParFournisseur: { nbResultatsParPage: pageSize, pageResultatDemandee: page },
      });
      return { items: answer.listeFactures, parametresRetour: answer.parametresRetour };
    });
  }

  allSupplierInvoices(
    criteria: m.SupplierInvoiceCriteria,
    pageSize = DEFAULT_PAGE_SIZE,
  ): Promise<m.SupplierInvoiceSummary[]> {
    return collectPages(this.supplierInvoicePages(criteria, pageSize));
  }

  consultSupplierInvoice(
    request: m.ConsultSupplierInvoiceRequest,
  ): Promise<m.ConsultSupplierInvoiceResponse> {
    return this.gateway.send(OPERATIONS.consultSupplierInvoice, request);
  }

  /** One page of `consulter/historique`, as Chorus answers it. */
  invoiceHistoryPage(request: m.InvoiceHistoryRequest): Promise<m.InvoiceHistoryResponse> {
    return this.gateway.send(OPERATIONS.invoiceHistory, request);
  }

  /**
   * Every status of an invoice: all pages of `consulter/historique` (10 per page, newest first on
   * the platform), oldest first by `histoStatutId`, dates as ISO 8601 keeping their offset.
   */
  async invoiceHistory(idFacture: number): Promise<m.InvoiceStatusHistory> {
    let head: m.InvoiceHistoryResponse | undefined;
    const entries = await collectPages(
      walkPages(async (page) => {
        const answer = await this.invoiceHistoryPage({
          idFacture,
          paramRechercheHistoStatuts: { pageResultatDemandeeListeHistoStatut: page },
        });
        head ??= answer;
        const statuses = answer.historiquesDesStatuts;
        return {
          items: statuses?.histoStatut ?? [],
          parametresRetour: {
            pages: statuses?.pagesHistoStatut,
            pageCourante: statuses?.pageCouranteHistoStatut,
            total: statuses?.totalHistoStatut,
          },
        };
      }),
    );
    // A status that moves between two page reads would otherwise be seen twice.
    const byId = new Map(entries.map((e) => [e.histoStatutId ?? Symbol('no id'), e]));
    const unique = [...byId.values()];
    // By id, which grows with time; without ids, the platform's page order read backwards.
    const ordered = unique.every((e) => e.histoStatutId != null)
      ? unique.sort((a, b) => a.histoStatutId! - b.histoStatutId!)
      : HISTORY_PAGING.value.order === 'newest-first'
        ? unique.reverse()
        : unique;
    const statuses = ordered.map((entry): m.InvoiceStatusEntry => ({
      histoStatutId: entry.histoStatutId ?? null,
      code: entry.histoStatutCode,
      at: chorusInstant(entry.histoStatutDatePassage) ?? null,
      chorusDate: entry.histoStatutDatePassage ?? null,
      ...(entry.histoStatutCommentaire ? { comment: entry.histoStatutCommentaire } : {}),
    }));
    return {
      idFacture: head?.idFacture ?? idFacture,
      ...(head?.numeroFacture ? { numeroFacture: head.numeroFacture } : {}),
      ...(head?.statutCourantCode ? { statutCourantCode: head.statutCourantCode } : {}),
      statuses,
    };
  }

  /** Not idempotent: after an unknown outcome, check the history before sending again. */
  recycleInvoice(request: m.RecycleInvoiceRequest): Promise<m.RecycleInvoiceResponse> {
    return this.gateway.send(OPERATIONS.recycleInvoice, request);
  }

  /** Not idempotent: after an unknown outcome, check the history before sending again. */
  async completeInvoice(request: m.CompleteInvoiceRequest): Promise<m.CompleteInvoiceResponse> {
    return this.gateway.send(OPERATIONS.completeInvoice, {
      ...request,
      ...(request.pieceJointeComplementaire?.length
        ? { pieceJointeComplementaire: await this.withTypeCodes(request.pieceJointeComplementaire) }
        : {}),
    });
  }
}

/**
 * Attachment types per Chorus environment, for a day; undefined when the list could not be read (the
 * table of uncertain facts serves, and the list is asked again next time).
 */
const attachmentTypeLists = new (class {
  private readonly entries = new Map<string, { at: number; list: AttachmentTypeFact[] }>();
  async get(
    key: string,
    read: () => Promise<AttachmentTypeFact[]>,
  ): Promise<AttachmentTypeFact[] | undefined> {
    const cached = this.entries.get(key);
    if (cached && Date.now() - cached.at < ATTACHMENT_TYPES_TTL_MS) return cached.list;
    try {
      const list = await read();
      if (list.length > 0) this.entries.set(key, { at: Date.now(), list });
      return list.length > 0 ? list : undefined;
    } catch {
      return undefined;
    }
  }
})();
const ATTACHMENT_TYPES_TTL_MS = 24 * 3600 * 1000;
