import { describe, expect, it } from 'vitest';
import { createBackends, LOCAL_PAYU_POS_IDS, realBrokers } from '../src/brokers';
import { generateLocalKeys } from '../src/local-keys';
import { setupDemo } from './support/demo';

const PUBLIC = 'http://demo.test';
const KEYS = generateLocalKeys(LOCAL_PAYU_POS_IDS);
const endpointOf = (backend: unknown) => (backend as { endpoint?: string }).endpoint;

describe('demo brokers from the environment', () => {
  it('runs every broker against the local sandbox without credentials', () => {
    const backends = createBackends({}, PUBLIC, KEYS);
    // PayPal's own currency list (it takes many more than the shop sells in); one PayU POS per currency.
    expect(backends[0]?.currencies).toEqual(expect.arrayContaining(['PLN', 'EUR', 'USD', 'JPY']));
    expect(backends.slice(1).map((b) => [b.id, b.currencies])).toEqual([
      ['payu', ['PLN']],
      ['payu-eur', ['EUR']],
      ['payu-usd', ['USD']],
      ['cmcic', ['EUR']],
      ['stripe', ['EUR', 'USD', 'JPY']],
      ['przelewy24', ['PLN']],
      ['razorpay', ['INR']],
      ['flutterwave', ['NGN', 'KES', 'GHS']],
    ]);
    expect(backends[0]?.id).toBe('paypal');
    for (const backend of backends) expect(endpointOf(backend)).toMatch(/^http:\/\/demo\.test\/sandbox\//);
    expect(realBrokers({})).toEqual({
      paypal: false,
      payu: false,
      cmcic: false,
      stripe: false,
      przelewy24: false,
      razorpay: false,
      flutterwave: false,
    });
  });

  it('uses the brokers’ own sandboxes when their credentials are given', () => {
    const env = {
      PAYU_POS_ID: '123456',
      PAYU_CLIENT_SECRET: 'payu-client-secret',
      PAYU_SECOND_KEY: 'payu-second-key',
      PAYU_CURRENCY: 'czk',
      CMCIC_TPE: '7654321',
      CMCIC_KEY: '0123456789abcdef0123456789abcdef01234567',
      CMCIC_COMPANY: 'myshop',
      STRIPE_SECRET_KEY: 'sk_test_real0000000000000000',
      STRIPE_WEBHOOK_SECRET: 'whsec_real0000000000000000',
    };
    const backends = createBackends(env, PUBLIC, KEYS);
    expect(backends.map((b) => [b.id, b.currencies, endpointOf(b)])).toEqual([
      ['paypal', expect.any(Array), `${PUBLIC}/sandbox/paypal`],
      // One real POS, one currency: PayU's test host, not the local sandbox.
      ['payu', ['CZK'], undefined],
      ['cmcic', ['EUR'], undefined],
      // Stripe's own API (no endpoint override): the test key keeps it in test mode.
      ['stripe', ['EUR', 'USD', 'JPY'], undefined],
      // No P24 credentials given: still the local sandbox.
      ['przelewy24', ['PLN'], `${PUBLIC}/sandbox/przelewy24`],
      ['razorpay', ['INR'], `${PUBLIC}/sandbox/razorpay`],
      ['flutterwave', ['NGN', 'KES', 'GHS'], `${PUBLIC}/sandbox/flutterwave/v3`],
    ]);
    expect(backends.find((b) => b.id === 'payu')?.endpoints.test).toBe('https://secure.snd.payu.com');
    expect(() => createBackends({ ...env, PAYU_CURRENCY: 'XYZ' }, PUBLIC, KEYS)).toThrow(/PAYU_CURRENCY/);
  });

  it('refuses a broker given only part of its credentials', () => {
    expect(() => createBackends({ PAYU_POS_ID: '123456', PAYU_CLIENT_SECRET: 's' }, PUBLIC, KEYS)).toThrow(
      'PAYU_POS_ID, PAYU_CLIENT_SECRET set but PAYU_SECOND_KEY missing',
    );
    expect(() => createBackends({ CMCIC_KEY: 'k' }, PUBLIC, KEYS)).toThrow(
      /CMCIC_TPE, CMCIC_COMPANY missing/,
    );
    expect(() => createBackends({ STRIPE_SECRET_KEY: 'sk_test_x' }, PUBLIC, KEYS)).toThrow(
      'STRIPE_SECRET_KEY set but STRIPE_WEBHOOK_SECRET missing',
    );
  });

  it('sends the buyer to PayPal’s and Monetico’s test servers in test mode', async () => {
    const t = setupDemo(undefined, {
      PAYPAL_BUSINESS: 'seller@example.com',
      CMCIC_TPE: '7654321',
      CMCIC_KEY: '12345678901234567890123456789012345678P0',
      CMCIC_COMPANY: 'myshop',
    });
    const toPaypal = await t.startButton('mug', 'paypal');
    expect(toPaypal.redirect).toMatchObject({
      method: 'POST',
      url: 'https://www.sandbox.paypal.com/cgi-bin/webscr',
      fields: { business: 'seller@example.com', currency_code: 'EUR', amount: '12.99' },
    });
    const toMonetico = await t.startButton('mug', 'cmcic');
    expect(toMonetico.redirect).toMatchObject({
      method: 'POST',
      url: 'https://p.monetico-services.com/test/paiement.cgi',
      fields: { TPE: '7654321', societe: 'myshop', montant: '12.99EUR' },
    });
  });
});
