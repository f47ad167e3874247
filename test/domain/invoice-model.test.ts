import { InvoiceInput, moneyToMicros } from '../../domain/invoice';
import { computeTotals } from '../../domain/totals';
import { formatDecimal } from '../../domain/money';

const valid = {
  connectionId: 'acme-prod',
  invoiceNumber: 'F-2026-001',
  issueDate: '2026-11-28',
  buyer: { siret: '11000000000015' },
  lines: [{ description: 'Maintenance', quantity: '2', unitPriceExclVat: '10.50', vatRatePercent: '20' }],
};

function fieldErrors(body: unknown): Record<string, string> {
  const result = InvoiceInput.safeParse(body);
  if (result.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join('.');
    errors[key] = errors[key] ? `${errors[key]}; ${issue.message}` : issue.message;
  }
  return errors;
}

describe('invoice model', () => {
  it('accepts a minimal invoice and fills the documented defaults', () => {
    const invoice = InvoiceInput.parse(valid);
    expect(invoice).toMatchObject({
      type: 'INVOICE',
      currency: 'EUR',
      draft: false,
      requireApproval: false,
      attachments: [],
    });
    expect(invoice.lines[0]).toMatchObject({ quantity: '2', vatRatePercent: '20', unit: 'unité' });
  });

  it('refuses bad values with one message per field', () => {
    const errors = fieldErrors({
      ...valid,
      invoiceNumber: 'F 2026 / way too long for chorus',
      issueDate: '2026-02-30x',
      draft: true,
      buyer: { siret: '11000000000016' },
      lines: [{ description: 'x', quantity: 0, unitPriceExclVat: 10.5, vatRatePercent: 120 }],
      webhookUrl: 'ftp://example.test/hook',
    });
    expect(errors.invoiceNumber).toMatch(/20 characters/);
    expect(errors.issueDate).toMatch(/YYYY-MM-DD/);
    expect(errors.draft).toMatch(/draft/);
    expect(errors['buyer.siret']).toMatch(/checksum/);
    expect(errors['lines.0.quantity']).toMatch(/greater than 0/);
    expect(errors['lines.0.unitPriceExclVat']).toBeDefined(); // a float is refused for money
    expect(errors['lines.0.vatRatePercent']).toMatch(/between 0 and 100/);
    expect(errors.webhookUrl).toBeDefined();
  });

  it('takes quantities and rates as decimal strings only, exactly as the contract patterns say', () => {
    const line = (over: Record<string, unknown>) =>
      fieldErrors({ ...valid, lines: [{ ...valid.lines[0], ...over }] });
    expect(line({ quantity: 2 })['lines.0.quantity']).toMatch(/decimal string/);
    expect(line({ quantity: '0' })['lines.0.quantity']).toMatch(/greater than 0/);
    expect(line({ quantity: '0.000001' })).toEqual({});
    expect(line({ quantity: ' 2' })['lines.0.quantity']).toBeDefined();
    expect(line({ quantity: '' })['lines.0.quantity']).toBeDefined();
    expect(line({ vatRatePercent: '100' })).toEqual({});
    expect(line({ vatRatePercent: '100.01' })['lines.0.vatRatePercent']).toMatch(/between 0 and 100/);
    expect(line({ unitPriceExclVat: '-1' })['lines.0.unitPriceExclVat']).toBeDefined();
    expect(line({ unitPriceExclVat: { cents: -1 } })).not.toEqual({});
    expect(line({ unitPriceExclVat: '' })['lines.0.unitPriceExclVat']).toBeDefined();
  });

  it('needs the original invoice for a credit note', () => {
    expect(fieldErrors({ ...valid, type: 'CREDIT_NOTE' }).originalInvoiceNumber).toMatch(/credits/);
    expect(fieldErrors({ ...valid, type: 'CREDIT_NOTE', originalInvoiceNumber: 'F-2026-000' })).toEqual({});
  });

  it('checks attachments against Chorus limits, including path tricks', () => {
    const errors = fieldErrors({
      ...valid,
      attachments: [
        { fileName: '../../etc/passwd.pdf', contentBase64: 'aGVsbG8=' },
        { fileName: 'report.exe', contentBase64: 'aGVsbG8=' },
        { fileName: 'ok.pdf', contentBase64: 'not base64!' },
        { fileName: 'both.pdf' },
      ],
    });
    expect(errors['attachments.0.fileName']).toMatch(/plain file name/);
    expect(errors['attachments.1.fileName']).toMatch(/extension/);
    expect(errors['attachments.2.contentBase64']).toMatch(/base64/);
    expect(errors['attachments.3.contentBase64']).toMatch(/exactly one/);
  });

  it('takes money as decimal strings or integer cents, with the same result', () => {
    expect(moneyToMicros('12.34')).toBe(moneyToMicros({ cents: 1234 }));
    const errors = fieldErrors({
      ...valid,
      lines: [{ ...valid.lines[0], unitPriceExclVat: { cents: 1.5 } }],
    });
    expect(errors['lines.0.unitPriceExclVat']).toMatch(/integer cents/);
  });

  it('totals lines per VAT rate with cent rounding (official Chorus sample amounts)', () => {
    const invoice = InvoiceInput.parse({
      ...valid,
      lines: [
        { description: 'a', quantity: '1', unitPriceExclVat: '510', vatRatePercent: '20' },
        { description: 'b', quantity: '1', unitPriceExclVat: '432', vatRatePercent: '2.1' },
        { description: 'c', quantity: '3', unitPriceExclVat: '128', vatRatePercent: '5' },
      ],
    });
    const totals = computeTotals(invoice.lines);
    expect(formatDecimal(totals.exclVat)).toBe('1326.00');
    expect(totals.vatByRate.map((r) => [r.ratePercent, formatDecimal(r.base), formatDecimal(r.vat)])).toEqual(
      [
        ['2.1', '432.00', '9.07'],
        ['5', '384.00', '19.20'],
        ['20', '510.00', '102.00'],
      ],
    );
    expect(formatDecimal(totals.inclVat)).toBe('1456.27');
  });
});
