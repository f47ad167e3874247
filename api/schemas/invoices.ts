import { z } from 'zod';
import { InvoiceFields } from '../../domain/invoice';
import type { ReadinessCheckId } from '../../domain/readiness';
import {
  INVOICE_STATUSES,
  TASK_KINDS,
  type InvoiceView,
  type OpenTask,
  type TaskAnswerResult,
} from '../../workflows/contracts/invoice';
import type { InvoiceListItem } from '../invoice-records';
import type { ReadSource } from '../invoices';
import { InvoiceId, Timestamp } from './common';

/** The answers of the invoice routes, as the handlers send them (checked against their types below). */

export const InvoiceStatusSchema = z
  .enum(INVOICE_STATUSES)
  .meta({ description: 'Our lifecycle status (distinct from Chorus Pro’s own `chorusStatus`).' });
export const TaskKindSchema = z.enum(TASK_KINDS);

const READINESS_CHECK_IDS = [
  'supplier-known',
  'not-draft',
  'has-lines',
  'totals-consistent',
  'credit-note-origin',
  'buyer-siret-valid',
  'buyer-structure-active',
  'service-code',
  'engagement-number',
  'engagement-exists',
  'billing-frame',
  'validator',
  'vat-regime',
  'vat-exemption-reason',
  'payment-mode',
  'bank-details',
  'attachments',
] as const satisfies readonly ReadinessCheckId[];
// Every check id is listed: a new one fails the type-check until it is added above.
type UnlistedCheckIds = Exclude<ReadinessCheckId, (typeof READINESS_CHECK_IDS)[number]>;
export const READINESS_IDS_COMPLETE: [UnlistedCheckIds] extends [never] ? true : never = true;

const AllowedValue = z.object({ value: z.string(), label: z.string() });

export const ReadinessItemSchema = z.object({
  id: z.enum(READINESS_CHECK_IDS),
  ok: z.boolean(),
  message: z.string(),
  messageFr: z.string().optional(),
  field: z
    .string()
    .optional()
    .meta({ description: 'Dotted path of the invoice field that fixes this item.' }),
  allowedValues: z.array(AllowedValue).optional(),
});

export const TaskFieldSchema = z.object({
  field: z.string().meta({ description: 'Dotted invoice path, or `comment` / `attachments`.' }),
  why: z.string(),
  whyFr: z.string().optional(),
  required: z.boolean(),
  oneOf: z
    .string()
    .optional()
    .meta({ description: 'Fields sharing this group are alternatives: the answer fills at least one.' }),
  allowedValues: z.array(AllowedValue).optional(),
  currentValue: z.string().optional(),
  refusedAnswer: z
    .string()
    .optional()
    .meta({ description: 'The value given last time, refused since (see why).' }),
});

export const OpenTaskSchema = z.object({
  id: z.string().meta({ description: 'Give it back as `taskId` when answering.' }),
  kind: TaskKindSchema,
  title: z.string(),
  titleFr: z.string().optional(),
  description: z.string(),
  descriptionFr: z.string().optional(),
  fields: z.array(TaskFieldSchema),
  openedAt: Timestamp,
  remindersSent: z.number().int().min(0),
  chorusPayload: z
    .record(z.string(), z.unknown())
    .optional()
    .meta({ description: 'APPROVAL: the exact body `soumettre` will receive.' }),
});

const AttachmentView = z.object({
  ref: z.string(),
  fileName: z.string(),
  sizeBytes: z.number().int().min(0),
  type: z.string(),
  main: z.boolean(),
  pieceJointeId: z.number().int().optional().meta({ description: 'Chorus Pro’s id, once uploaded.' }),
});

export const InvoiceViewSchema = z.object({
  workflowId: InvoiceId,
  invoiceNumber: z.string(),
  connectionId: z.string(),
  status: InvoiceStatusSchema,
  chorusStatus: z
    .string()
    .optional()
    .meta({ examples: ['MISE_A_DISPOSITION'] }),
  chorusInvoiceId: z.number().int().optional(),
  chorusInvoiceNumber: z
    .string()
    .optional()
    .meta({ description: 'The number Chorus Pro gave the invoice, when it numbers invoices itself.' }),
  buyerName: z
    .string()
    .optional()
    .meta({ description: "The buyer's name as Chorus Pro gave it, once the buyer was checked." }),
  statusReason: z.string().optional(),
  statusReasonFr: z.string().optional(),
  checklist: z.array(ReadinessItemSchema),
  openTask: OpenTaskSchema.optional(),
  attachments: z.array(AttachmentView),
  timeline: z.array(
    z.object({
      at: Timestamp,
      status: InvoiceStatusSchema,
      chorusStatus: z.string().optional(),
      note: z.string().optional(),
      noteFr: z.string().optional(),
    }),
  ),
  chorusTimeline: z.array(
    z.object({
      identifiantFactureCPP: z.number().int(),
      status: z.string(),
      at: z.string().meta({ description: 'Chorus Pro’s own time of the status.' }),
      comment: z.string().optional(),
    }),
  ),
  invoice: InvoiceFields.omit({ attachments: true }).meta({
    description: 'The invoice as received, with the values given since in answers to tasks.',
  }),
  requestHash: z.string(),
  audit: z
    .array(z.looseObject({ kind: z.string(), at: Timestamp }))
    .optional()
    .meta({
      description:
        'What the workflow decided and why, as it happened: typed facts (see GET /v1/invoices/{id}/history for ' +
        'them as sentences). Absent when the read came from the database (`read.source`).',
    }),
});

