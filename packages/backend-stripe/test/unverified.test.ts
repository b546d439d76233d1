import { describe, expect, it } from 'vitest';
import { stripe } from '../src/stripe';
import { fakeStripe, stripeEvent, stripeSignature } from './support/fake-stripe';
import { fakeContext, makePayment, SETTINGS } from './support/harness';

/** A webhook failing signature verification names the payment it is about (for a pull), and nothing more. */
const SESSION = 'cs_test_a1b2c3';
const ours = makePayment({ externalId: SESSION });
const other = makePayment({ id: 'pay_other', backend: 'stripe-connect', externalId: 'cs_test_other' });
const backend = stripe(SETTINGS);

function inbound(body: string) {
  return {
    method: 'POST',
    url: 'https://shop.test/pay/notify/stripe',
    headers: new Headers({
      'content-type': 'application/json',
      'stripe-signature': stripeSignature(body, 'whsec_rolled_in_the_dashboard'),
    }),
    body: new TextEncoder().encode(body),
    clientIp: '3.18.12.63',
    receivedAt: new Date(),
  };
}

async function refuse(body: string, ctx = fakeContext(fakeStripe(), [ours, other])) {
  return backend.handleNotification(inbound(body), ctx);
}

describe('a Stripe webhook with a bad signature', () => {
  it.each([
    ['a Checkout Session by its id', { object: 'checkout.session', id: SESSION }],
    [
      'a Checkout Session by client_reference_id',
      { object: 'checkout.session', id: 'cs_x', client_reference_id: ours.id },
    ],
    [
      'a PaymentIntent by metadata',
      { object: 'payment_intent', id: 'pi_x', metadata: { paybridge_payment_id: ours.id } },
    ],
    [
      'a subscription invoice by its parent’s metadata',
      {
        object: 'invoice',
        id: 'in_x',
        parent: { subscription_details: { metadata: { paybridge_payment_id: ours.id } } },
      },
    ],
  ])('names our payment from %s, still refused 400 with no updates', async (_label, object) => {
    const fake = fakeStripe();
    const outcome = await refuse(
      stripeEvent('checkout.session.completed', object),
      fakeContext(fake, [ours, other]),
    );
    expect(outcome).toEqual({
      verdict: 'rejected',
      code: 'INVALID_SIGNATURE',
      message: expect.any(String),
      paymentId: ours.id,
      ack: expect.objectContaining({ status: 400 }),
    });
    expect(fake.requests).toHaveLength(0); // Stripe is not asked here: the core decides on a pull
  });

  it.each([
    [
      'an unknown object',
      stripeEvent('payment_intent.succeeded', {
        id: 'pi_nope',
        metadata: { paybridge_payment_id: 'pay_nope' },
      }),
    ],
    [
      'another backend’s payment',
      stripeEvent('checkout.session.completed', { id: 'cs_test_other', client_reference_id: 'pay_other' }),
    ],
    [
      'an overlong id',
      stripeEvent('payment_intent.succeeded', {
        id: 'x'.repeat(256),
        metadata: { paybridge_payment_id: `${ours.id}${'x'.repeat(255)}` },
      }),
    ],
    [
      'ids that are not strings',
      stripeEvent('payment_intent.succeeded', { id: 42, metadata: { paybridge_payment_id: [ours.id] } }),
    ],
    ['a body that is not JSON', ours.id],
    ['a JSON array', JSON.stringify([ours.id])],
  ])('names nothing for %s', async (_label, body) => {
    const outcome = await refuse(body);
    expect(outcome).toMatchObject({ verdict: 'rejected', code: 'INVALID_SIGNATURE', ack: { status: 400 } });
    expect(outcome).not.toHaveProperty('paymentId');
  });

  it('a store that fails while looking up names nothing and the answer stays 400', async () => {
    const ctx = fakeContext(fakeStripe(), [ours]);
    ctx.findPaymentByExternalId = async () => {
      throw new Error('store down');
    };
    const outcome = await refuse(stripeEvent('checkout.session.completed', { id: SESSION }), ctx);
    expect(outcome).toMatchObject({ verdict: 'rejected', code: 'INVALID_SIGNATURE', ack: { status: 400 } });
    expect(outcome).not.toHaveProperty('paymentId');
  });
});
