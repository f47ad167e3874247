import { fromCents, parseDecimal, type Micros } from './money';

/**
 * The invoice's closed lists, attachment limits and amount reading, without zod: the workflow
 * bundle imports these, and a workflow builds its zod schemas only when it checks an answer
 * (domain/task-answers.ts, loaded then: some 7 ms a new workflow saved). domain/invoice.ts
 * re-exports them with the schemas.
 */

/** An amount as the API takes it: a decimal string or integer cents (`MoneyInput`). */
export function moneyToMicros(value: string | { cents: number }): Micros {
  return typeof value === 'string' ? parseDecimal(value) : fromCents(value.cents);
}

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