export const ReadSourceSchema = z
  .object({
    source: z.enum(['workflow', 'database']).meta({
      description:
        '`workflow`: the live state, asked of the invoice workflow; `database`: its last recorded state (the ' +
        'workflow did not answer within 2 s, or Temporal no longer keeps it).',
    }),
    possiblyStale: z.boolean().meta({
      description: 'True when the recorded state was read while the workflow may have moved on since.',
    }),
    recordedAt: Timestamp.optional(),
    archived: z
      .literal(true)
      .optional()
      .meta({ description: 'Temporal deleted the closed workflow (retention).' }),
  })
  .meta({ description: 'Where this read came from.' });

export const InvoiceRead = InvoiceViewSchema.extend({ read: ReadSourceSchema });

export const InvoiceAccepted = z
  .object({
    id: InvoiceId,
    status: InvoiceStatusSchema,
    existing: z
      .literal(true)
      .optional()
      .meta({ description: 'Present (200) when the same invoice had been submitted before.' }),
  })
  .meta({ examples: [{ id: 'invoice:demo:F-2026-0042', status: 'RECEIVED' }] });

const Money = z.string().meta({ description: 'An amount in euros with two decimals, such as "150.00".' });

/** One row of a list, as the workflows recorded it in the app database at their last state change. */
export const InvoiceListItemSchema = z.object({
  id: InvoiceId,
  invoiceNumber: z.string(),
  connectionId: z.string(),
  buyerSiret: z.string(),
  buyerName: z.string().optional().meta({
    description: "The buyer's name as Chorus Pro gave it, once the buyer was checked.",
  }),
  supplierSiret: z.string().optional(),
  status: InvoiceStatusSchema,
  chorusStatus: z.string().optional().meta({ description: 'Chorus Pro’s own status, once deposited.' }),
  chorusInvoiceId: z.number().int().optional(),
  hasOpenTask: z.boolean(),
  issueDate: z.string().meta({ description: 'YYYY-MM-DD' }),
  currency: z.string(),
  totalExclVat: Money,
  totalInclVat: Money,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  closedAt: Timestamp.optional(),
});

export const InvoicePage = z.object({
  invoices: z.array(InvoiceListItemSchema),
  nextPageToken: z.string().optional().meta({ description: 'Give it as `pageToken` for the next page.' }),
});

export const TaskList = z.object({
  tasks: z.array(
    z.object({
      invoiceId: InvoiceId,
      invoiceNumber: z.string(),
      connectionId: z.string(),
      buyerSiret: z.string(),
      buyerName: z
        .string()
        .optional()
        .meta({ description: "The buyer's name as Chorus Pro gave it, when the API knows it." }),
      status: InvoiceStatusSchema,
      task: OpenTaskSchema,
    }),
  ),
  count: z.number().int().min(0),
});

export const TaskAccepted = z.object({ accepted: z.literal(true), status: InvoiceStatusSchema });

export const InvoiceCancelled = z.object({ id: InvoiceId, status: InvoiceStatusSchema });

// The handlers' types must fit these schemas: these assignments compile only while they do.
export const CONTRACT_FITS = {
  // chorusPayload and the audit facts are interfaces (no index signature): documented loosely.
  invoiceView: (
    view: Omit<InvoiceView, 'openTask' | 'audit'> & {
      openTask?: Omit<OpenTask, 'chorusPayload'>;
      audit: Array<{ kind: string; at: string }>;
    },
  ): z.output<typeof InvoiceViewSchema> => view,
  listItem: (item: InvoiceListItem): z.output<typeof InvoiceListItemSchema> => item,
  taskAccepted: (result: TaskAnswerResult): z.output<typeof TaskAccepted> => result,
  readSource: (read: ReadSource): z.output<typeof ReadSourceSchema> => read,
};
