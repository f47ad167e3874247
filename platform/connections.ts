import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ChorusEnvironment } from './config';
import { isSealed, type SecretSealer } from './secret-sealer';

/**
 * Connections as configured records: one supplier's PISTE application + Chorus Pro technical
 * account in one environment. Read from `<DATA_DIR>/connections.json` (or CONNECTIONS_FILE) by the
 * worker's activities and, without secrets, by the API. Workflows only ever see the id.
 */

export const ConnectionRecordSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
  environment: z.enum(['simulator', 'sandbox', 'production']),
  supplierSiret: z.string().regex(/^\d{14}$/),
  piste: z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1) }),
  technicalAccount: z.object({ login: z.string().min(1), password: z.string().min(1) }),
  /** Where connection status changes are posted (signed like invoice events). */
  webhookUrl: z.string().url().optional(),
  /**
   * Check engagement numbers against Chorus's engagement search before sending. Off by default:
   * the search mostly knows State engagements, not local authorities' purchase orders; when on, an
   * unknown number is a warning a person can confirm, never a dead end.
   */
  engagementCheck: z.boolean().optional(),
});

export type ConnectionRecord = z.infer<typeof ConnectionRecordSchema> & { environment: ChorusEnvironment };

export interface ConnectionSummary {
  id: string;
  environment: ChorusEnvironment;
  supplierSiret: string;
  clientId: string;
  technicalAccountLogin: string;
  webhookUrl?: string;
  engagementCheck: boolean;
}

/** The record with its two secrets opened (the file and the database directories alike). */
export function openedRecord(record: ConnectionRecord, open: (sealed: string) => string): ConnectionRecord {
  return {
    ...record,
    piste: { clientId: record.piste.clientId, clientSecret: open(record.piste.clientSecret) },
    technicalAccount: {
      login: record.technicalAccount.login,
      password: open(record.technicalAccount.password),
    },
  };
}

/** A record without its secrets. */
export function summaryOf(record: ConnectionRecord): ConnectionSummary {
  const { id, environment, supplierSiret, piste, technicalAccount, webhookUrl, engagementCheck } = record;
  return {
    id,
    environment,
    supplierSiret,
    clientId: piste.clientId,
    technicalAccountLogin: technicalAccount.login,
    ...(webhookUrl ? { webhookUrl } : {}),
    engagementCheck: engagementCheck === true,
  };
}

export interface ConnectionDirectory {
  /** The record with its secrets opened (workers only: needs the private sealing key). */
  get(id: string): Promise<ConnectionRecord | undefined>;
  /** The record without its secrets. */
  describe(id: string): Promise<ConnectionSummary | undefined>;
  list(): Promise<ConnectionSummary[]>;
}

/** A directory that is also written to: connections are created and their credentials replaced. */
export interface ConnectionStore extends ConnectionDirectory {
  upsert(record: ConnectionRecord): Promise<void>;
  replaceCredentials(
    id: string,
    credentials: {
      piste?: ConnectionRecord['piste'];
      technicalAccount?: ConnectionRecord['technicalAccount'];
    },
  ): Promise<void>;
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

/**
 * Re-reads the file when it changed, so an edited connection is picked up without a restart.
 * With a sealer, secrets are sealed on write and opened on `get`; the file never holds them in
 * clear (a record written by hand in clear is still read, and sealed on its next update).
 */
export class FileConnectionDirectory implements ConnectionStore {
  private cache?: { mtimeMs: number; records: ConnectionRecord[] };

  constructor(
    private readonly file: string,
    private readonly sealer?: SecretSealer,
  ) {}

  private open(value: string): string {
    if (!isSealed(value)) return value;
    if (!this.sealer)
      throw new Error(`connection secrets in ${this.file} are sealed: this process has no sealing key`);
    return this.sealer.open(value);
  }

  private seal(value: string): string {
    return this.sealer && !isSealed(value) ? this.sealer.seal(value) : value;
  }

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
    const record = (await this.records()).find((r) => r.id === id);
    if (!record) return undefined;
    return openedRecord(record, (sealed) => this.open(sealed));
  }

  async describe(id: string): Promise<ConnectionSummary | undefined> {
    return (await this.list()).find((r) => r.id === id);
  }

  async list(): Promise<ConnectionSummary[]> {
    return (await this.records()).map(summaryOf);
  }

  /** Replaces one or both credential pairs, keeping the other one as stored (still sealed). */
  async replaceCredentials(
    id: string,
    credentials: {
      piste?: ConnectionRecord['piste'];
      technicalAccount?: ConnectionRecord['technicalAccount'];
    },
  ): Promise<void> {
    const stored = (await this.records()).find((r) => r.id === id);
    if (!stored) throw new UnknownConnectionError(id);
    await this.upsert({ ...stored, ...credentials });
  }

  /** Adds or replaces a record; with a sealer, its secrets are sealed before they touch the disk. */
  async upsert(record: ConnectionRecord): Promise<void> {
    const others = (await this.records()).filter((r) => r.id !== record.id);
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    const sealed = ConnectionRecordSchema.parse({
      ...record,
      piste: { clientId: record.piste.clientId, clientSecret: this.seal(record.piste.clientSecret) },
      technicalAccount: {
        login: record.technicalAccount.login,
        password: this.seal(record.technicalAccount.password),
      },
    });
    await fs.writeFile(temporary, JSON.stringify([...others, sealed], null, 2), { mode: 0o600 });
    await fs.rename(temporary, this.file);
    this.cache = undefined;
  }
}

/** The records as the file holds them (secrets sealed, or in clear when written by hand): the one-time import. */
export async function readConnectionsFile(file: string): Promise<ConnectionRecord[] | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  return z.array(ConnectionRecordSchema).parse(JSON.parse(text));
}
