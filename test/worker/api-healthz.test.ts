import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp } from '../../api/app';
import { createTestRecords } from '../helpers/database';
import { ApiKeyRegistry } from '../../api/auth';
import { AesGcmPayloadCodec } from '../../platform/payload-codec';
import { FileSystemBlobStore } from '../../platform/blob-store';
import { FileConnectionDirectory } from '../../platform/connections';
import { createLogger } from '../../platform/logger';
import { freePort } from '../../scripts/temporal';
import { openDatabase } from '../../platform/database';
import { testServer } from '../helpers/temporal';

const logger = createLogger({ name: 'api-test', level: 'silent' });
const dataDir = mkdtempSync(path.join(tmpdir(), 'api-test-'));
let records: Awaited<ReturnType<typeof createTestRecords>>;
const stores = {
  get db() {
    return records.db;
  },
  get webhookTargets() {
    return records.webhookTargets;
  },
  get webhookSecrets() {
    return records.webhookSecrets;
  },
  blobs: new FileSystemBlobStore(path.join(dataDir, 'blobs')),
  connections: new FileConnectionDirectory(path.join(dataDir, 'connections.json')),
  taskQueue: 'api-test',
  keys: ApiKeyRegistry.development(),
  codec: new AesGcmPayloadCodec([{ id: 't', key: Buffer.alloc(32, 1) }]),
};

describe('minimal API', () => {
  let reachable: Connection;
  let unreachable: Connection;
  beforeAll(async () => {
    records = await createTestRecords('api_healthz');
    reachable = await Connection.connect({ address: testServer().address });
    // Nothing listens on a port that was just free.
    unreachable = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
  });
  afterAll(async () => {
    await records?.close();
    await reachable?.close();
    await unreachable?.close();
  });

  it('GET /healthz is 200 when Temporal answers', async () => {
    const app = createApp({ client: new Client({ connection: reachable }), logger, ...stores });
    const res = await request(app).get('/healthz').expect(200);
    expect(res.body).toEqual({ status: 'ok', temporal: 'ok', database: 'ok' });
  });

  it('GET /healthz is 503 when Temporal is unreachable, within the health timeout', async () => {
    const app = createApp({
      client: new Client({ connection: unreachable }),
      logger,
      healthTimeoutMs: 500,
      ...stores,
    });
    const started = Date.now();
    const res = await request(app).get('/healthz').expect(503);
    expect(res.body).toEqual({ status: 'unavailable', temporal: 'unreachable', database: 'ok' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('GET /healthz is 503 when the database does not answer', async () => {
    const nowhere = new URL(records.url);
    nowhere.port = String(await freePort());
    const down = openDatabase(nowhere.toString());
    try {
      const app = createApp({
        client: new Client({ connection: reachable }),
        logger,
        healthTimeoutMs: 1_000,
        ...stores,
        db: down,
      });
      const res = await request(app).get('/healthz').expect(503);
      expect(res.body).toEqual({ status: 'unavailable', temporal: 'ok', database: 'unreachable' });
      // /metrics still answers: the records' gauges are absent rather than stale, and the source is down.
      const metrics = await request(app).get('/metrics').expect(200);
      expect(metrics.text).toMatch(/^chorus_metrics_source_up\{source="records"\} 0$/m);
      expect(metrics.text).toMatch(/^chorus_metrics_source_up\{source="temporal"\} 1$/m);
      expect(metrics.text).not.toMatch(/^chorus_invoices\{/m);
      expect(metrics.text).toMatch(/^chorus_connections\{status="FAILED"\} 0$/m);
    } finally {
      await down.destroy();
    }
  });

  it('answers anything else with a JSON 404, and malformed JSON with a JSON 400', async () => {
    const app = createApp({ client: new Client({ connection: reachable }), logger, ...stores });
    const missing = await request(app).get('/nope').expect(404);
    expect(missing.body).toEqual({ error: { code: 'not_found', message: 'No route for GET /nope' } });
    const malformed = await request(app)
      .post('/v1/invoices')
      .set('authorization', 'Bearer dev-key-system')
      .set('content-type', 'application/json')
      .send('{"broken":')
      .expect(400);
    expect(malformed.body.error.code).toBe('malformed_json');
  });
});
