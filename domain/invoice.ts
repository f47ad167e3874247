import { z } from 'zod';
import { isValidSiret } from './siret';
import {
  BILLING_FRAMES,
  VAT_REGIMES,
  PAYMENT_MODES,
  INVOICE_TYPES,
  DEFAULT_ATTACHMENT_TYPE,
  ALLOWED_ATTACHMENT_EXTENSIONS,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENT_NAME,
  attachmentExtension,
} from './invoice-constants';

export * from './invoice-constants';

/**
 * The caller-facing invoice, in English: the single source of truth for the REST body, the
 * workflow input and the OpenAPI document. docs/invoice-model.md maps each field to Chorus.
 */

/** Chorus invoice number: ≤ 20 characters, letters, digits and `- _ / +`. */
export const InvoiceNumber = z
  .string()
  .min(1, 'required')
  .max(20, 'at most 20 characters (Chorus Pro limit)')
  .regex(/^[A-Za-z0-9\-_/+]+$/, 'only letters, digits and - _ / + are allowed by Chorus Pro');

/** The contract shows the Luhn rule as `format: siret` (JSON Schema cannot compute a checksum). */
export const Siret = z
  .string()
  .regex(/^\d{14}$/, 'a SIRET is 14 digits')
  .refine(isValidSiret, 'not a valid SIRET (checksum fails)')
  .meta({
    format: 'siret',
    description:
      'A SIRET: 14 digits (SIREN 9 + NIC 5) whose Luhn checksum is valid (the digits, every second one from the right doubled, sum to a multiple of 10).',
    examples: ['11000000000015'],
  });

/**
 * Decimal strings, as the contract shows them: the patterns ARE the validation (no trimming, no
 * exponent, at most 13 digits before the point and 6 after — Chorus Pro's decimal(19,6)).
 */
const FRACTION = String.raw`(?:\.\d{1,6})?`;
const WHOLE = String.raw`(?:0|[1-9]\d{0,12})`;
/** At least one non-zero digit among at most 6 decimals. */
const NON_ZERO_FRACTION = String.raw`\.(?:[1-9]\d{0,5}|0[1-9]\d{0,4}|00[1-9]\d{0,3}|000[1-9]\d{0,2}|0000[1-9]\d?|00000[1-9])`;
export const DECIMAL_PATTERNS = {
  signed: new RegExp(`^-?${WHOLE}${FRACTION}$`),
  nonNegative: new RegExp(`^${WHOLE}${FRACTION}$`),
  positive: new RegExp(String.raw`^(?:[1-9]\d{0,12}${FRACTION}|0${NON_ZERO_FRACTION})$`),
  percent: new RegExp(String.raw`^(?:100(?:\.0{1,6})?|[1-9]?\d${FRACTION})$`),
} as const;
type DecimalKind = keyof typeof DECIMAL_PATTERNS;

const DECIMAL_MESSAGES: Record<DecimalKind, string> = {
  signed: 'a decimal string with at most 6 decimals, e.g. "1250.50"',
  nonNegative: 'a decimal string, not negative, with at most 6 decimals, e.g. "1250.50"',
  positive: 'a decimal string greater than 0 with at most 6 decimals, e.g. "2" or "0.5"',
  percent: 'a percentage between 0 and 100 as a decimal string, e.g. "20" or "5.5"',
};

/** A decimal as a JSON string (never a JSON number: floats lose digits on the way). */
export function decimalText(kind: DecimalKind) {
  return z
    .string({ error: DECIMAL_MESSAGES[kind] })
    .regex(DECIMAL_PATTERNS[kind], DECIMAL_MESSAGES[kind])
    .meta({ examples: [kind === 'percent' ? '20' : kind === 'positive' ? '2' : '150.00'] });
}

/** Chorus Pro amounts have 13 digits before the point: at most 999 999 999 999 999 cents. */
const MAX_CENTS = 999_999_999_999_999;

/** Money in: a decimal string ("1250.50") or integer cents ({ "cents": 125050 }); never a float. */
export function moneyInput(kind: 'signed' | 'nonNegative' = 'signed') {
  return z.union(
    [
      decimalText(kind),
      z
        .object({
          cents: z
            .number({ error: 'cents as a whole number' })
            .int('cents must be a whole number')
            .min(
              kind === 'signed' ? -MAX_CENTS : 0,
              kind === 'signed' ? 'cents out of range' : 'must not be negative',
            )
            .max(MAX_CENTS, 'cents out of range'),
        })
        .strict(),
    ],
    {
      error:
        'an amount as a decimal string ("1250.50") or integer cents ({ "cents": 125050 }); never a JSON float',
    },
  );
}
export const MoneyInput = moneyInput();
export type MoneyInput = z.infer<typeof MoneyInput>;

