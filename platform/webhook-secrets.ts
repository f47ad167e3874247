import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { AppDatabase } from './database';
import type { SecretSealer } from './secret-sealer';

/**
 * Each connection (tenant) signs its webhooks with its own secret, sealed in the database like the
 * connection's other secrets: the API makes and seals it (and shows it once), workers open it to sign.
 * A rotation keeps the previous secret signing too until the overlap ends, so receivers switch calmly.
 */
export const DEFAULT_ROTATION_OVERLAP_MS = 24 * 3600_000;

export interface RotatedSecret {
  connectionId: string;
  secret: string;
  createdAt: string;
  /** When the secrets it replaces stop signing (absent for a connection's first secret). */
  previousRetireAt?: string;
}

export class WebhookSecrets {
  constructor(
    private readonly db: AppDatabase,
    private readonly sealer: SecretSealer,
    /** Signs for connections without a secret of their own (WEBHOOK_SECRET, the one key of older releases). */
    private readonly fallbackSecret?: string,
  ) {}

  async rotate(
    connectionId: string,
    overlapMs = DEFAULT_ROTATION_OVERLAP_MS,
    now = new Date(),
  ): Promise<RotatedSecret> {
    const secret = `whsec_${randomBytes(32).toString('hex')}`;
    const retireAt = new Date(now.getTime() + overlapMs);
    const replaced = await this.db.transaction().execute(async (trx) => {
      // One rotation at a time per connection.
      await sql`select pg_advisory_xact_lock(hashtext(${`webhook-secret:${connectionId}`}))`.execute(trx);
      const updated = await trx
        .updateTable('webhook_secrets')
        .set({ retires_at: retireAt })
        .where('connection_id', '=', connectionId)
        .where((eb) => eb.or([eb('retires_at', 'is', null), eb('retires_at', '>', retireAt)]))
        .executeTakeFirst();
      await trx
        .insertInto('webhook_secrets')
        .values({ connection_id: connectionId, sealed_secret: this.sealer.seal(secret), created_at: now })
        .execute();
      return Number(updated.numUpdatedRows);
    });
    return {
      connectionId,
      secret,
      createdAt: now.toISOString(),
      ...(replaced > 0 ? { previousRetireAt: retireAt.toISOString() } : {}),
    };
  }

  /** The secrets that sign now, newest first (workers only: opening needs the private sealing key). */
  async signing(connectionId: string, now = new Date()): Promise<string[]> {
    const rows = await this.db
      .selectFrom('webhook_secrets')
      .select(['sealed_secret'])
      .where('connection_id', '=', connectionId)
      .where((eb) => eb.or([eb('retires_at', 'is', null), eb('retires_at', '>', now)]))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    if (rows.length > 0) return rows.map((r) => this.sealer.open(r.sealed_secret));
    return this.fallbackSecret ? [this.fallbackSecret] : [];
  }

  /** Whether the connection has a secret of its own yet. */
  async has(connectionId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('webhook_secrets')
      .select('id')
      .where('connection_id', '=', connectionId)
      .executeTakeFirst();
    return row !== undefined;
  }
}
