import {
  ALLOWED_ATTACHMENT_EXTENSIONS,
  attachmentExtension,
  BILLING_FRAMES,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENT_NAME,
  moneyToMicros,
  PAYMENT_MODES,
  VAT_REGIMES,
  type Invoice,
} from './invoice';
import { computeTotals } from './totals';
import { formatDecimal } from './money';
import { isValidSiret } from './siret';

/**
 * The readiness checklist: everything Chorus Pro will check, evaluated before sending.
 * It is data — the API returns it, the inbox renders it, and each failing item that a person can
 * fix names the `field` to fill and, where Chorus has a list, its `allowedValues`.
 */
export interface ReadinessItem {
  id: ReadinessCheckId;
  ok: boolean;
  message: string;
  /** Dotted path in the invoice a person can fill to fix this item. */
  field?: string;
  allowedValues?: AllowedValue[];
}

export interface AllowedValue {
  value: string;
  label: string;
}

export type ReadinessCheckId =
  | 'supplier-known'
  | 'not-draft'
  | 'has-lines'
  | 'totals-consistent'
  | 'credit-note-origin'
  | 'buyer-siret-valid'
  | 'buyer-structure-active'
  | 'service-code'
  | 'engagement-number'
  | 'engagement-exists'
  | 'billing-frame'
  | 'vat-regime'
  | 'vat-exemption-reason'
  | 'payment-mode'
  | 'attachments';

/** What Chorus says about the buyer, fetched by activities just before the check. */
export interface BuyerFacts {
  /** null when `structures/rechercher` finds no structure for the SIRET. */
  structure: null | {
    idStructureCPP: number;
    designation: string;
    active: boolean;
    serviceCodeRequired: boolean;
    engagementRequired: boolean;
    serviceOrEngagementRequired: boolean;
    paymentNotReported: boolean;
  };
  services: Array<{
    idService: number;
    code: string;
    label: string;
    active: boolean;
    engagementRequired: boolean;
  }>;
  /** Result of the optional engagement lookup; undefined when not checked. */
  engagementFound?: boolean;
}

export interface SupplierFacts {
  /** The supplier's idStructureCPP when the connection's technical account may invoice for it. */
  idStructureCPP: number | null;
  siret: string;
  isPublic: boolean;
}

export interface AttachmentFacts {
  fileName: string;
  sizeBytes: number;
}

export interface ReferenceLists {
  billingFrames?: AllowedValue[];
  vatExemptionReasons?: AllowedValue[];
  paymentModes?: AllowedValue[];
}

export const PUBLIC_INVOICES_SERVICE = 'FACTURES_PUBLIQUES';

const item = (
  id: ReadinessCheckId,
  ok: boolean,
  message: string,
  extra: Partial<ReadinessItem> = {},
): ReadinessItem => ({
  id,
  ok,
  message,
  ...extra,
});

const plain = (values: readonly string[]): AllowedValue[] => values.map((value) => ({ value, label: value }));

