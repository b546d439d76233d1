import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { notificationHeaders } from '../../src/payu/notifications';
import {
  constantTimeEqual,
  parseSignatureHeader,
  payuDigest,
  signatureHeaderValue,
} from '../../src/payu/signature';
import { POS, setup } from '../../src/payu/test-harness';

// The worked example of the protocol reference (§4.3): 248 bytes, sandbox second key.
const EXAMPLE_BODY =
  '{"order":{"orderId":"LDLW5N7MF4140324GUEST000P01","extOrderId":"ord-1","status":"COMPLETED","totalAmount":"21000","currencyCode":"PLN"},"localReceiptDateTime":"2016-03-02T12:58:14.828+01:00","properties":[{"name":"PAYMENT_ID","value":"151471228"}]}';
const KEY = 'b6ca15b0d1020e8094d9b5f8d163db54';
const bytes = (text: string) => new TextEncoder().encode(text);

describe('PayU notification signature', () => {
  it('reproduces the worked example of the protocol reference (MD5 and SHA-256)', () => {
    expect(bytes(EXAMPLE_BODY)).toHaveLength(248);
    expect(payuDigest(bytes(EXAMPLE_BODY), KEY, 'MD5')).toBe('a0318290f09ae7f6aa05de4631246a17');
    expect(payuDigest(bytes(EXAMPLE_BODY), KEY, 'SHA-256')).toBe(
      '4ea84fe6b20ae7d730babeb3da5c918780e8396878b39c43dcfa50da2f765476',
    );
  });

  it('builds the headers PayU sends, both names with the same value', () => {
    const headers = notificationHeaders(bytes(EXAMPLE_BODY), KEY, 'MD5');
    expect(headers['openpayu-signature']).toBe(
      'sender=checkout;signature=a0318290f09ae7f6aa05de4631246a17;algorithm=MD5;content=DOCUMENT',
    );
    expect(headers['x-openpayu-signature']).toBe(headers['openpayu-signature']);
    expect(headers['content-type']).toBe('application/json;charset=UTF-8');
  });

  it.each([
    ['SHA-1', 'sha1'],
    ['SHA-256', 'sha256'],
    ['SHA-384', 'sha384'],
    ['SHA-512', 'sha512'],
  ] as const)('signs with %s exactly as an independent implementation would', (algorithm, node) => {
    const body = bytes('{"order":{"description":"Zażółć gęślą jaźń \\u00e9 / \\/"}}');
    const expected = createHash(node).update(body).update(KEY).digest('hex');
    expect(payuDigest(body, KEY, algorithm)).toBe(expected);
  });

  it('parses the header on ; then on the first =', () => {
    expect(parseSignatureHeader(signatureHeaderValue(bytes('x'), KEY, 'SHA-256'))).toEqual({
      sender: 'checkout',
      signature: createHash('sha256').update(`x${KEY}`).digest('hex'),
      algorithm: 'SHA-256',
      content: 'DOCUMENT',
    });
    expect(parseSignatureHeader('a=b=c;broken;d=')).toEqual({ a: 'b=c', d: '' });
  });

  it('compares strings in constant time and correctly', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('', 'a')).toBe(false);
  });

  it('signs the exact raw bytes of every delivered notification with the second key', async () => {
    const t = setup();
    const bearer = await t.token();
    await t.actedOrder(bearer, 'pay', { description: 'Zażółć gęślą jaźń / "quoted" </script>' });
    expect(t.received).toHaveLength(2);
    for (const notification of t.received) {
      const header = notification.headers.get('OpenPayu-Signature') ?? '';
      expect(notification.headers.get('X-OpenPayU-Signature')).toBe(header);
      const parts = parseSignatureHeader(header);
      expect(parts.algorithm).toBe('MD5');
      expect(parts.sender).toBe('checkout');
      expect(parts.content).toBe('DOCUMENT');
      const expected = createHash('md5').update(notification.raw).update(POS.secondKey).digest('hex');
      expect(parts.signature).toBe(expected);
    }
  });
});
