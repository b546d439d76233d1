import { describe, expect, it } from 'vitest';
import {
  BROKER_BASE_PATHS,
  createStandaloneSandbox,
  StandaloneOptionError,
  standaloneBanner,
} from '../src/index';

const URL_ = 'http://127.0.0.1:4000';

describe('the standalone sandbox (paybridge-sandbox and paybridge sandbox)', () => {
  it('serves what the flags name: CM-CIC return URL and mode, webhooks allowed as the owner’s own URLs', () => {
    const sandbox = createStandaloneSandbox(URL_, {
      'allow-delivery': ['http://localhost:3000'],
      'cmcic-retour': 'http://localhost:3000/payments/notify/cmcic',
      'cmcic-mode': 'deferred',
      'stripe-webhook': 'http://localhost:3001/payments/notify/stripe',
      'stripe-webhook-secret': 'whsec_test',
      'razorpay-webhook': 'http://localhost:3002/payments/notify/razorpay',
      'razorpay-webhook-secret': 'rzp-secret',
      'flutterwave-webhook': 'http://localhost:3003/payments/notify/flutterwave',
    });
    try {
      expect(sandbox.cmcic.tpes().map((t) => [t.retourUrl, t.mode])).toEqual([
        ['http://localhost:3000/payments/notify/cmcic', 'deferred'],
        ['http://localhost:3000/payments/notify/cmcic', 'deferred'],
      ]);
      expect(sandbox.stripe.webhookEndpoints().map((e) => e.url)).toEqual([
        'http://localhost:3001/payments/notify/stripe',
      ]);
      expect(sandbox.razorpay.config.webhooks).toEqual([
        { url: 'http://localhost:3002/payments/notify/razorpay', secret: 'rzp-secret' },
      ]);
      expect(sandbox.flutterwave.config.webhookUrl).toBe('http://localhost:3003/payments/notify/flutterwave');
      const banner = standaloneBanner(sandbox, URL_);
      expect(banner).toMatch(/^paybridge sandbox listening on http:\/\/127\.0\.0\.1:4000\n/);
      for (const broker of sandbox.brokers)
        expect(banner).toContain(` ${URL_}${BROKER_BASE_PATHS[broker] ?? `/${broker}`}\n`);
      expect(Object.keys(BROKER_BASE_PATHS).sort()).toEqual([...sandbox.brokers].sort());
      expect(banner).toContain('Stripe webhooks → http://localhost:3001/payments/notify/stripe');
      expect(banner).toContain('Razorpay webhooks → http://localhost:3002/payments/notify/razorpay');
      expect(banner).toContain('Flutterwave webhooks → http://localhost:3003/payments/notify/flutterwave');
      expect(banner).toContain('return URL http://localhost:3000/payments/notify/cmcic');
    } finally {
      sandbox.stop();
    }
  });

  it('refuses what it cannot serve, each with the fix', () => {
    const refused = (values: Parameters<typeof createStandaloneSandbox>[1]) => {
      try {
        createStandaloneSandbox(URL_, values).stop();
      } catch (error) {
        if (error instanceof StandaloneOptionError) return `${error.message} | ${error.fix}`;
        throw error;
      }
      return 'served';
    };
    expect(refused({ 'cmcic-retour': 'ftp://shop.example/notify' })).toMatch(
      /^--cmcic-retour ftp:\/\/shop\.example\/notify is not an http\(s\) URL \| pass an absolute URL/,
    );
    expect(refused({ 'cmcic-mode': 'later' })).toMatch(/^--cmcic-mode later is not a collection mode/);
    expect(refused({ 'stripe-webhook': 'http://localhost:3000/n', 'stripe-webhook-secret': 'nope' })).toMatch(
      /^--stripe-webhook needs --stripe-webhook-secret whsec_…/,
    );
    expect(refused({ 'stripe-connect-webhook': 'http://localhost:3000/c' })).toMatch(
      /^--stripe-connect-webhook needs --stripe-connect-webhook-secret/,
    );
    expect(refused({ 'razorpay-webhook': 'http://localhost:3000/n' })).toMatch(
      /^--razorpay-webhook needs --razorpay-webhook-secret/,
    );
    expect(refused({ 'allow-delivery': ['localhost:3000'] })).toMatch(
      /^--allow-delivery localhost:3000 is not/,
    );
    expect(refused({})).toBe('served');
  });
});
