import { z } from 'zod';
import { BILLING_FRAMES, InvoiceNumber, PAYMENT_MODES, Siret, VAT_REGIMES, type Invoice } from './invoice';
import type { AllowedValue } from './readiness';

/**
 * The invoice fields a person may fill in a task, each with the same rule as the invoice model,
 * so an answer is checked synchronously (inside the Temporal update validator) before it is
 * accepted.
 */
export const ANSWERABLE_FIELDS = {
  'buyer.siret': Siret,
  'validator.siret': Siret,
  'buyer.serviceCode': z
    .string()
    .trim()
    .min(1, 'required')
    .max(100, 'at most 100 characters (Chorus Pro limit)'),
  'references.engagementNumber': z
    .string()
    .trim()
    .min(1, 'required')
    .max(50, 'at most 50 characters (Chorus Pro limit)')
    .regex(/^[\w\-/.+ ]+$/, 'letters, digits, spaces and - _ / . + only'),
  'references.engagementConfirmed': z.enum(['true'], {
    error: 'true, to confirm the engagement number as it is',
  }),
  'references.contractNumber': z.string().trim().min(1, 'required').max(50),
  originalInvoiceNumber: InvoiceNumber,
  billingFrame: z.enum(BILLING_FRAMES, { error: `one of ${BILLING_FRAMES.join(', ')}` }),
  vatRegime: z.enum(VAT_REGIMES, { error: `one of ${VAT_REGIMES.join(', ')}` }),
  vatExemptionReason: z.string().trim().min(1, 'required').max(100),
  paymentMode: z.enum(PAYMENT_MODES, { error: `one of ${PAYMENT_MODES.join(', ')}` }),
  bankAccountId: z
    .string()
    .trim()
    .regex(/^[1-9]\d{0,14}$/, 'a bank account id from the list'),
  comment: z.string().max(2000, 'at most 2000 characters (Chorus Pro limit)'),
} as const;

export type AnswerableField = keyof typeof ANSWERABLE_FIELDS;

export function isAnswerableField(field: string): field is AnswerableField {
  return Object.prototype.hasOwnProperty.call(ANSWERABLE_FIELDS, field);
}

export interface ExpectedField {
  field: string;
  required: boolean;
  allowedValues?: AllowedValue[];
}

/**
 * Checks answer values against the fields a task asked for. Returns field → message for every
 * problem (empty when the answer is acceptable). Partial answers are fine unless `complete`.
 */
export function checkAnswerValues(
  expected: ExpectedField[],
  values: Record<string, unknown>,
  options: { complete?: boolean } = {},
): Record<string, string> {
  const errors: Record<string, string> = {};
  const byField = new Map(expected.map((e) => [e.field, e]));
  for (const [field, value] of Object.entries(values)) {
    const spec = byField.get(field);
    if (!spec) {
      errors[field] =
        `this task does not ask for "${field}"; it asks for ${expected.map((e) => e.field).join(', ')}`;
      continue;
    }
    if (!isAnswerableField(field)) continue;
    const parsed = ANSWERABLE_FIELDS[field].safeParse(value);
    if (!parsed.success) {
      errors[field] = parsed.error.issues.map((i) => i.message).join('; ');
      continue;
    }
    if (
      spec.allowedValues &&
      spec.allowedValues.length > 0 &&
      !spec.allowedValues.some((a) => a.value === parsed.data)
    ) {
      errors[field] =
        `"${String(parsed.data)}" is not allowed here; choose one of ${spec.allowedValues.map((a) => a.value).join(', ')}`;
    }
  }
  if (options.complete) {
    for (const spec of expected) {
      if (spec.required && !(spec.field in values)) errors[spec.field] = 'required';
    }
  }
  return errors;
}

/** Returns the invoice with the answered fields set (values already checked). */
export function applyAnswerValues<T extends Omit<Invoice, 'attachments'>>(
  invoice: T,
  values: Record<string, string>,
): T {
  const next = JSON.parse(JSON.stringify(invoice)) as T;
  for (const [field, raw] of Object.entries(values)) {
    if (!isAnswerableField(field) || field === 'comment') continue;
    const value = ANSWERABLE_FIELDS[field].parse(raw);
    switch (field) {
      case 'buyer.siret':
        next.buyer.siret = value;
        break;
      case 'validator.siret':
        next.validator = { ...next.validator, siret: value };
        break;
      case 'buyer.serviceCode':
        next.buyer.serviceCode = value;
        break;
      case 'references.engagementNumber':
        next.references.engagementNumber = value;
        // A new number needs its own confirmation.
        if (values['references.engagementConfirmed'] === undefined)
          delete next.references.engagementConfirmed;
        break;
      case 'references.engagementConfirmed':
        next.references.engagementConfirmed = true;
        break;
      case 'references.contractNumber':
        next.references.contractNumber = value;
        break;
      case 'originalInvoiceNumber':
        next.originalInvoiceNumber = value;
        break;
      case 'billingFrame':
        next.billingFrame = value as Invoice['billingFrame'];
        break;
      case 'vatRegime':
        next.vatRegime = value as Invoice['vatRegime'];
        break;
      case 'vatExemptionReason':
        next.vatExemptionReason = value;
        break;
      case 'paymentMode':
        next.paymentMode = value as Invoice['paymentMode'];
        break;
      case 'bankAccountId':
        next.bankAccountId = Number(value);
        break;
    }
  }
  return next;
}
