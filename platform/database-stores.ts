import { promises as fs } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { BlobNotFoundError, blobRefOf, type BlobRef, type BlobStore } from './blob-store';
import {
  ConnectionRecordSchema,
  readConnectionsFile,
  openedRecord,
  summaryOf,
  UnknownConnectionError,
  type ConnectionRecord,
  type ConnectionStore,
  type ConnectionSummary,
} from './connections';
import { storable, type AppDatabase } from './database';
import type { Logger } from './logger';
import { isSealed, type SecretSealer } from './secret-sealer';

/**
 * Connections and attachments in the app database, so every API and worker host works off the same
 * data: connection records with their secrets sealed (the API seals, workers open), attachments
 * content-addressed by their SHA-256.
 */
export class DatabaseConnectionDirectory implements ConnectionStore {
  constructor(
    private readonly db: AppDatabase,
    private readonly sealer?: SecretSealer,
  ) {}

  private open(value: string): string {
    if (!isSealed(value)) return value;
    if (!this.sealer) throw new Error('connection secrets are sealed: this process has no sealing key');
    return this.sealer.open(value);
  }

  private seal(value: string): string {
    return this.sealer && !isSealed(value) ? this.sealer.seal(value) : value;
  }

  private async stored(id?: string): Promise<ConnectionRecord[]> {
    if (id !== undefined && !storable(id)) return [];
    let query = this.db.selectFrom('connections').select('record').orderBy('id');
    if (id !== undefined) query = query.where('id', '=', id);
    return (await query.execute()).map((r) => ConnectionRecordSchema.parse(r.record) as ConnectionRecord);
  }

  async get(id: string): Promise<ConnectionRecord | undefined> {
    const [record] = await this.stored(id);
    if (!record) return undefined;
    return openedRecord(record, (sealed) => this.open(sealed));
  }

  async describe(id: string): Promise<ConnectionSummary | undefined> {
    return (await this.list(id))[0];
  }

  async list(id?: string): Promise<ConnectionSummary[]> {
    return (await this.stored(id)).map(summaryOf);
  }

  async replaceCredentials(
    id: string,
    credentials: {
      piste?: ConnectionRecord['piste'];
      technicalAccount?: ConnectionRecord['technicalAccount'];
    },
  ): Promise<void> {
    const [stored] = await this.stored(id);
    if (!stored) throw new UnknownConnectionError(id);
    await this.upsert({ ...stored, ...credentials });
  }

  async upsert(record: ConnectionRecord): Promise<void> {
    const sealed = ConnectionRecordSchema.parse({
      ...record,
      piste: { clientId: record.piste.clientId, clientSecret: this.seal(record.piste.clientSecret) },
      technicalAccount: {
        login: record.technicalAccount.login,
        password: this.seal(record.technicalAccount.password),
      },
    });
    const values = { id: sealed.id, record: JSON.stringify(sealed), updated_at: new Date() };
    await this.db
      .insertInto('connections')
      .values(values)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({ record: values.record, updated_at: values.updated_at }),
      )
      .execute();
  }
}

export class DatabaseBlobStore implements BlobStore {
  constructor(private readonly db: AppDatabase) {}

  async put(content: Buffer): Promise<BlobRef> {
    const ref = blobRefOf(content);
    await this.db
      .insertInto('blobs')
      .values({ ref, size_bytes: content.length, content })
      .onConflict((oc) => oc.column('ref').doNothing())
      .execute();
    return { ref, sizeBytes: content.length };
  }

  async get(ref: string): Promise<Buffer> {
    const row = await this.db.selectFrom('blobs').select('content').where('ref', '=', ref).executeTakeFirst();
    if (!row) throw new BlobNotFoundError(ref);
    if (blobRefOf(row.content) !== ref) throw new Error(`stored file ${ref} is corrupted (hash mismatch)`);
    return row.content;
  }

  async stat(ref: string): Promise<BlobRef | null> {
    const row = await this.db
      .selectFrom('blobs')
      .select('size_bytes')
      .where('ref', '=', ref)
      .executeTakeFirst();
    return row ? { ref, sizeBytes: row.size_bytes } : null;
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(full)));
    else if (e.isFile() && !e.name.endsWith('.tmp')) out.push(full);
  }
  return out;
}

export interface FileImportOutcome {
  connections?: number;
  blobs?: number;
}

/**
 * Moves the file-based stores of earlier releases into the database, once (recorded in file_imports,
 * under an advisory lock, so processes starting together import once). The files are left in place.
 */
export async function importFileStores(
  db: AppDatabase,
  sources: { connectionsFile: string; blobDir: string },
  logger?: Logger,
): Promise<FileImportOutcome> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('chorus-file-import'))`.execute(trx);
    const done = new Set((await trx.selectFrom('file_imports').select('name').execute()).map((r) => r.name));
    const outcome: FileImportOutcome = {};
    if (!done.has('connections')) {
      const records = await readConnectionsFile(sources.connectionsFile);
      for (const record of records ?? []) {
        await trx
          .insertInto('connections')
          .values({ id: record.id, record: JSON.stringify(record), updated_at: new Date() })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
      }
      await trx
        .insertInto('file_imports')
        .values({ name: 'connections', source: sources.connectionsFile, items: records?.length ?? 0 })
        .execute();
      outcome.connections = records?.length ?? 0;
    }
    if (!done.has('blobs')) {
      let count = 0;
      for (const file of await filesUnder(sources.blobDir)) {
        const content = await fs.readFile(file);
        const ref = blobRefOf(content);
        // Only files that are what their name says (ab/cdef… = sha256 of the bytes).
        if (ref.slice('sha256:'.length) !== path.basename(path.dirname(file)) + path.basename(file)) continue;
        await trx
          .insertInto('blobs')
          .values({ ref, size_bytes: content.length, content })
          .onConflict((oc) => oc.column('ref').doNothing())
          .execute();
        count += 1;
      }
      await trx
        .insertInto('file_imports')
        .values({ name: 'blobs', source: sources.blobDir, items: count })
        .execute();
      outcome.blobs = count;
    }
    if (outcome.connections || outcome.blobs)
      logger?.info(outcome, 'file-based connections and attachments imported into the database');
    return outcome;
  });
}
