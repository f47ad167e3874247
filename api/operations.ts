// Long by nature: the API contract, one declarative entry per route (api/openapi.ts renders it).
import { z } from 'zod';
import { InvoiceInput, Siret } from '../domain/invoice';
import type { Method } from './access';
import { CancelBody, ListQuery, TaskAnswerBody, TasksQuery } from './invoices';
import { ConnectionBody, CredentialsBody } from './connections';
import { HistoryQuery } from './history';
import { EvidenceBundle } from './evidence';
import {
  RotatedSecretResponse,
  RotateSecretBody,
  WebhookEvent,
  WebhookEventList,
  WebhookEventsQuery,
} from './webhooks';
import { KeyList, Me } from './schemas/access';
import { BuyerRequirementsSchema, DryRunSchema } from './schemas/lookups';
import { RequirementsQuery } from './lookups';
import { AuditEntrySchema, AuditTimeline, TemporalHistory } from './schemas/audit';
import { CodecPayloads } from './schemas/codec';
import { ConnectionId, InvoiceId, LOCATION, type HeaderSpec } from './schemas/common';
import {
  ConnectionCheck,
  ConnectionCreated,
  ConnectionList,
  ConnectionVerifying,
  ConnectionViewSchema,
} from './schemas/connections';
import {
  InvoiceAccepted,
  InvoiceCancelled,
  InvoiceListItemSchema,
  InvoicePage,
  InvoiceRead,
  ReadSourceSchema,
  InvoiceViewSchema,
  InvoiceStatusSchema,
  OpenTaskSchema,
  ReadinessItemSchema,
  TaskAccepted,
  TaskFieldSchema,
  TaskKindSchema,
  TaskList,
} from './schemas/invoices';
import { Health, Uploaded } from './schemas/uploads';
import { BatchId, InvoiceBatchAccepted, InvoiceBatchBody, InvoiceBatchView } from './schemas/batches';

/**
 * The contract of every route: what it takes and every answer it gives, from the zod schemas the
 * code itself validates and sends with. api/openapi.ts renders this table (adding the answers that
 * authentication, rate limits and body parsing give on every route); a test checks that every route
 * of the policy table (api/access.ts) is here and the other way round.
 */

/** A named schema: it becomes `components.schemas[name]`, and a type of the generated client. */
export interface NamedSchema {
  name: string;
  schema: z.ZodType;
}

/** An OpenAPI link: the values of the next call, taken from this answer or its request. */
export interface LinkSpec {
  operationId: string;
  parameters?: Record<string, string>;
  requestBody?: unknown;
  description: string;
}

export interface ResponseSpec {
  description: string;
  json?: NamedSchema;
  headers?: Record<string, HeaderSpec>;
  links?: Record<string, LinkSpec>;
}

export interface Operation {
  method: Method;
  /** Express-style path, as in the policy table. */
  path: string;
  operationId: string;
  tag: Tag;
  summary: string;
  description?: string;
  /** Path parameters (`:id`). */
  pathParams?: Record<string, z.ZodType>;
  query?: z.ZodObject;
  /** Records who acted in the workflow's history (X-Acting-User). */
  actingUser?: boolean;
  body?:
    | { json: NamedSchema; required: boolean; example?: unknown }
    | { binary: { maxBytes: number }; required: true };
  responses: Record<number, ResponseSpec>;
  /** Needs no key (health, the document itself). */
  public?: boolean;
  /** Answers 503 when Temporal cannot be reached. */
  temporal?: boolean;
  /** Answers 503 when the records database cannot be reached. */
  database?: boolean;
}

export const TAGS = {
  invoices: 'Submit invoices and follow them until they are paid.',
  tasks: 'What a person must answer for an invoice to go on.',
  audit: 'What happened to an invoice, event by event.',
  connections: "A supplier's PISTE application and Chorus Pro technical account, verified layer by layer.",
  uploads: 'Attachments uploaded once and referenced by hash.',
  access: 'Who the caller is and which keys exist.',
  webhooks: 'Events sent to your webhook: what was delivered, what failed, redelivery, signing secrets.',
  codec: 'The payload codec the Temporal Web UI and CLI call to read encrypted histories.',
  service: 'Health and this document.',
} as const;
export type Tag = keyof typeof TAGS;

