/**
 * The routes under fuzz. The list is the API's own policy table (api/access.ts), so a route added
 * there is fuzzed at once by every route-generic category (authentication, roles, tenants, methods,
 * path parameters, acting-user header). Routes that take a JSON body or a query also have a
 * description here: a request the API would accept, and the fields a generator may break.
 */
import { ROUTE_POLICY, type RoutePolicy } from '../../api/access';
import { ROLES, type Role } from '../../domain/actor';

export interface FuzzContext {
  /** The stack's connection (tenant) and an invoice of it waiting for an answer. */
  connectionId: string;
  invoiceId: string;
  invoiceNumber: string;
  taskId: string;
  /** The field that invoice's task asks for. */
  taskField: string;
  /** A buyer the simulator knows, without requirements. */
  buyerSiret: string;
  supplierSiret: string;
  /** A key per role, all tenants. */
  keys: Record<Role, string>;
  /** A key per role limited to a connection that is not the stack's. */
  otherTenantKeys: Record<Role, string>;
  otherTenant: string;
}

export const routeLabel = (p: Pick<RoutePolicy, 'method' | 'path'>): string => `${p.method} ${p.path}`;

export const ROUTES: readonly RoutePolicy[] = ROUTE_POLICY;

/** A request the API would accept (with an allowed key): the base that generators break. */
export interface ValidRequest {
  method: string;
  path: string;
  /** JSON body, when the route takes one. */
  json?: unknown;
  /** Non-JSON body (uploads). */
  bytes?: { data: Buffer; contentType: string };
}

/** The value kinds of body fields, to know what a wrong type or a bad value is for each. */
export type FieldKind =
  | 'string'
  | 'enum'
  | 'boolean'
  | 'decimal' // a decimal string or a JSON number
  | 'money' // a decimal string or { cents }
  | 'date'
  | 'siret'
  | 'base64'
  | 'uploadRef'
  | 'fileName'
  | 'url'
  | 'email'
  | 'object'
  | 'array'
  | 'record';

export interface FieldSpec {
  /** Dotted path in the body (array indexes as numbers). */
  path: string;
  kind: FieldKind;
  /** Longest string the API accepts, when it has a limit. */
  max?: number;
  /** Objects refusing unknown keys. */
  strict?: boolean;
}

export interface BodyRoute {
  route: string;
  /** JSON body limit of the route, in bytes. */
  bodyLimit: number;
  /** A fresh valid request (new numbers and ids each time, so a leak would be a new workflow). */
  valid(ctx: FuzzContext, nonce: string): ValidRequest;
  fields: readonly FieldSpec[];
  /**
   * True when the valid request targets existing state (the waiting invoice, the stack's
   * connection): only requests with a defect the API must refuse may be sent there.
   */
  touchesExisting: boolean;
}

const KB = 1024;
export const SMALL_JSON_LIMIT = 256 * KB;
const ATTACHMENT_JSON_LIMIT = 60 * KB * KB;
const CODEC_JSON_LIMIT = 8 * KB * KB;

export const PDF_BASE64 = Buffer.from('%PDF-1.4\n% fuzz\n').toString('base64');
export const enc = encodeURIComponent;

export function validInvoice(ctx: FuzzContext, nonce: string): Record<string, unknown> {
  return {
    connectionId: ctx.connectionId,
    invoiceNumber: `FZ-${nonce}`.slice(0, 20),
    issueDate: '2026-11-28',
    buyer: { siret: ctx.buyerSiret },
    references: { contractNumber: 'C-1' },
    billingFrame: 'A1',
    vatRegime: 'TVA_SUR_DEBIT',
    paymentMode: 'VIREMENT',
    contact: { name: 'Claire', email: 'claire@example.com', phone: '+33 1 23 45 67 89' },
    publicComment: 'fuzz',
    lines: [
      {
        description: 'Maintenance',
        quantity: '2',
        unit: 'heure',
        unitPriceExclVat: '150.00',
        vatRatePercent: '20',
        discountExclVat: { cents: 0 },
        reference: 'R-1',
      },
    ],
    totals: { totalExclVat: '300.00', totalVat: '60.00', totalInclVat: '360.00' },
    attachments: [{ fileName: 'bon.pdf', contentBase64: PDF_BASE64, type: 'Doc. Annexe', main: false }],
    requireApproval: false,
  };
}

