import type { ChorusEnvironment } from '../platform/config';
import { TimedCache } from './timed-cache';
import type { ChorusClient } from './chorus/client';
import type * as m from './chorus/models';

/** What Chorus says of a buyer structure: the search hit, its parameters and every service. */
export interface BuyerDirectoryEntry {
  hit: m.SearchStructuresResponse['listeStructures'][number];
  parametres: NonNullable<m.ConsultStructureResponse['parametres']>;
  services: m.StructureService[];
}

/** Refused `soumettre` fields that mean the buyer facts we routed the invoice with may be stale. */
export const ROUTING_FIELDS: readonly string[] = [
  'buyer.siret',
  'buyer.serviceCode',
  'references.engagementNumber',
];

/**
 * Buyer structures as Chorus describes them, per PISTE environment and buyer SIRET, kept `ttlMs`:
 * every invoice to the same buyer would otherwise search, consult and list its services again.
 * `forget` drops a buyer when Chorus refuses a deposit for a routing reason.
 */
export class BuyerDirectory {
  private readonly structures: TimedCache<BuyerDirectoryEntry | null>;
  private readonly serviceNeedsEngagement: TimedCache<boolean>;

  constructor(ttlMs: number) {
    this.structures = new TimedCache(ttlMs);
    this.serviceNeedsEngagement = new TimedCache(ttlMs);
  }

  /** The buyer's structure, or null when Chorus knows no structure with this SIRET. */
  structure(
    client: ChorusClient,
    environment: ChorusEnvironment,
    buyerSiret: string,
  ): Promise<BuyerDirectoryEntry | null> {
    return this.structures.get(keyOf(environment, buyerSiret), async () => {
      const found = await client.searchStructures({
        structure: { identifiantStructure: buyerSiret, typeIdentifiantStructure: 'SIRET' },
        restreindreStructuresPrivees: false,
      });
      const hit = found.listeStructures.find((s) => s.identifiantStructure === buyerSiret);
      if (!hit) return null;
      const consulted = await client.consultStructure({
        idStructureCPP: hit.idStructureCPP,
        codeLangue: 'fr',
      });
      const services = await client.allServices(hit.idStructureCPP);
      return { hit, parametres: consulted.parametres ?? {}, services };
    });
  }

  /** Whether this service of the buyer requires an engagement number (`consulter/service`). */
  engagementRequiredBy(
    client: ChorusClient,
    environment: ChorusEnvironment,
    buyerSiret: string,
    idStructure: number,
    idService: number,
  ): Promise<boolean> {
    return this.serviceNeedsEngagement.get(`${keyOf(environment, buyerSiret)}${idService}`, async () =>
      Boolean(
        (await client.consultService({ idStructure, idService, codeLangue: 'fr' })).parametres
          ?.numeroEngagement,
      ),
    );
  }

  forget(environment: ChorusEnvironment, buyerSiret: string): void {
    const prefix = keyOf(environment, buyerSiret);
    this.structures.deleteWhere((key) => key === prefix);
    this.serviceNeedsEngagement.deleteWhere((key) => key.startsWith(prefix));
  }
}

const keyOf = (environment: ChorusEnvironment, buyerSiret: string) => `${environment}:${buyerSiret}:`;