const invoiceIdParam = { id: InvoiceId };
const connectionIdParam = { id: ConnectionId };

/** A valid invoice of the README walkthrough (buyer 11000000000031 requires an engagement number). */
const INVOICE_EXAMPLE = {
  connectionId: 'demo',
  invoiceNumber: 'F-2026-0042',
  issueDate: '2026-11-28',
  buyer: { siret: '11000000000031' },
  billingFrame: 'A1',
  vatRegime: 'TVA_SUR_DEBIT',
  paymentMode: 'VIREMENT',
  lines: [
    { description: 'Maintenance chaudière', quantity: '2', unitPriceExclVat: '150.00', vatRatePercent: '20' },
    { description: 'Déplacement', quantity: '1', unitPriceExclVat: { cents: 4550 }, vatRatePercent: '20' },
  ],
};

const readInvoice = (from: string): LinkSpec => ({
  operationId: 'getInvoice',
  parameters: { id: from },
  description: 'Read the invoice: status, checklist, open task.',
});

/** Invoice batches (api/invoice-batches.ts). */
const INVOICE_BATCH_OPERATIONS: readonly Operation[] = [
  {
    method: 'POST',
    path: '/v1/invoice-batches',
    operationId: 'submitInvoiceBatch',
    tag: 'invoices',
    summary: 'Submit up to 1,000 invoices at once',
    description:
      'Each invoice is checked exactly as POST /v1/invoices checks one. All or nothing: when any invoice is ' +
      'invalid, the answer is 400 with every error at once, each field under its index (`invoices.3.buyer.siret`), ' +
      'and nothing is kept or started. Otherwise the batch is stored and each invoice started as its own workflow ' +
      '(several at a time, in the background for a large batch); follow it with GET /v1/invoice-batches/{id}. ' +
      'Idempotent per invoice number like POST /v1/invoices: a number already submitted with the same content ' +
      '(before, or earlier in the batch) is the same invoice (`existing`); with other content, that item is a ' +
      '`conflict` and the others go on. Sending a batch again is safe.',
    body: {
      json: { name: 'InvoiceBatchSubmission', schema: InvoiceBatchBody },
      required: true,
      example: { invoices: [INVOICE_EXAMPLE] },
    },
    temporal: true,
    database: true,
    responses: {
      202: {
        description:
          'Accepted: every invoice is valid and the batch is stored; its invoices are started (`started: true`) ' +
          'or being started. Follow it at Location.',
        json: { name: 'InvoiceBatchAccepted', schema: InvoiceBatchAccepted },
        headers: LOCATION,
        links: {
          read: {
            operationId: 'getInvoiceBatch',
            parameters: { id: '$response.body#/id' },
            description: 'Follow the batch: counts by status, each invoice’s outcome.',
          },
        },
      },
      400: {
        description:
          'One or more invalid invoices (a message per field, under `invoices.<index>.`), a connection this key ' +
          'does not know, or not 1 to 1,000 invoices: nothing was started.',
      },
    },
  },
  {
    method: 'GET',
    path: '/v1/invoice-batches/:id',
    operationId: 'getInvoiceBatch',
    tag: 'invoices',
    summary: 'Follow a batch: counts by status and each invoice’s outcome',
    description:
      'How far starting the batch has gone (`progress`), its invoices counted by their current status (from the ' +
      'records the workflows keep, within moments of each change) and every item: its invoice id, outcome ' +
      '(pending, started, existing, conflict), status, or error.',
    pathParams: { id: BatchId },
    database: true,
    responses: {
      200: {
        description: 'The batch.',
        json: { name: 'InvoiceBatch', schema: InvoiceBatchView },
        links: {
          first: readInvoice('$response.body#/invoices/0/id'),
        },
      },
      404: { description: 'No such batch (or one with invoices of a connection this key may not see).' },
    },
  },
];

