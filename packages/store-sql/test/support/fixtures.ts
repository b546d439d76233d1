import type { ComputedChange, Payment, Transition } from '@paybridge/core';
import { makePayment as basePayment } from '@paybridge/core/testing';

let counter = 0;
const unique = () =>
  `${Date.now().toString(36)}${(++counter).toString(36)}${Math.random().toString(36).slice(2, 8)}`;

export function makePayment(overrides: Partial<Payment> = {}): Payment {
  const id = overrides.id ?? `pay_${unique()}`;
  const at = overrides.createdAt ?? new Date().toISOString();
  return basePayment({
    id,
    description: 'Order 1',
    buyer: { email: 'buyer@example.com', language: 'fr' },
    order: {
      reference: 'R-1',
      customFields: { colour: 'blue' },
      items: [{ name: 'Mug', unitPrice: 1999, quantity: 1 }],
    },
    createdAt: at,
    updatedAt: at,
    expiresAt: null,
    ...overrides,
  });
}

export function makeTransition(payment: Payment, overrides: Partial<Transition> = {}): Transition {
  return {
    id: `tr_${unique()}`,
    paymentId: payment.id,
    from: 'new',
    to: payment.status,
    cause: 'created',
    eventId: null,
    amountPaid: payment.amountPaid,
    amountRefunded: payment.amountRefunded,
    at: payment.updatedAt,
    effects: [],
    ...overrides,
  };
}

/** A pure compute that marks the payment paid by a capture of its whole amount. */
export function capture(current: Payment, eventId: string, captureId = 'cap-1'): ComputedChange {
  const at = new Date().toISOString();
  const payment: Payment = {
    ...current,
    status: 'paid',
    amountPaid: current.amount,
    captures: [
      ...current.captures,
      {
        id: captureId,
        kind: 'capture',
        amount: current.amount,
        status: 'succeeded',
        createdAt: at,
        updatedAt: at,
      },
    ],
    updatedAt: at,
    version: current.version + 1,
  };
  const transition = makeTransition(payment, {
    from: current.status,
    to: 'paid',
    cause: 'captured',
    eventId,
    at,
    effects: [{ event: 'payment.accepted' }],
  });
  return { payment, transitions: [transition] };
}

/** A pure compute that only bumps the version and records the event in brokerData (always a change). */
export function note(current: Payment, eventId: string): ComputedChange {
  const payment: Payment = {
    ...current,
    brokerData: { ...current.brokerData, [eventId]: true },
    version: current.version + 1,
  };
  return { payment, transitions: [] };
}
