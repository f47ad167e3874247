import { z } from 'zod';
import { Siret } from '../../domain/invoice';
import type { ConnectionCheckView } from '../../workflows/connection/definitions';
import type { presentConnection } from '../connections';
import { ConnectionId, Timestamp } from './common';

/** The answers of the connection routes. A connection's secrets never appear in any of them. */

export const ConnectionCheck = z.object({
  id: z.string().meta({ examples: ['piste-oauth', 'technical-account', 'api-family:factures'] }),
  result: z.enum(['ok', 'warning', 'failed', 'skipped']),
  ok: z.boolean(),
  message: z.string(),
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
  status: z.enum(['UNKNOWN', 'VERIFYING', 'CONNECTED', 'DEGRADED', 'FAILED']).meta({
    description:
      'CONNECTED, DEGRADED (warnings only), FAILED, VERIFYING; UNKNOWN before its workflow answers.',
  }),
  checks: z.array(ConnectionCheck),
  passwordExpiresOn: z
    .string()
    .nullable()
    .meta({ description: 'Expiry date of the technical account password.' }),
  lastVerifiedAt: Timestamp.nullable(),
});

export const ConnectionList = z.object({ connections: z.array(ConnectionViewSchema) });

export const ConnectionVerifying = z
  .object({ id: ConnectionId, status: z.literal('VERIFYING') })
  .meta({ examples: [{ id: 'acme-qualif', status: 'VERIFYING' }] });

type Fits<T, Schema extends z.ZodType> = T extends z.output<Schema> ? true : never;
export const CONTRACT_FITS: [
  Fits<ReturnType<typeof presentConnection>, typeof ConnectionViewSchema>,
  Fits<ConnectionCheckView, typeof ConnectionCheck>,
] = [true, true];
