import { createHash } from 'node:crypto';
import { hmacSha1Hex, operationalKey, sortedFieldString, stripeSignatureHeader } from '@paybridge/sandbox';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { CMCIC_TPE, PAYU_POS } from '../chaos/brokers';
import { faultyStore } from '../chaos/faulty-store';
import { memoryJournal } from '../chaos/journal';
import { seededRandom } from '../chaos/random';
import { message, request, SHOP, STRIPE_WEBHOOK_SECRET, setup, watchRejections } from './fuzz-support';

/**
 * Property: whatever reaches /pay/notify/:backend through the Hono adapter — any bytes, headers,
 * content encodings, charsets, sizes, methods, or a well-formed message signed with the right key about
 * an order we do not have — never answers 5xx (except when the store fails), never leaves a rejected
 * promise behind, and never changes a payment (status, version, ledgers, transitions, payments, events).
 */
const RUNS = 300;
/**
 * Every property below shares one merchant (and one rejection watcher) between its runs: the property
 * is that a message changes nothing, so while it holds each run meets the merchant a fresh one would
 * (only the message log, the pull rate limit and, with the faulty store, its seeded fault stream move),
 * and a merchant per run would cost 4–16 ms each, ~20 s of CI over this file. A failure ends the
 * property unshrunk (`endOnFailure`): once one message has changed the payment (or left a rejection),
 * every later input fails too, and shrinking would report the smallest of them, not the culprit.
 */
const SHARED_MERCHANT = { numRuns: RUNS, endOnFailure: true };
const cmcicKey = operationalKey(CMCIC_TPE.key);

/** A CM-CIC return sealed with the TPE's key (current scheme, protocols/cmcic.md §3.5). */
function sealedReturn(values: Record<string, string>): Request {
  const body = new URLSearchParams({ ...values, MAC: hmacSha1Hex(cmcicKey, sortedFieldString(values)) });
  return new Request(`${SHOP}/notify/cmcic`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
}

/** A PayU notification signed with the POS's second key (protocols/payu.md §4.3). */
function signedPayu(json: unknown): Request {
  const bytes = new TextEncoder().encode(JSON.stringify(json) ?? 'null');
  const signature = createHash('md5').update(bytes).update(PAYU_POS.secondKey).digest('hex');
  return new Request(`${SHOP}/notify/payu`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json;charset=UTF-8',
      'openpayu-signature': `sender=checkout;signature=${signature};algorithm=MD5;content=DOCUMENT`,
    },
    body: bytes,
  });
}
/** A Stripe webhook signed with the endpoint's secret at `seconds` (protocols/stripe.md §5.2). */
function signedStripe(body: Uint8Array, seconds: number, secret = STRIPE_WEBHOOK_SECRET): Request {
  return new Request(`${SHOP}/notify/stripe`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'stripe-signature': stripeSignatureHeader([secret], seconds, body),
    },
    body: body as BodyInit,
  });
}

