import type { Payment, Transition } from '../types';

let counter = 0;

/** A valid payment for tests; override any field. */
export function makePayment(overrides: Partial<Payment> = {}): Payment {
  counter++;
  const now = new Date(Date.UTC(2026, 0, 1, 12, 0, counter % 60)).toISOString();
  return {
    id: `pay_test${Date.now().toString(36)}${counter}${Math.random().toString(36).slice(2, 8)}`,
    orderId: 'order-1',
    backend: 'dummy',
    amount: 1999,
    currency: 'EUR',
    status: 'new',
    amountAuthorized: 0,
    amountPaid: 0,
    amountRefunded: 0,
    captures: [],
    refunds: [],
    externalId: null,
    description: 'Test order',
    buyer: { email: 'buyer@example.com', language: 'en' },
    order: { reference: 'order-1', amount: 1999, customFields: { size: 'M' } },
    recurrence: null,
    parentPaymentId: null,
    subscription: null,
    brokerData: {},
    successUrl: 'https://shop.example/ok',
    failureUrl: null,
    testMode: true,
    createdAt: now,
    updatedAt: now,
    expiresAt: new Date(Date.parse(now) + 86_400_000).toISOString(),
    version: 1,
    ...overrides,
  };
}

export function creationTransition(payment: Payment): Transition {
  return {
    id: `trn_${payment.id}_created`,
    paymentId: payment.id,
    from: 'new',
    to: 'new',
    cause: 'created',
    eventId: null,
    amountPaid: 0,
    amountRefunded: 0,
    at: payment.createdAt,
    effects: [{ event: 'payment.created' }],
  };
}
