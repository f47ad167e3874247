import {
  ALLOWED_ATTACHMENT_EXTENSIONS,
  attachmentExtension,
  BILLING_FRAMES,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENT_NAME,
  MAX_INVOICE_ATTACHMENTS_BYTES,
  moneyToMicros,
  PAYMENT_MODES,
  VALIDATED_BILLING_FRAMES,
  VAT_REGIMES,
} from '../invoice-constants';
import type { Invoice } from '../invoice';
import { computeTotals } from '../totals';
import { formatDecimal } from '../money';
import { isValidSiret } from '../siret';
import { joinLocalized, t, type Localized } from '../messages';
import { routingItems } from './routing';
import {
  item,
  plain,
  type AllowedValue,
  type AttachmentFacts,
  type BankAccount,
  type BuyerFacts,
  type ReadinessItem,
  type ReferenceLists,
  type SupplierFacts,
} from './types';

export * from './types';
export { ENGAGEMENT_CONFIRMATION } from './routing';

/**
 * The readiness checklist: everything Chorus Pro will check, evaluated before sending. It is data —
 * the API returns it, the inbox renders it, and each failing item a person can fix names the
 * `field` to fill and, where Chorus has a list, its `allowedValues`.
 */

export function readinessChecklist(input: {
  invoice: Invoice;
  supplier: SupplierFacts;
  buyer: BuyerFacts;
  attachments: AttachmentFacts[];
  lists?: ReferenceLists;
  /** The supplier's valid bank accounts, when read (VIREMENT invoices). */
  bankAccounts?: BankAccount[];
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
  if (invoice.billingFrame && VALIDATED_BILLING_FRAMES.includes(invoice.billingFrame)) {
    items.push(
      invoice.validator
        ? item(
            'validator',
            true,
            t('readiness.validator.ok', { frame: invoice.billingFrame, siret: invoice.validator.siret }),
          )
        : item('validator', false, t('readiness.validator.missing', { frame: invoice.billingFrame }), {
            field: 'validator.siret',
          }),
    );
  }
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

  if (invoice.paymentMode === 'VIREMENT' && input.bankAccounts)
    items.push(bankDetailsItem(invoice.bankAccountId, input.bankAccounts));

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

export function isReady(items: ReadinessItem[]): boolean {
  return items.every((i) => i.ok);
}

/**
 * VIREMENT: the supplier's bank account Chorus Pro will show the buyer. A given one must be valid;
 * the only valid one is chosen; between several a person chooses; with none listed the invoice goes
 * without (Chorus Pro refuses it only for suppliers that must name one, and that refusal asks again).
 */
function bankDetailsItem(chosen: number | undefined, accounts: BankAccount[]): ReadinessItem {
  const allowedValues = bankAccountChoices(accounts);
  if (chosen !== undefined) {
    const account = accounts.find((a) => a.id === chosen);
    return account
      ? item('bank-details', true, t('readiness.bankDetails.ok', { account: account.label, id: chosen }))
      : item('bank-details', false, t('readiness.bankDetails.unknown', { id: chosen }), {
          field: 'bankAccountId',
          allowedValues,
        });
  }
  if (accounts.length === 1)
    return item(
      'bank-details',
      true,
      t('readiness.bankDetails.single', { account: accounts[0].label, id: accounts[0].id }),
    );
  if (accounts.length > 1)
    return item('bank-details', false, t('readiness.bankDetails.choose', { count: accounts.length }), {
      field: 'bankAccountId',
      allowedValues,
    });
  return item('bank-details', true, t('readiness.bankDetails.none'));
}

/** The bank account `soumettre` names: the one chosen, else the supplier's only valid one. */
export function bankAccountToSend(
  chosen: number | undefined,
  accounts: BankAccount[] | undefined,
): number | undefined {
  if (chosen !== undefined) return chosen;
  return accounts?.length === 1 ? accounts[0].id : undefined;
}

/** The accounts as a person chooses between them. */
export function bankAccountChoices(accounts: BankAccount[]): AllowedValue[] {
  return accounts.map((a) => ({ value: String(a.id), label: `${a.label} (${a.id})` }));
}