/**
 * DEL, C1 controls, the marks and overrides that change text direction, and U+FFFD (what the API
 * makes of a U+0000 on arrival: a file name never holds either).
 */
const DISGUISING_CHARACTERS = /[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffd]/;

/** Any letter case of an extension, spelled for JSON Schema (whose patterns have no flags). */
const anyCase = (ext: string) =>
  [...ext].map((c) => (/[A-Z]/.test(c) ? `[${c}${c.toLowerCase()}]` : c)).join('');
/**
 * The file-name rules below as one pattern, for the contract: dot-separated non-empty parts (no
 * folders, no `..`, no control or direction characters) and an accepted extension.
 */
const NAME_PART = String.raw`[^\\/.\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffd]+`;
export const FILE_NAME_PATTERN = new RegExp(
  `^${NAME_PART}(?:\\.${NAME_PART})*\\.(?:${ALLOWED_ATTACHMENT_EXTENSIONS.map(anyCase).join('|')})$`,
);

/** Standard base64 of at least one byte, padded. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)$/;
const MAX_BASE64_LENGTH = Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4;

export const AttachmentInput = z
  .object({
    fileName: z
      .string()
      .min(1, 'required')
      .max(
        MAX_ATTACHMENT_NAME,
        `at most ${MAX_ATTACHMENT_NAME} characters including the extension (Chorus Pro limit)`,
      )
      // Each rule has its own message; the pattern that follows says the same to the contract.
      .refine((n) => !/[\\/]|\.\./.test(n), { message: 'a plain file name, without folders', abort: true })
      .refine(
        // Control characters and direction overrides (which disguise an extension) are refused.
        (n) => ![...n].some((c) => c.charCodeAt(0) < 0x20 || DISGUISING_CHARACTERS.test(c)),
        { message: 'no control characters (U+0000 included) or text-direction characters', abort: true },
      )
      .refine(
        (n) => (ALLOWED_ATTACHMENT_EXTENSIONS as readonly string[]).includes(attachmentExtension(n) ?? ''),
        { message: `the extension must be one of ${ALLOWED_ATTACHMENT_EXTENSIONS.join(', ')}`, abort: true },
      )
      .regex(FILE_NAME_PATTERN, 'a file name such as "facture.pdf"'),
    /** Base64 of the file; or `uploadRef`, the hash returned by a previous upload. */
    contentBase64: z
      .string()
      .max(MAX_BASE64_LENGTH, 'larger than 10 MB (Chorus Pro limit)')
      .regex(BASE64, 'not valid base64 of a non-empty file')
      .optional(),
    uploadRef: z
      .string()
      .regex(/^sha256:[0-9a-f]{64}$/, 'an upload reference looks like sha256:<64 hex digits>')
      .optional(),
    type: z
      .string()
      .min(1)
      .max(30, 'at most 30 characters (Chorus Pro limit)')
      .default(DEFAULT_ATTACHMENT_TYPE),
    /** The main attachment is the invoice PDF itself (DEPOT_PDF_API); at most one. */
    main: z.boolean().default(false),
  })
  .strict()
  .refine((a) => (a.contentBase64 === undefined) !== (a.uploadRef === undefined), {
    message: 'give exactly one of contentBase64 or uploadRef',
    path: ['contentBase64'],
  })
  .meta({ oneOf: [{ required: ['contentBase64'] }, { required: ['uploadRef'] }] });

export const InvoiceLineInput = z
  .object({
    description: z.string().min(1, 'required').max(512),
    quantity: decimalText('positive'),
    unit: z.string().min(1).max(50).default('unité'),
    unitPriceExclVat: moneyInput('nonNegative'),
    vatRatePercent: decimalText('percent'),
    discountExclVat: moneyInput('nonNegative').optional(),
    reference: z.string().max(100).optional(),
  })
  .strict();

export const TotalsInput = z
  .object({
    totalExclVat: MoneyInput,
    totalVat: MoneyInput,
    totalInclVat: MoneyInput,
    amountDue: MoneyInput.optional(),
  })
  .strict();

