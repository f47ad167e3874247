import { isReady, readinessChecklist, type BuyerFacts } from '../../../domain/readiness';
import { localChorus } from '../activity-proxies';
import type { InvoiceContext } from '../context';
import { record } from '../transitions';
import { withConnection, type UnusableConnection } from './connection';

/**
 * CHECKING: reads whether the connection may be used and what Chorus says about the supplier and
 * the buyer (one activity), evaluates the readiness checklist on it and records both, exactly as
 * evaluated. Returns whether the invoice is ready, or why the connection may not be used.
 *
 * `alongside` is work started with the look-up (the uploads ahead) that must end before the
 * look-up's outcome is acted on: nothing that sends a command runs between the two ends, so a
 * replay, which may resolve two local activities in another order or in one activation, sends the
 * same commands as the first run (a status changed between them would have its own search-attribute
 * upsert in one and not in the other).
 */
export async function evaluateReadiness(
  ctx: InvoiceContext,
  alongside?: Promise<unknown>,
): Promise<{ ready: boolean } | { connectionDown: UnusableConnection }> {
  const s = ctx.state;
  const invoice = s.invoice;
  const lookUpFacts = () =>
    localChorus.readinessFacts({
      connectionId: ctx.connectionId,
      buyerSiret: invoice.buyer.siret,
      serviceCode: invoice.buyer.serviceCode,
      engagementNumber: invoice.references.engagementNumber,
      readBankAccounts: invoice.paymentMode === 'VIREMENT',
    });
  let first: ReturnType<typeof lookUpFacts> | undefined = lookUpFacts();
  if (alongside) await Promise.allSettled([first, alongside]);
  const lookUp = await withConnection(ctx, () => {
    const call = first ?? lookUpFacts();
    first = undefined;
    return call;
  });
  if (!lookUp.healthy) return { connectionDown: lookUp };
  const { supplier, buyer, lists, bankAccounts } = lookUp;
  s.supplier = supplier;
  s.bankAccounts = bankAccounts;
  s.checklist = readinessChecklist({
    invoice: { ...invoice, attachments: [] },
    supplier,
    buyer,
    attachments: s.attachments.map((a) => ({ fileName: a.fileName, sizeBytes: a.sizeBytes })),
    lists,
    bankAccounts: s.bankAccounts,
  });
  s.buyerStructureId = buyer.structure?.idStructureCPP;
  if (buyer.structure?.designation && buyer.structure.designation !== invoice.buyer.siret)
    s.buyerName = buyer.structure.designation;
  const ok = isReady(s.checklist);
  record(ctx, {
    kind: 'checklist.evaluated',
    ok,
    items: s.checklist,
    basis: basisOf(supplier.idStructureCPP, buyer),
  });
  return { ready: ok };
}

function basisOf(supplierStructureId: number | null, buyer: BuyerFacts) {
  const structure = buyer.structure;
  return {
    supplierStructureId,
    buyer: structure
      ? {
          idStructureCPP: structure.idStructureCPP,
          designation: structure.designation,
          active: structure.active,
          serviceCodeRequired: structure.serviceCodeRequired,
          engagementRequired: structure.engagementRequired,
          serviceOrEngagementRequired: structure.serviceOrEngagementRequired,
        }
      : null,
    activeServices: buyer.services.filter((x) => x.active).map((x) => x.code),
    ...(buyer.engagementFound !== undefined ? { engagementFound: buyer.engagementFound } : {}),
    ...(buyer.engagementState ? { engagementState: buyer.engagementState } : {}),
  };
}
