import { z } from 'zod';
import { InvoiceInput } from '../../domain/invoice';
import { INVOICE_STATUSES } from '../../workflows/contracts/invoice';
import { ConnectionId, InvoiceId, Timestamp } from './common';
import { InvoiceStatusSchema } from './invoices';

/** The bodies and answers of the invoice batch routes (api/invoice-batches.ts). */

/** At most this many invoices in one batch. */
export const MAX_BATCH_INVOICES = 1_000;

/** `batch_<32 hex>`, as POST /v1/invoice-batches returns it. */
export const BatchId = z
  .string()
  .regex(/^batch_[0-9a-f]{32}$/)
  .meta({
    description: 'The batch id returned by POST /v1/invoice-batches.',
    examples: ['batch_6f1c2d3e4a5b46c7a8b9c0d1e2f3a4b5'],
  });

/** The batch's envelope: each item is then checked exactly as one POST /v1/invoices body. */
export const InvoiceBatchEnvelope = z
  .object({
    invoices: z
      .array(z.unknown())
      .min(1, 'at least one invoice')
      .max(MAX_BATCH_INVOICES, `at most ${MAX_BATCH_INVOICES} invoices a batch`),
  })
  .strict();

/** The body as the contract documents it: a list of invoices, each as POST /v1/invoices takes it. */
export const InvoiceBatchBody = InvoiceBatchEnvelope.extend({
  invoices: z
    .array(InvoiceInput)
    .min(1)
    .max(MAX_BATCH_INVOICES)
    .meta({ description: 'Each invoice as POST /v1/invoices takes it; errors name it by its index.' }),
});

export const BATCH_ITEM_OUTCOMES = ['pending', 'started', 'existing', 'conflict'] as const;

export const BatchItemOutcomeSchema = z.enum(BATCH_ITEM_OUTCOMES).meta({
  description:
    '`pending`: not started yet; `started`: its workflow was started by this batch; `existing`: the same invoice ' +
    '(same number, same content) had been submitted before, or earlier in the batch; `conflict`: the number is ' +
    'already used on this connection with different content (nothing started for this item).',
});

/** Counts of a batch: each invoice by its status, and the items that have none (yet). */
export const BatchCounts = z
  .partialRecord(z.enum([...INVOICE_STATUSES, 'NOT_STARTED', 'CONFLICT']), z.number().int().min(1))
  .meta({
    description:
      "The batch's invoices by their current status (each invoice once, from the records the workflows keep), " +
      'plus `NOT_STARTED` (items still to start) and `CONFLICT` (items refused as conflicts). Absent keys are 0.',
    examples: [{ TRACKING: 250, AWAITING_DATA: 12, NOT_STARTED: 36, CONFLICT: 2 }],
  });

export const InvoiceBatchAccepted = z
  .object({
    id: BatchId,
    accepted: z.number().int().min(1).meta({ description: 'How many items the batch holds (all valid).' }),
    started: z.boolean().meta({
      description: 'True when every item was already started (or found) when this answer was sent.',
    }),
  })
  .meta({ examples: [{ id: 'batch_6f1c2d3e4a5b46c7a8b9c0d1e2f3a4b5', accepted: 300, started: false }] });

export const InvoiceBatchItem = z.object({
  index: z.number().int().min(0).meta({ description: "The item's index in the request's `invoices`." }),
  connectionId: ConnectionId,
  invoiceNumber: z.string(),
  id: InvoiceId.meta({
    description: 'The invoice id (for a conflict: the id of the invoice holding the number).',
  }),
  outcome: BatchItemOutcomeSchema,
  status: InvoiceStatusSchema.optional().meta({
    description: "The invoice's current status (absent while pending and for a conflict).",
  }),
  duplicateOf: z.number().int().min(0).optional().meta({
    description: 'An earlier item of this batch with the same number and content: the same invoice.',
  }),
  error: z
    .object({ code: z.string(), message: z.string() })
    .optional()
    .meta({ description: 'Why the item is a conflict, or why starting it is being retried (pending).' }),
});

export const InvoiceBatchView = z.object({
  id: BatchId,
  createdAt: Timestamp,
  startedAt: Timestamp.optional().meta({ description: 'When every item had been started (or found).' }),
  total: z.number().int().min(1),
  progress: z
    .object({
      pending: z.number().int().min(0),
      started: z.number().int().min(0),
      existing: z.number().int().min(0),
      conflict: z.number().int().min(0),
    })
    .meta({ description: 'Items by outcome: how far starting the batch has gone.' }),
  counts: BatchCounts,
  invoices: z.array(InvoiceBatchItem).meta({ description: 'Every item, in the order of the request.' }),
});
