import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryStore } from '@paybridge/core';
import { hmacSha1Hex, operationalKey, sortedFieldString } from '@paybridge/sandbox';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_PAYU_POS_IDS } from '../../../demo/src/brokers';
import { generateLocalKeys, LOCAL_KEYS_FILE, localKeysIn } from '../../../demo/src/local-keys';
import { setupDemo } from '../../../demo/test/support/demo';

/**
 * Issue 14 items 10 and 11, as an attacker who read the demo's source would try them. The keys the
 * demo's local brokers used to share with it were constants in the source (PayU's public test POS
 * second key, the CM-CIC kits' test key): with them anyone could sign a PayU COMPLETED or seal a CM-CIC
 * payment for any demo. Order ids were ~31 guessable bits and the order page shows payment ids.
 */
const PUBLISHED = {
  payuSecondKey: 'b6ca15b0d1020e8094d9b5f8d163db54',
  cmcicKey: '12345678901234567890123456789012345678P0',
};
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function demoWithKeys() {
  const keys = generateLocalKeys(LOCAL_PAYU_POS_IDS);
  return { demo: setupDemo(memoryStore(), {}, { localKeys: keys }), keys };
}

describe('issue 14 item 10: the local brokers’ keys are not the published constants', () => {
  it('issue 14 item 10: a PayU COMPLETED signed with the published key is refused; the demo’s own key pays', async () => {
    const { demo, keys } = demoWithKeys();
    const { paymentId, redirect } = await demo.startButton('tshirt', 'payu');
    await demo.openHostedPage(redirect);
    const payment = await demo.payment(paymentId);
    const body = JSON.stringify({
      order: {
        orderId: payment.externalId,
        extOrderId: paymentId,
        merchantPosId: '300746',
        totalAmount: String(payment.amount),
        currencyCode: payment.currency,
        status: 'COMPLETED',
      },
    });
    const notify = (key: string) =>
      demo.request('/payments/notify/payu', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'openpayu-signature': `sender=checkout;signature=${createHash('md5').update(body).update(key).digest('hex')};algorithm=MD5;content=DOCUMENT`,
        },
        body,
      });
    const forged = await notify(PUBLISHED.payuSecondKey);
    expect(forged.status).toBe(400);
    expect((await demo.payment(paymentId)).status).not.toBe('paid');
    // The control: the same bytes signed with this demo's generated key are accepted.
    expect((await notify(keys.payu['300746']?.secondKey as string)).status).toBe(200);
    expect((await demo.payment(paymentId)).status).toBe('paid');
  });

  it('issue 14 item 10: a CM-CIC payment sealed with the kits’ test key is refused; the demo’s own key pays', async () => {
    const { demo, keys } = demoWithKeys();
    const { paymentId, redirect } = await demo.startButton('mug', 'cmcic');
    await demo.openHostedPage(redirect);
    const payment = await demo.payment(paymentId);
    const fields = {
      TPE: (redirect as { fields: Record<string, string> }).fields.TPE as string,
      date: '01/03/2026_a_10:00:00',
      montant: '12.99EUR',
      reference: payment.externalId as string,
      'texte-libre': 'x',
      'code-retour': 'payetest',
      cvx: 'oui',
      vld: '1228',
      brand: 'VI',
      numauto: '000000',
    };
    const seal = (key: string) =>
      new URLSearchParams({
        ...fields,
        MAC: hmacSha1Hex(operationalKey(key), sortedFieldString(fields)),
      }).toString();
    const post = (key: string) =>
      demo.request('/payments/notify/cmcic', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: seal(key),
      });
    expect(await (await post(PUBLISHED.cmcicKey)).text()).toBe('version=2\ncdr=1\n');
    expect((await demo.payment(paymentId)).status).not.toBe('paid');
    expect(await (await post(keys.cmcic)).text()).toBe('version=2\ncdr=0\n');
    expect((await demo.payment(paymentId)).status).toBe('paid');
  });

  it('issue 14 item 10: keys are generated per data folder, kept there owner-only, reused after a restart', () => {
    const [a, b] = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'pb-sec-keys-')));
    dirs.push(a as string, b as string);
    const first = localKeysIn(a as string, LOCAL_PAYU_POS_IDS);
    expect(localKeysIn(a as string, LOCAL_PAYU_POS_IDS)).toEqual(first);
    const other = localKeysIn(b as string, LOCAL_PAYU_POS_IDS);
    expect(other.cmcic).not.toBe(first.cmcic);
    expect(other.payu['300746']?.secondKey).not.toBe(first.payu['300746']?.secondKey);
    for (const keys of [first, other]) {
      expect(keys.cmcic.toUpperCase()).not.toBe(PUBLISHED.cmcicKey.toUpperCase());
      expect(Object.values(keys.payu).map((k) => k.secondKey)).not.toContain(PUBLISHED.payuSecondKey);
    }
    expect(statSync(join(a as string, LOCAL_KEYS_FILE)).mode & 0o077).toBe(0);
  });
});

describe('issue 14 item 11: order ids cannot be guessed', () => {
  it('issue 14 item 11: every order id the shop hands out carries at least 96 random bits, never repeats', async () => {
    const { demo } = demoWithKeys();
    const references = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const html = await (await demo.request('/')).text();
      for (const match of html.matchAll(/&quot;reference&quot;:&quot;([^&]+)&quot;/g))
        references.add(match[1] as string);
    }
    expect(references.size).toBeGreaterThanOrEqual(20 * 5);
    for (const reference of references) {
      const random = /-([0-9a-f]+)$/.exec(reference)?.[1] ?? '';
      expect(random.length * 4).toBeGreaterThanOrEqual(96);
    }
  });

  it('issue 14 item 11: an order id of the right shape but not handed out shows nothing', async () => {
    const { demo } = demoWithKeys();
    const { orderId } = await demo.startButton('mug', 'paypal');
    const guess = orderId.replace(/[0-9a-f]$/, (c) => (c === '0' ? '1' : '0'));
    const page = await demo.request(`/orders/${guess}`);
    expect(page.status).toBe(404);
    expect(await page.text()).not.toContain('pay_');
  });
});
