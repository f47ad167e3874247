/**
 * An invoice's row holds whatever total the API accepts: 13 integer digits times 13 integer digits
 * pass bigint's range in cents (the API fuzzer found such invoices without a row, their record
 * refused by PostgreSQL and retried forever).
 */
import { invoiceBody, startStack, type Stack } from './stack-harness';

describe('records: an invoice with a very large total is stored and listed', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('lists it from the database with its exact totals', async () => {
    const body = invoiceBody(stack, 'buyer.no-requirement', {
      requireApproval: true,
      lines: [
        {
          description: 'Travaux',
          quantity: '9999999999999',
          unitPriceExclVat: '9999999999999.99',
          vatRatePercent: '20',
        },
      ],
    });
    const id = await stack.submit(body);
    const listed = await stack.waitUntil(async () => {
      const list = await stack.http.get('v1/invoices', {
        searchParams: { connectionId: stack.connectionId, invoiceNumber: String(body.invoiceNumber) },
      });
      const items = (list.body as unknown as { invoices: Array<Record<string, unknown>> }).invoices;
      return items.length > 0 ? items[0] : undefined;
    }, 'the invoice listed from its row');
    // 9 999 999 999 999 × 9 999 999 999 999.99, and 20 % on top, to the cent.
    const excl = 9_999_999_999_999n * 999_999_999_999_999n; // cents
    const incl = (excl * 120n + 50n) / 100n;
    const euros = (cents: bigint) => `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
    expect(listed).toMatchObject({ id, totalExclVat: euros(excl), totalInclVat: euros(incl) });
  });
});
