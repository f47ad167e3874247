import { Router } from 'express';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { z } from 'zod';
import { Siret } from '../domain/invoice';
import type { ConnectionStore, ConnectionSummary } from '../platform/connections';
import type { WebhookSecrets } from '../platform/webhook-secrets';
import type { WebhookTargetPolicy } from '../activities/webhook-outbox/targets';
import * as sa from '../workflows/search-attributes';
import {
  connectionStateQuery,
  connectionWorkflowId,
  credentialsChangedSignal,
  verifyNowUpdate,
  type ConnectionView,
} from '../workflows/connection/definitions';
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
  })
  .strict();

export const CredentialsBody = z
  .object({ piste: Piste.optional(), technicalAccount: TechnicalAccount.optional() })
  .strict()
  .refine((b) => b.piste || b.technicalAccount, {
    message: 'give piste and/or technicalAccount',
    path: ['piste'],
  });

export interface ConnectionRoutesDependencies {
  client: Client;
  /** Seal-only: the API stores secrets it cannot read back. */
  connections: ConnectionStore;
  taskQueue: string;
  /** Re-verification interval given to new connection workflows. */
  reverifyEvery?: string;
  /** A new connection gets its own webhook signing secret, shown once in the answer. */
  webhookSecrets: WebhookSecrets;
  /** Webhook targets on private, loopback or link-local addresses are refused unless allowed. */
  webhookTargets: WebhookTargetPolicy;
}

/** What a caller sees of a connection: never a secret, the client id masked but for its last 4 characters. */
function present(summary: ConnectionSummary, view?: ConnectionView) {
  return {
    id: summary.id,
    environment: summary.environment,
    supplierSiret: summary.supplierSiret,
    piste: { clientId: summary.clientId.length > 4 ? `****${summary.clientId.slice(-4)}` : '****' },
    technicalAccount: { login: summary.technicalAccountLogin },
    status: view?.status ?? 'UNKNOWN',
    checks: view?.checks ?? [],
    passwordExpiresOn: view?.passwordExpiresOn ?? null,
    lastVerifiedAt: view?.lastVerifiedAt ?? null,
  };
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

  async function ensureWorkflow(id: string, createdBy?: Actor): Promise<void> {
    try {
      await client.workflow.start('connectionWorkflow', {
        workflowId: connectionWorkflowId(id),
        taskQueue: deps.taskQueue,
        args: [{ connectionId: id, reverifyEvery: deps.reverifyEvery, ...(createdBy ? { createdBy } : {}) }],
        typedSearchAttributes: [
          { key: sa.ConnectionId, value: id },
          { key: sa.ConnectionStatus, value: 'VERIFYING' },
        ],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

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

  router.get('/connections', async (_req, res) => {
    const principal = principalOf(res);
    const all = (await connections.list()).filter((c) => maySee(principal, c.id));
    res.json({ connections: await Promise.all(all.map(async (s) => present(s, await viewOf(s.id)))) });
  });

  router.get('/connections/:id', async (req, res) => {
    const summary = await summaryOf(String(req.params.id));
    res.json(present(summary, await viewOf(summary.id)));
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

  router.post('/connections/:id/verify', async (req, res) => {
    const summary = await summaryOf(String(req.params.id));
    await ensureWorkflow(summary.id);
    const view = await client.workflow
      .getHandle(connectionWorkflowId(summary.id))
      .executeUpdate(verifyNowUpdate, {
        args: [{ requestedBy: actorOf(res) }],
      });
    res.json(present(summary, view));
  });

  return router;
}
