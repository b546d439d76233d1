import type { Payment, Transition, TransitionEffect } from '../types';

/** What a payment is about, fixed when it is created; its state (status, money, ledgers) starts empty. */
export type PaymentTerms = Omit<
  Payment,
  | 'status'
  | 'amountAuthorized'
  | 'amountPaid'
  | 'amountRefunded'
  | 'captures'
  | 'refunds'
  | 'brokerData'
  | 'createdAt'
  | 'updatedAt'
  | 'version'
>;

/**
 * A payment as it is first stored: new, nothing authorized, paid or refunded, no broker data.
 * Every creation (a started payment, a subscription's renewal) goes through here, so a payment
 * never starts with state left over from another one.
 */
export function newPayment(terms: PaymentTerms, createdAt: string): Payment {
  return {
    ...terms,
    status: 'new',
    amountAuthorized: 0,
    amountPaid: 0,
    amountRefunded: 0,
    captures: [],
    refunds: [],
    brokerData: {},
    createdAt,
    updatedAt: createdAt,
    version: 1,
  };
}

/** The transition stored with a new payment: it owes `payment.created` (and whatever else the creation announces). */
export function creationTransition(
  payment: Payment,
  id: string,
  effects: readonly TransitionEffect[] = [{ event: 'payment.created' }],
): Transition {
  return {
    id,
    paymentId: payment.id,
    from: 'new',
    to: 'new',
    cause: 'created',
    eventId: null,
    amountPaid: 0,
    amountRefunded: 0,
    at: payment.createdAt,
    effects: [...effects],
  };
}
