import { describe, expect, it } from 'vitest';
import { CANCEL_PARAM, checkoutFields, subscriptionPeriod } from '../src/lib/checkout-form';
import { paypalSettingsSchema } from '../src/lib/settings';
import { testContext, testPayment } from './support/fixtures';

const settings = (input: Record<string, unknown> = {}) =>
  paypalSettingsSchema().parse({ business: 'merchant@example.com', ...input });
const ctx = testContext([]);

describe('Buy Now form', () => {
  it('has every variable the IPN is tied back with', () => {
    const fields = checkoutFields(
      testPayment({ buyer: { firstName: 'Zoë', email: 'z@example.net' } }),
      ctx,
      settings(),
    );
    expect(fields).toEqual({
      cmd: '_xclick',
      business: 'merchant@example.com',
      item_name: 'Blue teapot',
      item_number: 'order-42',
      currency_code: 'EUR',
      invoice: 'pay_0123456789abcdef',
      custom: 'pay_0123456789abcdef',
      notify_url: 'https://shop.example/pay/notify/paypal',
      return: 'https://shop.example/pay/return/paypal/pay_0123456789abcdef',
      cancel_return: `https://shop.example/pay/return/paypal/pay_0123456789abcdef?${CANCEL_PARAM}=1`,
      rm: '1',
      charset: 'utf-8',
      amount: '19.99',
      first_name: 'Zoë',
      email: 'z@example.net',
    });
  });

  it('asks for a POST return with rm=2 when configured', () => {
    expect(checkoutFields(testPayment(), ctx, settings({ returnMethod: 'POST' })).rm).toBe('2');
  });

  it('formats zero-decimal currencies and refuses fractions of them', () => {
    expect(checkoutFields(testPayment({ currency: 'JPY', amount: 1500 }), ctx, settings()).amount).toBe(
      '1500',
    );
    expect(checkoutFields(testPayment({ currency: 'HUF', amount: 150000 }), ctx, settings()).amount).toBe(
      '1500',
    );
    expect(() => checkoutFields(testPayment({ currency: 'HUF', amount: 150050 }), ctx, settings())).toThrow(
      /cannot be written/,
    );
    expect(() => checkoutFields(testPayment({ amount: 0 }), ctx, settings())).toThrow(/zero/);
  });

  it('refuses a notify_url over 255 or a return URL over 1024 characters rather than a failing checkout', () => {
    const longBase = (length: number) => ({
      ...ctx,
      notifyUrl: `https://shop.example/${'n'.repeat(length - 21)}`,
    });
    expect(checkoutFields(testPayment(), longBase(255), settings()).notify_url).toHaveLength(255);
    expect(() => checkoutFields(testPayment(), longBase(256), settings())).toThrow(
      /notify_url of at most 255/,
    );
    const longReturn = { ...ctx, returnUrl: () => `https://shop.example/${'r'.repeat(1100)}` };
    expect(() => checkoutFields(testPayment(), longReturn, settings())).toThrow(/return of at most 1024/);
  });

  it('clips item_name to PayPal’s 127 characters', () => {
    const fields = checkoutFields(testPayment({ description: 'é'.repeat(200) }), ctx, settings());
    expect(fields.item_name).toBe('é'.repeat(127));
  });

  it('adds presentation variables but never lets them replace ours', () => {
    const fields = checkoutFields(
      testPayment(),
      ctx,
      settings({ formFields: { lc: 'FR', cbt: 'Back to shop' } }),
    );
    expect(fields.lc).toBe('FR');
    expect(fields.cbt).toBe('Back to shop');
    expect(() => settings({ formFields: { business: 'thief@example.com' } })).toThrow(/presentation/);
    expect(() => settings({ formFields: { notify_url: 'https://evil.example' } })).toThrow(/presentation/);
  });
});

describe('Subscribe form', () => {
  it('derives a3/p3/t3, src, srt, sra and no_note from the recurrence', () => {
    const fields = checkoutFields(
      testPayment({ recurrence: { interval: 'month', every: 1, cycles: 12 } }),
      ctx,
      settings(),
    );
    expect(fields).toMatchObject({
      cmd: '_xclick-subscriptions',
      a3: '19.99',
      p3: '1',
      t3: 'M',
      src: '1',
      srt: '12',
      sra: '1',
      no_note: '1',
      invoice: 'pay_0123456789abcdef',
      notify_url: 'https://shop.example/pay/notify/paypal',
    });
    expect(fields).not.toHaveProperty('amount');
  });

  it('recurs until cancelled without srt, and stops after one payment with src=0', () => {
    const open = checkoutFields(testPayment({ recurrence: { interval: 'week', every: 2 } }), ctx, settings());
    expect(open).toMatchObject({ p3: '2', t3: 'W', src: '1' });
    expect(open).not.toHaveProperty('srt');
    const once = checkoutFields(
      testPayment({ recurrence: { interval: 'year', every: 1, cycles: 1 } }),
      ctx,
      settings(),
    );
    expect(once).toMatchObject({ t3: 'Y', src: '0' });
    expect(once).not.toHaveProperty('srt');
  });

  it('sends sra=0 explicitly when reattempts are off', () => {
    const fields = checkoutFields(
      testPayment({ recurrence: { interval: 'day', every: 7 } }),
      ctx,
      settings({ reattemptFailedPayments: false }),
    );
    expect(fields.sra).toBe('0');
  });

  it('refuses periods and counts PayPal cannot bill', () => {
    expect(subscriptionPeriod({ interval: 'day', every: 90 })).toEqual({ p3: '90', t3: 'D' });
    expect(() => subscriptionPeriod({ interval: 'day', every: 91 })).toThrow(/1–90/);
    expect(() => subscriptionPeriod({ interval: 'month', every: 25 })).toThrow(/1–24/);
    expect(() => subscriptionPeriod({ interval: 'year', every: 6 })).toThrow(/1–5/);
    expect(() => subscriptionPeriod({ interval: 'week', every: 0 })).toThrow();
    expect(() =>
      checkoutFields(
        testPayment({ recurrence: { interval: 'month', every: 1, cycles: 53 } }),
        ctx,
        settings(),
      ),
    ).toThrow(/1–52/);
  });
});
