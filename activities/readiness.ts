import type { Localized } from '../domain/messages';
import { t } from '../domain/messages';
import type {
  AllowedValue,
  BankAccount,
  BuyerFacts,
  ReferenceLists,
  SupplierFacts,
} from '../domain/readiness';
import type { ConnectionDirectory, ConnectionRecord } from '../platform/connections';
import { TimedCache, type ChorusAccess } from './chorus-access';
import type { ChorusClient } from './chorus/client';
import { ApiFamilyNotSubscribedError } from './chorus/errors';

export interface ConnectionHealth {
  healthy: boolean;
  /** Why not, in words a person can act on. */
  reason?: Localized;
}

export interface ReadinessActivityDependencies {
  connections: ConnectionDirectory;
  /** Whether a connection may be used now; the connection workflow provides the real answer. */
  connectionHealth?: (connection: ConnectionRecord) => Promise<ConnectionHealth>;
}

/**
 * Chorus's engagement search for one number: found or not, and its state. A connection without the
 * Engagements API cannot check: that is no reason to stop an invoice.
 */
async function lookUpEngagement(
  client: ChorusClient,
  idFournisseur: number,
  engagementNumber: string,
): Promise<{ engagementFound: boolean; engagementState?: string } | undefined> {
  try {
    const answer = await client.searchEngagements({
      structureReceptriceEngagementJuridique: idFournisseur,
      numeroEngagementJuridique: engagementNumber,
    });
    const hit = answer.listeEngagementJuridique.find((e) => e.numeroEngagementJuridique === engagementNumber);
    return hit
      ? {
          engagementFound: true,
          ...(hit.libelleEtatCourantEJ ? { engagementState: hit.libelleEtatCourantEJ } : {}),
        }
      : { engagementFound: false };
  } catch (err) {
    if (err instanceof ApiFamilyNotSubscribedError) return undefined;
    throw err;
  }
}

