import { describe, expect, it } from 'vitest';
import { fromStripeAmount, toStripeAmount } from '../src/index';

describe('Stripe amounts', () => {
  it('sends two-decimal currencies as they are', () => {
    expect(toStripeAmount(1999, 'EUR')).toBe(1999);
    expect(toStripeAmount(17500, 'HUF')).toBe(17500);
    expect(toStripeAmount(1000, 'TWD')).toBe(1000);
  });

  it("sends Stripe's zero-decimal currencies in major units", () => {
    for (const currency of ['JPY', 'KRW', 'CLP', 'VND', 'XOF', 'XPF', 'BIF', 'PYG']) {
      expect(toStripeAmount(500, currency)).toBe(500);
      expect(fromStripeAmount(500, currency)).toBe(500);
    }
  });

  it('sends MGA (ISO exponent 2) in whole ariary, refusing fractions', () => {
    expect(toStripeAmount(15000, 'MGA')).toBe(150);
    expect(fromStripeAmount(150, 'MGA')).toBe(15000);
    expect(() => toStripeAmount(15050, 'MGA')).toThrow(/whole units/);
  });

  it('sends ISK and UGX with two decimals that are 00 (special cases)', () => {
    expect(toStripeAmount(5, 'ISK')).toBe(500);
    expect(fromStripeAmount(500, 'ISK')).toBe(5);
    expect(fromStripeAmount(550, 'ISK')).toBeNull();
    expect(toStripeAmount(5, 'UGX')).toBe(500);
  });

  it('lets the merchant override an UNCONFIRMED exponent (UGX as zero-decimal)', () => {
    expect(toStripeAmount(5, 'UGX', { UGX: 0 })).toBe(5);
    expect(fromStripeAmount(5, 'UGX', { UGX: 0 })).toBe(5);
  });

  it('refuses three-decimal amounts whose last digit is not 0', () => {
    expect(toStripeAmount(5120, 'KWD')).toBe(5120);
    expect(() => toStripeAmount(5124, 'KWD')).toThrow(/end in 0/);
    expect(() => toStripeAmount(1, 'BHD')).toThrow(/end in 0/);
  });
});
