import { z } from 'zod';
import type { BuyerRequirements, DryRunResult } from '../../workflows/contracts/connection';
import type { ReadinessItem } from '../../domain/readiness';
import { Timestamp } from './common';
import { ReadinessItemSchema } from './invoices';

const Money = z.string().meta({ description: 'An amount in euros with two decimals, such as "150.00".' });

export const BuyerRequirementsSchema = z.object({
  siret: z.string(),
  found: z.boolean().meta({ description: 'Whether Chorus Pro knows a structure with this SIRET.' }),
  name: z.string().optional(),
  active: z.boolean().optional(),
  acceptsInvoices: z.boolean().meta({ description: 'A known, active structure: it can receive invoices.' }),
  serviceCodeRequired: z.boolean().optional(),
  engagementRequired: z.boolean().optional(),
  serviceOrEngagementRequired: z
    .boolean()
    .optional()
    .meta({ description: 'A service code or an engagement number, either one.' }),
  paymentReported: z
    .boolean()
    .optional()
    .meta({ description: 'Whether this buyer reports payments (MISE_EN_PAIEMENT) in Chorus Pro.' }),
  services: z
    .array(z.object({ code: z.string(), label: z.string(), engagementRequired: z.boolean() }))
    .meta({ description: 'Its active services, each with its own engagement requirement.' }),
  billingFrames: z
    .array(z.object({ value: z.string(), label: z.string() }))
    .meta({ description: 'Billing frames Chorus Pro accepts.' }),
  checkedAt: Timestamp.meta({ description: 'When Chorus Pro was read (reference lists may be a day old).' }),
});

export const DryRunSchema = z.object({
  ready: z.boolean().meta({ description: 'Whether the invoice would be sent as it is, without a task.' }),
  checklist: z.array(ReadinessItemSchema),
  totals: z.object({ exclVat: Money, vat: Money, inclVat: Money }),
  chorusPayload: z.record(z.string(), z.unknown()).optional().meta({
    description:
      'When ready: the exact body `soumettre` would receive (attachment ids are given at upload: 0 here).',
  }),
  checkedAt: Timestamp,
});

// The activities' results must fit these schemas: these assignments compile only while they do.
export const LOOKUP_CONTRACT_FITS = {
  requirements: (r: BuyerRequirements): z.output<typeof BuyerRequirementsSchema> => r,
  dryRun: (r: Omit<DryRunResult, 'chorusPayload' | 'checklist'> & { checklist: ReadinessItem[] }) =>
    r satisfies Omit<z.output<typeof DryRunSchema>, 'chorusPayload'>,
};
