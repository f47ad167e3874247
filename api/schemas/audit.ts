import { z } from 'zod';
import { AUDIT_ENTRY_KINDS, type AuditEntry } from '../../audit/timeline';
import { MAX_RUNS } from '../history';
import { InvoiceId, Timestamp } from './common';

/** The answers of GET /v1/invoices/:id/history: the readable timeline, or one run's raw history. */

export const AuditEntrySchema = z.object({
  at: Timestamp.meta({
    description: 'When it happened: the workflow time of a recorded fact, or the time of a history event.',
  }),
  kind: z.enum(AUDIT_ENTRY_KINDS as [AuditEntry['kind'], ...AuditEntry['kind'][]]),
  source: z.enum(['workflow', 'temporal']).meta({
    description:
      '`workflow`: a fact the workflow recorded as it decided (the values it used); `temporal`: an event of its history (runs, retries, failures, webhooks, the result).',
  }),
  summary: z.string().meta({ description: 'One sentence in plain English.' }),
  summaryFr: z.string().meta({ description: 'The same sentence in French.' }),
  details: z.record(z.string(), z.unknown()).meta({
    description:
      'The same facts, structured, redacted (secrets, tokens, sealed strings and file contents never appear).',
  }),
  runId: z.string().optional(),
  eventId: z.number().int().optional(),
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

// The timeline's type must fit this schema: this assignment compiles only while it does.
export const CONTRACT_FITS = {
  entry: (entry: AuditEntry): z.output<typeof AuditEntrySchema> => entry,
};
