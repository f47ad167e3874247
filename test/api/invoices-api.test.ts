import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { createApp, withoutNul } from '../../api/app';
import { createTestRecords } from '../helpers/database';
import { ApiKeyRegistry } from '../../api/auth';
import { AesGcmPayloadCodec } from '../../platform/payload-codec';
import { FileSystemBlobStore } from '../../platform/blob-store';
import { FileConnectionDirectory } from '../../platform/connections';
import { createLogger } from '../../platform/logger';
import { freePort } from '../../scripts/temporal';
import { testServer } from '../helpers/temporal';

/** The REST layer alone: validation, documents and error mapping (the lifecycle is in test/e2e). */
describe('invoice API: validation, OpenAPI, error mapping', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'api-invoices-'));
  const connections = new FileConnectionDirectory(path.join(dataDir, 'connections.json'));
  let records: Awaited<ReturnType<typeof createTestRecords>>;
  const deps = {
    get db() {
      return records.db;
    },
    get webhookTargets() {
      return records.webhookTargets;
    },
    get webhookSecrets() {
      return records.webhookSecrets;
    },
    logger: createLogger({ name: 'api-test', level: 'silent' }),
    blobs: new FileSystemBlobStore(path.join(dataDir, 'blobs')),
    connections,
    taskQueue: 'api-invoices-test',
    keys: ApiKeyRegistry.development(),
    codec: new AesGcmPayloadCodec([{ id: 't', key: Buffer.alloc(32, 1) }]),
  };
  const valid = {
    connectionId: 'acme',
    invoiceNumber: 'F-1',
    issueDate: '2026-11-28',
    buyer: { siret: '11000000000015' },
    lines: [{ description: 'x', quantity: '1', unitPriceExclVat: '10', vatRatePercent: '20' }],
  };
  let reachable: Connection;
  let unreachable: Connection;

  beforeAll(async () => {
    records = await createTestRecords('api_invoices');
    await connections.upsert({
      id: 'acme',
      environment: 'simulator',
      supplierSiret: '87654321000010',
      piste: { clientId: 'id', clientSecret: 'secret' },
      technicalAccount: { login: 'TECH_1@cpro.fr', password: 'pw' },
    });
    reachable = await Connection.connect({ address: testServer().address });
    unreachable = Connection.lazy({ address: `127.0.0.1:${await freePort()}`, connectTimeout: 500 });
  });
  afterAll(async () => {
    await records?.close();
    await reachable?.close();
    await unreachable?.close();
  });

  it('serves an OpenAPI document generated from the request schemas, and its browsable docs', async () => {
    const app = createApp({ client: new Client({ connection: reachable }), ...deps });
    const doc = (await request(app).get('/v1/openapi.json').expect(200)).body as {
      openapi: string;
      paths: Record<string, unknown>;
      components: {
        schemas: { InvoiceSubmission: { properties: Record<string, unknown>; required: string[] } };
      };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/invoices',
        '/v1/invoices/{id}',
        '/v1/invoices/{id}/task',
        '/v1/invoices/{id}/cancel',
        '/v1/tasks',
      ]),
    );
    expect(Object.keys(doc.components.schemas.InvoiceSubmission.properties)).toEqual(
      expect.arrayContaining(['invoiceNumber', 'buyer', 'lines', 'attachments', 'vatRegime', 'webhookUrl']),
    );
    expect(doc.components.schemas.InvoiceSubmission.required).toEqual(
      expect.arrayContaining(['connectionId', 'invoiceNumber', 'lines']),
    );
    const page = await request(app).get('/docs').expect(200);
    expect(page.text).toContain('/docs/init.js');
    expect((await request(app).get('/docs/init.js').expect(200)).text).toContain('/v1/openapi.json');
    await request(app).get('/docs/assets/swagger-ui-bundle.js').expect(200);
  });

  it('refuses invalid invoices with one message per field, unknown fields and connections included', async () => {
    const app = createApp({ client: new Client({ connection: reachable }), ...deps });
    const res = await request(app)
      .post('/v1/invoices')
      .set('authorization', 'Bearer dev-key-system')
      .send({
        ...valid,
        invoiceNumber: 'bad number!',
        surprise: true,
        lines: [{ ...valid.lines[0], unitPriceExclVat: 10.5 }],
      })
      .expect(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(Object.keys(res.body.error.fields)).toEqual(
      expect.arrayContaining(['invoiceNumber', 'surprise', 'lines.0.unitPriceExclVat']),
    );
    const unknown = await request(app)
      .post('/v1/invoices')
      .set('authorization', 'Bearer dev-key-system')
      .send({ ...valid, connectionId: 'nobody' })
      .expect(400);
    expect(unknown.body.error.fields).toEqual({ connectionId: 'no connection "nobody" is configured' });
    const notFound = await request(app)
      .get('/v1/invoices/invoice%3Aacme%3ANOPE')
      .set('authorization', 'Bearer dev-key-system')
      .expect(404);
    expect(notFound.body.error.code).toBe('not_found');
    const badQuery = await request(app)
      .get('/v1/invoices?pageSize=100000')
      .set('authorization', 'Bearer dev-key-system')
      .expect(400);
    expect(badQuery.body.error.fields.pageSize).toBeDefined();
    await request(app)
      .post('/v1/uploads')
      .set('authorization', 'Bearer dev-key-system')
      .set('content-type', 'application/octet-stream')
      .send(Buffer.alloc(0))
      .expect(400);
    const upload = await request(app)
      .post('/v1/uploads')
      .set('authorization', 'Bearer dev-key-system')
      .set('content-type', 'application/pdf')
      .send(Buffer.from('%PDF-1.4'))
      .expect(201);
    expect(upload.body.uploadRef).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('refuses attachments over 120 MB in all before anything starts, naming the field', async () => {
    const app = createApp({ client: new Client({ connection: reachable }), ...deps });
    const refs: string[] = [];
    for (let i = 0; i < 13; i++) {
      // 13 different files of 10 MB each (content-addressed, so each must differ).
      const content = Buffer.alloc(10 * 1024 * 1024 - 16, i + 1);
      const upload = await request(app)
        .post('/v1/uploads')
        .set('authorization', 'Bearer dev-key-system')
        .set('content-type', 'application/pdf')
        .send(content)
        .expect(201);
      refs.push(upload.body.uploadRef as string);
    }
    const res = await request(app)
      .post('/v1/invoices')
      .set('authorization', 'Bearer dev-key-system')
      .send({
        ...valid,
        attachments: refs.map((uploadRef, i) => ({ fileName: `piece-${i}.pdf`, uploadRef })),
      })
      .expect(400);
    expect(res.body.error.fields).toEqual({
      attachments: expect.stringMatching(/at most 120 MB of attachments per invoice/),
    });
  });

  it('answers 503 when Temporal is unavailable, not 500', async () => {
    const app = createApp({ client: new Client({ connection: unreachable }), ...deps });
    const res = await request(app)
      .post('/v1/invoices')
      .set('authorization', 'Bearer dev-key-system')
      .send(valid);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('temporal_unavailable');
  }, 30_000);

  it('replaces a lone surrogate (half a character, which PostgreSQL refuses) and keeps whole ones', () => {
    expect(withoutNul({ clientId: '****\udc77x', emoji: '\ud83d\ude00', end: 'a\ud800' })).toEqual({
      clientId: '****\ufffdx',
      emoji: '\ud83d\ude00',
      end: 'a\ufffd',
    });
  });

  it('replaces U+0000 in the strings of a body (PostgreSQL cannot store it), leaving keys, numbers and nesting as they are', () => {
    expect(
      withoutNul({
        description: 'Pose\u0000',
        lines: [{ n: 1, text: '\u0000a\u0000' }],
        ok: true,
        none: null,
      }),
    ).toEqual({ description: 'Pose\ufffd', lines: [{ n: 1, text: '\ufffda\ufffd' }], ok: true, none: null });
  });
});