export function readinessChecklist(input: {
  invoice: Invoice;
  supplier: SupplierFacts;
  buyer: BuyerFacts;
  attachments: AttachmentFacts[];
  lists?: ReferenceLists;
}): ReadinessItem[] {
  const { invoice, supplier, buyer, attachments, lists = {} } = input;
  const items: ReadinessItem[] = [];
  const structure = buyer.structure;

  items.push(
    supplier.idStructureCPP !== null
      ? item(
          'supplier-known',
          true,
          `Supplier ${supplier.siret} is a Chorus Pro structure this connection may invoice for.`,
        )
      : item(
          'supplier-known',
          false,
          `The connection's technical account is not attached to supplier ${supplier.siret}: attach it in Chorus Pro ("Raccordements" → "Compte technique").`,
        ),
  );
  items.push(
    invoice.draft
      ? item('not-draft', false, 'The invoice is a draft; only final invoices can be sent.', {
          field: 'draft',
        })
      : item('not-draft', true, 'The invoice is final.'),
  );
  items.push(
    invoice.lines.length > 0
      ? item('has-lines', true, `${invoice.lines.length} line(s).`)
      : item('has-lines', false, 'An invoice needs at least one line.', { field: 'lines' }),
  );

  const totals = computeTotals(invoice.lines);
  if (invoice.totals) {
    const given = {
      exclVat: moneyToMicros(invoice.totals.totalExclVat),
      vat: moneyToMicros(invoice.totals.totalVat),
      inclVat: moneyToMicros(invoice.totals.totalInclVat),
    };
    const mismatches = [
      given.exclVat !== totals.exclVat &&
        `total excl. VAT ${formatDecimal(given.exclVat)} ≠ ${formatDecimal(totals.exclVat)}`,
      given.vat !== totals.vat && `VAT ${formatDecimal(given.vat)} ≠ ${formatDecimal(totals.vat)}`,
      given.inclVat !== totals.inclVat &&
        `total incl. VAT ${formatDecimal(given.inclVat)} ≠ ${formatDecimal(totals.inclVat)}`,
    ].filter((m): m is string => typeof m === 'string');
    items.push(
      mismatches.length === 0
        ? item('totals-consistent', true, 'The given totals match the lines.')
        : item(
            'totals-consistent',
            false,
            `The given totals do not match the lines: ${mismatches.join('; ')}.`,
            {
              field: 'totals',
            },
          ),
    );
  } else {
    items.push(
      item(
        'totals-consistent',
        true,
        `Totals computed from the lines: ${formatDecimal(totals.inclVat)} incl. VAT.`,
      ),
    );
  }

  if (invoice.type === 'CREDIT_NOTE') {
    items.push(
      invoice.originalInvoiceNumber
        ? item('credit-note-origin', true, `Credits invoice ${invoice.originalInvoiceNumber}.`)
        : item('credit-note-origin', false, 'A credit note must name the invoice it credits.', {
            field: 'originalInvoiceNumber',
          }),
    );
  }

  const siretValid = isValidSiret(invoice.buyer.siret);
  items.push(
    siretValid
      ? item('buyer-siret-valid', true, `Buyer SIRET ${invoice.buyer.siret} is well formed.`)
      : item('buyer-siret-valid', false, `Buyer SIRET ${invoice.buyer.siret} is not a valid SIRET.`, {
          field: 'buyer.siret',
        }),
  );

  if (!structure) {
    items.push(
      item(
        'buyer-structure-active',
        false,
        `No Chorus Pro structure has SIRET ${invoice.buyer.siret}: check the buyer's SIRET.`,
        {
          field: 'buyer.siret',
        },
      ),
    );
  } else if (!structure.active) {
    items.push(
      item(
        'buyer-structure-active',
        false,
        `${structure.designation} (${invoice.buyer.siret}) is inactive in Chorus Pro and cannot receive invoices: check the buyer's SIRET with the buyer.`,
        { field: 'buyer.siret' },
      ),
    );
  } else {
    items.push(
      item('buyer-structure-active', true, `${structure.designation} is an active Chorus Pro structure.`),
    );
  }

  if (structure?.active) {
    items.push(...routingItems(invoice, supplier, buyer, structure));
  }

  items.push(
    invoice.billingFrame
      ? item('billing-frame', true, `Billing frame ${invoice.billingFrame}.`)
      : item(
          'billing-frame',
          false,
          'Chorus Pro needs the billing frame (A1 for an ordinary supplier invoice).',
          {
            field: 'billingFrame',
            allowedValues: lists.billingFrames ?? plain(BILLING_FRAMES),
          },
        ),
  );
  items.push(
    invoice.vatRegime
      ? item('vat-regime', true, `VAT regime ${invoice.vatRegime}.`)
      : item(
          'vat-regime',
          false,
          'Chorus Pro needs the VAT regime (on debits, on receipts, exempt, or no VAT).',
          {
            field: 'vatRegime',
            allowedValues: plain(VAT_REGIMES),
          },
        ),
  );
  if (invoice.vatRegime === 'EXONERATION') {
    const reasons = lists.vatExemptionReasons;
    const known =
      !reasons || !invoice.vatExemptionReason || reasons.some((r) => r.value === invoice.vatExemptionReason);
    items.push(
      invoice.vatExemptionReason && known
        ? item('vat-exemption-reason', true, `VAT exemption reason ${invoice.vatExemptionReason}.`)
        : item(
            'vat-exemption-reason',
            false,
            invoice.vatExemptionReason
              ? `"${invoice.vatExemptionReason}" is not a Chorus Pro VAT exemption reason.`
              : 'An exempt invoice must give the VAT exemption reason.',
            { field: 'vatExemptionReason', allowedValues: reasons },
          ),
    );
  }
  items.push(
    invoice.paymentMode
      ? item('payment-mode', true, `Payment mode ${invoice.paymentMode}.`)
      : item('payment-mode', false, 'Chorus Pro needs the payment mode.', {
          field: 'paymentMode',
          allowedValues: lists.paymentModes ?? plain(PAYMENT_MODES),
        }),
  );

  const attachmentProblems = attachments.flatMap((a) => {
    const problems: string[] = [];
    if (a.fileName.length > MAX_ATTACHMENT_NAME)
      problems.push(`${a.fileName}: name longer than ${MAX_ATTACHMENT_NAME} characters`);
    const ext = attachmentExtension(a.fileName);
    if (!ext || !(ALLOWED_ATTACHMENT_EXTENSIONS as readonly string[]).includes(ext)) {
      problems.push(`${a.fileName}: extension not accepted by Chorus Pro`);
    }
    if (a.sizeBytes > MAX_ATTACHMENT_BYTES) problems.push(`${a.fileName}: larger than 10 MB`);
    if (a.sizeBytes === 0) problems.push(`${a.fileName}: empty file`);
    return problems;
  });
  items.push(
    attachmentProblems.length === 0
      ? item(
          'attachments',
          true,
          attachments.length === 0
            ? 'No attachment.'
            : `${attachments.length} attachment(s) within Chorus Pro limits.`,
        )
      : item('attachments', false, attachmentProblems.join('; '), { field: 'attachments' }),
  );

  return items;
}

