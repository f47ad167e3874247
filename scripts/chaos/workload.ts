import { SAMPLE_PDF } from '../answers';

/** A buyer of the simulator's data set, as `GET /__admin/dataset` lists it. */
export interface DatasetBuyer {
  scenario: string;
  siret: string;
  statut: 'ACTIVE' | 'INACTIVE';
  engagements: Array<{ numeroEngagementJuridique: string }>;
}

export interface DatasetCredentials {
  scenario: string;
  supplierSiret: string;
  piste: { clientId: string; clientSecret: string };
  technicalAccount: { login: string; password: string };
}

export interface Dataset {
  structures: DatasetBuyer[];
  credentials: DatasetCredentials[];
}

/** Buyers whose invoices are never deposited: `soumettre` always fails, only a person ends them. */
const NEVER_DEPOSITED = ['buyer.unavailable-on-submit'];

/**
 * Every buyer scenario whose invoice ends by itself once a person answers its tasks: all active buyers
 * but those never deposited. An inactive buyer structure leaves nothing a person could pick (the
 * invoice waits for a cancel).
 */
export function buyersThatEndByThemselves(dataset: Dataset): DatasetBuyer[] {
  return dataset.structures.filter(
    (s) => s.scenario.startsWith('buyer.') && s.statut === 'ACTIVE' && !NEVER_DEPOSITED.includes(s.scenario),
  );
}

/** One invoice for `buyer`, numbered within the run; content varies with the index (amounts, lines). */
export function invoiceFor(buyer: DatasetBuyer, connectionId: string, invoiceNumber: string, index: number) {
  return {
    connectionId,
    invoiceNumber,
    issueDate: new Date().toISOString().slice(0, 10),
    buyer: { siret: buyer.siret },
    billingFrame: 'A1',
    vatRegime: 'TVA_SUR_DEBIT',
    paymentMode: 'VIREMENT',
    // Some invoices go through the approval task as well.
    requireApproval: buyer.scenario === 'buyer.no-requirement' && index % 2 === 0,
    lines: [
      {
        description: 'Maintenance annuelle',
        quantity: String(1 + (index % 3)),
        unitPriceExclVat: `${100 + (index % 50)}.00`,
        vatRatePercent: '20',
      },
      {
        description: 'Pièces détachées',
        quantity: '3',
        unitPriceExclVat: { cents: 1290 },
        vatRatePercent: '20',
      },
    ],
    attachments: [{ fileName: 'bon-de-livraison.pdf', contentBase64: SAMPLE_PDF }],
  };
}

/** Mulberry32: a small seeded generator, so a run's schedule and choices repeat with its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const between = (random: () => number, low: number, high: number) => low + random() * (high - low);
