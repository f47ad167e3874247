import { Router } from 'express';
import {
  isGrpcDeadlineError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { InvoiceInput, Siret } from '../domain/invoice';
import type { BlobStore } from '../platform/blob-store';
import type { ConnectionStore } from '../platform/connections';
import {
  buyerRequirementsUpdate,
  connectionWorkflowId,
  invoiceDryRunUpdate,
} from '../workflows/contracts/connection';
import { maySee, principalOf } from './auth';
import { ApiError, validationError } from './errors';
import { ensureConnectionWorkflow } from './connections';
import { storeAttachments } from './invoices';

/** How long a lookup waits for Chorus Pro (through the connection's workflow) before answering 504. */
const LOOKUP_WITHIN_MS = 25_000;

export const RequirementsQuery = z
  .object({
    connectionId: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a connection id')
      .max(100),
  })
  .strict();

export interface LookupRoutesDependencies {
  client: Client;
  connections: ConnectionStore;
  blobs: BlobStore;
  /** To start a connection's workflow that is not running yet. */
  taskQueue: string;
  reverifyEvery?: string;
  recheckFailedEvery?: string;
}

/**
 * What an integrator asks before submitting: a buyer's requirements, and an invoice's dry run. Both
 * are read from Chorus Pro by the connection's workflow (its activities hold the credentials); no
 * invoice workflow starts and nothing is uploaded.
 */
export function lookupRoutes(deps: LookupRoutesDependencies): Router {
  const router = Router({ caseSensitive: true, strict: false });
  const { client, connections } = deps;

  /** A connection this key may use, else a field error (another tenant's is as unknown as none). */
  async function usable(connectionId: string, res: Parameters<typeof principalOf>[0]): Promise<void> {
    if (!maySee(principalOf(res), connectionId) || !(await connections.describe(connectionId))) {
      throw new ApiError(400, 'validation_failed', 'Unknown connection.', {
        connectionId: `no connection "${connectionId}" is configured`,
      });
    }
    await ensureConnectionWorkflow(client, { ...deps, connectionId });
  }

  /** Runs one lookup update on the connection's workflow, with Chorus's refusals as 502 and its silence as 504. */
  async function lookUp<T>(connectionId: string, run: () => Promise<T>): Promise<T> {
    try {
      return await client.withDeadline(Date.now() + LOOKUP_WITHIN_MS, run);
    } catch (err) {
      if (isGrpcDeadlineError(err) || err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
        throw new ApiError(
          504,
          'chorus_timeout',
          `Chorus Pro did not answer within ${LOOKUP_WITHIN_MS / 1000} s through connection "${connectionId}"; try again later.`,
        );
      }
      if (err instanceof WorkflowUpdateFailedError) {
        const failure = err.cause instanceof ActivityFailure ? err.cause.cause : err.cause;
        const type = failure instanceof ApplicationFailure ? failure.type : undefined;
        throw new ApiError(
          502,
          'chorus_refused',
          `Chorus Pro could not be read through connection "${connectionId}"${type ? ` (${type})` : ''}: ${failure?.message ?? err.message}`,
        );
      }
      throw err;
    }
  }

  router.get('/buyers/:siret/requirements', async (req, res) => {
    const siret = Siret.safeParse(req.params.siret);
    const query = RequirementsQuery.safeParse(req.query);
    if (!siret.success || !query.success) {
      throw new ApiError(400, 'validation_failed', 'Invalid buyer SIRET or connection.', {
        ...(siret.success ? {} : { siret: siret.error.issues.map((i) => i.message).join('; ') }),
        ...(query.success ? {} : validationError(query.error).fields),
      });
    }
    const { connectionId } = query.data;
    await usable(connectionId, res);
    const handle = client.workflow.getHandle(connectionWorkflowId(connectionId));
    const requirements = await lookUp(connectionId, () =>
      handle.executeUpdate(buyerRequirementsUpdate, { args: [{ buyerSiret: siret.data }] }),
    );
    res.json(requirements);
  });

  router.post('/invoices/validate', async (req, res) => {
    const parsed = InvoiceInput.safeParse(req.body);
    if (!parsed.success) throw validationError(parsed.error);
    const { attachments, ...invoice } = parsed.data;
    await usable(invoice.connectionId, res);
    // Measured and checked against the limits, not stored.
    const outlined = await storeAttachments(deps.blobs, attachments, 'attachments', false);
    const handle = client.workflow.getHandle(connectionWorkflowId(invoice.connectionId));
    const result = await lookUp(invoice.connectionId, () =>
      handle.executeUpdate(invoiceDryRunUpdate, {
        args: [
          {
            invoice,
            attachments: outlined.map((a) => ({
              fileName: a.fileName,
              sizeBytes: a.sizeBytes,
              type: a.type,
              main: a.main,
            })),
          },
        ],
      }),
    );
    res.json(result);
  });

  return router;
}
