import { isPaybridgeError } from '@paybridge/core';
import { describe, expect, it } from 'vitest';
import { razorpay, toRazorpayAmount } from '../src/index';

const valid = { keyId: 'rzp_test_Abc123', keySecret: 'secret-1', webhookSecret: 'hook-1' };

function problems(options: Record<string, unknown>): string[] {
  try {
    razorpay(options as never);
  } catch (error) {
    if (isPaybridgeError(error))
      return ((error.details?.problems ?? []) as Array<{ field: string }>).map((p) => p.field);
    throw error;
  }
  return [];
}

describe('Razorpay settings', () => {
  it('defaults: INR, auto capture (no capture capability), test mode from the key, secrets listed', () => {
    const backend = razorpay(valid);
    expect(backend).toMatchObject({
      id: 'razorpay',
      displayName: 'Razorpay',
      currencies: ['INR'],
      testMode: true,
    });
    expect(backend.capabilities).toMatchObject({
      capture: false,
      refund: true,
      partialRefund: true,
      pull: true,
      recurring: false,
    });
    expect(backend.secrets).toEqual(['secret-1', 'hook-1']);
    expect(backend.amountLimits).toEqual([{ currency: 'INR', min: 100 }]);
    expect(razorpay({ ...valid, keyId: 'rzp_live_Abc123' }).testMode).toBe(false);
  });

  it('two accounts coexist under their own ids; rotation lists both webhook secrets', () => {
    const second = razorpay({
      ...valid,
      id: 'razorpay-in2',
      displayName: 'Razorpay (2)',
      webhookSecret: ['new', 'old'],
    });
    expect(second).toMatchObject({ id: 'razorpay-in2', displayName: 'Razorpay (2)' });
    expect(second.secrets).toEqual(['secret-1', 'new', 'old']);
  });

  it('refuses every bad field at once, naming the backend', () => {
    expect(
      problems({
        keyId: 'pk_test_1',
        keySecret: '',
        webhookSecret: 'with space',
        currencies: ['inr'],
      }).sort(),
    ).toEqual(['currencies.0', 'keyId', 'keySecret', 'webhookSecret'].sort());
    expect(problems({ ...valid, linkLifetimeMinutes: 10 })).toEqual(['linkLifetimeMinutes']);
    expect(problems({ ...valid, captureMode: 'later' })).toEqual(['captureMode']);
    expect(problems({ ...valid, unknown: 1 })).toEqual(['(settings)']);
    expect(() => razorpay({ ...valid, displayName: 'Rzp India', keyId: 'x' })).toThrow(/Rzp India: keyId/);
  });

  it('manual capture declares the capture capability', () => {
    expect(razorpay({ ...valid, captureMode: 'manual' }).capabilities.capture).toBe(true);
  });
});

describe('Razorpay amounts', () => {
  it('are our minor units unchanged: paise, yen, and three-decimal currencies ending in 0', () => {
    expect(toRazorpayAmount(29_935, 'INR')).toBe(29_935);
    expect(toRazorpayAmount(295, 'JPY')).toBe(295);
    expect(toRazorpayAmount(295_990, 'KWD')).toBe(295_990);
  });

  it('refuses fractions, negatives and three-decimal amounts Razorpay cannot take', () => {
    expect(() => toRazorpayAmount(299.35, 'INR')).toThrow(/integer/);
    expect(() => toRazorpayAmount(-1, 'INR')).toThrow(/integer/);
    expect(() => toRazorpayAmount(295_991, 'KWD')).toThrow(/last digit/);
  });
});
