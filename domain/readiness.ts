import {
  ALLOWED_ATTACHMENT_EXTENSIONS,
  attachmentExtension,
  BILLING_FRAMES,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENT_NAME,
  MAX_INVOICE_ATTACHMENTS_BYTES,
  moneyToMicros,
  PAYMENT_MODES,
  VAT_REGIMES,
  type Invoice,
} from './invoice';
import { computeTotals } from './totals';
import { formatDecimal } from './money';
import { isValidSiret } from './siret';
import { joinLocalized, t, type Localized } from './messages';

/**
 * The readiness checklist: everything Chorus Pro will check, evaluated before sending.
 * It is data — the API returns it, the inbox renders it, and each failing item that a person can
 * fix names the `field` to fill and, where Chorus has a list, its `allowedValues`.
 */
export interface ReadinessItem {
  id: ReadinessCheckId;
  ok: boolean;
  message: string;
  /** The same message in French, for the back-office. */
  messageFr?: string;
  /** Dotted path in the invoice a person can fill to fix this item. */
  field?: string;
  allowedValues?: AllowedValue[];
  /**
   * Items sharing a group name are alternatives: filling any one of their fields satisfies them all
   * (e.g. a buyer that accepts a service code or an engagement number).
   */
  oneOf?: string;
  /** A field a person may answer `true` to confirm the value as it is (an overridable warning). */
  confirmField?: string;
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
  /** Result of the engagement lookup, when the connection checks engagements; undefined when not checked. */
  engagementFound?: boolean;
  /** The engagement's state in Chorus when found (`COMMANDE` is open; `CLOTURE`… are not). */
  engagementState?: string;
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

/** The group of a buyer's "service code or engagement number" alternative. */
export const ROUTING_ALTERNATIVES = 'service-or-engagement';

/** A message in English (the API's language) and in French (the back-office's). */
export type Message = Localized;

const item = (
  id: ReadinessCheckId,
  ok: boolean,
  message: Message,
  extra: Partial<ReadinessItem> = {},
): ReadinessItem => ({
  id,
  ok,
  message: message.en,
  messageFr: message.fr,
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
      ? item('supplier-known', true, t('readiness.supplierKnown.ok', { siret: supplier.siret }))
      : item('supplier-known', false, t('readiness.supplierKnown.failed', { siret: supplier.siret })),
  );
  items.push(
    invoice.draft
      ? item('not-draft', false, t('readiness.notDraft.failed'), {
          field: 'draft',
        })
      : item('not-draft', true, t('readiness.notDraft.ok')),
  );
  items.push(
    invoice.lines.length > 0
      ? item('has-lines', true, t('readiness.hasLines.ok', { count: invoice.lines.length }))
      : item('has-lines', false, t('readiness.hasLines.failed'), { field: 'lines' }),
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
        t('readiness.totals.mismatch.exclVat', {
          given: formatDecimal(given.exclVat),
          computed: formatDecimal(totals.exclVat),
        }),
      given.vat !== totals.vat &&
        t('readiness.totals.mismatch.vat', {
          given: formatDecimal(given.vat),
          computed: formatDecimal(totals.vat),
        }),
      given.inclVat !== totals.inclVat &&
        t('readiness.totals.mismatch.inclVat', {
          given: formatDecimal(given.inclVat),
          computed: formatDecimal(totals.inclVat),
        }),
    ].filter((x): x is Localized => typeof x === 'object');
    items.push(
      mismatches.length === 0
        ? item('totals-consistent', true, t('readiness.totals.given'))
        : item(
            'totals-consistent',
            false,
            t('readiness.totals.mismatch', {
              mismatches: joinLocalized(mismatches, { en: '; ', fr: ' ; ' }),
            }),
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
        t('readiness.totals.computed', { inclVat: formatDecimal(totals.inclVat) }),
      ),
    );
  }

  if (invoice.type === 'CREDIT_NOTE') {
    items.push(
      invoice.originalInvoiceNumber
        ? item(
            'credit-note-origin',
            true,
            t('readiness.creditNoteOrigin.ok', { number: invoice.originalInvoiceNumber }),
          )
        : item('credit-note-origin', false, t('readiness.creditNoteOrigin.failed'), {
            field: 'originalInvoiceNumber',
          }),
    );
  }

