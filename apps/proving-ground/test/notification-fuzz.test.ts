import { createHash } from 'node:crypto';
import { hmacSha1Hex, operationalKey, sortedFieldString } from '@paybridge/sandbox';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { CMCIC_TPE, PAYU_POS } from '../chaos/brokers';
import { faultyStore } from '../chaos/faulty-store';
import { memoryJournal } from '../chaos/journal';
import { seededRandom } from '../chaos/random';
import { message, request, SHOP, setup, watchRejections } from './fuzz-support';

/**
 * Property: whatever reaches /pay/notify/:backend through the Hono adapter — any bytes, headers,
 * content encodings, charsets, sizes, methods, or a well-formed message signed with the right key about
 * an order we do not have — never answers 5xx (except when the store fails), never leaves a rejected
 * promise behind, and never changes a payment (status, version, ledgers, transitions, payments, events).
 */
const RUNS = 300;
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
let rejections = watchRejections();
afterEach(() => {
  rejections.stop();
  rejections = watchRejections();
});

describe.each(['payu', 'paypal', 'cmcic'] as const)('fuzzing /notify/%s', (broker) => {
  it('arbitrary bodies, headers, encodings and sizes: no 5xx, no rejection, no state change', async () => {
    const t = await setup(broker);
    await fc.assert(
      fc.asyncProperty(message, async (input) => {
        const response = await t.send(request(broker, input));
        expect(response.status).toBeLessThan(500);
        expect(await t.snapshot()).toEqual(t.before);
        await rejections.expectNone();
      }),
      { numRuns: RUNS },
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
      { numRuns: 100 },
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
      { numRuns: RUNS },
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
      { numRuns: RUNS },
    );
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
