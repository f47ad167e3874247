import { z } from 'zod';

/**
 * What every route shares in the contract: the error body, path parameters and response headers.
 * Schemas here are the ones the code sends or validates; api/openapi.ts only renders them.
 */

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().meta({
        description: 'Stable, machine-readable: validation_failed, not_found, conflict, rate_limited…',
        examples: ['validation_failed'],
      }),
      message: z.string().meta({ description: 'A sentence a person can act on.' }),
      fields: z
        .record(z.string(), z.string())
        .optional()
        .meta({
          description: 'Field path → message, for each field that was refused.',
          examples: [{ 'buyer.siret': 'not a valid SIRET (checksum fails)' }],
        }),
    }),
  })
  .meta({ description: 'Every error answer: `{ error: { code, message, fields? } }`.' });

/** `invoice:<connectionId>:<invoiceNumber>`, as POST /v1/invoices returns it. */
export const InvoiceId = z
  .string()
  .regex(/^invoice:[A-Za-z0-9][A-Za-z0-9._-]{0,63}:[A-Za-z0-9\-_/+]{1,20}$/)
  .meta({
    description:
      'The invoice id returned by POST /v1/invoices: `invoice:<connectionId>:<invoiceNumber>` (URL-encode it in paths).',
    examples: ['invoice:demo:F-2026-0042'],
  });

export const ConnectionId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash and underscore (at most 64)')
  .meta({ description: 'A connection id (the tenant).', examples: ['demo'] });

export const Timestamp = z.string().meta({ format: 'date-time', examples: ['2026-11-28T09:30:00.000Z'] });

/** OpenAPI header objects of the answers (names as sent). */
export interface HeaderSpec {
  description: string;
  schema: Record<string, unknown>;
}

export const RATE_LIMIT_HEADERS: Record<string, HeaderSpec> = {
  'RateLimit-Limit': {
    description: 'Requests a minute this key may make (API_RATE_LIMIT_PER_MINUTE).',
    schema: { type: 'integer', minimum: 1 },
  },
  'RateLimit-Remaining': {
    description: 'Requests this key may still make now.',
    schema: { type: 'integer', minimum: 0 },
  },
  'RateLimit-Reset': {
    description: 'Seconds until the bucket is full again.',
    schema: { type: 'integer', minimum: 0 },
  },
};

export const RETRY_AFTER: Record<string, HeaderSpec> = {
  'Retry-After': {
    description: 'Seconds to wait before trying again.',
    schema: { type: 'integer', minimum: 1 },
  },
};

export const ALLOW: Record<string, HeaderSpec> = {
  Allow: {
    description: 'The methods this path accepts.',
    schema: { type: 'string', examples: ['GET, HEAD, POST'] },
  },
};

export const LOCATION: Record<string, HeaderSpec> = {
  Location: { description: 'Where to read the resource.', schema: { type: 'string' } },
};

export const WWW_AUTHENTICATE: Record<string, HeaderSpec> = {
  'WWW-Authenticate': { description: 'The scheme to use: Bearer.', schema: { type: 'string' } },
};
