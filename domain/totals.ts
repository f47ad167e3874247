import { moneyToMicros } from './invoice-constants';
import type { InvoiceLine } from './invoice';
import { multiply, parseDecimal, percentOf, roundTo, sum, type Micros } from './money';

export interface VatBreakdown {
  ratePercent: string;
  base: Micros;
  vat: Micros;
}

export interface InvoiceTotals {
  lines: Micros[];
  vatByRate: VatBreakdown[];
  exclVat: Micros;
  vat: Micros;
  inclVat: Micros;
}

/**
 * Totals the way an accountant checks them: each line rounded to the cent
 * (quantity × unit price − discount), VAT computed per rate on the rate's base and rounded
 * to the cent, then summed. Rounding is half away from zero.
 */
export function computeTotals(lines: InvoiceLine[]): InvoiceTotals {
  const lineTotals = lines.map((line) => {
    const gross = multiply(parseDecimal(line.quantity), moneyToMicros(line.unitPriceExclVat));
    const discount = line.discountExclVat ? moneyToMicros(line.discountExclVat) : 0n;
    return roundTo(gross - discount, 2);
  });

  const byRate = new Map<string, Micros>();
  lines.forEach((line, i) => {
    const key = String(parseDecimal(line.vatRatePercent));
    byRate.set(key, (byRate.get(key) ?? 0n) + lineTotals[i]);
  });
  const vatByRate = [...byRate.entries()]
    .map(([rateMicros, base]) => {
      const rate = BigInt(rateMicros);
      return { rateMicros: rate, base, vat: roundTo(percentOf(base, rate), 2) };
    })
    .sort((a, b) => (a.rateMicros < b.rateMicros ? -1 : a.rateMicros > b.rateMicros ? 1 : 0))
    .map(({ rateMicros, base, vat }) => ({ ratePercent: formatRate(rateMicros), base, vat }));

  const exclVat = sum(lineTotals);
  const vat = sum(vatByRate.map((r) => r.vat));
  return { lines: lineTotals, vatByRate, exclVat, vat, inclVat: exclVat + vat };
}

/** 20000000n → "20", 5500000n → "5.5". */
function formatRate(micros: Micros): string {
  const whole = micros / 1_000_000n;
  const fraction = (micros % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}
