import { createHash } from 'node:crypto';
import { utf8 } from '@paybridge/core/kit';
import { describe, expect, it } from 'vitest';
import { SIGNATURE_ALGORITHMS } from '../src/lib/settings';
import {
  computeSignature,
  normaliseAlgorithm,
  parseSignatureHeader,
  verifySignature,
} from '../src/lib/signature';

// The worked example of the protocol reference (§4.3): public sandbox second key, 248-byte body.
const SECOND_KEY = 'b6ca15b0d1020e8094d9b5f8d163db54';
const BODY =
  '{"order":{"orderId":"LDLW5N7MF4140324GUEST000P01","extOrderId":"ord-1","status":"COMPLETED","totalAmount":"21000","currencyCode":"PLN"},"localReceiptDateTime":"2016-03-02T12:58:14.828+01:00","properties":[{"name":"PAYMENT_ID","value":"151471228"}]}';
const MD5 = 'a0318290f09ae7f6aa05de4631246a17';
const SHA256 = '4ea84fe6b20ae7d730babeb3da5c918780e8396878b39c43dcfa50da2f765476';

const headers = (value: string, name = 'OpenPayu-Signature') => new Headers({ [name]: value });

describe('PayU notification signature', () => {
  it('reproduces the worked example of the protocol reference', async () => {
    expect(utf8(BODY).length).toBe(248);
    expect(await computeSignature('MD5', utf8(BODY), SECOND_KEY)).toBe(MD5);
    expect(await computeSignature('SHA-256', utf8(BODY), SECOND_KEY)).toBe(SHA256);
  });

  it('verifies MD5 and SHA-256 under either header name, in any case', async () => {
    const md5 = await verifySignature(
      headers(`sender=checkout;signature=${MD5};algorithm=MD5;content=DOCUMENT`),
      utf8(BODY),
      SECOND_KEY,
      SIGNATURE_ALGORITHMS,
    );
    expect(md5).toEqual({ ok: true, algorithm: 'MD5' });
    const sha = await verifySignature(
      headers(`sender=checkout;signature=${SHA256.toUpperCase()};algorithm=SHA-256`, 'X-OPENPAYU-SIGNATURE'),
      utf8(BODY),
      SECOND_KEY,
      SIGNATURE_ALGORITHMS,
    );
    expect(sha).toEqual({ ok: true, algorithm: 'SHA-256' });
  });

  it('verifies SHA-1, SHA-384 and SHA-512 computed independently with node:crypto', async () => {
    for (const algorithm of ['SHA-1', 'SHA-384', 'SHA-512'] as const) {
      const hex = createHash(algorithm.replace('-', '').toLowerCase())
        .update(BODY + SECOND_KEY)
        .digest('hex');
      const check = await verifySignature(
        headers(`signature=${hex};algorithm=${algorithm.replace('-', '')}`),
        utf8(BODY),
        SECOND_KEY,
        SIGNATURE_ALGORITHMS,
      );
      expect(check).toEqual({ ok: true, algorithm });
    }
  });

  it('rejects a missing header, a missing part, a forged signature and a changed byte', async () => {
    const body = utf8(BODY);
    const all = SIGNATURE_ALGORITHMS;
    expect(await verifySignature(new Headers(), body, SECOND_KEY, all)).toMatchObject({ reason: 'missing' });
    expect(await verifySignature(headers('algorithm=MD5'), body, SECOND_KEY, all)).toMatchObject({
      reason: 'malformed',
    });
    expect(await verifySignature(headers(`signature=${MD5}`), body, SECOND_KEY, all)).toMatchObject({
      reason: 'malformed',
    });
    const forged = MD5.replace(/^a/, 'b');
    expect(
      await verifySignature(headers(`signature=${forged};algorithm=MD5`), body, SECOND_KEY, all),
    ).toMatchObject({ reason: 'mismatch' });
    const tampered = utf8(BODY.replace('21000', '21001'));
    expect(
      await verifySignature(headers(`signature=${MD5};algorithm=MD5`), tampered, SECOND_KEY, all),
    ).toMatchObject({ reason: 'mismatch' });
    expect(
      await verifySignature(headers(`signature=${MD5};algorithm=MD5`), body, 'another-key', all),
    ).toMatchObject({ reason: 'mismatch' });
  });

  it('rejects an algorithm that is unknown or not allowed', async () => {
    const body = utf8(BODY);
    expect(
      await verifySignature(
        headers(`signature=${MD5};algorithm=CRC32`),
        body,
        SECOND_KEY,
        SIGNATURE_ALGORITHMS,
      ),
    ).toMatchObject({ reason: 'algorithm' });
    expect(
      await verifySignature(headers(`signature=${MD5};algorithm=MD5`), body, SECOND_KEY, ['SHA-256']),
    ).toMatchObject({ reason: 'algorithm' });
  });

  it('parses the header leniently and maps algorithm spellings', () => {
    expect(
      parseSignatureHeader(' sender=checkout ; signature=ab=cd;ALGORITHM=MD5;junk;content=DOCUMENT'),
    ).toEqual({
      sender: 'checkout',
      signature: 'ab=cd',
      algorithm: 'MD5',
      content: 'DOCUMENT',
    });
    expect(normaliseAlgorithm('SHA')).toBeNull();
    expect(normaliseAlgorithm('sha256')).toBe('SHA-256');
    expect(normaliseAlgorithm('SHA1')).toBe('SHA-1');
    expect(normaliseAlgorithm('sha-512')).toBe('SHA-512');
    expect(normaliseAlgorithm('HMAC')).toBeNull();
  });
});