/** The invoice's fields (what a response shows of an invoice); InvoiceInput adds the cross-field rules. */
export const InvoiceFields = z
  .object({
    connectionId: z
      .string()
      .min(1, 'required')
      .max(64)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash and underscore'),
    invoiceNumber: InvoiceNumber,
    type: z.enum(INVOICE_TYPES).default('INVOICE'),
    originalInvoiceNumber: InvoiceNumber.optional(),
    issueDate: z.iso.date('a date as YYYY-MM-DD'),
    draft: z
      .boolean()
      .default(false)
      .refine((draft) => !draft, 'a draft cannot be sent to Chorus Pro; send it when final')
      .meta({ const: false, description: 'Only final invoices are sent: `true` is refused.' }),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR')
      .default('EUR'),
    buyer: z
      .object({
        siret: Siret,
        serviceCode: z.string().min(1).max(100, 'at most 100 characters (Chorus Pro limit)').optional(),
      })
      .strict(),
    references: z
      .object({
        engagementNumber: z.string().min(1).max(50, 'at most 50 characters (Chorus Pro limit)').optional(),
        /**
         * The engagement number is right even though Chorus's engagement search does not know it
         * (local authorities' purchase orders mostly are not in it): only read when the connection
         * checks engagements.
         */
        engagementConfirmed: z.boolean().optional(),
        contractNumber: z.string().min(1).max(50).optional(),
      })
      .strict()
      .default({}),
    billingFrame: z.enum(BILLING_FRAMES).optional(),
    /**
     * The structure that validates the invoice before the buyer sees it: the main contractor for a
     * subcontractor's invoice (A9), the lead for a co-contractor's (A12).
     */
    validator: z
      .object({
        siret: Siret,
        serviceCode: z.string().min(1).max(100, 'at most 100 characters (Chorus Pro limit)').optional(),
      })
      .strict()
      .optional(),
    vatRegime: z.enum(VAT_REGIMES).optional(),
    vatExemptionReason: z.string().min(1).max(100).optional(),
    paymentMode: z.enum(PAYMENT_MODES).optional(),
    /**
     * For VIREMENT: the supplier's bank account in Chorus Pro (`idCoordonneeBancaire` of
     * `transverses/recuperer/coordbanc/valides`). Optional: with one valid account it is chosen, with
     * several a person is asked to choose.
     */
    bankAccountId: z.number().int().positive().optional().meta({
      description: "For VIREMENT: the supplier's Chorus Pro bank account id (idCoordonneeBancaire).",
    }),
    contact: z
      .object({
        name: z.string().min(1).max(100).optional(),
        // The pattern is the rule (no `format: email`, which validators read each their own way).
        email: z.string().max(254).regex(z.regexes.email, 'an e-mail address').optional(),
        phone: z.string().max(30).optional(),
      })
      .strict()
      .optional(),
    publicComment: z.string().max(2000, 'at most 2000 characters (Chorus Pro limit)').optional(),
    lines: z.array(InvoiceLineInput).min(1, 'an invoice needs at least one line').max(1000),
    totals: TotalsInput.optional(),
    attachments: z
      .array(AttachmentInput)
      .max(50)
      .default([])
      // At most one main attachment, for the contract (the refinement below says it to the caller).
      .meta({
        contains: { required: ['main'], properties: { main: { const: true } } },
        minContains: 0,
        maxContains: 1,
      }),
    requireApproval: z.boolean().default(false),
    webhookUrl: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).optional(),
  })
  .strict();

export const InvoiceInput = InvoiceFields.superRefine((invoice, ctx) => {
  if (invoice.draft) {
    ctx.addIssue({
      code: 'custom',
      path: ['draft'],
      message: 'a draft cannot be sent to Chorus Pro; send it when final',
    });
  }
  if (invoice.type === 'CREDIT_NOTE' && !invoice.originalInvoiceNumber) {
    ctx.addIssue({
      code: 'custom',
      path: ['originalInvoiceNumber'],
      message: 'a credit note must name the invoice it credits',
    });
  }
  if (invoice.attachments.filter((a) => a.main).length > 1) {
    ctx.addIssue({ code: 'custom', path: ['attachments'], message: 'at most one main attachment' });
  }
}).meta({
  // The credit-note rule above, for the contract.
  if: { required: ['type'], properties: { type: { const: 'CREDIT_NOTE' } } },
  then: { required: ['originalInvoiceNumber'] },
});

export type InvoiceInput = z.input<typeof InvoiceInput>;
export type Invoice = z.output<typeof InvoiceInput>;
export type InvoiceLine = z.output<typeof InvoiceLineInput>;
export type Attachment = z.output<typeof AttachmentInput>;
