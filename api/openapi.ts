import { z } from 'zod';
import { ROUTE_POLICY } from './access';
import {
  NAMED_PARTS,
  OPERATIONS,
  routeKey,
  TAGS,
  type NamedSchema,
  type Operation,
  type ResponseSpec,
} from './operations';
import {
  ALLOW,
  ErrorBody,
  RATE_LIMIT_HEADERS,
  RETRY_AFTER,
  WWW_AUTHENTICATE,
  type HeaderSpec,
} from './schemas/common';

/**
 * The OpenAPI 3.1 document, rendered from the contract table (api/operations.ts) and the zod
 * schemas the code validates and answers with. zod's own converter (`z.toJSONSchema`) writes every
 * schema: requests as a caller may send them (defaults optional), answers as the service sends them.
 * Here are only the answers every route shares: authentication, rate limits, body parsing, Temporal.
 */

type Json = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const ACTING_USER = /^[\p{L}\p{N} .@_+'-]{1,120}$/u;

/** Every named schema in one mode, with references between them. */
function componentSchemas(named: NamedSchema[], io: 'input' | 'output'): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const { name, schema } of named) if (!registry.has(schema)) registry.add(schema, { id: name });
  const { schemas } = z.toJSONSchema(registry, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'throw',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Json> };
  for (const schema of Object.values(schemas)) {
    delete schema.$schema;
    delete schema.$id;
  }
  return schemas;
}

/** A schema written inline (parameters), as a caller sends it. */
function inline(schema: z.ZodType): Json {
  const json = z.toJSONSchema(schema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'throw',
  }) as Json;
  delete json.$schema;
  return json;
}

const errorResponse = (description: string, headers?: Record<string, HeaderSpec>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: ref('Error') } },
});

function parameters(op: Operation): Json[] {
  const list: Json[] = [];
  for (const [name, schema] of Object.entries(op.pathParams ?? {})) {
    const json = inline(schema);
    list.push({ name, in: 'path', required: true, description: json.description, schema: json });
  }
  if (op.query) {
    const json = inline(op.query) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(json.properties ?? {})) {
      list.push({
        name,
        in: 'query',
        required: json.required?.includes(name) ?? false,
        ...(schema.description ? { description: schema.description } : {}),
        schema,
      });
    }
  }
  if (op.actingUser) {
    list.push({
      name: 'X-Acting-User',
      in: 'header',
      required: false,
      description: 'The person acting through this key; recorded with the action in the workflow history.',
      schema: { type: 'string', pattern: ACTING_USER.source, examples: ['claire.martin'] },
    });
  }
  return list;
}

function requestBody(op: Operation): Json | undefined {
  if (!op.body) return undefined;
  if ('binary' in op.body) {
    return {
      required: true,
      content: {
        'application/octet-stream': {
          schema: {
            type: 'string',
            format: 'binary',
            minLength: 1,
            description: `The file, 1 byte to ${op.body.binary.maxBytes} bytes.`,
          },
        },
      },
    };
  }
  return {
    required: op.body.required,
    content: {
      'application/json': {
        schema: ref(op.body.json.name),
        ...(op.body.example ? { examples: { example: { value: op.body.example } } } : {}),
      },
    },
  };
}

function response(spec: ResponseSpec, status: number, authenticated: boolean): Json {
  const headers = { ...(authenticated && status < 400 ? RATE_LIMIT_HEADERS : {}), ...spec.headers };
  return {
    description: spec.description,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    content: { 'application/json': { schema: ref(spec.json?.name ?? 'Error') } },
    ...(spec.links ? { links: spec.links } : {}),
  };
}

