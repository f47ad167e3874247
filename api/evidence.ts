import { createHash } from 'node:crypto';
import { Router } from 'express';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { z } from 'zod';
import { archivedRuns, type AppDatabase } from '../platform/database';
import { invoiceStateQuery, type InvoiceView } from '../workflows/invoice/definitions';
import { ApiError } from './errors';
import { allRuns } from './history';
import { recordedInvoice } from './invoice-records';
import { buildTimeline } from './timeline';

/**
 * `GET /v1/invoices/:id/evidence` (auditor): one invoice's evidence in one JSON document — the invoice
 * as last known, its attachments' hashes, Chorus Pro's statuses with Chorus Pro's own dates, the audit
 * timeline, every run's raw history as stored (encrypted payloads) with the archive's content hashes,
 * the webhook events sent — and a hash of the whole bundle.
 */
export const EvidenceBundle = z.object({
  invoiceId: z.string(),
  generatedAt: z.string(),
  source: z.enum(['temporal', 'archive']),
  invoice: z.unknown(),
  attachments: z.array(
    z.object({ fileName: z.string(), ref: z.string(), sizeBytes: z.number(), type: z.string().optional() }),
  ),
  chorusStatuses: z.array(z.unknown()),
  timeline: z.array(z.unknown()),
  runs: z.array(
    z.object({
      runId: z.string(),
      archived: z.boolean(),
      contentHash: z.string().optional(),
      closedAt: z.string().optional(),
      history: z.unknown().describe('Temporal JSON, payloads as stored (encrypted)'),
    }),
  ),
  webhookEvents: z.array(z.unknown()),
  bundleHash: z.string().describe('sha256 of this JSON without bundleHash'),
});

export function evidenceRoutes(deps: { client: Client; db: AppDatabase }): Router {
  const router = Router({ caseSensitive: true, strict: false });

  router.get('/invoices/:id/evidence', async (req, res) => {
    const id = String(req.params.id);
    if (!id.startsWith('invoice:')) throw new ApiError(404, 'not_found', 'No such invoice.');
    const { runs, archived } = await allRuns(deps.client, deps.db, id);
    const stored = new Map((await archivedRuns(deps.db, id)).map((r) => [r.runId, r]));
    const view: InvoiceView | undefined = archived
      ? (await recordedInvoice(deps.db, id))?.view
      : await deps.client.workflow
          .getHandle(id)
          .query(invoiceStateQuery)
          .catch(async () => (await recordedInvoice(deps.db, id))?.view);
    if (!view) throw new ApiError(404, 'not_found', 'No such invoice.');
    const timeline = await buildTimeline(runs, deps.client.options.loadedDataConverter);
    const events = await deps.db
      .selectFrom('webhook_events')
      .select(['id', 'type', 'status', 'attempts', 'created_at', 'delivered_at', 'last_error'])
      .where('stream', '=', id)
      .orderBy('sequence')
      .execute();
    const bundle = {
      invoiceId: id,
      generatedAt: new Date().toISOString(),
      source: archived ? ('archive' as const) : ('temporal' as const),
      invoice: view,
      attachments: view.attachments.map((a) => ({
        fileName: a.fileName,
        ref: a.ref,
        sizeBytes: a.sizeBytes,
        ...(a.type ? { type: a.type } : {}),
      })),
      chorusStatuses: view.chorusTimeline,
      timeline,
      runs: runs.map((r) => {
        const kept = stored.get(r.runId);
        return {
          runId: r.runId,
          archived: Boolean(kept),
          ...(kept ? { contentHash: kept.contentHash, closedAt: kept.closedAt } : {}),
          history: JSON.parse(kept ? kept.history : historyToJSON({ events: r.events })) as unknown,
        };
      }),
      webhookEvents: events,
    };
    const bundleHash = `sha256:${createHash('sha256').update(JSON.stringify(bundle)).digest('hex')}`;
    res
      .type('application/json')
      .set('content-disposition', `attachment; filename="evidence-${encodeURIComponent(id)}.json"`)
      .send(JSON.stringify({ ...bundle, bundleHash }));
  });

  return router;
}
