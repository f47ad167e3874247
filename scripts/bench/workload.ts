/**
 * What the benchmark submits: plain invoices (one line, one attachment) to ten buyers of the simulator
 * that pay after about 28 simulated days, each with the references it requires given up front, so
 * that no invoice needs a person; and the two invoices that do (a data task, a recycle).
 */

/** A buyer scenario and the references that make its invoices go through without a task. */
export interface BenchBuyer {
  scenario: string;
  serviceCode?: string;
  engagementNumber?: string;
}

/** Ten buyers on the simulator's paying path (MISE_A_DISPOSITION, SERVICE_FAIT, MANDATEE, MISE_EN_PAIEMENT). */
export const PLAIN_BUYERS: readonly BenchBuyer[] = [
  { scenario: 'buyer.no-requirement' },
  { scenario: 'buyer.requires-service', serviceCode: 'ACHATS' },
  { scenario: 'buyer.requires-engagement', engagementNumber: 'EJ-2026-000123' },
  { scenario: 'buyer.service-or-engagement', serviceCode: 'LABO-CHIMIE' },
  { scenario: 'buyer.service-requires-engagement', serviceCode: 'CULTURE' },
  { scenario: 'buyer.inactive-service', serviceCode: 'EAU-POTABLE' },
  { scenario: 'buyer.public-invoices-service', serviceCode: 'LYCEES' },
  { scenario: 'format.offset-dates' },
  { scenario: 'buyer.renumbers' },
  { scenario: 'buyer.validator-refuses' },
];

/** A buyer whose service code is left out: the workflow asks a person for it (a MISSING_DATA task). */
export const DATA_TASK_BUYER: BenchBuyer = { scenario: 'buyer.requires-service' };
/** A buyer that sends every invoice back (A_RECYCLER), then pays once it is recycled. */
export const RECYCLE_BUYER: BenchBuyer = { scenario: 'buyer.recycles' };

const PDF = Buffer.from('%PDF-1.4\n% bon de livraison\n').toString('base64');

/** The POST /v1/invoices body of one plain invoice. */
export function benchInvoice(
  connectionId: string,
  invoiceNumber: string,
  buyerSiret: string,
  buyer: BenchBuyer,
  issueDate = new Date().toISOString().slice(0, 10),
) {
  return {
    connectionId,
    invoiceNumber,
    issueDate,
    buyer: { siret: buyerSiret, ...(buyer.serviceCode ? { serviceCode: buyer.serviceCode } : {}) },
    ...(buyer.engagementNumber ? { references: { engagementNumber: buyer.engagementNumber } } : {}),
    billingFrame: 'A1',
    vatRegime: 'TVA_SUR_DEBIT',
    paymentMode: 'VIREMENT',
    lines: [
      {
        description: 'Maintenance annuelle',
        quantity: '2',
        unitPriceExclVat: '150.00',
        vatRatePercent: '20',
      },
    ],
    attachments: [{ fileName: 'bon-de-livraison.pdf', contentBase64: PDF }],
  };
}

export type BenchInvoiceBody = ReturnType<typeof benchInvoice>;

/**
 * Production's durations (workflows/contracts) divided by the simulated clock's speed, so that the
 * service polls as often per simulated day as it would per real day; floors keep a busy machine able
 * to follow (said in the report).
 */
export function scaledPace(clockSpeed: number): Record<string, string> {
  const scaled = (seconds: number, floorMs: number) =>
    `${Math.max(floorMs, Math.round((seconds * 1000) / clockSpeed))}ms`;
  return {
    TRACKER_FASTEST: scaled(60, 500),
    TRACKER_SLOWEST: scaled(6 * 3600, 1000),
    INVOICE_TRACKING_FALLBACK_AFTER: scaled(30 * 86_400, 1000),
    INVOICE_PAYMENT_HORIZON: scaled(120 * 86_400, 60_000),
    INVOICE_CHORUS_RETRY_MAX_INTERVAL: scaled(300, 20_000),
  };
}

/** Production's own durations (the defaults), for the parts measured on the real-time clock. */
export const PRODUCTION_PACE: Record<string, string> = {};
