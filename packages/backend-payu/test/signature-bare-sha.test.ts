import { createHash } from 'node:crypto';
import { utf8 } from '@paybridge/core/kit';
import { describe, expect, it } from 'vitest';
import { SIGNATURE_ALGORITHMS } from '../src/lib/settings';
import { algorithmCandidates, verifySignature } from '../src/lib/signature';
import { POS, SHOP, setup } from './support/e2e';

/**
 * `algorithm=SHA` without a suffix: SHA-256 in the current PHP SDK's mapping, SHA-1 in older SDKs
 * (protocol reference §4.3). Either digest is accepted; digests are computed with node:crypto,
 * independently of the code under test.
 */
const KEY = POS.secondKey;
const digest = (hash: string, body: string, key = KEY) =>
  createHash(hash).update(body, 'utf8').update(key, 'utf8').digest('hex');
const header = (signature: string, algorithm = 'SHA') =>
  new Headers({
    'openpayu-signature': `sender=checkout;signature=${signature};algorithm=${algorithm};content=DOCUMENT`,
  });

const BODY = '{"order":{"orderId":"LDLW5N7MF4140324GUEST000P01","status":"COMPLETED","totalAmount":"21000"}}';

describe('bare algorithm=SHA', () => {
  it('means SHA-256 or SHA-1, nothing else', () => {
    expect(algorithmCandidates('SHA')).toEqual(['SHA-256', 'SHA-1']);
    expect(algorithmCandidates(' sha ')).toEqual(['SHA-256', 'SHA-1']);
    expect(algorithmCandidates('SHA1')).toEqual(['SHA-1']);
    expect(algorithmCandidates('SHA-512')).toEqual(['SHA-512']);
    expect(algorithmCandidates('SHA3')).toEqual([]);
  });

  it.each([
    ['sha1', 'SHA-1'],
    ['sha256', 'SHA-256'],
  ])('accepts a %s digest and reports %s', async (hash, algorithm) => {
    for (const name of ['SHA', 'sha']) {
      const check = await verifySignature(
        header(digest(hash, BODY), name),
        utf8(BODY),
        KEY,
        SIGNATURE_ALGORITHMS,
      );
      expect(check).toEqual({ ok: true, algorithm });
    }
  });

  it('refuses any other digest, a digest under another key, or a tampered body', async () => {
    for (const hash of ['md5', 'sha384', 'sha512']) {
      expect(
        await verifySignature(header(digest(hash, BODY)), utf8(BODY), KEY, SIGNATURE_ALGORITHMS),
      ).toMatchObject({
        ok: false,
        reason: 'mismatch',
      });
    }
    const otherKey = header(digest('sha1', BODY, 'another-key'));
    expect(await verifySignature(otherKey, utf8(BODY), KEY, SIGNATURE_ALGORITHMS)).toMatchObject({
      ok: false,
    });
    const tampered = BODY.replace('21000', '1');
    expect(
      await verifySignature(header(digest('sha1', BODY)), utf8(tampered), KEY, SIGNATURE_ALGORITHMS),
    ).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('tries only the meanings the merchant allows', async () => {
    const sha1 = header(digest('sha1', BODY));
    expect(await verifySignature(sha1, utf8(BODY), KEY, ['SHA-1'])).toEqual({ ok: true, algorithm: 'SHA-1' });
    expect(await verifySignature(sha1, utf8(BODY), KEY, ['SHA-256'])).toMatchObject({
      ok: false,
      reason: 'mismatch',
    });
    expect(await verifySignature(sha1, utf8(BODY), KEY, ['MD5'])).toMatchObject({
      ok: false,
      reason: 'algorithm',
    });
  });
});

describe('bare algorithm=SHA through the bridge handler', () => {
  async function notify(t: ReturnType<typeof setup>, body: string, headers: Headers) {
    headers.set('content-type', 'application/json;charset=UTF-8');
    return t.bridge.handler(new Request(`${SHOP}/notify/payu`, { method: 'POST', headers, body }), {
      clientIp: '185.68.14.10',
    });
  }
  const completed = (paymentId: string, orderId: string) =>
    JSON.stringify({
      order: {
        orderId,
        extOrderId: paymentId,
        merchantPosId: POS.posId,
        description: 'Order',
        currencyCode: 'PLN',
        totalAmount: '21000',
        status: 'COMPLETED',
      },
    });

  it.each(['sha1', 'sha256'])(
    'a COMPLETED notification signed %s under "SHA" pays the payment',
    async (hash) => {
      const t = setup();
      const { paymentId, orderId } = await t.start();
      const body = completed(paymentId, orderId);
      const response = await notify(t, body, header(digest(hash, body)));
      expect(response.status).toBe(200);
      expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 21000 });
    },
  );

  it('an MD5 digest under "SHA" is refused with 400 and changes nothing', async () => {
    const t = setup();
    const { paymentId, orderId } = await t.start();
    const body = completed(paymentId, orderId);
    const response = await notify(t, body, header(digest('md5', body)));
    expect(response.status).toBe(400);
    expect((await t.get(paymentId)).status).toBe('new');
    // Unverified, so not attached to the payment: it is in the message log as rejected.
    const inbound = (await t.allMessages()).filter(
      (m) => m.direction === 'inbound' && m.kind === 'notification',
    );
    expect(inbound.map((m) => [m.verdict, m.responseStatus])).toEqual([['rejected', 400]]);
  });
});