const INVOICE_FIELDS: FieldSpec[] = [
  { path: '', kind: 'object', strict: true },
  { path: 'connectionId', kind: 'string', max: 64 },
  { path: 'invoiceNumber', kind: 'string', max: 20 },
  { path: 'type', kind: 'enum' },
  { path: 'originalInvoiceNumber', kind: 'string', max: 20 },
  { path: 'issueDate', kind: 'date' },
  { path: 'draft', kind: 'boolean' },
  { path: 'currency', kind: 'string', max: 3 },
  { path: 'buyer', kind: 'object', strict: true },
  { path: 'buyer.siret', kind: 'siret' },
  { path: 'buyer.serviceCode', kind: 'string', max: 100 },
  { path: 'references', kind: 'object', strict: true },
  { path: 'references.engagementNumber', kind: 'string', max: 50 },
  { path: 'references.contractNumber', kind: 'string', max: 50 },
  { path: 'billingFrame', kind: 'enum' },
  { path: 'vatRegime', kind: 'enum' },
  { path: 'vatExemptionReason', kind: 'string', max: 100 },
  { path: 'paymentMode', kind: 'enum' },
  { path: 'contact', kind: 'object', strict: true },
  { path: 'contact.name', kind: 'string', max: 100 },
  { path: 'contact.email', kind: 'email' },
  { path: 'contact.phone', kind: 'string', max: 30 },
  { path: 'publicComment', kind: 'string', max: 2000 },
  { path: 'lines', kind: 'array' },
  { path: 'lines.0', kind: 'object', strict: true },
  { path: 'lines.0.description', kind: 'string', max: 512 },
  { path: 'lines.0.quantity', kind: 'decimal' },
  { path: 'lines.0.unit', kind: 'string', max: 50 },
  { path: 'lines.0.unitPriceExclVat', kind: 'money' },
  { path: 'lines.0.vatRatePercent', kind: 'decimal' },
  { path: 'lines.0.discountExclVat', kind: 'money' },
  { path: 'lines.0.reference', kind: 'string', max: 100 },
  { path: 'totals', kind: 'object', strict: true },
  { path: 'totals.totalExclVat', kind: 'money' },
  { path: 'totals.totalVat', kind: 'money' },
  { path: 'totals.totalInclVat', kind: 'money' },
  { path: 'totals.amountDue', kind: 'money' },
  { path: 'attachments', kind: 'array' },
  { path: 'attachments.0', kind: 'object', strict: true },
  { path: 'attachments.0.fileName', kind: 'fileName', max: 50 },
  { path: 'attachments.0.contentBase64', kind: 'base64' },
  { path: 'attachments.0.uploadRef', kind: 'uploadRef' },
  { path: 'attachments.0.type', kind: 'string', max: 30 },
  { path: 'attachments.0.main', kind: 'boolean' },
  { path: 'requireApproval', kind: 'boolean' },
  { path: 'webhookUrl', kind: 'url' },
];

/** The answer that would complete the waiting invoice's task: only ever sent with a defect. */
export function validTaskAnswer(ctx: FuzzContext): Record<string, unknown> {
  return { taskId: ctx.taskId, values: { [ctx.taskField]: 'EJ-2026-000123' }, comment: 'fuzz' };
}

const TASK_FIELDS: FieldSpec[] = [
  { path: '', kind: 'object', strict: true },
  { path: 'taskId', kind: 'string' },
  { path: 'values', kind: 'record' },
  { path: 'approve', kind: 'boolean' },
  { path: 'comment', kind: 'string', max: 2000 },
  { path: 'attachments', kind: 'array' },
];

const CONNECTION_FIELDS: FieldSpec[] = [
  { path: '', kind: 'object', strict: true },
  { path: 'id', kind: 'string', max: 64 },
  { path: 'supplierSiret', kind: 'siret' },
  { path: 'environment', kind: 'enum' },
  { path: 'piste', kind: 'object', strict: true },
  { path: 'piste.clientId', kind: 'string', max: 200 },
  { path: 'piste.clientSecret', kind: 'string', max: 500 },
  { path: 'technicalAccount', kind: 'object', strict: true },
  { path: 'technicalAccount.login', kind: 'string', max: 200 },
  { path: 'technicalAccount.password', kind: 'string', max: 500 },
  { path: 'webhookUrl', kind: 'url' },
];

const CREDENTIAL_FIELDS: FieldSpec[] = [
  { path: '', kind: 'object', strict: true },
  { path: 'piste', kind: 'object', strict: true },
  { path: 'piste.clientId', kind: 'string', max: 200 },
  { path: 'piste.clientSecret', kind: 'string', max: 500 },
  { path: 'technicalAccount', kind: 'object', strict: true },
  { path: 'technicalAccount.login', kind: 'string', max: 200 },
  { path: 'technicalAccount.password', kind: 'string', max: 500 },
];

const CODEC_FIELDS: FieldSpec[] = [
  { path: '', kind: 'object', strict: true },
  { path: 'payloads', kind: 'array' },
  // Payload objects are not strict (the Web UI may send more); their values are.
  { path: 'payloads.0', kind: 'object' },
  { path: 'payloads.0.metadata', kind: 'record' },
  { path: 'payloads.0.metadata.encoding', kind: 'base64' },
  { path: 'payloads.0.data', kind: 'base64' },
];

