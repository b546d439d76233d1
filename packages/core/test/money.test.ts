import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyExponent, displayMoney, formatMinor, isCurrencyCode, parseMajor } from '../src/money';

describe('money', () => {
  it('knows ISO 4217 exponents', () => {
    expect(currencyExponent('EUR')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
    expect(currencyExponent('HUF')).toBe(2);
    expect(() => currencyExponent('EURO')).toThrow(/ISO 4217/);
    expect(isCurrencyCode('PLN')).toBe(true);
    expect(isCurrencyCode('pln')).toBe(false);
  });

  it('formats minor units exactly', () => {
    expect(formatMinor(1999, 'EUR')).toBe('19.99');
    expect(formatMinor(5, 'EUR')).toBe('0.05');
    expect(formatMinor(0, 'EUR')).toBe('0.00');
    expect(formatMinor(1000, 'JPY')).toBe('1000');
    expect(formatMinor(1, 'KWD')).toBe('0.001');
    expect(formatMinor(1000, 'HUF', { decimals: 0 })).toBe('10');
    expect(() => formatMinor(1050, 'HUF', { decimals: 0 })).toThrow(/cannot be written/);
    expect(formatMinor(4200, 'EUR', { trimZeroFraction: true })).toBe('42');
    expect(() => formatMinor(19.5, 'EUR')).toThrow(/integer/);
    expect(() => formatMinor(-1, 'EUR')).toThrow(/non-negative/);
  });

  it('parses decimal strings exactly', () => {
    expect(parseMajor('19.99', 'EUR')).toBe(1999);
    expect(parseMajor('-10.00', 'EUR')).toBe(-1000);
    expect(parseMajor('42.5', 'EUR')).toBe(4250);
    expect(parseMajor('42', 'EUR')).toBe(4200);
    expect(parseMajor('1000', 'JPY')).toBe(1000);
    expect(parseMajor('10.000', 'EUR')).toBe(1000);
    expect(() => parseMajor('10.001', 'EUR')).toThrow(/more decimals/);
    expect(() => parseMajor('1,000.00', 'EUR')).toThrow(/not a decimal/);
    expect(() => parseMajor('1e3', 'EUR')).toThrow(/not a decimal/);
  });

  it('round-trips every amount in every exponent (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.constantFrom('EUR', 'JPY', 'KWD', 'CLF'),
        (amount, currency) => {
          expect(parseMajor(formatMinor(amount, currency), currency)).toBe(amount);
        },
      ),
    );
  });

  it('displays for humans with Intl', () => {
    expect(displayMoney(1999, 'EUR', 'en')).toBe('€19.99');
    expect(displayMoney(1000, 'JPY', 'en')).toBe('¥1,000');
  });
});