export const OPERATIONS: readonly Operation[] = [
  {
    method: 'POST',
    path: '/v1/invoices',
    operationId: 'submitInvoice',
    tag: 'invoices',
    summary: 'Submit an invoice',
    description:
      'Starts the invoice workflow: it checks the buyer in Chorus Pro, asks (as a task) for what this buyer ' +
      'requires and is missing, uploads the attachments, sends the invoice exactly once and follows it until it ' +
      'is paid. Amounts are decimal strings or integer cents, never JSON numbers. The same number with the same ' +
      'content again answers 200 with the same id; the same number with different content answers 409.',
    body: {
      json: { name: 'InvoiceSubmission', schema: InvoiceInput },
      required: true,
      example: INVOICE_EXAMPLE,
    },
    temporal: true,
    database: true,
    responses: {
      202: {
        description: 'Accepted: the workflow started. Follow it at Location.',
        json: { name: 'InvoiceAccepted', schema: InvoiceAccepted },
        headers: LOCATION,
        links: {
          read: readInvoice('$response.body#/id'),
          cancel: {
            operationId: 'cancelInvoice',
            parameters: { id: '$response.body#/id' },
            description: 'Cancel it before it is sent.',
          },
          history: {
            operationId: 'getInvoiceHistory',
            parameters: { id: '$response.body#/id' },
            description: 'Its audit timeline.',
          },
        },
      },
      200: {
        description: 'Already submitted with the same content: the same id (`existing: true`).',
        json: { name: 'InvoiceAccepted', schema: InvoiceAccepted },
        links: { read: readInvoice('$response.body#/id') },
      },
      400: { description: 'Invalid invoice (a message per field), or a connection this key does not know.' },
      409: { description: 'This number was already submitted on this connection with different content.' },
    },
  },
  ...INVOICE_BATCH_OPERATIONS,
  {
    method: 'POST',
    path: '/v1/invoices/validate',
    operationId: 'validateInvoice',
    tag: 'invoices',
    summary: 'Dry run: would this invoice go through?',
    description:
      'Checks the invoice as the workflow would, against what Chorus Pro says now (supplier, buyer, services, ' +
      'engagement, reference lists, bank accounts): the readiness checklist, the totals and, when ready, the exact ' +
      '`soumettre` body. Nothing is started, stored or uploaded; read through the connection’s workflow.',
    body: {
      json: { name: 'InvoiceSubmission', schema: InvoiceInput },
      required: true,
      example: INVOICE_EXAMPLE,
    },
    temporal: true,
    responses: {
      200: {
        description: 'The checklist (what a task would ask for), totals and, when ready, the payload.',
        json: { name: 'InvoiceDryRun', schema: DryRunSchema },
      },
      400: { description: 'Invalid invoice (a message per field), or a connection this key does not know.' },
      502: { description: 'Chorus Pro could not be read through this connection (the reason is given).' },
      504: { description: 'Chorus Pro did not answer within 25 s.' },
    },
  },
  {
    method: 'GET',
    path: '/v1/buyers/:siret/requirements',
    operationId: 'getBuyerRequirements',
    tag: 'invoices',
    summary: 'What a buyer requires of an invoice',
    description:
      'Read from Chorus Pro now, through a connection: the structure’s name and status, whether it accepts ' +
      'invoices, whether a service code and/or an engagement number is required, its active services with their ' +
      'own flags, and the billing frames. For an ERP to show the right fields before it submits.',
    pathParams: { siret: Siret },
    query: RequirementsQuery,
    temporal: true,
    responses: {
      200: {
        description: 'The requirements (`found: false` when Chorus Pro knows no structure with this SIRET).',
        json: { name: 'BuyerRequirements', schema: BuyerRequirementsSchema },
      },
      400: { description: 'Not a SIRET, or a connection this key does not know.' },
      502: { description: 'Chorus Pro could not be read through this connection (the reason is given).' },
      504: { description: 'Chorus Pro did not answer within 25 s.' },
    },
  },
  {
    method: 'GET',
    path: '/v1/invoices',
    operationId: 'listInvoices',
    tag: 'invoices',
    summary: 'List and search invoices, most recently changed first',
    description:
      'From the records database (each invoice workflow records its state at every change): filters, sorting and ' +
      'cursor pages; works while Temporal is down. A page token is bound to the filters and sort it was given for.',
    query: ListQuery,
    database: true,
    responses: {
      200: {
        description: 'A page of invoices and, when more exist, `nextPageToken`.',
        json: { name: 'InvoicePage', schema: InvoicePage },
        links: {
          first: readInvoice('$response.body#/invoices/0/id'),
        },
      },
      400: {
        description: 'A filter in a bad format, or a page token this API did not give for these filters.',
      },
    },
  },
  {
    method: 'GET',
    path: '/v1/invoices/:id',
    operationId: 'getInvoice',
    tag: 'invoices',
    summary: 'Read an invoice',
    description:
      'Status and Chorus Pro status, Chorus Pro invoice id, the readiness checklist, the open task with its form ' +
      '(fields, why, allowed values), attachments and both timelines.',
    pathParams: invoiceIdParam,
    temporal: true,
    database: true,
    responses: {
      200: {
        description:
          'The invoice: live from its workflow, or as last recorded when the workflow does not answer within 2 s ' +
          'or Temporal no longer keeps it (`read` says which).',
        json: { name: 'InvoiceRead', schema: InvoiceRead },
        links: {
          answer: {
            operationId: 'answerTask',
            parameters: { id: '$request.path.id' },
            requestBody: { taskId: '$response.body#/openTask/id' },
            description: 'Answer its open task.',
          },
          cancel: {
            operationId: 'cancelInvoice',
            parameters: { id: '$request.path.id' },
            description: 'Cancel it before it is sent.',
          },
        },
      },
      404: { description: 'No such invoice (or one of another tenant).' },
    },
  },
  {
    method: 'GET',
    path: '/v1/invoices/:id/history',
    operationId: 'getInvoiceHistory',
    tag: 'audit',
    summary: 'Audit trail of an invoice: a readable timeline, or the raw Temporal history',
    description:
      'Without `format` (or with `format=timeline`): the facts the invoice workflow recorded as it decided — the ' +
      'readiness checklist as evaluated, tasks and who answered them with what, the exact `soumettre` request and ' +
      "Chorus Pro's answer, lookups and adoptions, Chorus Pro statuses with Chorus Pro's own timestamps, status " +
      'changes, reminders and timers — beside what Temporal did (runs, retries and their causes, webhooks, the ' +
      'result), in time order, each sentence in English and French. Values are redacted.\n\n' +
      "With `format=temporal`: one run's raw history in Temporal's JSON form, the latest run unless `runId` names " +
      'another (`runId` is refused without `format=temporal`). Payloads are decoded (plain JSON, redacted) for the ' +
      'auditor role and left as stored (encrypted) for other roles; the `x-payloads` header says which, ' +
      '`x-temporal-run-id` which run.',
    pathParams: invoiceIdParam,
    query: HistoryQuery,
    temporal: true,
    database: true,
    responses: {
      200: {
        description: 'The timeline (default) or the raw history of one run (format=temporal).',
        json: { name: 'InvoiceHistory', schema: z.union([AuditTimeline, TemporalHistory]) },
        headers: {
          'x-temporal-run-id': {
            description: 'format=temporal: the run returned.',
            schema: { type: 'string' },
          },
          'x-payloads': {
            description: 'format=temporal: `decoded` or `encoded`.',
            schema: { type: 'string', enum: ['decoded', 'encoded'] },
          },
          'x-history-source': {
            description:
              'format=temporal: `temporal`, or `archive` once Temporal no longer keeps the invoice.',
            schema: { type: 'string', enum: ['temporal', 'archive'] },
          },
        },
      },
      400: { description: 'A bad format or run id, or a run id without format=temporal.' },
      404: { description: 'No such invoice, or no such run of it.' },
    },
  },
  {
    method: 'GET',
    path: '/v1/invoices/:id/evidence',
    operationId: 'getInvoiceEvidence',
    tag: 'audit',
    summary: "An invoice's evidence in one document, with its hash",
    description:
      "The invoice as last known, its attachments' hashes, Chorus Pro's statuses with Chorus Pro's own dates, the " +
      "audit timeline, every run's raw history as stored (encrypted payloads) with the archive's content hashes, " +
      'the webhook events sent, and `bundleHash` (sha256 of the document without it). Works from the archive once ' +
      'Temporal no longer keeps the invoice.',
    pathParams: invoiceIdParam,
    temporal: true,
    database: true,
    responses: {
      200: {
        description: 'The bundle (sent as an attachment, `evidence-<id>.json`).',
        json: { name: 'EvidenceBundle', schema: EvidenceBundle },
      },
      404: { description: 'No such invoice (or one of another tenant).' },
    },
  },
  {
    method: 'POST',
    path: '/v1/invoices/:id/task',
    operationId: 'answerTask',
    tag: 'tasks',
    summary: 'Answer the open task (missing data, approval, recycle, complete, duplicate number)',
    description:
      'The task (in GET /v1/invoices/{id} or GET /v1/tasks) says which fields it needs, why, and where Chorus Pro ' +
      'has a list, the allowed values. A refused answer is refused at once (422) with a message per field and ' +
      'changes nothing; an accepted one lets the workflow check again and go on.',
    pathParams: invoiceIdParam,
    actingUser: true,
    body: {
      json: { name: 'TaskAnswer', schema: TaskAnswerBody },
      required: true,
      example: { taskId: 'missing_data-3', values: { 'references.engagementNumber': 'EJ-2026-000123' } },
    },
    temporal: true,
    responses: {
      200: {
        description: 'Accepted; the workflow goes on.',
        json: { name: 'TaskAccepted', schema: TaskAccepted },
        links: { read: readInvoice('$request.path.id') },
      },
      400: { description: 'A malformed answer, with a message per field.' },
      404: { description: 'No such invoice.' },
      409: { description: 'No open task, a task id that is not the open one, or an invoice that has ended.' },
      422: { description: 'Refused by the task: a message per field (`error.fields`).' },
    },
  },
  {
    method: 'POST',
    path: '/v1/invoices/:id/cancel',
    operationId: 'cancelInvoice',
    tag: 'invoices',
    summary: 'Cancel an invoice before it is sent to Chorus Pro',
    pathParams: invoiceIdParam,
    actingUser: true,
    body: { json: { name: 'CancelRequest', schema: CancelBody }, required: false },
    temporal: true,
    responses: {
      200: {
        description: 'Cancelled.',
        json: { name: 'InvoiceCancelled', schema: InvoiceCancelled },
        links: { read: readInvoice('$request.path.id') },
      },
      404: { description: 'No such invoice.' },
      409: { description: 'Too late: it was sent to Chorus Pro (or it has ended).' },
    },
  },
  {
    method: 'GET',
    path: '/v1/tasks',
    operationId: 'listTasks',
    tag: 'tasks',
    summary: 'Every open task, oldest first',
    description: 'From the records database: works while Temporal is down.',
    query: TasksQuery,
    database: true,
    responses: {
      200: {
        description: 'Open tasks with their forms.',
        json: { name: 'TaskList', schema: TaskList },
        links: {
          answer: {
            operationId: 'answerTask',
            parameters: { id: '$response.body#/tasks/0/invoiceId' },
            requestBody: { taskId: '$response.body#/tasks/0/task/id' },
            description: 'Answer the oldest task.',
          },
        },
      },
    },
  },
  {
    method: 'POST',
    path: '/v1/uploads',
    operationId: 'uploadAttachment',
    tag: 'uploads',
    summary: 'Upload an attachment once; reference it as `uploadRef`',
    description: 'The body is the file itself (any content type but JSON), at most 10 MB.',
    body: { binary: { maxBytes: 10 * 1024 * 1024 }, required: true },
    database: true,
    responses: {
      201: { description: 'Stored (once per content).', json: { name: 'Uploaded', schema: Uploaded } },
      400: { description: 'An empty file.' },
    },
  },
  {
    method: 'GET',
    path: '/v1/connections',
    operationId: 'listConnections',
    tag: 'connections',
    summary: "List connections with their checks (the key's tenants only)",
    temporal: true,
    database: true,
    responses: {
      200: { description: 'The connections.', json: { name: 'ConnectionList', schema: ConnectionList } },
    },
  },
  {
    method: 'GET',
    path: '/v1/connections/:id',
    operationId: 'getConnection',
    tag: 'connections',
    summary: 'Read a connection: status, checks with remedies, password expiry',
    pathParams: connectionIdParam,
    temporal: true,
    database: true,
    responses: {
      200: {
        description: 'The connection (secrets never shown).',
        json: { name: 'ConnectionView', schema: ConnectionViewSchema },
      },
      404: { description: 'No such connection (or one of another tenant).' },
    },
  },
  {
    method: 'POST',
    path: '/v1/connections',
    operationId: 'createConnection',
    tag: 'connections',
    summary: 'Create a connection; its checks follow',
    description:
      'Stores the connection (secrets sealed) and starts its workflow, which verifies it layer by layer: PISTE ' +
      'OAuth, technical account, each API family, the supplier attachment, password expiry. Read the result at ' +
      'Location.',
    actingUser: true,
    body: {
      json: { name: 'ConnectionCreation', schema: ConnectionBody },
      required: true,
      example: {
        id: 'acme-qualif',
        environment: 'sandbox',
        supplierSiret: '12345678900011',
        piste: { clientId: 'my-piste-client-id', clientSecret: 'my-piste-client-secret' },
        technicalAccount: { login: 'TECH_1_12345678900011@cpro.fr', password: 'my-password' },
      },
    },
    temporal: true,
    database: true,
    responses: {
      202: {
        description: 'Stored; its verification runs now (status VERIFYING).',
        json: { name: 'ConnectionCreated', schema: ConnectionCreated },
        headers: LOCATION,
        links: {
          read: {
            operationId: 'getConnection',
            parameters: { id: '$response.body#/id' },
            description: 'Its checks, once verified.',
          },
          verify: {
            operationId: 'verifyConnection',
            parameters: { id: '$response.body#/id' },
            description: 'Verify it again now.',
          },
          credentials: {
            operationId: 'replaceCredentials',
            parameters: { id: '$response.body#/id' },
            description: 'Replace its credentials.',
          },
        },
      },
      400: { description: 'Invalid connection, with a message per field.' },
      403: { description: "The key's role may not create connections, or not this tenant." },
      409: { description: 'A connection with this id exists: replace its credentials instead.' },
    },
  },
  {
    method: 'PUT',
    path: '/v1/connections/:id/credentials',
    operationId: 'replaceCredentials',
    tag: 'connections',
    summary: 'Replace credentials (one pair or both); verified again at once',
    pathParams: connectionIdParam,
    actingUser: true,
    body: { json: { name: 'CredentialsReplacement', schema: CredentialsBody }, required: true },
    temporal: true,
    database: true,
    responses: {
      202: {
        description: 'Stored; the verification runs now (status VERIFYING).',
        json: { name: 'ConnectionVerifying', schema: ConnectionVerifying },
        links: {
          read: {
            operationId: 'getConnection',
            parameters: { id: '$request.path.id' },
            description: 'Its checks, once verified.',
          },
        },
      },
      404: { description: 'No such connection.' },
    },
  },
  {
    method: 'POST',
    path: '/v1/connections/:id/verify',
    operationId: 'verifyConnection',
    tag: 'connections',
    summary: 'Verify a connection now and answer with the result',
    pathParams: connectionIdParam,
    actingUser: true,
    temporal: true,
    database: true,
    responses: {
      202: {
        description:
          'Not verified within 10 s (Chorus Pro slow or unreachable): it goes on; status VERIFYING.',
        json: { name: 'ConnectionView', schema: ConnectionViewSchema },
      },
      200: {
        description: 'The connection as verified.',
        json: { name: 'ConnectionView', schema: ConnectionViewSchema },
      },
      404: { description: 'No such connection.' },
    },
  },
  {
    method: 'POST',
    path: '/v1/connections/:id/webhook-secret',
    operationId: 'rotateWebhookSecret',
    tag: 'webhooks',
    summary: "A new signing secret for the connection's webhook events (the old one kept during the overlap)",
    description:
      'Events are signed with the new secret at once; during `overlapHours` (default 24) they carry a second ' +
      'signature with the old one, so the receiver can be updated without losing an event.',
    pathParams: connectionIdParam,
    actingUser: true,
    body: { json: { name: 'WebhookSecretRotation', schema: RotateSecretBody }, required: false },
    database: true,
    responses: {
      201: {
        description: 'The new secret, shown this once.',
        json: { name: 'WebhookSecret', schema: RotatedSecretResponse },
      },
      404: { description: 'No such connection.' },
    },
  },
  {
    method: 'GET',
    path: '/v1/webhooks/events',
    operationId: 'listWebhookEvents',
    tag: 'webhooks',
    summary: 'Webhook events and their delivery, newest first',
    description:
      'Every event the workflows queued, as the outbox delivers it: `pending` (with its next attempt), ' +
      '`delivered`, or `failed` (given up after its attempts; redeliver it once the receiver is fixed).',
    query: WebhookEventsQuery,
    database: true,
    responses: {
      200: { description: 'The events.', json: { name: 'WebhookEventList', schema: WebhookEventList } },
    },
  },
  {
    method: 'POST',
    path: '/v1/webhooks/events/:id/redeliver',
    operationId: 'redeliverWebhookEvent',
    tag: 'webhooks',
    summary: 'Send a webhook event again',
    pathParams: { id: z.string().min(1).max(300).meta({ description: 'The event id (URL-encode it).' }) },
    actingUser: true,
    database: true,
    responses: {
      202: {
        description:
          'Queued again: the outbox sends it at once, in order after the earlier events of its invoice.',
        json: { name: 'WebhookEvent', schema: WebhookEvent },
      },
      404: { description: 'No such event (or one of another tenant).' },
    },
  },
  {
    method: 'GET',
    path: '/v1/me',
    operationId: 'getMe',
    tag: 'access',
    summary: 'Who am I: key id, role, connections',
    responses: { 200: { description: 'The calling key.', json: { name: 'Me', schema: Me } } },
  },
  {
    method: 'GET',
    path: '/v1/keys',
    operationId: 'listKeys',
    tag: 'access',
    summary: 'API keys (ids, roles, connections; never the keys)',
    responses: {
      200: { description: 'The keys this key may see.', json: { name: 'KeyList', schema: KeyList } },
    },
  },
  {
    method: 'POST',
    path: '/v1/codec/encode',
    operationId: 'encodePayloads',
    tag: 'codec',
    summary: 'Payload codec: encrypt',
    body: { json: { name: 'CodecPayloads', schema: CodecPayloads }, required: true },
    responses: {
      200: { description: 'The payloads, encrypted.', json: { name: 'CodecResult', schema: CodecPayloads } },
      400: { description: 'Not base64, or a payload this codec cannot read.' },
    },
  },
  {
    method: 'POST',
    path: '/v1/codec/decode',
    operationId: 'decodePayloads',
    tag: 'codec',
    summary: 'Payload codec: decrypt',
    body: { json: { name: 'CodecPayloads', schema: CodecPayloads }, required: true },
    responses: {
      200: { description: 'The payloads, decrypted.', json: { name: 'CodecResult', schema: CodecPayloads } },
      400: { description: 'Not base64, or encrypted with a key this service does not have.' },
    },
  },
  {
    method: 'GET',
    path: '/healthz',
    operationId: 'getHealth',
    tag: 'service',
    summary: 'Liveness, with Temporal reachability',
    public: true,
    responses: {
      200: { description: 'Up, and Temporal answers.', json: { name: 'Health', schema: Health } },
      503: { description: 'Temporal does not answer.', json: { name: 'Health', schema: Health } },
    },
  },
];

/** Parts of the answers that get a name of their own (a type in the generated client). */
export const NAMED_PARTS: readonly NamedSchema[] = [
  { name: 'InvoiceStatus', schema: InvoiceStatusSchema },
  { name: 'InvoiceView', schema: InvoiceViewSchema },
  { name: 'ReadSource', schema: ReadSourceSchema },
  { name: 'TaskKind', schema: TaskKindSchema },
  { name: 'ReadinessItem', schema: ReadinessItemSchema },
  { name: 'OpenTask', schema: OpenTaskSchema },
  { name: 'TaskField', schema: TaskFieldSchema },
  { name: 'InvoiceListItem', schema: InvoiceListItemSchema },
  { name: 'ConnectionCheck', schema: ConnectionCheck },
  { name: 'AuditTimeline', schema: AuditTimeline },
  { name: 'AuditEntry', schema: AuditEntrySchema },
  { name: 'TemporalHistory', schema: TemporalHistory },
];

/** `GET /v1/invoices/:id` — the key that ties an operation to its policy. */
export const routeKey = (r: { method: string; path: string }): string => `${r.method} ${r.path}`;
