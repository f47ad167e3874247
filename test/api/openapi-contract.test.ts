import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { ROUTE_POLICY } from '../../api/access';
import { createApp } from '../../api/app';
import { ApiKeyRegistry } from '../../api/auth';
import { openApiDocument, openApiPath } from '../../api/openapi';
import { OPERATIONS, routeKey } from '../../api/operations';
import { FileSystemBlobStore } from '../../platform/blob-store';
import { FileConnectionDirectory } from '../../platform/connections';
import { createLogger } from '../../platform/logger';
import { AesGcmPayloadCodec } from '../../platform/payload-codec';
import { testServer } from '../helpers/temporal';

/**
 * The contract itself: a valid OpenAPI 3.1 document in which every route of the policy table has an
 * operationId, tags, a summary and a schema for each answer; the routing behaviour it promises
 * (405 with Allow, rate-limit headers). That answers match it is shown by Schemathesis (test/fuzz).
 */

interface OperationObject {
  operationId?: string;
  tags?: string[];
  summary?: string;
  security?: unknown[];
  responses: Record<
    string,
    { description: string; headers?: Record<string, unknown>; content?: Record<string, { schema?: unknown }> }
  >;
}
type Doc = { openapi: string; paths: Record<string, Record<string, OperationObject>> };

const doc = openApiDocument() as Doc;

describe('OpenAPI document', () => {
  it('validates as OpenAPI 3.1 (and the validator does refuse a broken copy)', async () => {
    const valid = (await SwaggerParser.validate(structuredClone(doc) as never)) as { openapi: string };
    expect(valid.openapi).toBe('3.1.0');
    const broken = structuredClone(doc);
    delete (broken.paths['/v1/invoices'].post.responses['202'] as { description?: string }).description;
    await expect(SwaggerParser.validate(broken as never)).rejects.toThrow(/description/);
  });

  it('has an operation for every route of the policy table, and none it does not police', () => {
    const policed = ROUTE_POLICY.map(routeKey).sort();
    const contracted = OPERATIONS.filter((op) => !op.public)
      .map(routeKey)
      .sort();
    expect(contracted).toEqual(policed);
  });

  it.each(ROUTE_POLICY.map((p) => [routeKey(p), p] as const))(
    '%s: operationId, tag, summary, security and a schema for every answer',
    (_key, policy) => {
      const op = doc.paths[openApiPath(policy.path)]?.[policy.method.toLowerCase()];
      expect(op).toBeDefined();
      expect(op.operationId).toMatch(/^[a-z][A-Za-z]+$/);
      expect(op.tags?.length).toBe(1);
      expect(op.summary).toBeTruthy();
      expect(op.security).toEqual([{ apiKey: [] }]);
      const statuses = Object.keys(op.responses);
      expect(statuses.some((s) => s.startsWith('2'))).toBe(true);
      // What the authentication and the rate limit answer on every route is in every operation.
      expect(statuses).toEqual(expect.arrayContaining(['400', '401', '403', '429']));
      for (const [status, answer] of Object.entries(op.responses)) {
        expect({ status, schema: answer.content?.['application/json']?.schema }).toEqual({
          status,
          schema: { $ref: expect.stringMatching(/^#\/components\/schemas\/[A-Z]\w+$/) },
        });
      }
      expect(op.responses['429'].headers).toHaveProperty('Retry-After');
      const success = statuses.find((s) => s.startsWith('2'))!;
      expect(Object.keys(op.responses[success].headers ?? {})).toEqual(
        expect.arrayContaining(['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']),
      );
    },
  );

  it('has unique operation ids', () => {
    const ids = OPERATIONS.map((op) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('says what a SIRET is, and shows decimals as patterned strings', () => {
    const text = JSON.stringify(doc);
    const schemas = (doc as unknown as { components: { schemas: Record<string, unknown> } }).components
      .schemas;
    const invoice = JSON.stringify(schemas.InvoiceSubmission);
    expect(invoice).toContain('"format":"siret"');
    expect(invoice).toContain('Luhn');
    const line = (
      schemas.InvoiceSubmission as {
        properties: { lines: { items: { properties: Record<string, { type?: string; pattern?: string }> } } };
      }
    ).properties.lines.items.properties;
    expect(line.quantity).toMatchObject({ type: 'string', pattern: expect.any(String) });
    expect(new RegExp(line.quantity.pattern!).test('0')).toBe(false);
    expect(new RegExp(line.quantity.pattern!).test('0.5')).toBe(true);
    expect(new RegExp(line.vatRatePercent.pattern!).test('100.5')).toBe(false);
    expect(text).not.toContain('"type":"number"');
  });
});

describe('routing as the contract says', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'openapi-contract-'));
  let connection: Connection;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    connection = await Connection.connect({ address: testServer().address });
    app = createApp({
      client: new Client({ connection }),
      logger: createLogger({ name: 'contract-test', level: 'silent' }),
      blobs: new FileSystemBlobStore(path.join(dataDir, 'blobs')),
      connections: new FileConnectionDirectory(path.join(dataDir, 'connections.json')),
      taskQueue: 'contract',
      codec: new AesGcmPayloadCodec([{ id: 't', key: Buffer.alloc(32, 7) }]),
      keys: ApiKeyRegistry.development(),
      rateLimitPerMinute: 100,
    });
  });
  afterAll(async () => {
    await connection?.close();
  });

  it.each([
    ['delete', '/v1/invoices', 'GET, HEAD, POST'],
    ['patch', '/v1/invoices/invoice%3Aa%3AF-1', 'GET, HEAD'],
    ['get', '/v1/invoices/invoice%3Aa%3AF-1/task', 'POST'],
    ['post', '/v1/connections/acme/credentials', 'PUT'],
    ['post', '/healthz', 'GET, HEAD'],
    ['put', '/v1/openapi.json', 'GET, HEAD'],
  ] as const)('%s %s answers 405 with Allow: %s', async (method, url, allow) => {
    const res = await request(app)[method](url).set('authorization', 'Bearer dev-key-admin');
    expect({ status: res.status, allow: res.headers.allow, code: res.body.error?.code }).toEqual({
      status: 405,
      allow,
      code: 'method_not_allowed',
    });
  });

  it('answers OPTIONS with 204 and Allow', async () => {
    const res = await request(app).options('/v1/tasks').set('authorization', 'Bearer dev-key-staff');
    expect({ status: res.status, allow: res.headers.allow }).toEqual({ status: 204, allow: 'GET, HEAD' });
  });

  it('sends the documented rate-limit headers with every answer to a key', async () => {
    const first = await request(app).get('/v1/me').set('authorization', 'Bearer dev-key-auditor').expect(200);
    const second = await request(app)
      .get('/v1/me')
      .set('authorization', 'Bearer dev-key-auditor')
      .expect(200);
    expect(first.headers['ratelimit-limit']).toBe('100');
    expect(Number(first.headers['ratelimit-remaining'])).toBe(99);
    expect(Number(second.headers['ratelimit-remaining'])).toBeLessThan(99);
    expect(Number(second.headers['ratelimit-reset'])).toBeGreaterThan(0);
  });
});
