import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { createApp } from '../../api/app';
import { ApiKeyRegistry } from '../../api/auth';
import { createRecordActivities } from '../../activities/records';
import { searchable } from '../../domain/search';
import { allLabels, allMessages } from '../../domain/messages';
import { AesGcmPayloadCodec } from '../../platform/payload-codec';
import { FileSystemBlobStore } from '../../platform/blob-store';
import { FileConnectionDirectory } from '../../platform/connections';
import { createLogger } from '../../platform/logger';
import { freePort } from '../../scripts/temporal';
import type { InvoiceStateRecord } from '../../workflows/contracts/invoice';
import { createTestRecords } from '../helpers/database';

/** A generated module's exports, read as the browser would import them. */
function exportsOf(source: string): Record<string, unknown> {
  const exports: Record<string, unknown> = {};
  new Function('exports', source.replace(/^export const (\w+) = /gm, 'exports.$1 = '))(exports);
  return exports;
}

/** What the back-office pages get from the API besides data (the catalogue, the answer rules) and its search. */
describe('back-office support in the API', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'api-web-'));
  let connection: Connection;
  let app: ReturnType<typeof createApp>;
  let records: Awaited<ReturnType<typeof createTestRecords>>;

  beforeAll(async () => {
    records = await createTestRecords('api_web');
    // Nothing here reaches Temporal: a connection to nowhere is enough.
    connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}`, connectTimeout: 500 });
    app = createApp({
      client: new Client({ connection }),
      db: records.db,
      webhookTargets: records.webhookTargets,
      webhookSecrets: records.webhookSecrets,
      logger: createLogger({ name: 'api-test', level: 'silent' }),
      blobs: new FileSystemBlobStore(path.join(dataDir, 'blobs')),
      connections: new FileConnectionDirectory(path.join(dataDir, 'connections.json')),
      taskQueue: 'api-web-test',
      keys: ApiKeyRegistry.development(),
      codec: new AesGcmPayloadCodec([{ id: 't', key: Buffer.alloc(32, 1) }]),
    });
  });
  afterAll(async () => {
    await records?.close();
    await connection?.close();
  });

  it('serves the one catalogue to the pages as an ES module, without a key, revalidated by its ETag', async () => {
    const res = await request(app).get('/app/messages.js').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/javascript/);
    expect(res.headers['cache-control']).toBe('no-cache');
    const exported = exportsOf(res.text);
    expect(exported.MESSAGES).toEqual(JSON.parse(JSON.stringify(allMessages())));
    expect(exported.LABELS).toEqual(allLabels());
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

  /** A row as the workflow records it, with the buyer's name once Chorus Pro gave it. */
  function stateRecord(n: number, number: string, siret: string, buyerName?: string): InvoiceStateRecord {
    const id = `invoice:web:${number}`;
    return {
      sequence: 1,
      runId: `run-${n}`,
      recordedAt: new Date(Date.UTC(2026, 10, 28, 10, n)).toISOString(),
      supplierSiret: '87654321000010',
      events: [],
      view: {
        workflowId: id,
        invoiceNumber: number,
        connectionId: 'web',
        status: 'AWAITING_DATA',
        ...(buyerName ? { buyerName } : {}),
        checklist: [],
        openTask: {
          id: `task-${n}`,
          kind: 'DATA',
          title: 'Data needed',
          description: 'x',
          remindersSent: 0,
          openedAt: new Date(Date.UTC(2026, 10, 28, 10, n)).toISOString(),
          fields: [],
        },
        attachments: [],
        timeline: [],
        chorusTimeline: [],
        invoice: {
          connectionId: 'web',
          invoiceNumber: number,
          issueDate: '2026-11-28',
          currency: 'EUR',
          buyer: { siret },
          lines: [{ description: 'x', quantity: '1', unitPriceExclVat: '10', vatRatePercent: '20' }],
        },
        requestHash: 'h',
      } as unknown as InvoiceStateRecord['view'],
    };
  }

  it('searches number, SIRET and buyer name in the database, any case and accents, % and _ taken literally', async () => {
    const store = createRecordActivities({ db: records.db });
    await store.recordInvoiceState(stateRecord(1, 'F-100', '11000000000015', 'PRÉFECTURE DU VAL'));
    await store.recordInvoiceState(stateRecord(2, 'F-200', '22000000000016', 'Commune de Saint-Exemple'));
    await store.recordInvoiceState(stateRecord(3, 'F_300', '33000000000017'));
    const auth = { authorization: 'Bearer dev-key-staff' };
    const numbers = async (q: string) =>
      (
        (
          await request(app)
            .get(`/v1/invoices?q=${encodeURIComponent(q)}`)
            .set(auth)
            .expect(200)
        ).body as {
          invoices: Array<{ invoiceNumber: string; buyerName?: string }>;
        }
      ).invoices
        .map((i) => i.invoiceNumber)
        .sort();
    await expect(numbers('prefecture')).resolves.toEqual(['F-100']);
    await expect(numbers('SAINT-exemple')).resolves.toEqual(['F-200']);
    await expect(numbers('2200000')).resolves.toEqual(['F-200']);
    await expect(numbers('f-')).resolves.toEqual(['F-100', 'F-200']);
    await expect(numbers('%')).resolves.toEqual([]);
    await expect(numbers('_')).resolves.toEqual(['F_300']);
    const listed = await request(app).get('/v1/invoices?q=val').set(auth).expect(200);
    expect(listed.body.invoices[0]).toMatchObject({ invoiceNumber: 'F-100', buyerName: 'PRÉFECTURE DU VAL' });
    const tasks = await request(app).get('/v1/tasks').set(auth).expect(200);
    expect(tasks.body.tasks.map((x: { buyerName?: string }) => x.buyerName ?? null)).toEqual([
      'PRÉFECTURE DU VAL',
      'Commune de Saint-Exemple',
      null,
    ]);
  });

  it('refuses an empty search, field by field', async () => {
    const auth = { authorization: 'Bearer dev-key-staff' };
    const empty = await request(app).get('/v1/invoices?q=%20').set(auth).expect(400);
    expect(empty.body.error.fields).toHaveProperty('q');
  });

  it('compares text in any case and without accents', () => {
    expect(searchable('PRÉFECTURE du Val')).toBe('prefecture du val');
  });
});
