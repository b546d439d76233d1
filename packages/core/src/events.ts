import type {
  Anomaly,
  LedgerEntry,
  Payment,
  PaymentFact,
  PaymentStatus,
  SubscriptionState,
  Transition,
} from './types';

interface PaymentEventBase {
  /** The payment after the change, with its `order` snapshot. */
  payment: Payment;
}

/** Every event paybridge emits, by name. Listeners run after the change is committed. */
export interface PaybridgeEvents {
  'payment.created': PaymentEventBase;
  'payment.statusChanged': PaymentEventBase & {
    from: PaymentStatus;
    to: PaymentStatus;
    transition: Transition;
  };
  /** Every verified server-to-server confirmation about the payment (also duplicates and no-ops). */
  'payment.processed': PaymentEventBase & {
    backend: string;
    facts: PaymentFact[];
    outcome: 'applied' | 'unchanged' | 'duplicate';
    brokerData: Record<string, unknown>;
  };
  /**
   * The paid amount reached the payment's amount — owed once per payment (one transition carries it).
   * Delivery is at least once (a crash before the outbox is marked redelivers it): be idempotent on `payment.id`.
   */
  'payment.accepted': PaymentEventBase & { transition: Transition };
  'payment.declined': PaymentEventBase & { reason: string | null; transition: Transition };
  'payment.pending': PaymentEventBase & { transition: Transition };
  'payment.authorized': PaymentEventBase & { transition: Transition };
  'payment.expired': PaymentEventBase & { transition: Transition };
  'payment.anomaly': { payment: Payment | null; backend: string; anomaly: Anomaly };
  'refund.pending': PaymentEventBase & { refund: LedgerEntry };
  'refund.succeeded': PaymentEventBase & { refund: LedgerEntry };
  'refund.failed': PaymentEventBase & { refund: LedgerEntry };
  'subscription.signup': PaymentEventBase & { subscription: SubscriptionState };
  'subscription.payment': PaymentEventBase & { subscription: SubscriptionState; parentPaymentId: string };
  'subscription.paymentFailed': PaymentEventBase & { subscription: SubscriptionState };
  'subscription.cancelled': PaymentEventBase & { subscription: SubscriptionState };
  'subscription.ended': PaymentEventBase & { subscription: SubscriptionState };
  'subscription.modified': PaymentEventBase & { subscription: SubscriptionState };
  'subscription.suspended': PaymentEventBase & { subscription: SubscriptionState };
}

export type PaybridgeEventName = keyof PaybridgeEvents;
export type PaybridgeListener<E extends PaybridgeEventName> = (
  event: PaybridgeEvents[E],
) => void | Promise<void>;
