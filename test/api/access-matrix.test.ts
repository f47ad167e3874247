import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { accessMatrixMarkdown, ROUTE_POLICY, type RoutePolicy } from '../../api/access';
import { createApp } from '../../api/app';
import { createTestRecords } from '../helpers/database';
import { ApiKeyRegistry, DEVELOPMENT_KEYS, hashApiKey } from '../../api/auth';
import { ROLES } from '../../domain/actor';
import { FileSystemBlobStore } from '../../platform/blob-store';
import { FileConnectionDirectory } from '../../platform/connections';
import { createLogger } from '../../platform/logger';
import { AesGcmPayloadCodec } from '../../platform/payload-codec';
import { testServer } from '../helpers/temporal';

/**
 * The role × route matrix, cell by cell, from the policy table the middleware enforces: every
 * forbidden cell answers 403, every allowed cell reaches the route's handler (whatever the handler
 * then says about the empty request). The README prints the same table.
 */

const dataDir = mkdtempSync(path.join(tmpdir(), 'access-matrix-'));
const logger = createLogger({ name: 'access-test', level: 'silent' });
const codec = new AesGcmPayloadCodec([{ id: 't', key: Buffer.alloc(32, 7) }]);

function concrete(
  policy: RoutePolicy,
  id = policy.tenant === 'invoice' ? 'invoice:acme:F-1' : 'acme',
): string {
  return policy.path.replace(':id', encodeURIComponent(id));
}

function send(app: ReturnType<typeof createApp>, policy: RoutePolicy, pathname: string, key?: string) {
  const r = request(app)[policy.method.toLowerCase() as 'get' | 'post' | 'put'](pathname);
  if (key) r.set('authorization', `Bearer ${key}`);
  return policy.method === 'GET' ? r : r.set('content-type', 'application/json').send('{}');
}

describe('access: role × route matrix', () => {
  let connection: Connection;
  let app: ReturnType<typeof createApp>;
  let records: Awaited<ReturnType<typeof createTestRecords>>;
  const deps = () => ({
    db: records.db,
    webhookTargets: records.webhookTargets,
    webhookSecrets: records.webhookSecrets,
    client: new Client({ connection }),
    logger,
    blobs: new FileSystemBlobStore(path.join(dataDir, 'blobs')),
    connections: new FileConnectionDirectory(path.join(dataDir, 'connections.json')),
    taskQueue: 'access-matrix',
    codec,
  });
  beforeAll(async () => {
    connection = await Connection.connect({ address: testServer().address });
    records = await createTestRecords('access_matrix');
    app = createApp({ ...deps(), keys: ApiKeyRegistry.development() });
  });
  afterAll(async () => {
    await records?.close();
    await connection?.close();
  });

  const cells = ROUTE_POLICY.flatMap((policy) =>
    ROLES.map((role) => ({ policy, role, allowed: policy.roles.includes(role) })),
  );

  it.each(
    cells.map((c) => [`${c.policy.method} ${c.policy.path}`, c.role, c.allowed ? 'allowed' : 'refused', c]),
  )('%s as %s is %s', async (_route, role, _verdict, cell) => {
    const res = await send(
      app,
      cell.policy,
      concrete(cell.policy),
      DEVELOPMENT_KEYS[role as keyof typeof DEVELOPMENT_KEYS],
    );
    if (cell.allowed) {
      expect([401, 403, 405]).not.toContain(res.status);
      expect(res.status).toBeLessThan(500);
      // The handler answered, not the fallback for unknown routes.
      expect(res.body?.error?.message ?? '').not.toMatch(/^No route for/);
    } else {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect(res.body.error.message).toContain(`The ${role} role may not`);
    }
  });

  it('refuses every route without a key (401 with WWW-Authenticate) and with an unknown key', async () => {
    for (const policy of ROUTE_POLICY) {
      const anonymous = await send(app, policy, concrete(policy));
      expect([policy.path, anonymous.status]).toEqual([policy.path, 401]);
      expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
      const wrong = await send(app, policy, concrete(policy), 'cpk_not-a-key');
      expect([policy.path, wrong.status, wrong.body.error.code]).toEqual([
        policy.path,
        401,
        'unauthenticated',
      ]);
    }
  });

  it("answers 404, not 403, for another tenant's invoice or connection", async () => {
    const tenantApp = createApp({
      ...deps(),
      keys: new ApiKeyRegistry([
        { id: 'acme-staff', role: 'staff', connections: ['acme'], hash: hashApiKey('k-acme-staff') },
        { id: 'acme-admin', role: 'admin', connections: ['acme'], hash: hashApiKey('k-acme-admin') },
        { id: 'acme-auditor', role: 'auditor', connections: ['acme'], hash: hashApiKey('k-acme-auditor') },
      ]),
    });
    for (const policy of ROUTE_POLICY.filter((p) => p.tenant)) {
      const key = policy.roles.includes('staff')
        ? 'k-acme-staff'
        : policy.roles.includes('admin')
          ? 'k-acme-admin'
          : 'k-acme-auditor';
      const other = policy.tenant === 'invoice' ? 'invoice:globex:F-1' : 'globex';
      const res = await send(tenantApp, policy, concrete(policy, other), key);
      expect([policy.path, res.status, res.body.error.code]).toEqual([policy.path, 404, 'not_found']);
    }
    const create = await request(tenantApp)
      .post('/v1/connections')
      .set('authorization', 'Bearer k-acme-admin')
      .send({
        id: 'globex',
        supplierSiret: '87654321000010',
        environment: 'simulator',
        piste: { clientId: 'id', clientSecret: 'secret' },
        technicalAccount: { login: 'TECH@cpro.fr', password: 'pw' },
      });
    expect([create.status, create.body.error.code]).toEqual([403, 'forbidden']);
    const me = await request(tenantApp).get('/v1/me').set('authorization', 'Bearer k-acme-staff').expect(200);
    expect(me.body).toEqual({ keyId: 'acme-staff', role: 'staff', connections: ['acme'] });
  });

  it('is printed in the README, exactly as the policy table says', () => {
    // Cell by cell, whatever the padding a formatter gives the table.
    const rows = (markdown: string) =>
      markdown
        .split('\n')
        .filter((line) => line.startsWith('|'))
        .map((line) =>
          line
            .split('|')
            .map((cell) => cell.trim().replace(/^:?-+:?$/, '-'))
            .join('|'),
        );
    const expected = rows(accessMatrixMarkdown());
    const readme = rows(readFileSync(path.join(__dirname, '../../README.md'), 'utf8'));
    const start = readme.indexOf(expected[0]);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(readme.slice(start, start + expected.length)).toEqual(expected);
  });
});
