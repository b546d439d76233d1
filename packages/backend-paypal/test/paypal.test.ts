import { describe, expect, it } from 'vitest';
import { paypal } from '../src/paypal';
import { encodeIpn, ipnRequest, testContext, testPayment, webAcceptIpn } from './support/fixtures';

const backend = paypal({
  business: 'merchant@example.com',
  receiverId: 'MERCHANT12345',
  receiverEmails: ['merchant@example.com'],
});

describe('paypal() settings', () => {
  it('reports every problem at once, naming PayPal and the field', () => {
    expect(() => paypal({ business: '', currencies: ['KWD'], receiverId: 'lower' })).toThrow(
      /PayPal: business: .*PayPal: receiverId: .*PayPal: currencies/s,
    );
  });

  it('issue 21: business must be the account email or its merchant account ID', () => {
    for (const business of [
      'merchant',
      'merchant@localhost',
      'https://example.com',
      'Merchant Shop Ltd',
      'abc12',
    ]) {
      let error: unknown;
      try {
        paypal({ business });
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({
        code: 'INVALID_CONFIG',
        message: expect.stringMatching(
          /^PayPal: business: must be the account email .* or its merchant account ID/,
        ),
      });
    }
    expect(paypal({ business: '  Merchant@Example.com ' }).displayName).toBe('PayPal');
    expect(paypal({ business: 'MERCHANT12345' }).displayName).toBe('PayPal');
  });

  it('takes only absolute http(s) URLs as endpoints', () => {
    expect(() =>
      paypal({
        business: 'm@example.com',
        endpoint: 'localhost:4010/paypal',
        postbackEndpoint: 'mailto:x@y.z',
      }),
    ).toThrow(
      /PayPal: endpoint: must be an absolute http\(s\) URL.*PayPal: postbackEndpoint: must be an absolute http\(s\) URL/s,
    );
    expect(paypal({ business: 'm@example.com', endpoint: 'http://localhost:4010/paypal' }).endpoint).toBe(
      'http://localhost:4010/paypal',
    );
  });

  it('offers PayPal’s currencies without the in-country ones unless asked', () => {
    expect(backend.currencies).toContain('JPY');
    expect(backend.currencies).not.toContain('BRL');
    expect(paypal({ business: 'm@example.com', currencies: ['BRL', 'EUR'] }).currencies).toEqual([
      'BRL',
      'EUR',
    ]);
  });
});

describe('prepare', () => {
  it('posts the form to <endpoint>/cgi-bin/webscr', async () => {
    const ctx = testContext([], undefined, { endpoint: 'http://localhost:4000/sandbox/paypal/' });
    const result = await backend.prepare(testPayment(), ctx);
    expect(result.redirect).toMatchObject({
      method: 'POST',
      url: 'http://localhost:4000/sandbox/paypal/cgi-bin/webscr',
    });
  });

  it('refuses a currency outside the configured list', async () => {
    await expect(backend.prepare(testPayment({ currency: 'BRL' }), testContext([]))).rejects.toMatchObject({
      code: 'UNSUPPORTED_CURRENCY',
    });
  });
});

describe('return and setup', () => {
  it('never turns a return into a fact; a cancel hints failure', async () => {
    const ctx = testContext([]);
    const returned = await backend.handleReturn(
      ipnRequest(encodeIpn(webAcceptIpn()), { url: ctx.returnUrl('pay_0123456789abcdef') }),
      testPayment(),
      ctx,
    );
    expect(returned).toEqual({ hint: 'unknown' });
    const cancelled = await backend.handleReturn(
      ipnRequest(new Uint8Array(), {
        method: 'GET',
        url: ctx.returnUrl('pay_0123456789abcdef', { paypal_cancel: '1' }),
      }),
      testPayment(),
      ctx,
    );
    expect(cancelled).toEqual({ hint: 'failure' });
  });

  it('lists the IPN URL and the account settings to check', () => {
    const setup = paypal({ business: 'merchant@example.com' }).setupInstructions({
      baseUrl: 'https://shop.example/pay',
      notifyUrl: 'https://shop.example/pay/notify/paypal',
      returnUrl: 'https://shop.example/pay/return/paypal/{paymentId}',
    });
    expect(setup.urls[0]).toMatchObject({ url: 'https://shop.example/pay/notify/paypal' });
    expect(setup.steps.join(' ')).toMatch(/Instant payment notifications/);
    expect(setup.warnings.join(' ')).toMatch(/receiverId/);
  });
});
