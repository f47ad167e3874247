import pg from 'pg';
import type { Logger } from './logger';

/** The channel a trigger on `connections` notifies with the changed record's id (migration 0009). */
export const CONNECTION_CHANGES_CHANNEL = 'connection_changes';

/**
 * Says when connection records change, so that a process may keep them between calls: `id` changed,
 * or (`undefined`) any may have, when changes could have been missed (the listening connection was
 * lost or has just been made).
 */
export interface ConnectionChanges {
  /** Whether changes are heard now: records may be kept only while they are. */
  readonly listening: boolean;
  /** Calls `listener` at every change; returns how to stop. */
  subscribe(listener: (id: string | undefined) => void): () => void;
  close(): Promise<void>;
}

const RECONNECT_AFTER_MS = 1_000;

/**
 * Connection changes heard from PostgreSQL (LISTEN on its own connection). Whoever writes a record,
 * the API of any host or an import, the trigger notifies every listener once the write commits. While
 * the listening connection is down nothing is heard: `listening` is false until it is back, and every
 * listener is told that anything may have changed when it is lost and again when it is back.
 */
export class PostgresConnectionChanges implements ConnectionChanges {
  private readonly listeners = new Set<(id: string | undefined) => void>();
  private client?: pg.Client;
  private retry?: NodeJS.Timeout;
  private closed = false;
  private heard = false;

  private constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
  ) {}

  /** Starts listening (in the background: `listening` says when it does). */
  static start(databaseUrl: string, logger: Logger): PostgresConnectionChanges {
    const changes = new PostgresConnectionChanges(databaseUrl, logger);
    void changes.connect();
    return changes;
  }

  get listening(): boolean {
    return this.heard;
  }

  subscribe(listener: (id: string | undefined) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    this.heard = false;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    this.retry = undefined;
    if (this.closed) return;
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      application_name: 'connection-changes',
    });
    this.client = client;
    client.on('notification', (message) => {
      if (message.channel === CONNECTION_CHANGES_CHANNEL) this.emit(message.payload || undefined);
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CONNECTION_CHANGES_CHANNEL}`);
      if (this.client !== client) return;
      this.heard = true;
      // What was kept before this connection may have changed unheard.
      this.emit(undefined);
    } catch (err) {
      this.lost(client, err as Error);
    }
  }

  private lost(client: pg.Client, err?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    const wasHeard = this.heard;
    this.heard = false;
    this.emit(undefined);
    void client.end().catch(() => undefined);
    if (this.closed) return;
    if (wasHeard) {
      this.logger.warn(
        { err: err?.message },
        'connection changes no longer heard: connection records are read at every call until they are',
      );
    }
    this.retry = setTimeout(() => void this.connect(), RECONNECT_AFTER_MS);
    this.retry.unref();
  }

  private emit(id: string | undefined): void {
    for (const listener of this.listeners) listener(id);
  }
}
