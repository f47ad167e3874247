import type { SupplierFacts } from '../domain/readiness';
import type { ChorusEndpoints, ChorusEnvironment } from '../platform/config';
import type { ConnectionChanges } from '../platform/connection-changes';
import type { ConnectionDirectory, ConnectionRecord } from '../platform/connections';
import type { Logger } from '../platform/logger';
import type { ChorusCallQuota } from './chorus/call-quota';
import { ChorusClient } from './chorus/client';
import { toApplicationFailure } from './chorus/failure';
import { requireConnection } from './connection';
import { BuyerDirectory } from './buyer-directory';
import { TimedCache } from './timed-cache';

export { TimedCache } from './timed-cache';

export interface ChorusAccessDependencies {
  connections: ConnectionDirectory;
  endpoints: Record<ChorusEnvironment, ChorusEndpoints>;
  chorusTimeoutMs: number;
  logger: Logger;
  /** How long supplier facts and Chorus reference lists are reused (they change rarely). */
  referenceCacheMs?: number;
  /** How long a buyer's structure, services and their flags are reused (default an hour). */
  buyerCacheMs?: number;
  /** Paces calls to each PISTE application's quota across workers; absent: not paced. */
  callQuota?: ChorusCallQuota;
  /**
   * Connection records changing: while changes are heard, a record is kept between calls (for at
   * most KEEP_RECORD_MS) and forgotten when it changes; absent: read at every call.
   */
  connectionChanges?: ConnectionChanges;
}

/** The longest a connection record is kept between calls, changes heard or not. */
const KEEP_RECORD_MS = 60_000;

/**
 * A connection's Chorus client (rebuilt when its record changes) and the one place where a Chorus
 * call's typed errors become Temporal failures. Shared by every activity that calls Chorus.
 */
export class ChorusAccess {
  private readonly clients = new Map<string, { record: ConnectionRecord; client: ChorusClient }>();
  /** Records kept between calls while changes are heard, with when they were read. */
  private readonly records = new Map<string, { record: ConnectionRecord; readAt: number }>();
  /** Counts changes heard: a record read while one was heard is not kept (it may be the old one). */
  private changesHeard = 0;
  private readonly supplierCache: TimedCache<SupplierFacts>;
  readonly cacheMs: number;
  /** Buyer facts per environment and buyer, shared by the connections of this worker. */
  readonly buyers: BuyerDirectory;

  constructor(private readonly deps: ChorusAccessDependencies) {
    this.cacheMs = deps.referenceCacheMs ?? 5 * 60_000;
    this.supplierCache = new TimedCache(this.cacheMs);
    this.buyers = new BuyerDirectory(deps.buyerCacheMs ?? 60 * 60_000);
    deps.connectionChanges?.subscribe((id) => {
      this.changesHeard += 1;
      if (id === undefined) this.records.clear();
      else this.records.delete(id);
    });
  }

  async connection(connectionId: string): Promise<{ record: ConnectionRecord; client: ChorusClient }> {
    const record = await this.record(connectionId);
    const cached = this.clients.get(connectionId);
    if (cached && JSON.stringify(cached.record) === JSON.stringify(record)) return cached;
    const client = new ChorusClient({
      endpoints: this.deps.endpoints[record.environment],
      credentials: { piste: record.piste, technicalAccount: record.technicalAccount },
      timeoutMs: this.deps.chorusTimeoutMs,
      logger: this.deps.logger,
      callQuota: this.deps.callQuota,
    });
    this.clients.set(connectionId, { record, client });
    return { record, client };
  }

  /**
   * The connection's record: the one kept from an earlier call while changes are heard and it has not
   * changed, else read (and kept when no change was heard meanwhile).
   */
  private async record(connectionId: string): Promise<ConnectionRecord> {
    const changes = this.deps.connectionChanges;
    const kept = this.records.get(connectionId);
    if (changes?.listening && kept && Date.now() - kept.readAt < KEEP_RECORD_MS) return kept.record;
    const heardBefore = this.changesHeard;
    const readAt = Date.now();
    const record = await requireConnection(this.deps.connections, connectionId);
    if (changes?.listening && this.changesHeard === heardBefore)
      this.records.set(connectionId, { record, readAt });
    return record;
  }

  /**
   * Forgets the connection's kept record: a call failed, and the next reads the record again (the
   * credentials may have been replaced and their change not heard yet).
   */
  forget(connectionId: string): void {
    this.records.delete(connectionId);
  }

  /** Runs a Chorus call and turns its typed errors into Temporal failures. */
  async call<T>(
    connectionId: string,
    call: (client: ChorusClient, record: ConnectionRecord) => Promise<T>,
  ): Promise<T> {
    const { client, record } = await this.connection(connectionId);
    try {
      return await call(client, record);
    } catch (err) {
      this.forget(connectionId);
      throw toApplicationFailure(err);
    }
  }

  /** The supplier's idStructureCPP as the technical account sees it, and whether it is public. */
  supplierOf(client: ChorusClient, record: ConnectionRecord): Promise<SupplierFacts> {
    return this.supplierCache.get(
      `${record.id}:${record.supplierSiret}:${record.technicalAccount.login}`,
      async () => {
        const answer = await client.activeSupplierStructures();
        const id =
          answer.listeStructures.find((s) => s.identifiant === record.supplierSiret)?.idStructureCPP ?? null;
        let isPublic = false;
        if (id !== null) {
          const structure = await client.consultStructure({ idStructureCPP: id, codeLangue: 'fr' });
          isPublic = structure.informationGenerales?.structurePriveePublique === 'PUBLIQUE';
        }
        return { idStructureCPP: id, siret: record.supplierSiret, isPublic };
      },
    );
  }
}
