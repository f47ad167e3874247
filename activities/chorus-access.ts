import type { SupplierFacts } from '../domain/readiness';
import type { ChorusEndpoints, ChorusEnvironment } from '../platform/config';
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
}

/**
 * A connection's Chorus client (rebuilt when its record changes) and the one place where a Chorus
 * call's typed errors become Temporal failures. Shared by every activity that calls Chorus.
 */
export class ChorusAccess {
  private readonly clients = new Map<string, { record: ConnectionRecord; client: ChorusClient }>();
  private readonly supplierCache: TimedCache<SupplierFacts>;
  readonly cacheMs: number;
  /** Buyer facts per environment and buyer, shared by the connections of this worker. */
  readonly buyers: BuyerDirectory;

  constructor(private readonly deps: ChorusAccessDependencies) {
    this.cacheMs = deps.referenceCacheMs ?? 5 * 60_000;
    this.supplierCache = new TimedCache(this.cacheMs);
    this.buyers = new BuyerDirectory(deps.buyerCacheMs ?? 60 * 60_000);
  }

  async connection(connectionId: string): Promise<{ record: ConnectionRecord; client: ChorusClient }> {
    const record = await requireConnection(this.deps.connections, connectionId);
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

  /** Runs a Chorus call and turns its typed errors into Temporal failures. */
  async call<T>(
    connectionId: string,
    call: (client: ChorusClient, record: ConnectionRecord) => Promise<T>,
  ): Promise<T> {
    const { client, record } = await this.connection(connectionId);
    try {
      return await call(client, record);
    } catch (err) {
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
