import { z } from 'zod';
import { Siret } from '../../domain/invoice';
import type { ConnectionCheckView } from '../../workflows/contracts/connection';
import type { present } from '../connections';
import { ConnectionId, Timestamp } from './common';

/** The answers of the connection routes. A connection's secrets never appear in any of them. */

export const ConnectionCheck = z.object({
  id: z.string().meta({ examples: ['piste-oauth', 'technical-account', 'api-family:factures'] }),
  result: z.enum(['ok', 'warning', 'failed', 'skipped']),
  ok: z.boolean(),
  message: z.string(),
  messageFr: z.string().optional(),
  remedy: z
    .object({ fr: z.string(), en: z.string() })
    .optional()
    .meta({ description: 'The onboarding step to fix, in French and English.' }),
  checkedAt: Timestamp,
});

export const ConnectionViewSchema = z.object({
  id: ConnectionId,
  environment: z.enum(['simulator', 'sandbox', 'production']),
  supplierSiret: Siret,
  piste: z.object({
    clientId: z
      .string()
      .meta({ description: 'Masked: only its last 4 characters are shown.', examples: ['****a1b2'] }),
  }),
  technicalAccount: z.object({ login: z.string() }),
  engagementCheck: z
    .boolean()
    .meta({ description: "Engagement numbers are checked against Chorus Pro's engagement search." }),
  status: z.enum(['UNKNOWN', 'VERIFYING', 'CONNECTED', 'DEGRADED', 'FAILED']).meta({
    description:
      'CONNECTED, DEGRADED (warnings only), FAILED, VERIFYING; UNKNOWN before its workflow answers.',
  }),
  checks: z.array(ConnectionCheck),
  passwordExpiresOn: z
    .string()
    .nullable()
    .meta({ description: 'Expiry date of the technical account password.' }),
  passwordExpiresInDays: z
    .number()
    .int()
    .nullable()
    .meta({
      description:
        'Whole days the technical account password has left at chorusTime, counted on Chorus’s clock; ' +
        'at most 30 makes the connection DEGRADED, below 0 FAILED.',
      examples: [412],
    }),
  chorusTime: Timestamp.nullable().meta({
    description:
      'The time of the Chorus environment at the last verification: the Date header of its answers (the ' +
      'simulator’s runs ahead, a simulated day per second in the demo), or the service’s clock when it sent none.',
  }),
  lastVerifiedAt: Timestamp.nullable(),
  waitingInvoices: z
    .number()
    .int()
    .min(0)
    .meta({ description: 'Invoices waiting for this connection to work again.' }),
  lastTrouble: z
    .object({ at: Timestamp, reason: z.string(), reportedBy: z.string() })
    .optional()
    .meta({ description: 'The last credentials failure an invoice or the tracker reported, and when.' }),
});

export const ConnectionList = z.object({ connections: z.array(ConnectionViewSchema) });

export const ConnectionVerifying = z
  .object({ id: ConnectionId, status: z.literal('VERIFYING') })
  .meta({ examples: [{ id: 'acme-qualif', status: 'VERIFYING' }] });

export const ConnectionCreated = ConnectionVerifying.extend({
  webhookSigningSecret: z.string().meta({
    description:
      'The secret that signs this connection’s webhook events (HMAC-SHA256): shown this once — store it in the ' +
      'receiver. POST /v1/connections/{id}/webhook-secret makes a new one.',
  }),
}).meta({
  examples: [{ id: 'acme-qualif', status: 'VERIFYING', webhookSigningSecret: 'whsec_…' }],
});

// The handlers' types must fit these schemas: these assignments compile only while they do.
export const CONTRACT_FITS = {
  connection: (view: ReturnType<typeof present>): z.output<typeof ConnectionViewSchema> => view,
  check: (check: ConnectionCheckView): z.output<typeof ConnectionCheck> => check,
};
