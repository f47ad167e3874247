import type { BuyerFacts } from '../../domain/readiness';

/** An active buyer that requires nothing (no service code, no engagement), with `flags` changed. */
export function buyerStructure(
  flags: Partial<NonNullable<BuyerFacts['structure']>> = {},
): NonNullable<BuyerFacts['structure']> {
  return {
    idStructureCPP: 26300001,
    designation: 'COMMUNE DE SAINT-EXEMPLE',
    active: true,
    serviceCodeRequired: false,
    engagementRequired: false,
    serviceOrEngagementRequired: false,
    paymentNotReported: false,
    ...flags,
  };
}