/** What the readiness checklist is evaluated on: the connection, the supplier, the buyer, Chorus's lists. */
export function createReadinessActivities(chorus: ChorusAccess, deps: ReadinessActivityDependencies) {
  const listsCache = new TimedCache<ReferenceLists>(chorus.cacheMs);
  const bankAccountsCache = new TimedCache<BankAccount[]>(chorus.cacheMs);
  const activities = {
    async connectionHealth(connectionId: string): Promise<ConnectionHealth> {
      const record = await deps.connections.get(connectionId);
      if (!record) return { healthy: false, reason: t('connection.health.unknown', { id: connectionId }) };
      return deps.connectionHealth ? deps.connectionHealth(record) : { healthy: true };
    },

    async supplierFacts(connectionId: string): Promise<SupplierFacts> {
      return chorus.call(connectionId, (client, record) => chorus.supplierOf(client, record));
    },

    async buyerFacts(input: {
      connectionId: string;
      buyerSiret: string;
      serviceCode?: string;
      engagementNumber?: string;
      idFournisseur?: number;
    }): Promise<BuyerFacts> {
      const { buyerSiret, serviceCode, engagementNumber, idFournisseur } = input;
      return chorus.call(input.connectionId, async (client, record) => {
        const buyer = await chorus.buyers.structure(client, record.environment, buyerSiret);
        if (!buyer) return { structure: null, services: [] };
        const { hit, parametres: p, services } = buyer;
        const chosen = serviceCode ? services.find((s) => s.codeService === serviceCode) : undefined;
        const chosenNeedsEngagement = chosen
          ? await chorus.buyers.engagementRequiredBy(
              client,
              record.environment,
              buyerSiret,
              hit.idStructureCPP,
              chosen.idService,
            )
          : false;
        const engagement =
          record.engagementCheck && engagementNumber && idFournisseur
            ? await lookUpEngagement(client, idFournisseur, engagementNumber)
            : undefined;
        return {
          structure: {
            idStructureCPP: hit.idStructureCPP,
            designation: hit.designationStructure ?? buyerSiret,
            active: (hit.statut ?? 'ACTIVE').startsWith('ACTI'),
            serviceCodeRequired: Boolean(p.codeServiceDoitEtreRenseigne),
            engagementRequired: Boolean(p.numeroEJDoitEtreRenseigne),
            serviceOrEngagementRequired: Boolean(p.gestionNumeroEJOuCodeService),
            paymentNotReported: Boolean(p.statutMiseEnPaiementNestPasRemonte),
          },
          services: services.map((s) => ({
            idService: s.idService,
            code: s.codeService,
            label: s.libelleService ?? s.codeService,
            active: s.estActif !== false,
            engagementRequired: s.idService === chosen?.idService ? chosenNeedsEngagement : false,
          })),
          ...(engagement ?? {}),
        };
      });
    },

    /** The supplier's valid bank accounts (`recuperer/coordbanc/valides`), read for VIREMENT invoices. */
    async supplierBankAccounts(input: { connectionId: string; idStructure: number }): Promise<BankAccount[]> {
      // Cached like the reference lists: one read per supplier, not one per invoice.
      return chorus.call(input.connectionId, (client) =>
        bankAccountsCache.get(`${input.connectionId}:${input.idStructure}`, async () => {
          const answer = await client.recupererCoordonneesBancairesValides({
            idStructure: input.idStructure,
          });
          return answer.listeCoordonneeBancaire.map((a) => ({
            id: a.idCoordonneeBancaire,
            label: a.nomCoordonneeBancaire ?? String(a.idCoordonneeBancaire),
          }));
        }),
      );
    },

    async referenceLists(connectionId: string): Promise<ReferenceLists> {
      return chorus.call(connectionId, (client) =>
        listsCache.get(connectionId, async () => {
          const [frames, reasons, modes] = await Promise.all([
            client.billingFrames({ typeDemandePaiement: 'FACTURE' }),
            client.vatExemptionReasons({ codeLangue: 'FR' }),
            client.paymentModes(),
          ]);
          const billingFrames: AllowedValue[] = frames.listeCadreFacturation.map((f) => ({
            value: f.codeCadreFacturation.split('_')[0],
            label: f.codeCadreFacturation,
          }));
          return {
            billingFrames,
            vatExemptionReasons: reasons.listeMotifsExonerationTva.map((r) => ({
              value: r.codeMotifExonerationTva,
              label: r.libelleMotifExonerationTva ?? r.codeMotifExonerationTva,
            })),
            paymentModes: modes.listeModePaiement.map((m) => ({
              value: m.modePaiement,
              label: m.modePaiement,
            })),
          };
        }),
      );
    },

    /**
     * Everything the readiness checklist reads, in one activity (one step of the workflow, not five):
     * first whether the connection may be used (if not, why, and no Chorus call), then the supplier,
     * the buyer and Chorus's lists side by side, and the supplier's bank accounts for a credit
     * transfer (the one mode that names an account).
     */
    async readinessFacts(input: {
      connectionId: string;
      buyerSiret: string;
      serviceCode?: string;
      engagementNumber?: string;
      readBankAccounts: boolean;
    }): Promise<ReadinessLookUp> {
      const { connectionId } = input;
      const health = await activities.connectionHealth(connectionId);
      if (!health.healthy)
        return { healthy: false, ...(health.reason ? { reason: health.reason } : {}), endedAtMs: Date.now() };
      const supplier = await activities.supplierFacts(connectionId);
      const idFournisseur = supplier.idStructureCPP ?? undefined;
      const [buyer, lists, bankAccounts] = await Promise.all([
        activities.buyerFacts({
          connectionId,
          buyerSiret: input.buyerSiret,
          serviceCode: input.serviceCode,
          engagementNumber: input.engagementNumber,
          idFournisseur,
        }),
        activities.referenceLists(connectionId),
        input.readBankAccounts && idFournisseur !== undefined
          ? activities.supplierBankAccounts({ connectionId, idStructure: idFournisseur })
          : undefined,
      ]);
      return {
        healthy: true,
        supplier,
        buyer,
        lists,
        ...(bankAccounts ? { bankAccounts } : {}),
        endedAtMs: Date.now(),
      };
    },
  };
  return activities;
}

/**
 * The readiness look-up: the facts when the connection may be used, else why it may not; and when
 * it ended by the worker's clock (the workflow stamps what follows with it: workflows/invoice/clock.ts).
 */
export type ReadinessLookUp = (
  ({ healthy: true } & ReadinessFacts) | { healthy: false; reason?: Localized }
) &
  LocalStepEnd;

/** When a local activity of the invoice's lifecycle ended, by the worker's clock (ms since the epoch). */
export interface LocalStepEnd {
  endedAtMs: number;
}

export interface ReadinessFacts {
  supplier: SupplierFacts;
  buyer: BuyerFacts;
  lists: ReferenceLists;
  bankAccounts?: BankAccount[];
}
