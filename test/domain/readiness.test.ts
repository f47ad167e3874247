import { buyerStructure } from '../helpers/buyer-facts';
import { InvoiceInput, type InvoiceInput as InvoiceBody } from '../../domain/invoice';
import {
  bankAccountToSend,
  isReady,
  readinessChecklist,
  type BuyerFacts,
  type ReadinessItem,
} from '../../domain/readiness';

const base: InvoiceBody = {
  connectionId: 'acme',
  invoiceNumber: 'F-1',
  issueDate: '2026-11-28',
  buyer: { siret: '11000000000015' },
  billingFrame: 'A1',
  vatRegime: 'TVA_SUR_DEBIT',
  paymentMode: 'VIREMENT',
  lines: [{ description: 'x', quantity: '1', unitPriceExclVat: '100', vatRatePercent: '20' }],
};
const supplier = { idStructureCPP: 1, siret: '87654321000019', isPublic: false };
const structure = (flags: Partial<NonNullable<BuyerFacts['structure']>> = {}): BuyerFacts['structure'] =>
  buyerStructure({ idStructureCPP: 2, designation: 'CH VALMONT', ...flags });
const services: BuyerFacts['services'] = [
  { idService: 1, code: 'ACHATS', label: 'Achats', active: true, engagementRequired: false },
  { idService: 2, code: 'TRAVAUX', label: 'Travaux', active: true, engagementRequired: true },
  { idService: 3, code: 'FERME', label: 'Fermé', active: false, engagementRequired: false },
  {
    idService: 4,
    code: 'FACTURES_PUBLIQUES',
    label: 'Factures publiques',
    active: true,
    engagementRequired: false,
  },
];

function check(
  body: Partial<InvoiceBody>,
  buyer: BuyerFacts,
  attachments = [] as { fileName: string; sizeBytes: number }[],
) {
  const invoice = InvoiceInput.parse({ ...base, ...body });
  return readinessChecklist({ invoice, supplier, buyer, attachments });
}
const failing = (items: ReadinessItem[]) => items.filter((i) => !i.ok).map((i) => i.id);
const byId = (items: ReadinessItem[], id: string) => items.find((i) => i.id === id)!;

