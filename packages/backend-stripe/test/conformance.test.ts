import type { Payment } from '@paybridge/core';
import { runBackendConformance } from '@paybridge/core/testing';
import { createSandbox, STRIPE_SANDBOX_SECRET_KEY } from '@paybridge/sandbox';
import { stripe } from '../src/index';
import { stripeEvent, stripeSignature } from './support/fake-stripe';

const SANDBOX = 'http://sandbox.test';
const WHSEC = 'whsec_conformance_endpoint';
const sandbox = createSandbox({ baseUrl: SANDBOX });
const validSettings = { secretKey: STRIPE_SANDBOX_SECRET_KEY, webhookSecret: WHSEC };

/** A Checkout Session snapshot naming the payment, as Stripe would put it in an event. */
const session = (payment: Payment, id: string, fields: Record<string, unknown>) => ({
  id,
  object: 'checkout.session',
  mode: 'payment',
  amount_total: payment.amount,
  currency: payment.currency.toLowerCase(),
  client_reference_id: payment.id,
  metadata: { paybridge_payment_id: payment.id },
  ...fields,
});

const signed = (type: string, object: unknown, notifyUrl: string) => {
  const body = stripeEvent(type, object);
  return new Request(notifyUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignature(body, WHSEC) },
    body,
  });
};

runBackendConformance({
  name: 'stripe',
  factory: stripe,
  validSettings,
  invalidSettings: { secretKey: 'pk_test_nope', webhookSecret: 'nope', currencies: ['eur'] },
  secretFields: ['secretKey', 'webhookSecret'],
  currency: 'EUR',
  amount: 1999,
  endpoint: `${SANDBOX}/stripe`,
  fetch: (request) => sandbox.handler(request),
  binding: {
    settings: { ...validSettings, endpoint: `${SANDBOX}/stripe` },
    fetch: (request) => sandbox.handler(request),
    // The payment's own session (its externalId), paid in full.
    paid: (payment, notifyUrl) =>
      signed(
        'checkout.session.completed',
        session(payment, payment.externalId as string, {
          status: 'complete',
          payment_status: 'paid',
          payment_intent: 'pi_conformanceOwn1',
        }),
        notifyUrl,
      ),
    // A session someone else created naming the payment, whose delayed payment failed.
    otherFailed: (payment, notifyUrl) =>
      signed(
        'checkout.session.async_payment_failed',
        session(payment, 'cs_test_conformanceOther1', {
          status: 'complete',
          payment_status: 'unpaid',
          payment_intent: 'pi_conformanceOther1',
        }),
        notifyUrl,
      ),
  },
});
