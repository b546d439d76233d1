import { creationTransition as created, newPayment } from '../lib/new-payment';
import type { Payment, Transition } from '../types';

let counter = 0;

/** A valid payment for tests; override any field. */
export function makePayment(overrides: Partial<Payment> = {}): Payment {
  counter++;
  const now = new Date(Date.UTC(2026, 0, 1, 12, 0, counter % 60)).toISOString();
  const payment = newPayment(
    {
      id: `pay_test${Date.now().toString(36)}${counter}${Math.random().toString(36).slice(2, 8)}`,
      orderId: 'order-1',
      backend: 'dummy',
      amount: 1999,
      currency: 'EUR',
      externalId: null,
      description: 'Test order',
      buyer: {
        email: 'buyer@example.com',
        language: 'en',
        billingAddress: { line1: '18 rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' },
      },
      order: { reference: 'order-1', amount: 1999, customFields: { size: 'M' } },
      recurrence: null,
      parentPaymentId: null,
      subscription: null,
      successUrl: 'https://shop.example/ok',
      failureUrl: null,
      testMode: true,
      expiresAt: new Date(Date.parse(now) + 86_400_000).toISOString(),
    },
    now,
  );
  return { ...payment, ...overrides };
}

/** The creation transition a store is given with `payment` (a fixed id per payment). */
export function creationTransition(payment: Payment): Transition {
  return created(payment, `trn_${payment.id}_created`);
}