/** The Stripe payment paid on the hosted page, its genuine webhooks held back (not yet delivered). */
async function heldStripeWebhooks() {
  const t = await setup('stripe');
  t.held.hold = true;
  t.sandbox.stripe.act(t.session as string, { card: '4242424242424242' });
  await t.sandbox.flush();
  const webhooks = await Promise.all(
    t.held.requests.map(async (r) => ({
      body: new Uint8Array(await r.arrayBuffer()),
      signature: r.headers.get('stripe-signature') as string,
    })),
  );
  expect(webhooks.length).toBeGreaterThan(0);
  const withSignature = (body: Uint8Array, signature: string) =>
    new Request(`${SHOP}/notify/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature },
      body: body as BodyInit,
    });
  return { t, webhooks, withSignature, now: Math.floor(t.clock.now() / 1000) };
}

let rejections = watchRejections();
afterEach(() => {
  rejections.stop();
  rejections = watchRejections();
});

describe.each(['payu', 'paypal', 'cmcic', 'stripe'] as const)('fuzzing /notify/%s', (broker) => {
  it('arbitrary bodies, headers, encodings and sizes: no 5xx, no rejection, no state change', async () => {
    const t = await setup(broker);
    await fc.assert(
      fc.asyncProperty(message, async (input) => {
        const response = await t.send(request(broker, input));
        expect(response.status).toBeLessThan(500);
        expect(await t.snapshot()).toEqual(t.before);
        await rejections.expectNone();
      }),
      SHARED_MERCHANT,
    );
  }, 90_000);

  it('with store writes failing: 5xx only when a failure was injected, and still no state change', async () => {
    const journal = memoryJournal();
    const t = await setup(broker, (store) => faultyStore(store, 0.3, seededRandom(7), journal));
    await fc.assert(
      fc.asyncProperty(message, async (input) => {
        const faultsBefore = journal.read().length;
        const response = await t.send(request(broker, input));
        if (response.status >= 500) expect(journal.read().length).toBeGreaterThan(faultsBefore);
        expect(await t.snapshot()).toEqual(t.before);
        await rejections.expectNone();
      }),
      { ...SHARED_MERCHANT, numRuns: 100 },
    );
    // The property was exercised: some requests did meet a failing store.
    expect(journal.read().length).toBeGreaterThan(0);
  }, 90_000);
});

describe('fuzzing past the signature', () => {
  it('PayU: validly signed arbitrary JSON about orders we do not have: no 5xx, no state change', async () => {
    const t = await setup('payu');
    const order = fc.record(
      {
        orderId: fc.oneof(fc.string({ maxLength: 30 }), fc.integer()),
        extOrderId: fc.oneof(fc.string({ maxLength: 30 }), fc.constant(null)),
        status: fc.oneof(
          fc.constantFrom('COMPLETED', 'PENDING', 'CANCELED', 'WAITING_FOR_CONFIRMATION'),
          fc.string(),
        ),
        totalAmount: fc.oneof(fc.integer().map(String), fc.string(), fc.integer()),
        currencyCode: fc.oneof(fc.constantFrom('PLN', 'EUR'), fc.string({ maxLength: 5 })),
      },
      { requiredKeys: [] },
    );
    const document = fc.oneof(
      fc.record({ order, localReceiptDateTime: fc.string() }, { requiredKeys: ['order'] }),
      fc.record({ orderId: fc.string(), refund: fc.object() }),
      fc.jsonValue(),
    );
    await fc.assert(
      fc.asyncProperty(document, async (json) => {
        const response = await t.send(signedPayu(json));
        expect(response.status).toBeLessThan(500);
        expect(await t.snapshot()).toEqual(t.before);
        await rejections.expectNone();
      }),
      SHARED_MERCHANT,
    );
  }, 90_000);

  it('CM-CIC: returns sealed with the TPE key about references we do not have: no 5xx, no state change', async () => {
    const t = await setup('cmcic');
    const printable = fc.string({
      unit: fc.integer({ min: 32, max: 126 }).map(String.fromCharCode),
      maxLength: 30,
    });
    const fields = fc.record(
      {
        TPE: fc.oneof(fc.constant(CMCIC_TPE.tpe), printable),
        date: printable,
        montant: fc.oneof(fc.constantFrom('19.99EUR', '0EUR', '19.99USD', '-1EUR'), printable),
        reference: printable.filter((reference) => reference !== t.payment.externalId),
        'texte-libre': printable,
        'code-retour': fc.oneof(
          fc.constantFrom('paiement', 'payetest', 'Annulation', 'paiement_pf2', 'Annulation_pf3'),
          printable,
        ),
        cvx: fc.constantFrom('oui', 'non'),
        vld: printable,
        brand: fc.constantFrom('VI', 'MC', 'na'),
        motifrefus: printable,
      },
      { requiredKeys: ['TPE', 'reference', 'code-retour'] },
    );
    await fc.assert(
      fc.asyncProperty(fields, async (record) => {
        const values = Object.fromEntries(
          Object.entries(record).filter((entry): entry is [string, string] => entry[1] !== undefined),
        );
        const response = await t.send(sealedReturn(values));
        expect(response.status).toBeLessThan(500);
        expect(await t.snapshot()).toEqual(t.before);
        await rejections.expectNone();
      }),
      SHARED_MERCHANT,
    );
  }, 90_000);
});

describe('fuzzing Stripe past the signature', () => {
  it('validly signed arbitrary events about objects we do not have: no 5xx, no state change', async () => {
    const t = await setup('stripe');
    const now = Math.floor(t.clock.now() / 1000);
    const id = (prefix: string) => fc.string({ maxLength: 24 }).map((rest) => `${prefix}${rest}`);
    const object = fc.record(
      {
        id: fc.oneof(id('cs_test_'), id('pi_'), id('re_'), id('in_'), id('sub_'), fc.string()),
        object: fc.constantFrom(
          'checkout.session',
          'payment_intent',
          'refund',
          'charge',
          'invoice',
          'dispute',
        ),
        client_reference_id: fc.oneof(fc.string({ maxLength: 30 }), fc.constant(null)),
        metadata: fc.dictionary(fc.constantFrom('paybridge_payment_id', 'x'), fc.string({ maxLength: 30 })),
        payment_status: fc.constantFrom('paid', 'unpaid', 'no_payment_required'),
        status: fc.oneof(fc.constantFrom('complete', 'succeeded', 'canceled', 'expired'), fc.string()),
        amount_total: fc.oneof(fc.integer(), fc.string()),
        amount: fc.integer(),
        currency: fc.oneof(fc.constantFrom('eur', 'usd', 'jpy'), fc.string({ maxLength: 4 })),
        payment_intent: fc.oneof(id('pi_'), fc.constant(null)),
      },
      { requiredKeys: [] },
    );
    const event = fc.oneof(
      fc.record(
        {
          id: id('evt_'),
          object: fc.constant('event'),
          type: fc.oneof(
            fc.constantFrom(
              'checkout.session.completed',
              'checkout.session.async_payment_succeeded',
              'checkout.session.expired',
              'payment_intent.succeeded',
              'payment_intent.payment_failed',
              'charge.refunded',
              'refund.updated',
              'charge.dispute.created',
              'invoice.paid',
              'customer.subscription.deleted',
            ),
            fc.string(),
          ),
          livemode: fc.oneof(fc.constant(false), fc.boolean()),
          created: fc.integer({ min: 0, max: 2 ** 31 }),
          api_version: fc.constantFrom('2026-11-18.endive', 'x'),
          account: fc.oneof(id('acct_'), fc.constant(undefined)),
          data: fc.record({ object }),
        },
        { requiredKeys: ['type', 'data'] },
      ),
      fc.jsonValue(),
    );
    await fc.assert(
      fc.asyncProperty(event, fc.integer({ min: -400, max: 400 }), async (json, skew) => {
        const body = new TextEncoder().encode(JSON.stringify(json) ?? 'null');
        const response = await t.send(signedStripe(body, now + skew));
        expect(response.status).toBeLessThan(500);
        expect(await t.snapshot()).toEqual(t.before);
        await rejections.expectNone();
      }),
      SHARED_MERCHANT,
    );
  }, 90_000);

  it('the live payment’s genuine webhooks, mutated (body, timestamp, signature, secret): no state change', async () => {
    const { t, webhooks, withSignature, now } = await heldStripeWebhooks();
    // A refused webhook naming the payment triggers a pull of it (verify-or-pull, issue 15), which
    // would learn the genuine payment from Stripe's API: keep that API down so only the forgeries count.
    t.sandbox.stripe.faults.apiError = { status: 503, remaining: 1_000_000 };
    const mutation = fc.record({
      which: fc.nat({ max: webhooks.length - 1 }),
      kind: fc.constantFrom('byte', 'timestamp', 'signature', 'secret', 'stale', 'truncate'),
      at: fc.nat(),
      bit: fc.integer({ min: 0, max: 7 }),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async ({ which, kind, at, bit }) => {
        const genuine = webhooks[which] as (typeof webhooks)[number];
        const body = genuine.body.slice();
        let forged: Request;
        if (kind === 'byte') {
          body[at % body.length] = (body[at % body.length] as number) ^ (1 << bit);
          forged = withSignature(body, genuine.signature);
        } else if (kind === 'truncate') {
          forged = withSignature(body.slice(0, at % body.length), genuine.signature);
        } else if (kind === 'timestamp') {
          forged = withSignature(
            body,
            genuine.signature.replace(/^t=(\d+)/, (_, t) => `t=${Number(t) + 1 + (at % 60)}`),
          );
        } else if (kind === 'signature') {
          const v1 = /v1=([0-9a-f]+)/.exec(genuine.signature)?.[1] as string;
          const i = at % v1.length;
          const flipped = `${v1.slice(0, i)}${((Number.parseInt(v1[i] as string, 16) + 1 + bit) % 16).toString(16)}${v1.slice(i + 1)}`;
          forged = withSignature(body, genuine.signature.replace(v1, flipped));
        } else if (kind === 'secret') {
          forged = signedStripe(body, now, `whsec_${at.toString(16)}not-the-endpoint-secret`);
        } else {
          // Genuinely signed, but older than the 300 s tolerance.
          forged = signedStripe(body, now - 301 - (at % 10_000));
        }
        const response = await t.send(forged);
        expect(response.status).toBe(400);
        expect(await t.snapshot()).toEqual(t.before);
        await rejections.expectNone();
      }),
      SHARED_MERCHANT,
    );
    t.sandbox.stripe.faults.apiError = undefined;
    // Control: the same webhooks unmutated pay the payment.
    for (const genuine of webhooks) {
      expect((await t.send(withSignature(genuine.body, genuine.signature))).status).toBe(200);
    }
    expect(await t.snapshot()).toMatchObject({ status: 'paid', paid: t.payment.amount });
  }, 90_000);
});

describe('controls: the observations see a change when there is one', () => {
  it('a signed PayU COMPLETED for the live order pays it', async () => {
    const t = await setup('payu');
    const response = await t.send(
      signedPayu({
        order: {
          orderId: t.payment.externalId,
          extOrderId: t.payment.id,
          status: 'COMPLETED',
          totalAmount: String(t.payment.amount),
          currencyCode: t.payment.currency,
        },
      }),
    );
    expect(response.status).toBe(200);
    expect(await t.snapshot()).toMatchObject({ status: 'paid', paid: t.payment.amount });
  });

  it('a sealed CM-CIC `paiement` for the live reference pays it', async () => {
    const t = await setup('cmcic');
    const response = await t.send(
      sealedReturn({
        TPE: CMCIC_TPE.tpe,
        date: '01/03/2026_a_10:00:00',
        montant: '19.99EUR',
        reference: t.payment.externalId ?? '',
        'texte-libre': '',
        'code-retour': 'paiement',
        cvx: 'oui',
        vld: '1228',
        brand: 'na',
      }),
    );
    expect(response.status).toBe(200);
    expect(await t.snapshot()).toMatchObject({ status: 'paid', paid: 1999 });
  });
});
