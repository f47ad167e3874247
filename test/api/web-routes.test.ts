import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { createApp } from '../../api/app';
import { ApiKeyRegistry } from '../../api/auth';
import { buyerNameOf, searchable } from '../../api/buyer-names';
import { LABELS, MESSAGES } from '../../domain/messages';
import { AesGcmPayloadCodec } from '../../platform/payload-codec';
import { FileSystemBlobStore } from '../../platform/blob-store';
import { FileConnectionDirectory } from '../../platform/connections';
import { createLogger } from '../../platform/logger';
import { freePort } from '../../scripts/temporal';
import type { InvoiceView } from '../../workflows/contracts/invoice';

/** A generated module's exports, read as the browser would import them. */
function exportsOf(source: string): Record<string, unknown> {
  const exports: Record<string, unknown> = {};
  new Function('exports', source.replace(/^export const (\w+) = /gm, 'exports.$1 = '))(exports);
  return exports;
}

/** What the back-office pages get from the API besides data: the catalogue and the answer rules; the search's limits. */
describe('back-office support in the API', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'api-web-'));
  let connection: Connection;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    // Nothing here reaches Temporal: a connection to nowhere is enough.
    connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}`, connectTimeout: 500 });
    app = createApp({
      client: new Client({ connection }),
      logger: createLogger({ name: 'api-test', level: 'silent' }),
      blobs: new FileSystemBlobStore(path.join(dataDir, 'blobs')),
      connections: new FileConnectionDirectory(path.join(dataDir, 'connections.json')),
      taskQueue: 'api-web-test',
      keys: ApiKeyRegistry.development(),
      codec: new AesGcmPayloadCodec([{ id: 't', key: Buffer.alloc(32, 1) }]),
    });
  });
  afterAll(async () => {
    await connection?.close();
  });

  it('serves the one catalogue to the pages as an ES module, without a key, revalidated by its ETag', async () => {
    const res = await request(app).get('/app/messages.js').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/javascript/);
    expect(res.headers['cache-control']).toBe('no-cache');
    const exported = exportsOf(res.text);
    expect(exported.MESSAGES).toEqual(JSON.parse(JSON.stringify(MESSAGES)));
    expect(exported.LABELS).toEqual(LABELS);
    await request(app).get('/app/messages.js').set('if-none-match', res.headers.etag).expect(304);
  });

  it('serves the rules an answer follows, rendered from the schemas the workflow checks with', async () => {
    const res = await request(app).get('/app/rules.js').expect(200);
    const { FIELD_RULES, ACTING_USER_RULE } = exportsOf(res.text) as {
      FIELD_RULES: Record<string, { maxLength?: number; pattern?: string; enum?: string[] }>;
      ACTING_USER_RULE: { source: string; flags: string };
    };
    expect(FIELD_RULES['references.engagementNumber']).toMatchObject({ maxLength: 50 });
    expect(new RegExp(FIELD_RULES['references.engagementNumber'].pattern!).test('EJ-2026/01')).toBe(true);
    expect(new RegExp(FIELD_RULES['references.engagementNumber'].pattern!).test('EJ#1')).toBe(false);
    expect(FIELD_RULES.paymentMode.enum).toContain('VIREMENT');
    const person = new RegExp(ACTING_USER_RULE.source, ACTING_USER_RULE.flags);
    expect(person.test('Marie Dupont')).toBe(true);
    expect(person.test('marie.dupont@exemple.fr')).toBe(true);
    expect(person.test('<script>')).toBe(false);
  });

  it('refuses a search with a page token, or an empty one, field by field', async () => {
    const auth = { authorization: 'Bearer dev-key-staff' };
    const withToken = await request(app).get('/v1/invoices?q=prefecture&pageToken=abc').set(auth).expect(400);
    expect(withToken.body.error.fields).toHaveProperty('pageToken');
    const empty = await request(app).get('/v1/invoices?q=%20').set(auth).expect(400);
    expect(empty.body.error.fields).toHaveProperty('q');
  });

  it('matches a search in any case and without accents, and names the buyer from the last checklist', () => {
    expect(searchable('PRÉFECTURE du Val')).toBe('prefecture du val');
    const fact = (designation: string) => ({
      kind: 'checklist.evaluated' as const,
      at: '2026-11-28T10:00:00.000Z',
      ok: true,
      items: [],
      basis: {
        supplierStructureId: 1,
        buyer: {
          idStructureCPP: 2,
          designation,
          active: true,
          serviceCodeRequired: false,
          engagementRequired: false,
          serviceOrEngagementRequired: false,
        },
        activeServices: [],
      },
    });
    const view = { audit: [fact('ANCIEN NOM'), fact('COMMUNE DE SAINT-EXEMPLE')] } as unknown as InvoiceView;
    expect(buyerNameOf(view)).toBe('COMMUNE DE SAINT-EXEMPLE');
    expect(buyerNameOf({ audit: [] } as unknown as InvoiceView)).toBeUndefined();
  });
});
