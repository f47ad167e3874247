import { z } from 'zod';
import { fromCents, isDecimalText, parseDecimal, type Micros } from './money';
import { isValidSiret } from './siret';

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

export const Siret = z
  .string()
  .regex(/^\d{14}$/, 'a SIRET is 14 digits')
  .refine(isValidSiret, 'not a valid SIRET (checksum fails)');

/** Money in: a decimal string ("1250.50") or integer cents ({ "cents": 125050 }); never a float. */
export const MoneyInput = z.union(
  [
    // `abort`: the refinements that follow (signs, ranges) parse the value, so they must not run on a bad one.
    z.string().refine(isDecimalText, {
      message: 'a decimal string with at most 6 decimals, e.g. "1250.50"',
      abort: true,
    }),
    z
      .object({
        cents: z
          .number()
          .int('cents must be a whole number')
          .refine(Number.isSafeInteger, { message: 'cents out of range', abort: true }),
      })
      .strict(),
  ],
  {
    error:
      'an amount as a decimal string ("1250.50") or integer cents ({ "cents": 125050 }); never a JSON float',
  },
);
export type MoneyInput = z.infer<typeof MoneyInput>;

export function moneyToMicros(value: MoneyInput): Micros {
  return typeof value === 'string' ? parseDecimal(value) : fromCents(value.cents);
}

/** Quantities and rates: a decimal string or a plain JSON number with at most 6 decimals. */
export const DecimalInput = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === 'number' ? String(v) : v.trim()))
  .refine(isDecimalText, { message: 'a decimal number with at most 6 decimals', abort: true });

export const BILLING_FRAMES = ['A1', 'A2', 'A9', 'A12'] as const;
/** Billing frames whose invoices a validator structure approves first (sub- and co-contractors). */
export const VALIDATED_BILLING_FRAMES: readonly string[] = ['A9', 'A12'];
export const VAT_REGIMES = ['TVA_SUR_DEBIT', 'TVA_SUR_ENCAISSEMENT', 'EXONERATION', 'SANS_TVA'] as const;
export const PAYMENT_MODES = ['CHEQUE', 'PRELEVEMENT', 'VIREMENT', 'ESPECE', 'AUTRE', 'REPORT'] as const;
export const INVOICE_TYPES = ['INVOICE', 'CREDIT_NOTE'] as const;

/** The attachment type the seed's wizard preselects. */
export const DEFAULT_ATTACHMENT_TYPE = 'Doc. Annexe';

/** Extensions Chorus Pro accepts for attachments (API-FACTS §7). */
export const ALLOWED_ATTACHMENT_EXTENSIONS = [
  'BMP', 'GIF', 'FAX', 'ODT', 'PPT', 'TIFF', 'XLS', 'BZ2', 'GZ', 'JPEG', 'P7S', 'RTF', 'TXT', 'XML', 'CSV', 'GZIP',
  'JPG', 'PDF', 'SVG', 'XHTML', 'XLSX', 'DOC', 'HTM', 'ODP', 'PNG', 'TGZ', 'XLC', 'ZIP', 'DOCX', 'HTML', 'ODS',
  'PPS', 'TIF', 'XLM', 'PPTX',
] as const; // prettier-ignore

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** Everything attached to one invoice ("dossier de facturation"): at most 120 MB. */
export const MAX_INVOICE_ATTACHMENTS_BYTES = 120 * 1024 * 1024;
export const MAX_ATTACHMENT_NAME = 50;

export function attachmentExtension(fileName: string): string | undefined {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 && dot < fileName.length - 1 ? fileName.slice(dot + 1).toUpperCase() : undefined;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** DEL, C1 controls and the marks and overrides that change text direction. */
const DISGUISING_CHARACTERS = /[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

export const AttachmentInput = z
  .object({
    fileName: z
      .string()
      .min(1, 'required')
      .max(
        MAX_ATTACHMENT_NAME,
        `at most ${MAX_ATTACHMENT_NAME} characters including the extension (Chorus Pro limit)`,
      )
      .refine((n) => !/[\\/]|\.\./.test(n), 'a plain file name, without folders')
      .refine(
        // Control characters and direction overrides (which disguise an extension) are refused.
        (n) => ![...n].some((c) => c.charCodeAt(0) < 0x20 || DISGUISING_CHARACTERS.test(c)),
        'no control or text-direction characters',
      )
      .refine(
        (n) => (ALLOWED_ATTACHMENT_EXTENSIONS as readonly string[]).includes(attachmentExtension(n) ?? ''),
        `the extension must be one of ${ALLOWED_ATTACHMENT_EXTENSIONS.join(', ')}`,
      ),
    /** Base64 of the file; or `uploadRef`, the hash returned by a previous upload. */
    contentBase64: z
      .string()
      .refine((s) => s.length % 4 === 0 && BASE64.test(s), 'not valid base64')
      .refine((s) => (s.length / 4) * 3 <= MAX_ATTACHMENT_BYTES + 2, 'larger than 10 MB (Chorus Pro limit)')
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
  });

export const InvoiceLineInput = z
  .object({
    description: z.string().min(1, 'required').max(512),
    quantity: DecimalInput.refine((q) => parseDecimal(q) > 0n, 'must be greater than 0'),
    unit: z.string().min(1).max(50).default('unité'),
    unitPriceExclVat: MoneyInput.refine((m) => moneyToMicros(m) >= 0n, 'must not be negative'),
    vatRatePercent: DecimalInput.refine(
      (r) => parseDecimal(r) >= 0n && parseDecimal(r) <= parseDecimal('100'),
      'a percentage between 0 and 100',
    ),
    discountExclVat: MoneyInput.refine((m) => moneyToMicros(m) >= 0n, 'must not be negative').optional(),
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

export const InvoiceInput = z
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
      .refine((draft) => !draft, 'a draft cannot be sent to Chorus Pro; send it when final'),
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
    contact: z
      .object({
        name: z.string().min(1).max(100).optional(),
        email: z.email('an e-mail address').optional(),
        phone: z.string().max(30).optional(),
      })
      .strict()
      .optional(),
    publicComment: z.string().max(2000, 'at most 2000 characters (Chorus Pro limit)').optional(),
    lines: z.array(InvoiceLineInput).min(1, 'an invoice needs at least one line').max(1000),
    totals: TotalsInput.optional(),
    attachments: z.array(AttachmentInput).max(50).default([]),
    requireApproval: z.boolean().default(false),
    webhookUrl: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).optional(),
  })
  .strict()
  .superRefine((invoice, ctx) => {
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
  });

export type InvoiceInput = z.input<typeof InvoiceInput>;
export type Invoice = z.output<typeof InvoiceInput>;
export type InvoiceLine = z.output<typeof InvoiceLineInput>;
export type Attachment = z.output<typeof AttachmentInput>;
