import {
  formatDecimal,
  fromCents,
  multiply,
  parseDecimal,
  percentOf,
  roundTo,
  sum,
  toCents,
} from '../../domain/money';

describe('money: exact decimals', () => {
  it('adds amounts that binary floats get wrong', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(formatDecimal(sum([parseDecimal('0.1'), parseDecimal('0.2')]))).toBe('0.30');
  });

  it('parses decimal strings and integer cents to the same value', () => {
    expect(parseDecimal('1326.5')).toBe(fromCents(132650));
    expect(toCents(parseDecimal('19.999'))).toBe(2000);
  });

  it('refuses exponents, floats with too many decimals and garbage', () => {
    for (const bad of ['1e3', '1.1234567', 'abc', '', '1,5', '--1']) {
      expect(() => parseDecimal(bad)).toThrow(RangeError);
    }
    expect(() => fromCents(1.5)).toThrow(RangeError);
  });

  it('computes VAT like the official Chorus sample (2.1 % of 432 = 9.072)', () => {
    expect(formatDecimal(percentOf(parseDecimal('432'), parseDecimal('2.1')), 6)).toBe('9.072000');
    expect(formatDecimal(percentOf(parseDecimal('510'), parseDecimal('20')), 2)).toBe('102.00');
  });

  it('rounds half away from zero, explicitly', () => {
    expect(formatDecimal(roundTo(parseDecimal('2.345'), 2))).toBe('2.35');
    expect(formatDecimal(roundTo(parseDecimal('-2.345'), 2))).toBe('-2.35');
    expect(formatDecimal(roundTo(parseDecimal('2.344999'), 2))).toBe('2.34');
    expect(formatDecimal(multiply(parseDecimal('3'), parseDecimal('33.333333')), 6)).toBe('99.999999');
  });
});
