import { describe, expect, it } from 'vitest';
import { razorpayHmac, verifyLinkCallback, verifyWebhookSignature } from '../src/index';
import { readLinkCallback } from '../src/lib/signature';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('Razorpay signatures (reference vectors)', () => {
  it('webhook: HMAC-SHA256 hex of the raw body with the webhook secret (§7.2)', async () => {
    const body = utf8('{"a":1,"b":2,"c":{"d":3}}');
    const expected = '2fe04e22977002e6c7cb553adab8b460cb9e2a4970d5953cb27a8472752e3bbc';
    expect(await razorpayHmac('123456', body)).toBe(expected);
    expect(await verifyWebhookSignature(expected, body, ['123456'])).toBe(true);
    expect(await verifyWebhookSignature(expected.toUpperCase(), body, ['123456'])).toBe(true);
  });

  it('webhook: a re-serialised body, another secret, a truncated or missing header fail', async () => {
    const body = utf8('{"a":1,"b":2,"c":{"d":3}}');
    const good = await razorpayHmac('123456', body);
    expect(await verifyWebhookSignature(good, utf8('{"a": 1, "b": 2, "c": {"d": 3}}'), ['123456'])).toBe(
      false,
    );
    expect(await verifyWebhookSignature(good, body, ['654321'])).toBe(false);
    expect(await verifyWebhookSignature(good.slice(0, 63), body, ['123456'])).toBe(false);
    expect(await verifyWebhookSignature(null, body, ['123456'])).toBe(false);
    expect(await verifyWebhookSignature(`${good} `, body, ['123456'])).toBe(true);
  });

  it('webhook: during a rotation either secret verifies (§7.2)', async () => {
    const body = utf8('{"event":"payment.captured"}');
    const old = await razorpayHmac('old-secret', body);
    expect(await verifyWebhookSignature(old, body, ['new-secret', 'old-secret'])).toBe(true);
    expect(await verifyWebhookSignature(old, body, ['new-secret'])).toBe(false);
  });

  it('webhook: `\\/` escapes are part of the signed bytes', async () => {
    const body = utf8('{"short_url":"https:\\/\\/rzp.io\\/i\\/x"}');
    const signature = await razorpayHmac('s', body);
    expect(await verifyWebhookSignature(signature, body, ['s'])).toBe(true);
    expect(
      await verifyWebhookSignature(
        signature,
        utf8(JSON.stringify(JSON.parse('{"short_url":"https:\\/\\/rzp.io\\/i\\/x"}'))),
        ['s'],
      ),
    ).toBe(false);
  });

  it('payment link callback: plink|reference|status|payment with the key secret (§5.1 vector)', async () => {
    const url = new URL('https://shop.test/return');
    url.searchParams.set('razorpay_payment_id', 'pay_IH3d0ara9bSsjQ');
    url.searchParams.set('razorpay_payment_link_id', 'plink_IH3cNucfVEgV68');
    url.searchParams.set('razorpay_payment_link_reference_id', 'TSsd1989');
    url.searchParams.set('razorpay_payment_link_status', 'paid');
    url.searchParams.set(
      'razorpay_signature',
      '07ae18789e35093e51d0a491eb9922646f3f82773547e5b0f67ee3f2d3bf7d5b',
    );
    const callback = readLinkCallback(url);
    expect(callback).not.toBeNull();
    if (!callback) return;
    expect(await verifyLinkCallback(callback, 'plink_IH3cNucfVEgV68', 'EnLs21M47BllR3X8PSFtjtbd')).toBe(true);
    // The link id we stored counts, not the one in the query; the webhook secret is the wrong key.
    expect(await verifyLinkCallback(callback, 'plink_Other0000000', 'EnLs21M47BllR3X8PSFtjtbd')).toBe(false);
    expect(await verifyLinkCallback(callback, 'plink_IH3cNucfVEgV68', '123456')).toBe(false);
    expect(
      await verifyLinkCallback(
        { ...callback, status: 'partially_paid' },
        'plink_IH3cNucfVEgV68',
        'EnLs21M47BllR3X8PSFtjtbd',
      ),
    ).toBe(false);
  });

  it('an incomplete callback query is no callback', () => {
    expect(readLinkCallback(new URL('https://shop.test/return?razorpay_payment_id=pay_1'))).toBeNull();
  });
});
