import { z } from 'zod';
import { InvoiceInput } from '../domain/invoice';
import { ROUTE_POLICY } from './access';
import { CodecBody } from './codec';
import { ConnectionBody, CredentialsBody } from './connections';
import { historyOpenApiPath, HISTORY_SCHEMAS } from './history';
import { CancelBody, TaskAnswerBody } from './invoices';
import { RotateSecretBody } from './webhooks';

/** JSON Schema of a zod schema as the request sees it (defaults optional), for OpenAPI 3.1. */
function schemaOf(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

const ErrorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', examples: ['validation_failed'] },
        message: { type: 'string' },
        fields: {
          type: 'object',
          additionalProperties: { type: 'string' },
          description: 'field path → message',
        },
      },
    },
  },
};

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const idParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description:
    'The invoice id returned by POST /v1/invoices (`invoice:<connectionId>:<invoiceNumber>`), URL-encoded.',
  schema: { type: 'string' },
};

const jsonBody = (schema: string) => ({
  required: true,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } },
});

/** Bodies of the routes that only the policy table describes. */
const REQUEST_BODIES: Record<string, ReturnType<typeof jsonBody>> = {
  'POST /v1/connections': jsonBody('Connection'),
  'PUT /v1/connections/:id/credentials': jsonBody('Credentials'),
  'POST /v1/connections/:id/webhook-secret': jsonBody('WebhookSecretRotation'),
  'POST /v1/codec/encode': jsonBody('CodecPayloads'),
  'POST /v1/codec/decode': jsonBody('CodecPayloads'),
};

/**
 * Every route of the policy table gets an operation (a minimal one when the document has none),
 * the bearer security requirement, its roles in the description and the refusals auth adds.
 */
function withAccess<T extends { paths: Record<string, Record<string, Record<string, unknown>>> }>(doc: T): T {
  for (const policy of ROUTE_POLICY) {
    const key = policy.path.replace(/:([a-z]+)/g, '{$1}');
    const method = policy.method.toLowerCase();
    const item = (doc.paths[key] ??= {});
    const operation = (item[method] ??= {
      summary: policy.purpose[0].toUpperCase() + policy.purpose.slice(1),
      ...(key.includes('{id}')
        ? { parameters: [{ ...idParameter, description: 'Invoice or connection id, URL-encoded.' }] }
        : {}),
      ...(REQUEST_BODIES[`${policy.method} ${policy.path}`]
        ? { requestBody: REQUEST_BODIES[`${policy.method} ${policy.path}`] }
        : {}),
      responses: {
        200: { description: 'OK' },
        400: errorResponse('Invalid request, with a message per field'),
      },
    });
    operation.security = [{ apiKey: [] }];
    operation.description = `${operation.description ? `${String(operation.description)}\n\n` : ''}Roles: ${policy.roles.join(', ')}.`;
    operation.responses = {
      ...(operation.responses as object),
      401: errorResponse('No key, or an unknown key'),
      403: errorResponse("The key's role may not use this route"),
      429: errorResponse('Rate limit reached; see Retry-After'),
    };
  }
  return doc;
}

/** The OpenAPI document, generated from the same zod schemas that validate requests. */
export function openApiDocument(): Record<string, unknown> {
  return withAccess({
    openapi: '3.1.0',
    info: {
      title: 'Chorus Pro submission service',
      version: '1',
      description:
        'Submit invoices to Chorus Pro and follow them until they are paid. Each invoice is one durable workflow; ' +
        'missing data and approvals become tasks answered through this API.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API key: `Authorization: Bearer <key>`. In development mode: dev-key-system, dev-key-staff, dev-key-auditor, dev-key-admin.',
        },
      },
      schemas: {
        Invoice: schemaOf(InvoiceInput),
        Connection: schemaOf(ConnectionBody),
        Credentials: schemaOf(CredentialsBody),
        CodecPayloads: schemaOf(CodecBody),
        TaskAnswer: schemaOf(TaskAnswerBody),
        Cancel: schemaOf(CancelBody),
        WebhookSecretRotation: schemaOf(RotateSecretBody),
        ...HISTORY_SCHEMAS,
        Error: ErrorBody,
      },
    },
    paths: {
      '/v1/invoices': {
        post: {
          summary: 'Submit an invoice',
          description:
            'Starts the invoice workflow. The same number with the same content again answers 200 with the existing id; ' +
            'the same number with different content answers 409.',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Invoice' } } },
          },
          responses: {
            202: {
              description: 'Accepted: the workflow started',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
            200: { description: 'Already submitted with the same content' },
            400: errorResponse('Invalid invoice, with a message per field'),
            409: errorResponse('Same number, different content'),
            503: errorResponse('Temporal unavailable'),
          },
        },
        get: {
          summary: 'List invoices (from Temporal visibility)',
          parameters: [
            'status',
            'chorusStatus',
            'connectionId',
            'buyerSiret',
            'invoiceNumber',
            'hasOpenTask',
            'pageSize',
            'pageToken',
          ].map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } })),
          responses: {
            200: { description: 'A page of invoices and, when more exist, nextPageToken' },
            400: errorResponse('Bad filter'),
          },
        },
      },
      '/v1/invoices/{id}': {
        get: {
          summary:
            'An invoice: status, Chorus status and id, readiness checklist, open task, attachments, timelines',
          parameters: [idParameter],
          responses: { 200: { description: 'The invoice' }, 404: errorResponse('No such invoice') },
        },
      },
      '/v1/invoices/{id}/history': historyOpenApiPath(),
      '/v1/invoices/{id}/task': {
        post: {
          summary: 'Answer the open task (missing data, approval, recycle, complete)',
          parameters: [idParameter],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/TaskAnswer' } } },
          },
          responses: {
            200: { description: 'Accepted; the workflow continues' },
            400: errorResponse('Malformed answer'),
            404: errorResponse('No such invoice'),
            409: errorResponse('No open task, or a stale task id'),
            422: errorResponse('Refused by the task: a message per field'),
          },
        },
      },
      '/v1/invoices/{id}/cancel': {
        post: {
          summary: 'Cancel an invoice before it is sent to Chorus Pro',
          parameters: [idParameter],
          requestBody: {
            required: false,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Cancel' } } },
          },
          responses: {
            200: { description: 'Cancelled' },
            404: errorResponse('No such invoice'),
            409: errorResponse('Already sent'),
          },
        },
      },
      '/v1/tasks': {
        get: {
          summary: 'Every open task, oldest first',
          parameters: [
            { name: 'connectionId', in: 'query', required: false, schema: { type: 'string' } },
            {
              name: 'kind',
              in: 'query',
              required: false,
              schema: {
                type: 'string',
                enum: ['MISSING_DATA', 'APPROVAL', 'RECYCLE', 'COMPLETE', 'DUPLICATE_NUMBER'],
              },
            },
          ],
          responses: { 200: { description: 'Open tasks with their forms' } },
        },
      },
      '/v1/uploads': {
        post: {
          summary: 'Upload an attachment once; reference it as uploadRef',
          requestBody: {
            required: true,
            content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
          },
          responses: {
            201: { description: '{ uploadRef, sizeBytes }' },
            400: errorResponse('Empty'),
            413: errorResponse('Over 10 MB'),
          },
        },
      },
      '/healthz': {
        get: {
          summary: 'Liveness, with Temporal reachability',
          responses: { 200: { description: 'OK' }, 503: errorResponse('Temporal unreachable') },
        },
      },
    },
  });
}
