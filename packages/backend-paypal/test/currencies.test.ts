import { describe, expect, it } from 'vitest';
import {
  formatPaypalAmount,
  PAYPAL_CURRENCIES,
  parsePaypalAmount,
  paypalDecimals,
} from '../src/lib/currencies';

describe('PayPal amounts', () => {
  it('writes two decimals for most currencies', () => {
    expect(formatPaypalAmount(1999, 'EUR')).toBe('19.99');
    expect(formatPaypalAmount(5, 'USD')).toBe('0.05');
    expect(formatPaypalAmount(100000, 'GBP')).toBe('1000.00');
  });

  it('writes JPY, HUF and TWD without decimals', () => {
    expect(paypalDecimals('JPY')).toBe(0);
    expect(paypalDecimals('HUF')).toBe(0);
    expect(paypalDecimals('TWD')).toBe(0);
    expect(formatPaypalAmount(1500, 'JPY')).toBe('1500');
    // HUF and TWD have two ISO decimals, so 1500 Ft is 150000 minor units.
    expect(formatPaypalAmount(150000, 'HUF')).toBe('1500');
    expect(formatPaypalAmount(9900, 'TWD')).toBe('99');
  });

  it('refuses an amount PayPal cannot represent instead of rounding it', () => {
    expect(() => formatPaypalAmount(150050, 'HUF')).toThrow(/cannot be written with 0 decimal/);
    expect(() => formatPaypalAmount(1, 'TWD')).toThrow();
  });

  it('refuses currencies PayPal does not take', () => {
    expect(PAYPAL_CURRENCIES).toHaveLength(24);
    expect(() => formatPaypalAmount(1000, 'KWD')).toThrow(/does not take KWD/);
    expect(() => formatPaypalAmount(1000, 'INR')).toThrow(/does not take INR/);
  });

  it('parses PayPal decimals back to signed minor units exactly', () => {
    expect(parsePaypalAmount('19.99', 'EUR')).toBe(1999);
    expect(parsePaypalAmount('-10.00', 'EUR')).toBe(-1000);
    expect(parsePaypalAmount('1500', 'HUF')).toBe(150000);
    expect(parsePaypalAmount('1500', 'JPY')).toBe(1500);
    expect(parsePaypalAmount('0.1', 'USD')).toBe(10);
    expect(parsePaypalAmount('19.999', 'EUR')).toBeNull();
    expect(parsePaypalAmount('1,000.00', 'EUR')).toBeNull();
    expect(parsePaypalAmount('', 'EUR')).toBeNull();
    expect(parsePaypalAmount(undefined, 'EUR')).toBeNull();
  });
});
