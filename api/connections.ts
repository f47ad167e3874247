import { Router } from 'express';
import {
  isGrpcDeadlineError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
} from '@temporalio/client';
import { z } from 'zod';
import { Siret } from '../domain/invoice';
import type { ConnectionStore, ConnectionSummary } from '../platform/connections';
import type { WebhookSecrets } from '../platform/webhook-secrets';
import type { WebhookTargetPolicy } from '../platform/webhook-targets';
import * as sa from '../workflows/contracts/search-attributes';
import { INVOICE_WORKFLOW_TYPE } from '../workflows/contracts/invoice';
import {
  connectionStateQuery,
  connectionWorkflowId,
  CONNECTION_WORKFLOW_TYPE,
  type ConnectionWorkflow,
  credentialsChangedSignal,
  verifyNowUpdate,
  type ConnectionView,
} from '../workflows/contracts/connection';
import { ApiError, validationError } from './errors';
import type { Actor } from '../domain/actor';
import { actorOf, maySee, principalOf } from './auth';

const Piste = z
  .object({ clientId: z.string().min(1).max(200), clientSecret: z.string().min(1).max(500) })
  .strict();
const TechnicalAccount = z
  .object({ login: z.string().min(1).max(200), password: z.string().min(1).max(500) })
  .strict();

export const ConnectionBody = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash and underscore (at most 64)'),
    supplierSiret: Siret,
    environment: z.enum(['simulator', 'sandbox', 'production']),
    piste: Piste,
    technicalAccount: TechnicalAccount,
    webhookUrl: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).optional(),
    /** Check engagement numbers against Chorus's engagement search (off by default). */
    engagementCheck: z.boolean().optional(),
  })
  .strict();

export const CredentialsBody = z
  .object({ piste: Piste.optional(), technicalAccount: TechnicalAccount.optional() })
  .strict()
  .refine((b) => b.piste || b.technicalAccount, {
    message: 'give piste and/or technicalAccount',
    path: ['piste'],
  })
  .meta({ anyOf: [{ required: ['piste'] }, { required: ['technicalAccount'] }] });

export interface ConnectionRoutesDependencies {
  client: Client;
  /** Seal-only: the API stores secrets it cannot read back. */
  connections: ConnectionStore;
  taskQueue: string;
  /** Re-verification interval given to new connection workflows. */
  reverifyEvery?: string;
  recheckFailedEvery?: string;
  /** A new connection gets its own webhook signing secret, shown once in the answer. */
  webhookSecrets: WebhookSecrets;
  /** Webhook targets on private, loopback or link-local addresses are refused unless allowed. */
  webhookTargets: WebhookTargetPolicy;
}

/** What a caller sees of a connection: never a secret, the client id masked but for its last 4 characters. */
export function present(summary: ConnectionSummary, view?: ConnectionView, waitingInvoices = 0) {
  return {
    id: summary.id,
    environment: summary.environment,
    supplierSiret: summary.supplierSiret,
    piste: { clientId: summary.clientId.length > 4 ? `****${summary.clientId.slice(-4)}` : '****' },
    technicalAccount: { login: summary.technicalAccountLogin },
    engagementCheck: summary.engagementCheck,
    status: view?.status ?? ('UNKNOWN' as const),
    checks: view?.checks ?? [],
    passwordExpiresOn: view?.passwordExpiresOn ?? null,
    passwordExpiresInDays: view?.daysUntilPasswordExpiry ?? null,
    chorusTime: view?.chorusTime ?? null,
    lastVerifiedAt: view?.lastVerifiedAt ?? null,
    /** Invoices waiting for this connection to work again. */
    waitingInvoices,
    ...(view?.lastTrouble ? { lastTrouble: view.lastTrouble } : {}),
  };
}

/** How long `POST …/verify` waits for the verification before answering 202 (it goes on). */
export const VERIFY_ANSWER_WITHIN_MS = 10_000;

