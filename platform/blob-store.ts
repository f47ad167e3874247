import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Content-addressed store for attachments: a file is kept once under the SHA-256 of its bytes,
 * so workflow history carries only `sha256:<hex>` references and sizes, never file contents.
 */
export interface BlobStore {
  put(content: Buffer): Promise<BlobRef>;
  get(ref: string): Promise<Buffer>;
  stat(ref: string): Promise<BlobRef | null>;
}

export interface BlobRef {
  ref: string;
  sizeBytes: number;
}

const REF = /^sha256:([0-9a-f]{64})$/;

export class BlobNotFoundError extends Error {
  constructor(ref: string) {
    super(`No stored file has reference ${ref}: upload it again.`);
    this.name = 'BlobNotFoundError';
  }
}

export function blobRefOf(content: Buffer): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

/** Files live at `<root>/ab/cdef…` (the first two hex digits as a folder keeps folders small). */
export class FileSystemBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private pathOf(ref: string): string {
    const match = REF.exec(ref);
    if (!match) throw new RangeError(`"${ref}" is not a blob reference (sha256:<64 hex digits>)`);
    return path.join(this.root, match[1].slice(0, 2), match[1].slice(2));
  }

  async put(content: Buffer): Promise<BlobRef> {
    const ref = blobRefOf(content);
    const target = this.pathOf(ref);
    try {
      const existing = await fs.stat(target);
      return { ref, sizeBytes: existing.size };
    } catch {
      // Not stored yet: write to a temporary name then rename, so a reader never sees half a file.
      await fs.mkdir(path.dirname(target), { recursive: true });
      const temporary = `${target}.${randomUUID()}.tmp`;
      await fs.writeFile(temporary, content);
      await fs.rename(temporary, target);
      return { ref, sizeBytes: content.length };
    }
  }

  async get(ref: string): Promise<Buffer> {
    try {
      const content = await fs.readFile(this.pathOf(ref));
      if (blobRefOf(content) !== ref) throw new Error(`stored file ${ref} is corrupted (hash mismatch)`);
      return content;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobNotFoundError(ref);
      throw err;
    }
  }

  async stat(ref: string): Promise<BlobRef | null> {
    try {
      const s = await fs.stat(this.pathOf(ref));
      return { ref, sizeBytes: s.size };
    } catch {
      return null;
    }
  }
}