  const siretValid = isValidSiret(invoice.buyer.siret);
  items.push(
    siretValid
      ? item('buyer-siret-valid', true, t('readiness.buyerSiret.ok', { siret: invoice.buyer.siret }))
      : item('buyer-siret-valid', false, t('readiness.buyerSiret.failed', { siret: invoice.buyer.siret }), {
          field: 'buyer.siret',
        }),
  );

  if (!structure) {
    items.push(
      item(
        'buyer-structure-active',
        false,
        t('readiness.buyerStructure.unknown', { siret: invoice.buyer.siret }),
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
        t('readiness.buyerStructure.inactive', { buyer: structure.designation, siret: invoice.buyer.siret }),
        { field: 'buyer.siret' },
      ),
    );
  } else {
    items.push(
      item(
        'buyer-structure-active',
        true,
        t('readiness.buyerStructure.ok', { buyer: structure.designation }),
      ),
    );
  }

  if (structure?.active) {
    items.push(...routingItems(invoice, supplier, buyer, structure));
  }

  items.push(
    invoice.billingFrame
      ? item('billing-frame', true, t('readiness.billingFrame.ok', { frame: invoice.billingFrame }))
      : item('billing-frame', false, t('readiness.billingFrame.failed'), {
          field: 'billingFrame',
          allowedValues: lists.billingFrames ?? plain(BILLING_FRAMES),
        }),
  );
  items.push(
    invoice.vatRegime
      ? item('vat-regime', true, t('readiness.vatRegime.ok', { regime: invoice.vatRegime }))
      : item('vat-regime', false, t('readiness.vatRegime.failed'), {
          field: 'vatRegime',
          allowedValues: plain(VAT_REGIMES),
        }),
  );
  if (invoice.vatRegime === 'EXONERATION') {
    const reasons = lists.vatExemptionReasons;
    const known =
      !reasons || !invoice.vatExemptionReason || reasons.some((r) => r.value === invoice.vatExemptionReason);
    items.push(
      invoice.vatExemptionReason && known
        ? item(
            'vat-exemption-reason',
            true,
            t('readiness.vatExemptionReason.ok', { reason: invoice.vatExemptionReason }),
          )
        : item(
            'vat-exemption-reason',
            false,
            invoice.vatExemptionReason
              ? t('readiness.vatExemptionReason.unknown', { reason: invoice.vatExemptionReason })
              : t('readiness.vatExemptionReason.missing'),
            { field: 'vatExemptionReason', allowedValues: reasons },
          ),
    );
  }
  items.push(
    invoice.paymentMode
      ? item('payment-mode', true, t('readiness.paymentMode.ok', { mode: invoice.paymentMode }))
      : item('payment-mode', false, t('readiness.paymentMode.failed'), {
          field: 'paymentMode',
          allowedValues: lists.paymentModes ?? plain(PAYMENT_MODES),
        }),
  );