describe('readiness checklist', () => {
  it('is all green for a buyer without requirements', () => {
    const items = check({}, { structure: structure(), services });
    expect(failing(items)).toEqual([]);
    expect(isReady(items)).toBe(true);
  });

  it('asks for a service code, offering only active services and never FACTURES_PUBLIQUES to a private supplier', () => {
    const items = check({}, { structure: structure({ serviceCodeRequired: true }), services });
    expect(failing(items)).toEqual(['service-code']);
    const item = byId(items, 'service-code');
    expect(item.field).toBe('buyer.serviceCode');
    expect(item.allowedValues?.map((v) => v.value)).toEqual(['ACHATS', 'TRAVAUX']);
  });

  it('refuses an inactive service and FACTURES_PUBLIQUES', () => {
    const buyer = { structure: structure({ serviceCodeRequired: true }), services };
    expect(
      byId(check({ buyer: { siret: base.buyer.siret, serviceCode: 'FERME' } }, buyer), 'service-code')
        .message,
    ).toMatch(/inactive/);
    expect(
      byId(
        check({ buyer: { siret: base.buyer.siret, serviceCode: 'FACTURES_PUBLIQUES' } }, buyer),
        'service-code',
      ).ok,
    ).toBe(false);
  });

  it('asks for an engagement when the structure or the chosen service requires one', () => {
    expect(failing(check({}, { structure: structure({ engagementRequired: true }), services }))).toEqual([
      'engagement-number',
    ]);
    const viaService = check(
      { buyer: { siret: base.buyer.siret, serviceCode: 'TRAVAUX' } },
      { structure: structure(), services },
    );
    expect(byId(viaService, 'engagement-number').message).toMatch(/Service TRAVAUX/);
  });

  it('accepts either a service or an engagement when the buyer asks for one of the two', () => {
    const buyer = { structure: structure({ serviceOrEngagementRequired: true }), services };
    expect(failing(check({}, buyer))).toEqual(['service-code', 'engagement-number']);
    // The two missing items are alternatives: one group, so a task asks for either, not both.
    const groups = check({}, buyer)
      .filter((i) => !i.ok)
      .map((i) => i.oneOf);
    expect(groups).toEqual(['service-or-engagement', 'service-or-engagement']);
    // A buyer that requires both asks for both, with no alternative.
    const both = { structure: structure({ serviceCodeRequired: true, engagementRequired: true }), services };
    expect(
      check({}, both)
        .filter((i) => !i.ok)
        .map((i) => i.oneOf),
    ).toEqual([undefined, undefined]);
    expect(failing(check({ references: { engagementNumber: 'EJ-1' } }, buyer))).toEqual([]);
    expect(failing(check({ buyer: { siret: base.buyer.siret, serviceCode: 'ACHATS' } }, buyer))).toEqual([]);
  });

  it('warns about an engagement the search does not know, which a person can correct or confirm', () => {
    const items = check(
      { references: { engagementNumber: 'EJ-404' } },
      { structure: structure(), services, engagementFound: false },
    );
    expect(failing(items)).toEqual(['engagement-exists']);
    expect(byId(items, 'engagement-exists')).toMatchObject({
      field: 'references.engagementNumber',
      oneOf: 'engagement-number-or-confirmation',
      confirmField: 'references.engagementConfirmed',
    });
    const confirmed = check(
      { references: { engagementNumber: 'EJ-404', engagementConfirmed: true } },
      { structure: structure(), services, engagementFound: false },
    );
    expect(failing(confirmed)).toEqual([]);
    expect(byId(confirmed, 'engagement-exists').message).toMatch(/a person confirmed it/);
  });

  it('refuses a closed engagement (no confirmation can send it), and says nothing when the search did not run', () => {
    const closed = check(
      { references: { engagementNumber: 'EJ-2025-000099', engagementConfirmed: true } },
      { structure: structure(), services, engagementFound: true, engagementState: 'CLOTURE' },
    );
    expect(failing(closed)).toEqual(['engagement-exists']);
    expect(byId(closed, 'engagement-exists').confirmField).toBeUndefined();
    expect(byId(closed, 'engagement-exists').messageFr).toMatch(/est clôturé dans Chorus Pro/);
    const open = check(
      { references: { engagementNumber: 'EJ-1' } },
      { structure: structure(), services, engagementFound: true, engagementState: 'COMMANDE' },
    );
    expect(failing(open)).toEqual([]);
    expect(
      check({ references: { engagementNumber: 'EJ-1' } }, { structure: structure(), services }).map(
        (i) => i.id,
      ),
    ).not.toContain('engagement-exists');
  });

  it('stops at an unknown or inactive buyer structure', () => {
    expect(failing(check({}, { structure: null, services: [] }))).toEqual(['buyer-structure-active']);
    expect(
      byId(check({}, { structure: structure({ active: false }), services }), 'buyer-structure-active')
        .message,
    ).toMatch(/inactive/);
  });

  it('asks for billing frame, VAT regime, exemption reason and payment mode when missing', () => {
    const items = check(
      { billingFrame: undefined, vatRegime: 'EXONERATION', paymentMode: undefined },
      { structure: structure(), services },
    );
    expect(failing(items)).toEqual(['billing-frame', 'vat-exemption-reason', 'payment-mode']);
    expect(byId(items, 'billing-frame').allowedValues?.map((v) => v.value)).toEqual([
      'A1',
      'A2',
      'A9',
      'A12',
    ]);
  });

  it('checks given totals against the lines and attachments against Chorus limits', () => {
    const items = check(
      { totals: { totalExclVat: '100.00', totalVat: '20.00', totalInclVat: '121.00' } },
      { structure: structure(), services },
      [{ fileName: 'big.pdf', sizeBytes: 11 * 1024 * 1024 }],
    );
    expect(failing(items)).toEqual(['totals-consistent', 'attachments']);
    expect(byId(items, 'totals-consistent').message).toMatch(/121.00 ≠ 120.00/);
  });

  it('refuses more than 120 MB of attachments for one invoice, each file within its own limit', () => {
    const files = Array.from({ length: 13 }, (_, i) => ({
      fileName: `piece-${i}.pdf`,
      sizeBytes: 10 * 1024 * 1024,
    }));
    const items = check({}, { structure: structure(), services }, files);
    expect(failing(items)).toEqual(['attachments']);
    expect(byId(items, 'attachments').message).toMatch(/total 130\.0 MB, over the 120 MB/);
    expect(byId(items, 'attachments').messageFr).toMatch(/130,0 Mo|130\.0 Mo/);
    expect(failing(check({}, { structure: structure(), services }, files.slice(0, 12)))).toEqual([]);
  });

  it('names the bank account of a VIREMENT: the only one, a chosen one, or asks between several', () => {
    const buyer = { structure: structure(), services };
    const withAccounts = (body: Partial<InvoiceBody>, bankAccounts: Array<{ id: number; label: string }>) =>
      readinessChecklist({
        invoice: InvoiceInput.parse({ ...base, ...body }),
        supplier,
        buyer,
        attachments: [],
        bankAccounts,
      });
    const one = [{ id: 7, label: 'Compte principal' }];
    const two = [...one, { id: 8, label: 'Compte 2' }];
    expect(byId(withAccounts({}, one), 'bank-details').ok).toBe(true);
    expect(bankAccountToSend(undefined, one)).toBe(7);
    const asked = byId(withAccounts({}, two), 'bank-details');
    expect(asked).toMatchObject({ ok: false, field: 'bankAccountId' });
    expect(asked.allowedValues).toEqual([
      { value: '7', label: 'Compte principal (7)' },
      { value: '8', label: 'Compte 2 (8)' },
    ]);
    expect(bankAccountToSend(undefined, two)).toBeUndefined();
    expect(byId(withAccounts({ bankAccountId: 8 }, two), 'bank-details').ok).toBe(true);
    expect(bankAccountToSend(8, two)).toBe(8);
    expect(byId(withAccounts({ bankAccountId: 9 }, two), 'bank-details').ok).toBe(false);
    expect(byId(withAccounts({}, []), 'bank-details').ok).toBe(true);
    // Another payment mode names no account; nor does a checklist without the accounts read.
    expect(withAccounts({ paymentMode: 'CHEQUE' }, two).some((i) => i.id === 'bank-details')).toBe(false);
    expect(check({}, buyer).some((i) => i.id === 'bank-details')).toBe(false);
  });

  it('asks a sub- or co-contractor invoice (A9, A12) for its validating structure', () => {
    const buyer = { structure: structure(), services };
    expect(failing(check({ billingFrame: 'A9' }, buyer))).toEqual(['validator']);
    expect(byId(check({ billingFrame: 'A12' }, buyer), 'validator')).toMatchObject({
      field: 'validator.siret',
    });
    expect(failing(check({ billingFrame: 'A9', validator: { siret: '11000000000056' } }, buyer))).toEqual([]);
    expect(check({ billingFrame: 'A1' }, buyer).map((i) => i.id)).not.toContain('validator');
  });
});
