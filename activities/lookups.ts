import { toChorusSubmitBody, type ChorusSubmitBody } from '../domain/chorus-invoice';
import type { Invoice } from '../domain/invoice';
import { formatDecimal } from '../domain/money';
import {
  bankAccountToSend,
  isReady,
  PUBLIC_INVOICES_SERVICE,
  readinessChecklist,
  type AllowedValue,
  type ReadinessItem,
} from '../domain/readiness';
import { computeTotals } from '../domain/totals';
import type { ChorusAccess } from './chorus-access';
import type { createReadinessActivities } from './readiness';

type ReadinessActivities = ReturnType<typeof createReadinessActivities>;

/** An attachment as a dry run sees it: described, never uploaded. */
export interface AttachmentOutline {
  fileName: string;
  sizeBytes: number;
  type: string;
  main: boolean;
}

/** What an invoice would meet in Chorus Pro now, without starting or uploading anything. */
export interface DryRunResult {
  ready: boolean;
  checklist: ReadinessItem[];
  totals: { exclVat: string; vat: string; inclVat: string };
  /** The exact `soumettre` body (attachment ids are given at upload: 0 here); only when ready. */
  chorusPayload?: ChorusSubmitBody;
  checkedAt: string;
}

/** What a buyer requires of an invoice, as Chorus Pro says now. */
export interface BuyerRequirements {
  siret: string;
  found: boolean;
  name?: string;
  active?: boolean;
  /** Whether it accepts invoices at all (a known, active structure). */
  acceptsInvoices: boolean;
  serviceCodeRequired?: boolean;
  engagementRequired?: boolean;
  serviceOrEngagementRequired?: boolean;
  paymentReported?: boolean;
  services: Array<{ code: string; label: string; engagementRequired: boolean }>;
  billingFrames: AllowedValue[];
  checkedAt: string;
}

/**
 * Reads for integrators, run by the connection workflow on request (no invoice workflow): a buyer's
 * requirements and an invoice's dry run, from the same facts and checklist the invoice workflow uses.
 */
export function createLookupActivities(chorus: ChorusAccess, readiness: ReadinessActivities) {
  /** The services (of `idServices`) that demand an engagement number: `consulter/service` for each. */
  const servicesNeedingEngagement = (connectionId: string, idStructure: number, idServices: number[]) =>
    chorus.call(connectionId, async (client) => {
      const needing: number[] = [];
      for (const idService of idServices) {
        const consulted = await client.consultService({ idStructure, idService, codeLangue: 'fr' });
        if (consulted.parametres?.numeroEngagement) needing.push(idService);
      }
      return needing;
    });

  return {
    async buyerRequirements(input: { connectionId: string; buyerSiret: string }): Promise<BuyerRequirements> {
      const [buyer, lists] = await Promise.all([
        readiness.buyerFacts({ connectionId: input.connectionId, buyerSiret: input.buyerSiret }),
        readiness.referenceLists(input.connectionId),
      ]);
      const checkedAt = new Date().toISOString();
      const s = buyer.structure;
      const offered = buyer.services.filter((x) => x.active && x.code !== PUBLIC_INVOICES_SERVICE);
      const needing = s
        ? await servicesNeedingEngagement(
            input.connectionId,
            s.idStructureCPP,
            offered.map((x) => x.idService),
          )
        : [];
      if (!s)
        return {
          siret: input.buyerSiret,
          found: false,
          acceptsInvoices: false,
          services: [],
          billingFrames: [],
          checkedAt,
        };
      return {
        siret: input.buyerSiret,
        found: true,
        name: s.designation,
        active: s.active,
        acceptsInvoices: s.active,
        serviceCodeRequired: s.serviceCodeRequired,
        engagementRequired: s.engagementRequired,
        serviceOrEngagementRequired: s.serviceOrEngagementRequired,
        paymentReported: !s.paymentNotReported,
        services: offered.map((x) => ({
          code: x.code,
          label: x.label,
          engagementRequired: needing.includes(x.idService),
        })),
        billingFrames: lists.billingFrames ?? [],
        checkedAt,
      };
    },

    async invoiceDryRun(input: {
      invoice: Omit<Invoice, 'attachments'>;
      attachments: AttachmentOutline[];
    }): Promise<DryRunResult> {
      const { invoice, attachments } = input;
      const connectionId = invoice.connectionId;
      const supplier = await readiness.supplierFacts(connectionId);
      const [buyer, lists, bankAccounts] = await Promise.all([
        readiness.buyerFacts({
          connectionId,
          buyerSiret: invoice.buyer.siret,
          serviceCode: invoice.buyer.serviceCode,
          engagementNumber: invoice.references.engagementNumber,
          idFournisseur: supplier.idStructureCPP ?? undefined,
        }),
        readiness.referenceLists(connectionId),
        invoice.paymentMode === 'VIREMENT' && supplier.idStructureCPP !== null
          ? readiness.supplierBankAccounts({ connectionId, idStructure: supplier.idStructureCPP })
          : Promise.resolve(undefined),
      ]);
      const checklist = readinessChecklist({
        invoice: { ...invoice, attachments: [] },
        supplier,
        buyer,
        attachments,
        lists,
        bankAccounts,
      });
      const ready = isReady(checklist);
      const totals = computeTotals(invoice.lines);
      return {
        ready,
        checklist,
        totals: {
          exclVat: formatDecimal(totals.exclVat),
          vat: formatDecimal(totals.vat),
          inclVat: formatDecimal(totals.inclVat),
        },
        ...(ready
          ? {
              chorusPayload: toChorusSubmitBody(
                { ...invoice, attachments: [] },
                {
                  idFournisseur: supplier.idStructureCPP ?? 0,
                  bankAccountId: bankAccountToSend(invoice.bankAccountId, bankAccounts),
                  attachments: attachments.map((a) => ({
                    fileName: a.fileName,
                    type: a.type,
                    main: a.main,
                    pieceJointeId: 0,
                  })),
                },
              ),
            }
          : {}),
        checkedAt: new Date().toISOString(),
      };
    },
  };
}
