import type { z } from 'zod';
import type { ApiFamily } from './families';
import * as m from './models';

/**
 * Every Chorus operation we call, described once: where it lives, how its answer is read, and
 * whether sending it twice is harmless. The client and the error mapping read these descriptions.
 */
export interface ChorusOperation<Request, Response> {
  family: ApiFamily;
  /** Path under `/cpro/<family>/v1/`. */
  path: string;
  method: 'GET' | 'POST';
  answer: z.ZodType<Response>;
  /** False for writes: a lost answer leaves the outcome unknown. */
  idempotent: boolean;
  /**
   * True for reads, which change nothing on Chorus: sent again at once inside the call on a 5xx, a
   * lost connection or a timeout (read-retry.ts). False for every write, idempotent or not.
   */
  read: boolean;
  /** For writes: what to check before sending again after an unknown outcome. */
  reconcile?: string;
  /** For searches: the list member, empty when Chorus answers 200 + codeRetour 20000. */
  searchList?: string;
  /** False when the answer carries no `codeRetour` (health-check). */
  envelope: boolean;
  /** Never set: carries the request type for the compiler. */
  readonly requestType?: Request;
}

/** `<family>/<path>`, the name used in logs, errors and the simulator's counters. */
export function operationName(operation: ChorusOperation<unknown, unknown>): string {
  return `${operation.family}/${operation.path}`;
}

function post<Request, Response>(
  family: ApiFamily,
  path: string,
  answer: z.ZodType<Response>,
  traits: Partial<
    Pick<ChorusOperation<Request, Response>, 'idempotent' | 'read' | 'reconcile' | 'searchList'>
  > = {},
): ChorusOperation<Request, Response> {
  return { family, path, method: 'POST', answer, idempotent: true, read: true, envelope: true, ...traits };
}

const lookUpBeforeResending =
  'Look the invoice up with rechercher/fournisseur by its numeroFacture (searchSupplierInvoices)';

export const OPERATIONS = {
  healthCheck: {
    family: 'transverses',
    path: 'health-check',
    method: 'GET',
    answer: m.HealthCheckResponse,
    idempotent: true,
    read: true,
    envelope: false,
  } satisfies ChorusOperation<undefined, m.HealthCheckResponse>,
  // Re-uploading after a lost answer only leaves an unused file behind: safe to resend, but a write.
  uploadFile: post<m.UploadFileRequest, m.UploadFileResponse>(
    'transverses',
    'ajouter/fichier',
    m.UploadFileResponse,
    { read: false },
  ),
  activeSupplierStructures: post<m.ActiveSupplierStructuresRequest, m.ActiveSupplierStructuresResponse>(
    'transverses',
    'recuperer/structures/actives/fournisseur',
    m.ActiveSupplierStructuresResponse,
    { searchList: 'listeStructures' },
  ),
  billingFrames: post<m.BillingFramesRequest, m.BillingFramesResponse>(
    'transverses',
    'recuperer/cadrefacturation',
    m.BillingFramesResponse,
  ),
  vatExemptionReasons: post<m.VatExemptionReasonsRequest, m.VatExemptionReasonsResponse>(
    'transverses',
    'recuperer/motifs/exonerationtva',
    m.VatExemptionReasonsResponse,
  ),
  paymentModes: post<m.PaymentModesRequest, m.PaymentModesResponse>(
    'transverses',
    'recuperer/modereglements',
    m.PaymentModesResponse,
  ),
  attachmentTypes: post<m.AttachmentTypesRequest, m.AttachmentTypesResponse>(
    'transverses',
    'recuperer/typespj',
    m.AttachmentTypesResponse,
    { searchList: 'listeTypePieceJointe' },
  ),
  validBankAccounts: post<m.ValidBankAccountsRequest, m.ValidBankAccountsResponse>(
    'transverses',
    'recuperer/coordbanc/valides',
    m.ValidBankAccountsResponse,
    { searchList: 'listeCoordonneeBancaire' },
  ),
  searchStructures: post<m.SearchStructuresRequest, m.SearchStructuresResponse>(
    'structures',
    'rechercher',
    m.SearchStructuresResponse,
    { searchList: 'listeStructures' },
  ),
  consultStructure: post<m.ConsultStructureRequest, m.ConsultStructureResponse>(
    'structures',
    'consulter',
    m.ConsultStructureResponse,
  ),
  searchServices: post<m.SearchServicesRequest, m.SearchServicesResponse>(
    'structures',
    'rechercher/services',
    m.SearchServicesResponse,
    { searchList: 'listeServices' },
  ),
  consultService: post<m.ConsultServiceRequest, m.ConsultServiceResponse>(
    'structures',
    'consulter/service',
    m.ConsultServiceResponse,
  ),
  myAttachments: post<m.MyAttachmentsRequest, m.MyAttachmentsResponse>(
    'utilisateurs',
    'monCompte/recuperer/rattachements',
    m.MyAttachmentsResponse,
    { searchList: 'listeStructureRattachement' },
  ),
  searchEngagements: post<m.SearchEngagementsRequest, m.SearchEngagementsResponse>(
    'engagementsJuridiques',
    'rechercher',
    m.SearchEngagementsResponse,
    { searchList: 'listeEngagementJuridique' },
  ),
  submitInvoice: post<m.SubmitInvoiceRequest, m.SubmitInvoiceResponse>(
    'factures',
    'soumettre',
    m.SubmitInvoiceResponse,
    { idempotent: false, read: false, reconcile: lookUpBeforeResending },
  ),
  searchSupplierInvoices: post<m.SearchSupplierInvoicesRequest, m.SearchSupplierInvoicesResponse>(
    'factures',
    'rechercher/fournisseur',
    m.SearchSupplierInvoicesResponse,
    { searchList: 'listeFactures' },
  ),
  consultSupplierInvoice: post<m.ConsultSupplierInvoiceRequest, m.ConsultSupplierInvoiceResponse>(
    'factures',
    'consulter/fournisseur',
    m.ConsultSupplierInvoiceResponse,
  ),
  invoiceHistory: post<m.InvoiceHistoryRequest, m.InvoiceHistoryResponse>(
    'factures',
    'consulter/historique',
    m.InvoiceHistoryResponse,
  ),
  recycleInvoice: post<m.RecycleInvoiceRequest, m.RecycleInvoiceResponse>(
    'factures',
    'recycler',
    m.RecycleInvoiceResponse,
    {
      idempotent: false,
      read: false,
      reconcile:
        'Check the invoice history (invoiceHistory): if it went back to DEPOSEE the recycling was applied',
    },
  ),
  completeInvoice: post<m.CompleteInvoiceRequest, m.CompleteInvoiceResponse>(
    'factures',
    'completer',
    m.CompleteInvoiceResponse,
    {
      idempotent: false,
      read: false,
      reconcile:
        'Check the invoice history (invoiceHistory): if it shows COMPLETEE the completion was applied',
    },
  ),
} as const;