const b64 = (s: string) => Buffer.from(s).toString('base64');

export const BODY_ROUTES: readonly BodyRoute[] = [
  {
    route: 'POST /v1/invoices',
    bodyLimit: ATTACHMENT_JSON_LIMIT,
    valid: (ctx, nonce) => ({ method: 'POST', path: '/v1/invoices', json: validInvoice(ctx, nonce) }),
    fields: INVOICE_FIELDS,
    touchesExisting: false,
  },
  {
    route: 'POST /v1/invoices/:id/task',
    bodyLimit: ATTACHMENT_JSON_LIMIT,
    valid: (ctx) => ({
      method: 'POST',
      path: `/v1/invoices/${enc(ctx.invoiceId)}/task`,
      json: validTaskAnswer(ctx),
    }),
    fields: TASK_FIELDS,
    touchesExisting: true,
  },
  {
    route: 'POST /v1/invoices/:id/cancel',
    bodyLimit: SMALL_JSON_LIMIT,
    valid: (ctx) => ({
      method: 'POST',
      path: `/v1/invoices/${enc(ctx.invoiceId)}/cancel`,
      json: { reason: 'fuzz' },
    }),
    fields: [
      { path: '', kind: 'object', strict: true },
      { path: 'reason', kind: 'string', max: 500 },
    ],
    touchesExisting: true,
  },
  {
    route: 'POST /v1/connections',
    bodyLimit: SMALL_JSON_LIMIT,
    valid: (ctx, nonce) => ({
      method: 'POST',
      path: '/v1/connections',
      json: {
        id: `fuzz-${nonce}`.toLowerCase(),
        supplierSiret: ctx.supplierSiret,
        environment: 'simulator',
        piste: { clientId: 'fuzz-client', clientSecret: 'fuzz-secret' },
        technicalAccount: { login: 'FUZZ@cpro.fr', password: 'fuzz-password' },
        webhookUrl: 'http://127.0.0.1:9/hook',
      },
    }),
    fields: CONNECTION_FIELDS,
    touchesExisting: false,
  },
  {
    route: 'PUT /v1/connections/:id/credentials',
    bodyLimit: SMALL_JSON_LIMIT,
    valid: (ctx) => ({
      method: 'PUT',
      path: `/v1/connections/${enc(ctx.connectionId)}/credentials`,
      json: {
        piste: { clientId: 'fuzz-client', clientSecret: 'fuzz-secret' },
        technicalAccount: { login: 'FUZZ@cpro.fr', password: 'fuzz-password' },
      },
    }),
    fields: CREDENTIAL_FIELDS,
    touchesExisting: true,
  },
  ...(['encode', 'decode'] as const).map((direction): BodyRoute => ({
    route: `POST /v1/codec/${direction}`,
    bodyLimit: CODEC_JSON_LIMIT,
    valid: () => ({
      method: 'POST',
      path: `/v1/codec/${direction}`,
      json: { payloads: [{ metadata: { encoding: b64('json/plain') }, data: b64('"fuzz"') }] },
    }),
    fields: CODEC_FIELDS,
    touchesExisting: false,
  })),
];

/** A request the route would accept, for every route of the policy table (bad auth is layered on). */
export function validRequestFor(policy: RoutePolicy, ctx: FuzzContext, nonce: string): ValidRequest {
  const label = routeLabel(policy);
  const body = BODY_ROUTES.find((r) => r.route === label);
  if (body) return body.valid(ctx, nonce);
  if (label === 'POST /v1/uploads') {
    return {
      method: 'POST',
      path: '/v1/uploads',
      bytes: { data: Buffer.from('%PDF-1.4 fuzz'), contentType: 'application/pdf' },
    };
  }
  const id = policy.tenant === 'connection' ? ctx.connectionId : ctx.invoiceId;
  const path = policy.path.replace(/:[a-zA-Z]+/g, () => enc(id));
  const query =
    label === 'GET /v1/invoices' || label === 'GET /v1/tasks' ? `?connectionId=${enc(ctx.connectionId)}` : '';
  return { method: policy.method, path: `${path}${query}` };
}

export const allowedRole = (policy: RoutePolicy): Role => policy.roles[0];
export const forbiddenRoles = (policy: RoutePolicy): Role[] => ROLES.filter((r) => !policy.roles.includes(r));

/** Materialises a route path with the given (already encoded) id. */
export const pathWithId = (policy: RoutePolicy, encodedId: string): string =>
  policy.path.replace(/:[a-zA-Z]+/g, () => encodedId);

export const LIST_QUERY_ROUTES = ['GET /v1/invoices', 'GET /v1/tasks'] as const;