  const attachmentProblems = attachments.flatMap((a) => {
    const problems: Localized[] = [];
    if (a.fileName.length > MAX_ATTACHMENT_NAME)
      problems.push(t('readiness.attachments.nameTooLong', { file: a.fileName, max: MAX_ATTACHMENT_NAME }));
    const ext = attachmentExtension(a.fileName);
    if (!ext || !(ALLOWED_ATTACHMENT_EXTENSIONS as readonly string[]).includes(ext))
      problems.push(t('readiness.attachments.extension', { file: a.fileName }));
    if (a.sizeBytes > MAX_ATTACHMENT_BYTES)
      problems.push(t('readiness.attachments.tooLarge', { file: a.fileName }));
    if (a.sizeBytes === 0) problems.push(t('readiness.attachments.empty', { file: a.fileName }));
    return problems;
  });
  const totalBytes = attachments.reduce((sum, a) => sum + a.sizeBytes, 0);
  if (totalBytes > MAX_INVOICE_ATTACHMENTS_BYTES)
    attachmentProblems.push(
      t('readiness.attachments.totalTooLarge', {
        total: (totalBytes / 1024 / 1024).toFixed(1),
        max: MAX_INVOICE_ATTACHMENTS_BYTES / 1024 / 1024,
      }),
    );
  items.push(
    attachmentProblems.length === 0
      ? item(
          'attachments',
          true,
          attachments.length === 0
            ? t('readiness.attachments.none')
            : t('readiness.attachments.ok', { count: attachments.length }),
        )
      : item(
          'attachments',
          false,
          t('readiness.attachments.failed', {
            problems: joinLocalized(attachmentProblems, { en: '; ', fr: ' ; ' }),
          }),
          { field: 'attachments' },
        ),
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
        item(
          'service-code',
          false,
          t('readiness.serviceCode.unknown', { buyer: structure.designation, service: serviceCode }),
          {
            field: 'buyer.serviceCode',
            allowedValues: allowedServices,
          },
        ),
      );
    } else if (!chosen.active) {
      items.push(
        item(
          'service-code',
          false,
          t('readiness.serviceCode.inactive', { buyer: structure.designation, service: serviceCode }),
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
          t('readiness.serviceCode.publicInvoices', { service: PUBLIC_INVOICES_SERVICE }),
          {
            field: 'buyer.serviceCode',
            allowedValues: allowedServices,
          },
        ),
      );
    } else {
      items.push(
        item(
          'service-code',
          true,
          t('readiness.serviceCode.ok', { service: chosen.code, label: chosen.label }),
        ),
      );
    }
  } else if (serviceNeeded) {
    items.push(
      item(
        'service-code',
        false,
        structure.serviceCodeRequired
          ? t('readiness.serviceCode.required', { buyer: structure.designation })
          : t('readiness.serviceOrEngagement.required', { buyer: structure.designation }),
        {
          field: 'buyer.serviceCode',
          allowedValues: allowedServices,
          ...(structure.serviceCodeRequired ? {} : { oneOf: ROUTING_ALTERNATIVES }),
        },
      ),
    );
  } else {
    items.push(item('service-code', true, t('readiness.serviceCode.notRequired')));
  }

  const serviceNeedsEngagement = chosen?.engagementRequired === true;
  const engagementNeeded =
    structure.engagementRequired ||
    serviceNeedsEngagement ||
    (structure.serviceOrEngagementRequired && !eitherSatisfied);
  if (engagement) {
    items.push(item('engagement-number', true, t('readiness.engagement.ok', { engagement })));
    const checked = engagementCheckItem(engagement, invoice.references.engagementConfirmed === true, buyer);
    if (checked) items.push(checked);
  } else if (engagementNeeded) {
    const why = structure.engagementRequired
      ? t('readiness.engagement.required', { buyer: structure.designation })
      : serviceNeedsEngagement
        ? t('readiness.engagement.requiredByService', {
            buyer: structure.designation,
            service: chosen?.code ?? '',
          })
        : t('readiness.serviceOrEngagement.required', { buyer: structure.designation });
    const alternative = !structure.engagementRequired && !serviceNeedsEngagement;
    items.push(
      item('engagement-number', false, why, {
        field: 'references.engagementNumber',
        ...(alternative ? { oneOf: ROUTING_ALTERNATIVES } : {}),
      }),
    );
  } else {
    items.push(item('engagement-number', true, t('readiness.engagement.notRequired')));
  }
  return items;
}

/** Engagement states Chorus invoices can be sent against. */
const OPEN_ENGAGEMENT_STATES = ['COMMANDE'];

/** The group of "correct the engagement number, or confirm it as it is". */
export const ENGAGEMENT_CONFIRMATION = 'engagement-number-or-confirmation';

/**
 * What Chorus's engagement search said, when the connection checks engagements: a closed
 * engagement must be changed; an unknown one is a warning a person can confirm (local authorities'
 * purchase orders are mostly not in the search), never a dead end.
 */
function engagementCheckItem(
  engagement: string,
  confirmed: boolean,
  buyer: BuyerFacts,
): ReadinessItem | undefined {
  if (buyer.engagementFound === undefined) return undefined;
  if (buyer.engagementFound) {
    const state = buyer.engagementState;
    if (state && !OPEN_ENGAGEMENT_STATES.includes(state)) {
      return item('engagement-exists', false, t('readiness.engagement.closed', { engagement, state }), {
        field: 'references.engagementNumber',
      });
    }
    return item('engagement-exists', true, t('readiness.engagement.exists', { engagement }));
  }
  if (confirmed) return item('engagement-exists', true, t('readiness.engagement.confirmed', { engagement }));
  return item('engagement-exists', false, t('readiness.engagement.notFound', { engagement }), {
    field: 'references.engagementNumber',
    oneOf: ENGAGEMENT_CONFIRMATION,
    confirmField: 'references.engagementConfirmed',
  });
}

export function isReady(items: ReadinessItem[]): boolean {
  return items.every((i) => i.ok);
}
