import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromMajor, toMajorDecimal } from '../src/index';
import { jsonWithAmount } from '../src/lib/amounts';

describe('amounts in major units (reference §2)', () => {
  it('minor units → the exact decimal Flutterwave takes, per currency exponent', () => {
    expect(toMajorDecimal(1999, 'NGN')).toBe('19.99');
    expect(toMajorDecimal(10050, 'NGN')).toBe('100.5');
    expect(toMajorDecimal(500000, 'KES')).toBe('5000');
    expect(toMajorDecimal(5, 'GHS')).toBe('0.05');
    expect(toMajorDecimal(2500, 'UGX')).toBe('2500');
    expect(toMajorDecimal(1000, 'XOF')).toBe('1000');
  });

  it('major amounts back → minor units, exactly, rounding extra digits half-up', () => {
    expect(fromMajor(100.5, 'NGN')).toBe(10050);
    expect(fromMajor(1.4, 'NGN')).toBe(140);
    expect(fromMajor(0.07, 'NGN')).toBe(7);
    expect(fromMajor(19.99, 'NGN')).toBe(1999);
    expect(fromMajor('19.99', 'KES')).toBe(1999);
    expect(fromMajor(1.405, 'NGN')).toBe(141);
    expect(fromMajor(1.404, 'NGN')).toBe(140);
    expect(fromMajor(2500, 'UGX')).toBe(2500);
    expect(fromMajor(1e-7, 'NGN')).toBe(0);
    expect(() => fromMajor(1e21, 'UGX')).toThrow(/out of range/);
  });

  it('refuses what is not an amount', () => {
    expect(() => fromMajor(-1, 'NGN')).toThrow(/not a decimal/);
    expect(() => fromMajor('1,5', 'NGN')).toThrow(/not a decimal/);
    expect(() => fromMajor(Number.NaN, 'NGN')).toThrow(/not a decimal/);
  });

  it('round trip: every minor amount survives minor → JSON number → minor', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 13 }),
        fc.constantFrom('NGN', 'KES', 'GHS', 'UGX', 'USD'),
        (minor, currency) => {
          const json = jsonWithAmount({ currency }, toMajorDecimal(minor, currency));
          const parsed = JSON.parse(json) as { amount: number };
          expect(fromMajor(parsed.amount, currency)).toBe(minor);
        },
      ),
    );
  });

  it('the JSON body carries the decimal literal itself', () => {
    expect(jsonWithAmount({ tx_ref: 'pay_1' }, '19.99')).toBe('{"amount":19.99,"tx_ref":"pay_1"}');
    expect(jsonWithAmount({}, '100')).toBe('{"amount":100}');
    expect(() => jsonWithAmount({}, '1e3')).toThrow();
  });
});
