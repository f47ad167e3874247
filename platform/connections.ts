import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ChorusEnvironment } from './config';

/**
 * Connections as configured records: one supplier's PISTE application + Chorus Pro technical
 * account in one environment. Read from `<DATA_DIR>/connections.json` (or CONNECTIONS_FILE) by the
 * worker's activities and, without secrets, by the API. Workflows only ever see the id.
 */

const ConnectionRecordSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
  environment: z.enum(['simulator', 'sandbox', 'production']),
  supplierSiret: z.string().regex(/^\d{14}$/),
  piste: z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1) }),
  technicalAccount: z.object({ login: z.string().min(1), password: z.string().min(1) }),
});

export type ConnectionRecord = z.infer<typeof ConnectionRecordSchema> & { environment: ChorusEnvironment };

export interface ConnectionSummary {
  id: string;
  environment: ChorusEnvironment;
  supplierSiret: string;
}

export interface ConnectionDirectory {
  get(id: string): Promise<ConnectionRecord | undefined>;
  list(): Promise<ConnectionSummary[]>;
}

export class UnknownConnectionError extends Error {
  constructor(readonly connectionId: string) {
    super(`No connection "${connectionId}" is configured.`);
    this.name = 'UnknownConnectionError';
  }
}

export function connectionsFile(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.CONNECTIONS_FILE ?? path.join(dataDir, 'connections.json'));
}

/** Re-reads the file when it changed, so an edited connection is picked up without a restart. */
export class FileConnectionDirectory implements ConnectionDirectory {
  private cache?: { mtimeMs: number; records: ConnectionRecord[] };

  constructor(private readonly file: string) {}

  private async records(): Promise<ConnectionRecord[]> {
    let mtimeMs: number;
    try {
      mtimeMs = (await fs.stat(this.file)).mtimeMs;
    } catch {
      return [];
    }
    if (this.cache?.mtimeMs === mtimeMs) return this.cache.records;
    const parsed = z
      .array(ConnectionRecordSchema)
      .safeParse(JSON.parse(await fs.readFile(this.file, 'utf8')));
    if (!parsed.success) {
      throw new Error(
        `${this.file} is not a valid list of connections: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    this.cache = { mtimeMs, records: parsed.data };
    return parsed.data;
  }

  async get(id: string): Promise<ConnectionRecord | undefined> {
    return (await this.records()).find((r) => r.id === id);
  }

  async list(): Promise<ConnectionSummary[]> {
    return (await this.records()).map(({ id, environment, supplierSiret }) => ({
      id,
      environment,
      supplierSiret,
    }));
  }

  /** Adds or replaces a record (used by the stack start to seed the demo connection). */
  async upsert(record: ConnectionRecord): Promise<void> {
    const others = (await this.records()).filter((r) => r.id !== record.id);
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(
      temporary,
      JSON.stringify([...others, ConnectionRecordSchema.parse(record)], null, 2),
      { mode: 0o600 },
    );
    await fs.rename(temporary, this.file);
    this.cache = undefined;
  }
}