/** Starts the connection's workflow unless it runs already. */
export async function ensureConnectionWorkflow(
  client: Client,
  options: {
    connectionId: string;
    taskQueue: string;
    reverifyEvery?: string;
    recheckFailedEvery?: string;
    createdBy?: Actor;
  },
): Promise<void> {
  const { connectionId: id, createdBy } = options;
  try {
    await client.workflow.start<ConnectionWorkflow>(CONNECTION_WORKFLOW_TYPE, {
      workflowId: connectionWorkflowId(id),
      taskQueue: options.taskQueue,
      args: [
        {
          connectionId: id,
          reverifyEvery: options.reverifyEvery,
          recheckFailedEvery: options.recheckFailedEvery,
          ...(createdBy ? { createdBy } : {}),
        },
      ],
      typedSearchAttributes: [
        { key: sa.ConnectionId, value: id },
        { key: sa.ConnectionStatus, value: 'VERIFYING' },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

export function connectionRoutes(deps: ConnectionRoutesDependencies): Router {
  const router = Router({ caseSensitive: true, strict: false });
  const { client, connections } = deps;

  async function summaryOf(id: string): Promise<ConnectionSummary> {
    const summary = await connections.describe(id);
    if (!summary) throw new ApiError(404, 'not_found', `No connection "${id}".`);
    return summary;
  }

  async function viewOf(id: string): Promise<ConnectionView | undefined> {
    try {
      return await client.workflow.getHandle(connectionWorkflowId(id)).query(connectionStateQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  const ensureWorkflow = (id: string, createdBy?: Actor) =>
    ensureConnectionWorkflow(client, { ...deps, connectionId: id, createdBy });

  router.post('/connections', async (req, res) => {
    const parsed = ConnectionBody.safeParse(req.body);
    if (!parsed.success) throw validationError(parsed.error);
    if (!maySee(principalOf(res), parsed.data.id)) {
      throw new ApiError(403, 'forbidden', `This key may not manage connection "${parsed.data.id}".`, {
        id: "not among this key's connections",
      });
    }
    if (parsed.data.webhookUrl) {
      const verdict = await deps.webhookTargets.check(parsed.data.webhookUrl);
      if (!verdict.allowed) {
        throw new ApiError(400, 'validation_failed', 'The webhook URL is not allowed.', {
          webhookUrl: verdict.reason,
        });
      }
    }
    if (await connections.describe(parsed.data.id)) {
      throw new ApiError(
        409,
        'conflict',
        `Connection "${parsed.data.id}" exists; change its credentials with PUT /v1/connections/${parsed.data.id}/credentials.`,
      );
    }
    await connections.upsert(parsed.data);
    const signing = await deps.webhookSecrets.rotate(parsed.data.id);
    await ensureWorkflow(parsed.data.id, actorOf(res));
    res
      .status(202)
      .location(`/v1/connections/${parsed.data.id}`)
      .json({ id: parsed.data.id, status: 'VERIFYING', webhookSigningSecret: signing.secret });
  });

  /** Invoices in WAITING_FOR_CONNECTION on this connection (Temporal visibility). */
  async function waitingOn(id: string): Promise<number> {
    const { count } = await client.workflow.count(
      `WorkflowType = '${INVOICE_WORKFLOW_TYPE}' AND ${sa.ConnectionId.name} = '${id}' AND ` +
        `${sa.InvoiceStatus.name} = 'WAITING_FOR_CONNECTION' AND ExecutionStatus = 'Running'`,
    );
    return count;
  }

  async function shown(summary: ConnectionSummary, view?: ConnectionView) {
    return present(summary, view ?? (await viewOf(summary.id)), await waitingOn(summary.id));
  }

  router.get('/connections', async (_req, res) => {
    const principal = principalOf(res);
    const all = (await connections.list()).filter((c) => maySee(principal, c.id));
    res.json({ connections: await Promise.all(all.map((s) => shown(s))) });
  });

  router.get('/connections/:id', async (req, res) => {
    const summary = await summaryOf(String(req.params.id));
    res.json(await shown(summary));
  });

  router.put('/connections/:id/credentials', async (req, res) => {
    const summary = await summaryOf(String(req.params.id));
    const parsed = CredentialsBody.safeParse(req.body);
    if (!parsed.success) throw validationError(parsed.error);
    // The pair not given stays as stored (sealed): secrets are never read back here.
    await connections.replaceCredentials(summary.id, parsed.data);
    await ensureWorkflow(summary.id);
    await client.workflow
      .getHandle(connectionWorkflowId(summary.id))
      .signal(credentialsChangedSignal, { changedBy: actorOf(res) });
    res.status(202).json({ id: summary.id, status: 'VERIFYING' });
  });

  // Answers with the result, or 202 when Chorus is slow or unreachable: the verification goes on
  // (an unreachable environment would otherwise hold the request for the activity's whole timeout).
  router.post('/connections/:id/verify', async (req, res) => {
    const summary = await summaryOf(String(req.params.id));
    await ensureWorkflow(summary.id);
    const update = await client.workflow
      .getHandle(connectionWorkflowId(summary.id))
      .startUpdate(verifyNowUpdate, { args: [{ requestedBy: actorOf(res) }], waitForStage: 'ACCEPTED' });
    // A gRPC deadline on the wait (not a timer race, whose call would outlive the request).
    const view = await client
      .withDeadline(Date.now() + VERIFY_ANSWER_WITHIN_MS, () => update.result())
      .catch((err: unknown) => {
        // The SDK wraps a deadline met while it polls for the result.
        if (isGrpcDeadlineError(err) || err instanceof WorkflowUpdateRPCTimeoutOrCancelledError)
          return undefined;
        throw err;
      });
    if (view) {
      res.json(await shown(summary, view));
      return;
    }
    res.status(202).json({ ...(await shown(summary)), status: 'VERIFYING' });
  });

  return router;
}
