import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { blobRefOf, BlobNotFoundError } from '../../platform/blob-store';
import { FileConnectionDirectory } from '../../platform/connections';
import {
  DatabaseBlobStore,
  DatabaseConnectionDirectory,
  importFileStores,
} from '../../platform/database-stores';
import { createTestRecords } from '../helpers/database';

/** Connections and attachments in PostgreSQL (real server), and the one-time import of the old files. */
describe('database stores', () => {
  let records: Awaited<ReturnType<typeof createTestRecords>>;
  beforeAll(async () => {
    records = await createTestRecords('stores');
  });
  afterAll(async () => {
    await records?.close();
  });

  it('imports the file-based connections and attachments once, even from processes starting together', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'stores-import-'));
    const connectionsFile = path.join(dataDir, 'connections.json');
    // Written by an earlier release: secrets sealed with the same key.
    await new FileConnectionDirectory(connectionsFile, records.sealer).upsert({
      id: 'acme',
      environment: 'simulator',
      supplierSiret: '87654321000010',
      piste: { clientId: 'client-acme', clientSecret: 'piste-secret-acme' },
      technicalAccount: { login: 'TECH_1@cpro.fr', password: 'tech-password-acme' },
      webhookUrl: 'http://127.0.0.1:9/hooks',
    });
    const content = Buffer.from('%PDF-1.4 facture');
    const ref = blobRefOf(content);
    const hex = ref.slice('sha256:'.length);
    mkdirSync(path.join(dataDir, 'blobs', hex.slice(0, 2)), { recursive: true });
    writeFileSync(path.join(dataDir, 'blobs', hex.slice(0, 2), hex.slice(2)), content);
    writeFileSync(path.join(dataDir, 'blobs', hex.slice(0, 2), 'not-a-hash'), 'stray file');

    const sources = { connectionsFile, blobDir: path.join(dataDir, 'blobs') };
    const outcomes = await Promise.all([1, 2, 3].map(() => importFileStores(records.db, sources)));
    expect(outcomes.filter((o) => o.connections !== undefined)).toEqual([{ connections: 1, blobs: 1 }]);
    expect(await importFileStores(records.db, sources)).toEqual({});

    const worker = new DatabaseConnectionDirectory(records.db, records.sealer);
    const api = new DatabaseConnectionDirectory(records.db, records.sealer.sealOnly());
    expect(await api.describe('acme')).toEqual({
      id: 'acme',
      environment: 'simulator',
      supplierSiret: '87654321000010',
      clientId: 'client-acme',
      technicalAccountLogin: 'TECH_1@cpro.fr',
      webhookUrl: 'http://127.0.0.1:9/hooks',
    });
    expect((await worker.get('acme'))?.piste.clientSecret).toBe('piste-secret-acme');
    // The database holds the sealed values only.
    const stored = JSON.stringify(await records.db.selectFrom('connections').selectAll().execute());
    expect(stored).not.toContain('piste-secret-acme');
    expect(stored).not.toContain('tech-password-acme');
    expect(await new DatabaseBlobStore(records.db).get(ref)).toEqual(content);
  });

  it('stores connections sealed by an API host and opened by a worker host', async () => {
    const api = new DatabaseConnectionDirectory(records.db, records.sealer.sealOnly());
    const worker = new DatabaseConnectionDirectory(records.db, records.sealer);
    await api.upsert({
      id: 'beta',
      environment: 'sandbox',
      supplierSiret: '87654321000010',
      piste: { clientId: 'client-beta', clientSecret: 'beta-secret' },
      technicalAccount: { login: 'TECH_2@cpro.fr', password: 'beta-password' },
    });
    await api.replaceCredentials('beta', {
      technicalAccount: { login: 'TECH_2@cpro.fr', password: 'new-password' },
    });
    const opened = await worker.get('beta');
    expect(opened?.piste.clientSecret).toBe('beta-secret');
    expect(opened?.technicalAccount.password).toBe('new-password');
    await expect(api.get('beta')).rejects.toThrow();
    expect((await api.list()).map((c) => c.id)).toEqual(expect.arrayContaining(['acme', 'beta']));
  });

  it('keeps attachments content-addressed: one copy, checked on read', async () => {
    const blobs = new DatabaseBlobStore(records.db);
    const content = Buffer.from('annexe');
    const first = await blobs.put(content);
    const again = await blobs.put(content);
    expect(again).toEqual(first);
    expect(await blobs.stat(first.ref)).toEqual({ ref: first.ref, sizeBytes: content.length });
    await expect(blobs.get(blobRefOf(Buffer.from('absent')))).rejects.toBeInstanceOf(BlobNotFoundError);
    expect(await blobs.stat(blobRefOf(Buffer.from('absent')))).toBeNull();
  });
});