function routingItems(
  invoice: Invoice,
  supplier: SupplierFacts,
  buyer: BuyerFacts,
  structure: NonNullable<BuyerFacts['structure']>,
): ReadinessItem[] {
  const items: ReadinessItem[] = [];
  const serviceCode = invoice.buyer.serviceCode;
  const engagement = invoice.references.engagementNumber;
  const offered = buyer.services.filter(
    (s) => s.active && (supplier.isPublic || s.code !== PUBLIC_INVOICES_SERVICE),
  );
  const allowedServices = offered.map((s) => ({ value: s.code, label: s.label }));
  const chosen = serviceCode ? buyer.services.find((s) => s.code === serviceCode) : undefined;

  // "Service or engagement": either one satisfies the buyer, so only ask when both are missing.
  const eitherSatisfied = structure.serviceOrEngagementRequired && (serviceCode || engagement);
  const serviceNeeded =
    structure.serviceCodeRequired || (structure.serviceOrEngagementRequired && !eitherSatisfied);

  if (serviceCode) {
    if (!chosen) {
      items.push(
        item('service-code', false, `${structure.designation} has no service "${serviceCode}".`, {
          field: 'buyer.serviceCode',
          allowedValues: allowedServices,
        }),
      );
    } else if (!chosen.active) {
      items.push(
        item(
          'service-code',
          false,
          `Service "${serviceCode}" of ${structure.designation} is inactive: choose an active service.`,
          {
            field: 'buyer.serviceCode',
            allowedValues: allowedServices,
          },
        ),
      );
    } else if (chosen.code === PUBLIC_INVOICES_SERVICE && !supplier.isPublic) {
      items.push(
        item(
          'service-code',
          false,
          `${PUBLIC_INVOICES_SERVICE} is reserved to invoices between public bodies: choose the buyer's service.`,
          {
            field: 'buyer.serviceCode',
            allowedValues: allowedServices,
          },
        ),
      );
    } else {
      items.push(item('service-code', true, `Service ${chosen.code} (${chosen.label}).`));
    }
  } else if (serviceNeeded) {
    items.push(
      item(
        'service-code',
        false,
        structure.serviceCodeRequired
          ? `${structure.designation} requires a service code on every invoice.`
          : `${structure.designation} requires a service code or an engagement number.`,
        { field: 'buyer.serviceCode', allowedValues: allowedServices },
      ),
    );
  } else {
    items.push(item('service-code', true, 'No service code required by this buyer.'));
  }

  const serviceNeedsEngagement = chosen?.engagementRequired === true;
  const engagementNeeded =
    structure.engagementRequired ||
    serviceNeedsEngagement ||
    (structure.serviceOrEngagementRequired && !eitherSatisfied);
  if (engagement) {
    items.push(item('engagement-number', true, `Engagement number ${engagement}.`));
    if (buyer.engagementFound !== undefined) {
      items.push(
        buyer.engagementFound
          ? item('engagement-exists', true, `Engagement ${engagement} exists in Chorus Pro.`)
          : item(
              'engagement-exists',
              false,
              `Chorus Pro knows no open engagement "${engagement}" for this supplier: check the purchase order.`,
              {
                field: 'references.engagementNumber',
              },
            ),
      );
    }
  } else if (engagementNeeded) {
    const why = structure.engagementRequired
      ? `${structure.designation} requires an engagement number (purchase order) on every invoice.`
      : serviceNeedsEngagement
        ? `Service ${chosen?.code} of ${structure.designation} requires an engagement number (purchase order).`
        : `${structure.designation} requires a service code or an engagement number.`;
    items.push(item('engagement-number', false, why, { field: 'references.engagementNumber' }));
  } else {
    items.push(item('engagement-number', true, 'No engagement number required.'));
  }
  return items;
}

export function isReady(items: ReadinessItem[]): boolean {
  return items.every((i) => i.ok);
}