function operationObject(op: Operation): Json {
  const policy = ROUTE_POLICY.find((p) => routeKey(p) === routeKey(op));
  if (!op.public && !policy)
    throw new Error(`${routeKey(op)} is in the contract but not in the policy table`);
  const authenticated = !op.public;
  const responses: Record<string, Json> = {};
  for (const [status, spec] of Object.entries(op.responses)) {
    responses[status] = response(spec, Number(status), authenticated);
  }
  const add = (status: number, value: Json) => (responses[status] ??= value);
  if (authenticated) {
    add(400, errorResponse('Invalid request, with a message per field (`error.fields`).'));
    add(401, errorResponse('No key, or an unknown key.', WWW_AUTHENTICATE));
    add(403, errorResponse(`The key's role may not use this route (allowed: ${policy!.roles.join(', ')}).`));
    add(429, errorResponse('Rate limit reached: wait Retry-After seconds.', RETRY_AFTER));
  }
  add(431, errorResponse('The request line and headers are over 16 KB.'));
  if (op.body) {
    add(413, errorResponse('The body is larger than this route accepts.'));
    add(415, errorResponse('The body is not JSON (Content-Type: application/json).'));
  }
  const needs = [op.temporal ? 'Temporal' : undefined, op.database ? 'the records database' : undefined];
  const unavailable = needs.filter(Boolean).join(' or ');
  if (unavailable) add(503, errorResponse(`${unavailable} is unavailable: retry in a moment.`));
  const params = parameters(op);
  const body = requestBody(op);
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    description: [op.description, policy ? `Roles: ${policy.roles.join(', ')}.` : 'No key needed.']
      .filter(Boolean)
      .join('\n\n'),
    security: authenticated ? [{ apiKey: [] }] : [],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b))),
  };
}

/** Request schemas as sent, answer schemas as received; a name used both ways must mean one thing. */
function allSchemas(): Record<string, Json> {
  const requests = OPERATIONS.flatMap((op) => (op.body && 'json' in op.body ? [op.body.json] : []));
  const answers = [
    { name: 'Error', schema: ErrorBody },
    ...NAMED_PARTS,
    ...OPERATIONS.flatMap((op) => Object.values(op.responses).flatMap((r) => (r.json ? [r.json] : []))),
  ];
  const input = componentSchemas(requests, 'input');
  const output = componentSchemas(answers, 'output');
  for (const name of Object.keys(input)) {
    if (name in output && JSON.stringify(input[name]) !== JSON.stringify(output[name])) {
      throw new Error(`schema ${name} differs between requests and answers: give them two names`);
    }
  }
  return Object.fromEntries(Object.entries({ ...output, ...input }).sort(([a], [b]) => a.localeCompare(b)));
}

export const openApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

/** The OpenAPI 3.1 document of the API. */
export function openApiDocument(): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const op of OPERATIONS) {
    (paths[openApiPath(op.path)] ??= {})[op.method.toLowerCase()] = operationObject(op);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Chorus Pro submission service',
      version: '1',
      description:
        'Submit invoices to Chorus Pro (the French State e-invoicing portal) and follow them until they are paid. ' +
        'Each invoice is one durable workflow; missing data and approvals become tasks answered through this API.\n\n' +
        'Every error answer is `{ "error": { "code", "message", "fields"? } }`. A method a path does not accept ' +
        'answers 405 with `Allow`. Every answer to a key carries `RateLimit-Limit`, `RateLimit-Remaining` and ' +
        '`RateLimit-Reset`; a 429 carries `Retry-After`. Every answer carries `X-Request-Id`: the one the ' +
        'request sent when it is 1 to 128 letters, digits, `.`, `_`, `:` or `-`, else a generated UUID; the ' +
        "API's log line for the request and, for `POST /v1/invoices`, the invoice workflow's memo carry it.",
    },
    servers: [{ url: '/' }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API key: `Authorization: Bearer <key>`. In development mode: dev-key-system, dev-key-staff, dev-key-auditor, dev-key-admin.',
        },
      },
      schemas: allSchemas(),
      responses: {
        // Not an answer of any one operation: what every path answers to a method it does not accept.
        MethodNotAllowed: errorResponse(
          'The path does not accept this method; `Allow` lists those it does.',
          ALLOW,
        ),
      },
    },
    paths,
  };
}
