import { z } from 'zod';
import { AUDIT_ENTRY_KINDS, type AuditEntry } from '../timeline';
import { MAX_RUNS } from '../history';
import { InvoiceId, Timestamp } from './common';

/** The answers of GET /v1/invoices/:id/history: the readable timeline, or one run's raw history. */

export const AuditEntrySchema = z.object({
  at: Timestamp.meta({ description: 'When the history event was recorded.' }),
  kind: z.enum(AUDIT_ENTRY_KINDS),
  summary: z.string().meta({ description: 'One sentence in plain English.' }),
  details: z.record(z.string(), z.unknown()).meta({
    description:
      'The same facts, structured: decoded payload values, redacted (secrets, tokens, sealed strings and file contents never appear).',
  }),
  runId: z.string(),
  eventId: z.number().int(),
});

export const AuditTimeline = z.object({
  invoiceId: InvoiceId,
  runs: z
    .array(
      z.object({
        runId: z.string(),
        startedAt: Timestamp.optional(),
        closedAt: Timestamp.optional(),
        events: z.number().int().min(0),
      }),
    )
    .meta({
      description: 'Every run of the workflow, oldest first (one more each time it continued as new).',
    }),
  truncated: z
    .literal(true)
    .optional()
    .meta({ description: `Present when more than ${MAX_RUNS} runs exist: the oldest are left out.` }),
  entries: z.array(AuditEntrySchema),
});

export const TemporalHistory = z
  .object({ events: z.array(z.record(z.string(), z.unknown())) })
  .meta({ description: "One run's history in Temporal's JSON form (`historyToJSON`), the input of replay." });

type Fits<T, Schema extends z.ZodType> = T extends z.output<Schema> ? true : never;
export const CONTRACT_FITS: [Fits<AuditEntry, typeof AuditEntrySchema>] = [true];
