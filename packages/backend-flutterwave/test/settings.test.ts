import { describe, expect, it } from 'vitest';
import { FLUTTERWAVE_CURRENCIES, flutterwave } from '../src/index';

const valid = { secretKey: 'FLWSECK_TEST-0123456789abcdef-X', secretHash: 'a-long-random-secret-hash' };

describe('flutterwave() settings', () => {
  it('defaults: id, display name, test mode from the key, every known currency, no capture', () => {
    const backend = flutterwave(valid);
    expect(backend).toMatchObject({ id: 'flutterwave', displayName: 'Flutterwave', testMode: true });
    expect(backend.currencies).toEqual([...FLUTTERWAVE_CURRENCIES]);
    expect(backend.capabilities).toMatchObject({
      capture: false,
      refund: true,
      partialRefund: true,
      pull: true,
    });
    expect(backend.secrets).toEqual([valid.secretKey, valid.secretHash]);
  });

  it('a live key is live; two accounts coexist under their own ids', () => {
    const live = flutterwave({
      ...valid,
      secretKey: 'FLWSECK-0123456789abcdef-X',
      id: 'flw-ke',
      displayName: 'Flutterwave KE',
    });
    expect(live).toMatchObject({ id: 'flw-ke', displayName: 'Flutterwave KE', testMode: false });
  });

  it('currencies narrow the offer; an unknown one must be declared in extraCurrencies', () => {
    expect(flutterwave({ ...valid, currencies: ['NGN', 'KES'] }).currencies).toEqual(['NGN', 'KES']);
    expect(() => flutterwave({ ...valid, currencies: ['NGN', 'MAD'] })).toThrow(
      /currencies\.1: MAD is not a Flutterwave currency/,
    );
    expect(flutterwave({ ...valid, extraCurrencies: ['MAD'], currencies: ['MAD'] }).currencies).toEqual([
      'MAD',
    ]);
  });

  it('reports every problem at once, naming the backend and the field', () => {
    expect(() =>
      flutterwave({
        secretKey: 'FLWPUBK_TEST-0123-X',
        secretHash: 'short',
        sessionDurationMinutes: 2000,
      } as never),
    ).toThrow(/Flutterwave: secretKey: .*; Flutterwave: secretHash: .*; Flutterwave: sessionDurationMinutes/);
    expect(() => flutterwave({ ...valid, unknown: 1 } as never)).toThrow(/Unrecognized key/);
  });

  it('setup instructions name the webhook URL and the secret hash step', () => {
    const setup = flutterwave(valid).setupInstructions({
      baseUrl: 'https://shop.test/pay',
      notifyUrl: 'https://shop.test/pay/notify/flutterwave',
      returnUrl: 'https://shop.test/pay/return/flutterwave/{paymentId}',
    });
    expect(setup.urls).toEqual([
      { label: expect.stringContaining('Webhook'), url: 'https://shop.test/pay/notify/flutterwave' },
    ]);
    expect(setup.steps.join('\n')).toMatch(/Secret hash/);
    expect(setup.warnings).toEqual([]);
  });
});
