import type { Payment } from '@paybridge/core';
import { runBackendConformance } from '@paybridge/core/testing';
import { createSandbox, RAZORPAY_SANDBOX_KEY_ID, RAZORPAY_SANDBOX_KEY_SECRET } from '@paybridge/sandbox';
import { razorpay } from '../src/index';
import { signedEvent } from './support/events';

const SANDBOX = 'http://sandbox.test';
const WEBHOOK_SECRET = 'conformance-webhook-secret';
const sandbox = createSandbox({ baseUrl: SANDBOX });
const validSettings = {
  keyId: RAZORPAY_SANDBOX_KEY_ID,
  keySecret: RAZORPAY_SANDBOX_KEY_SECRET,
  webhookSecret: WEBHOOK_SECRET,
};

const link = (payment: Payment, id: string, fields: Record<string, unknown>) => ({
  id,
  amount: payment.amount,
  currency: payment.currency,
  reference_id: payment.id,
  notes: { paybridge_payment_id: payment.id },
  ...fields,
});

runBackendConformance({
  name: 'razorpay',
  factory: razorpay,
  validSettings,
  invalidSettings: { keyId: 'pk_test_nope', keySecret: '', webhookSecret: 'has space', currencies: ['inr'] },
  secretFields: ['keySecret', 'webhookSecret'],
  currency: 'INR',
  amount: 49_900,
  endpoint: `${SANDBOX}/razorpay`,
  fetch: (request) => sandbox.handler(request),
  binding: {
    settings: { ...validSettings, endpoint: `${SANDBOX}/razorpay` },
    fetch: (request) => sandbox.handler(request),
    // The payment's own link (its externalId), paid in full.
    paid: (payment, notifyUrl) =>
      signedEvent(notifyUrl, WEBHOOK_SECRET, 'payment_link.paid', {
        payment_link: link(payment, payment.externalId as string, {
          status: 'paid',
          amount_paid: payment.amount,
          payments: [{ payment_id: 'pay_ConformanceOwn1', amount: payment.amount, status: 'captured' }],
        }),
      }),
    // Another link naming the payment (same reference in notes), cancelled.
    otherFailed: (payment, notifyUrl) =>
      signedEvent(notifyUrl, WEBHOOK_SECRET, 'payment_link.cancelled', {
        payment_link: link(payment, 'plink_ConformanceOthr', { status: 'cancelled', amount_paid: 0 }),
      }),
  },
});
