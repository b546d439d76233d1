import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { parseSignatureHeader, signPayload, verifyStripeSignature } from '../src/index';
import { stripeSignature } from './support/fake-stripe';

const enc = (s: string) => new TextEncoder().encode(s);
const T = 1_700_000_000;
const at = (seconds: number) => ({ toleranceSeconds: 300, now: new Date(seconds * 1000) });

describe('Stripe-Signature', () => {
  it('matches the reference worked example (whsec_ prefix is part of the key)', async () => {
    const body = JSON.stringify({ id: 'evt_test_webhook', object: 'event' }, null, 2);
    expect(body.length).toBe(51);
    const header = await signPayload(enc(body), 'whsec_test_secret', T);
    expect(header).toBe(`t=${T},v1=4f1cd7feda9826e746b7d482c4badebb657398df1099e1046364f6196a230150`);
    expect(await verifyStripeSignature(header, enc(body), ['whsec_test_secret'], at(T))).toEqual({
      ok: true,
      timestamp: T,
    });
  });

  it("accepts the official library's test header (generateTestHeaderString)", async () => {
    const payload = '{"id":"evt_1","object":"event","type":"ping"}';
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_abc', timestamp: T });
    expect((await verifyStripeSignature(header, enc(payload), ['whsec_abc'], at(T + 10))).ok).toBe(true);
  });

  it('verifies the raw bytes: any change of a byte (even whitespace) fails', async () => {
    const body = '{"a": 1}';
    const header = stripeSignature(body, 'whsec_k', T);
    expect((await verifyStripeSignature(header, enc('{"a":1}'), ['whsec_k'], at(T))).ok).toBe(false);
    expect((await verifyStripeSignature(header, enc(`${body}\n`), ['whsec_k'], at(T))).ok).toBe(false);
    const utf8 = '{"name":"Zoë 🚀"}';
    expect(
      (await verifyStripeSignature(stripeSignature(utf8, 'whsec_k', T), enc(utf8), ['whsec_k'], at(T))).ok,
    ).toBe(true);
  });

  it('accepts any of several v1 values (secret rolling) and any configured secret', async () => {
    const body = '{}';
    const good = stripeSignature(body, 'whsec_new', T).split(',')[1];
    const bad = stripeSignature(body, 'whsec_other', T).split(',')[1];
    const header = `t=${T},${bad},${good}`;
    expect((await verifyStripeSignature(header, enc(body), ['whsec_new'], at(T))).ok).toBe(true);
    expect(
      (await verifyStripeSignature(`t=${T},${bad}`, enc(body), ['whsec_new', 'whsec_other'], at(T))).ok,
    ).toBe(true);
    expect(await verifyStripeSignature(`t=${T},${bad}`, enc(body), ['whsec_new'], at(T))).toMatchObject({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('ignores v0 and unknown keys: a v0-only header is refused (no downgrade)', async () => {
    const body = '{}';
    const v1 = stripeSignature(body, 'whsec_k', T).split(',')[1]?.slice(3);
    expect(
      (
        await verifyStripeSignature(
          `t=${T},v0=${v1},v1=${v1},secret=whsec_****k,payload=abcd1234`,
          enc(body),
          ['whsec_k'],
          at(T),
        )
      ).ok,
    ).toBe(true);
    expect(await verifyStripeSignature(`t=${T},v0=${v1}`, enc(body), ['whsec_k'], at(T))).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
  });

  it('refuses an age over the tolerance (300 s passes, 301 s fails), accepts the future, 0 disables', async () => {
    const body = '{}';
    const header = stripeSignature(body, 'whsec_k', T);
    expect((await verifyStripeSignature(header, enc(body), ['whsec_k'], at(T + 300))).ok).toBe(true);
    expect(await verifyStripeSignature(header, enc(body), ['whsec_k'], at(T + 301))).toMatchObject({
      ok: false,
      reason: 'stale',
    });
    expect((await verifyStripeSignature(header, enc(body), ['whsec_k'], at(T - 3600))).ok).toBe(true);
    const off = { toleranceSeconds: 0, now: new Date((T + 86_400) * 1000) };
    expect((await verifyStripeSignature(header, enc(body), ['whsec_k'], off)).ok).toBe(true);
  });

  it('checks the MAC before the age, so a forged stale header says mismatch', async () => {
    const forged = `t=${T},v1=${'0'.repeat(64)}`;
    expect(await verifyStripeSignature(forged, enc('{}'), ['whsec_k'], at(T + 999))).toMatchObject({
      reason: 'mismatch',
    });
  });

  it('refuses missing and malformed headers', async () => {
    for (const header of [null, '', 'garbage', 't=abc,v1=00', `v1=${'a'.repeat(64)}`, `t=${T}`]) {
      const check = await verifyStripeSignature(header, enc('{}'), ['whsec_k'], at(T));
      expect(check.ok).toBe(false);
    }
    expect(parseSignatureHeader(`t=${T},v1=${'A'.repeat(64)},v1=short`)).toEqual({
      timestamp: T,
      v1: ['a'.repeat(64)],
    });
  });
});
