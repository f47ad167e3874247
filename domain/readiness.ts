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
  /** The same message in French, for the back-office. */
  messageFr?: string;
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

/** A message in English (the API's language) and in French (the back-office's). */
export interface Message {
  en: string;
  fr: string;
}
const m = (en: string, fr: string): Message => ({ en, fr });

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
      ? item(
          'supplier-known',
          true,
          m(
            `Supplier ${supplier.siret} is a Chorus Pro structure this connection may invoice for.`,
            `Le fournisseur ${supplier.siret} est une structure Chorus Pro pour laquelle cette connexion peut facturer.`,
          ),
        )
      : item(
          'supplier-known',
          false,
          m(
            `The connection's technical account is not attached to supplier ${supplier.siret}: attach it in Chorus Pro ("Raccordements" → "Compte technique").`,
            `Le compte technique de la connexion n’est pas rattaché au fournisseur ${supplier.siret} : rattachez-le dans Chorus Pro (« Raccordements » → « Compte technique »).`,
          ),
        ),
  );
  items.push(
    invoice.draft
      ? item(
          'not-draft',
          false,
          m(
            'The invoice is a draft; only final invoices can be sent.',
            'La facture est un brouillon : seules les factures définitives peuvent être envoyées.',
          ),
          {
            field: 'draft',
          },
        )
      : item('not-draft', true, m('The invoice is final.', 'La facture est définitive.')),
  );
  items.push(
    invoice.lines.length > 0
      ? item('has-lines', true, m(`${invoice.lines.length} line(s).`, `${invoice.lines.length} ligne(s).`))
      : item(
          'has-lines',
          false,
          m('An invoice needs at least one line.', 'Une facture doit avoir au moins une ligne.'),
          { field: 'lines' },
        ),
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
        ? item(
            'totals-consistent',
            true,
            m('The given totals match the lines.', 'Les totaux donnés correspondent aux lignes.'),
          )
        : item(
            'totals-consistent',
            false,
            m(
              `The given totals do not match the lines: ${mismatches.join('; ')}.`,
              `Les totaux donnés ne correspondent pas aux lignes : ${mismatches.join(' ; ')}.`,
            ),
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
        m(
          `Totals computed from the lines: ${formatDecimal(totals.inclVat)} incl. VAT.`,
          `Totaux calculés à partir des lignes : ${formatDecimal(totals.inclVat)} TTC.`,
        ),
      ),
    );
  }

  if (invoice.type === 'CREDIT_NOTE') {
    items.push(
      invoice.originalInvoiceNumber
        ? item(
            'credit-note-origin',
            true,
            m(
              `Credits invoice ${invoice.originalInvoiceNumber}.`,
              `Avoir sur la facture ${invoice.originalInvoiceNumber}.`,
            ),
          )
        : item(
            'credit-note-origin',
            false,
            m(
              'A credit note must name the invoice it credits.',
              'Un avoir doit indiquer la facture qu’il annule.',
            ),
            {
              field: 'originalInvoiceNumber',
            },
          ),
    );
  }

  const siretValid = isValidSiret(invoice.buyer.siret);
  items.push(
    siretValid
      ? item(
          'buyer-siret-valid',
          true,
          m(
            `Buyer SIRET ${invoice.buyer.siret} is well formed.`,
            `Le SIRET acheteur ${invoice.buyer.siret} est valide.`,
          ),
        )
      : item(
          'buyer-siret-valid',
          false,
          m(
            `Buyer SIRET ${invoice.buyer.siret} is not a valid SIRET.`,
            `Le SIRET acheteur ${invoice.buyer.siret} n’est pas un SIRET valide.`,
          ),
          {
            field: 'buyer.siret',
          },
        ),
  );

  if (!structure) {
    items.push(
      item(
        'buyer-structure-active',
        false,
        m(
          `No Chorus Pro structure has SIRET ${invoice.buyer.siret}: check the buyer's SIRET.`,
          `Aucune structure Chorus Pro n’a le SIRET ${invoice.buyer.siret} : vérifiez le SIRET de l’acheteur.`,
        ),
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
        m(
          `${structure.designation} (${invoice.buyer.siret}) is inactive in Chorus Pro and cannot receive invoices: check the buyer's SIRET with the buyer.`,
          `${structure.designation} (${invoice.buyer.siret}) est inactive dans Chorus Pro et ne peut pas recevoir de factures : vérifiez le SIRET auprès de l’acheteur.`,
        ),
        { field: 'buyer.siret' },
      ),
    );
  } else {
    items.push(
      item(
        'buyer-structure-active',
        true,
        m(
          `${structure.designation} is an active Chorus Pro structure.`,
          `${structure.designation} est une structure active de Chorus Pro.`,
        ),
      ),
    );
  }

  if (structure?.active) {
    items.push(...routingItems(invoice, supplier, buyer, structure));
  }

  items.push(
    invoice.billingFrame
      ? item(
          'billing-frame',
          true,
          m(`Billing frame ${invoice.billingFrame}.`, `Cadre de facturation ${invoice.billingFrame}.`),
        )
      : item(
          'billing-frame',
          false,
          m(
            'Chorus Pro needs the billing frame (A1 for an ordinary supplier invoice).',
            'Chorus Pro demande le cadre de facturation (A1 pour une facture fournisseur ordinaire).',
          ),
          {
            field: 'billingFrame',
            allowedValues: lists.billingFrames ?? plain(BILLING_FRAMES),
          },
        ),
  );
  items.push(
    invoice.vatRegime
      ? item('vat-regime', true, m(`VAT regime ${invoice.vatRegime}.`, `Régime de TVA ${invoice.vatRegime}.`))
      : item(
          'vat-regime',
          false,
          m(
            'Chorus Pro needs the VAT regime (on debits, on receipts, exempt, or no VAT).',
            'Chorus Pro demande le régime de TVA (sur les débits, sur les encaissements, exonéré ou sans TVA).',
          ),
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
        ? item(
            'vat-exemption-reason',
            true,
            m(
              `VAT exemption reason ${invoice.vatExemptionReason}.`,
              `Motif d’exonération de TVA ${invoice.vatExemptionReason}.`,
            ),
          )
        : item(
            'vat-exemption-reason',
            false,
            invoice.vatExemptionReason
              ? m(
                  `"${invoice.vatExemptionReason}" is not a Chorus Pro VAT exemption reason.`,
                  `« ${invoice.vatExemptionReason} » n’est pas un motif d’exonération de TVA de Chorus Pro.`,
                )
              : m(
                  'An exempt invoice must give the VAT exemption reason.',
                  'Une facture exonérée doit donner le motif d’exonération de TVA.',
                ),
            { field: 'vatExemptionReason', allowedValues: reasons },
          ),
    );
  }
  items.push(
    invoice.paymentMode
      ? item(
          'payment-mode',
          true,
          m(`Payment mode ${invoice.paymentMode}.`, `Mode de paiement ${invoice.paymentMode}.`),
        )
      : item(
          'payment-mode',
          false,
          m('Chorus Pro needs the payment mode.', 'Chorus Pro demande le mode de paiement.'),
          {
            field: 'paymentMode',
            allowedValues: lists.paymentModes ?? plain(PAYMENT_MODES),
          },
        ),
  );

  const attachmentProblems = attachments.flatMap((a) => {
    const problems: Message[] = [];
    if (a.fileName.length > MAX_ATTACHMENT_NAME)
      problems.push(
        m(
          `${a.fileName}: name longer than ${MAX_ATTACHMENT_NAME} characters`,
          `${a.fileName} : nom de plus de ${MAX_ATTACHMENT_NAME} caractères`,
        ),
      );
    const ext = attachmentExtension(a.fileName);
    if (!ext || !(ALLOWED_ATTACHMENT_EXTENSIONS as readonly string[]).includes(ext)) {
      problems.push(
        m(
          `${a.fileName}: extension not accepted by Chorus Pro`,
          `${a.fileName} : extension refusée par Chorus Pro`,
        ),
      );
    }
    if (a.sizeBytes > MAX_ATTACHMENT_BYTES)
      problems.push(m(`${a.fileName}: larger than 10 MB`, `${a.fileName} : plus de 10 Mo`));
    if (a.sizeBytes === 0) problems.push(m(`${a.fileName}: empty file`, `${a.fileName} : fichier vide`));
    return problems;
  });
  items.push(
    attachmentProblems.length === 0
      ? item(
          'attachments',
          true,
          attachments.length === 0
            ? m('No attachment.', 'Aucune pièce jointe.')
            : m(
                `${attachments.length} attachment(s) within Chorus Pro limits.`,
                `${attachments.length} pièce(s) jointe(s) dans les limites de Chorus Pro.`,
              ),
        )
      : item(
          'attachments',
          false,
          m(attachmentProblems.map((p) => p.en).join('; '), attachmentProblems.map((p) => p.fr).join(' ; ')),
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
          m(
            `${structure.designation} has no service "${serviceCode}".`,
            `${structure.designation} n’a pas de service « ${serviceCode} ».`,
          ),
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
          m(
            `Service "${serviceCode}" of ${structure.designation} is inactive: choose an active service.`,
            `Le service « ${serviceCode} » de ${structure.designation} est inactif : choisissez un service actif.`,
          ),
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
          m(
            `${PUBLIC_INVOICES_SERVICE} is reserved to invoices between public bodies: choose the buyer's service.`,
            `${PUBLIC_INVOICES_SERVICE} est réservé aux factures entre entités publiques : choisissez le service de l’acheteur.`,
          ),
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
          m(`Service ${chosen.code} (${chosen.label}).`, `Service ${chosen.code} (${chosen.label}).`),
        ),
      );
    }
  } else if (serviceNeeded) {
    items.push(
      item(
        'service-code',
        false,
        structure.serviceCodeRequired
          ? m(
              `${structure.designation} requires a service code on every invoice.`,
              `${structure.designation} exige un code service sur chaque facture.`,
            )
          : m(
              `${structure.designation} requires a service code or an engagement number.`,
              `${structure.designation} exige un code service ou un numéro d’engagement.`,
            ),
        { field: 'buyer.serviceCode', allowedValues: allowedServices },
      ),
    );
  } else {
    items.push(
      item(
        'service-code',
        true,
        m('No service code required by this buyer.', 'Cet acheteur n’exige pas de code service.'),
      ),
    );
  }

  const serviceNeedsEngagement = chosen?.engagementRequired === true;
  const engagementNeeded =
    structure.engagementRequired ||
    serviceNeedsEngagement ||
    (structure.serviceOrEngagementRequired && !eitherSatisfied);
  if (engagement) {
    items.push(
      item(
        'engagement-number',
        true,
        m(`Engagement number ${engagement}.`, `Numéro d’engagement ${engagement}.`),
      ),
    );
    if (buyer.engagementFound !== undefined) {
      items.push(
        buyer.engagementFound
          ? item(
              'engagement-exists',
              true,
              m(
                `Engagement ${engagement} exists in Chorus Pro.`,
                `L’engagement ${engagement} existe dans Chorus Pro.`,
              ),
            )
          : item(
              'engagement-exists',
              false,
              m(
                `Chorus Pro knows no open engagement "${engagement}" for this supplier: check the purchase order.`,
                `Chorus Pro ne connaît pas d’engagement ouvert « ${engagement} » pour ce fournisseur : vérifiez le bon de commande.`,
              ),
              {
                field: 'references.engagementNumber',
              },
            ),
      );
    }
  } else if (engagementNeeded) {
    const why = structure.engagementRequired
      ? m(
          `${structure.designation} requires an engagement number (purchase order) on every invoice.`,
          `${structure.designation} exige un numéro d’engagement (bon de commande) sur chaque facture.`,
        )
      : serviceNeedsEngagement
        ? m(
            `Service ${chosen?.code} of ${structure.designation} requires an engagement number (purchase order).`,
            `Le service ${chosen?.code} de ${structure.designation} exige un numéro d’engagement (bon de commande).`,
          )
        : m(
            `${structure.designation} requires a service code or an engagement number.`,
            `${structure.designation} exige un code service ou un numéro d’engagement.`,
          );
    items.push(item('engagement-number', false, why, { field: 'references.engagementNumber' }));
  } else {
    items.push(
      item(
        'engagement-number',
        true,
        m('No engagement number required.', 'Aucun numéro d’engagement exigé.'),
      ),
    );
  }
  return items;
}

export function isReady(items: ReadinessItem[]): boolean {
  return items.every((i) => i.ok);
}
