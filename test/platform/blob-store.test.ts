import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BlobNotFoundError, FileSystemBlobStore, blobRefOf } from '../../platform/blob-store';

describe('content-addressed blob store (filesystem)', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'blobs-'));
  const store = new FileSystemBlobStore(root);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('stores a file once under the hash of its bytes and reads it back', async () => {
    const content = Buffer.from('%PDF-1.7 facture');
    const first = await store.put(content);
    const second = await store.put(Buffer.from(content));
    expect(first).toEqual(second);
    expect(first.ref).toBe(blobRefOf(content));
    expect(first.ref).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await store.get(first.ref)).equals(content)).toBe(true);
    expect(await store.stat(first.ref)).toEqual({ ref: first.ref, sizeBytes: content.length });
  });

  it('says which reference is missing, and refuses anything that is not a reference', async () => {
    const unknown = `sha256:${'0'.repeat(64)}`;
    await expect(store.get(unknown)).rejects.toBeInstanceOf(BlobNotFoundError);
    expect(await store.stat(unknown)).toBeNull();
    await expect(store.get('../../etc/passwd')).rejects.toThrow(/not a blob reference/);
  });
});
