/** Domain types shared by the core, the backends and the stores. */

export const PAYMENT_STATUSES = [
  'new',
  'pending',
  'authorized',
  'partially_paid',
  'paid',
  'failed',
  'expired',
  'partially_refunded',
  'refunded',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** Statuses after which the customer's attempt is settled (money in, or definitively not). */
export const SETTLED_STATUSES: ReadonlySet<PaymentStatus> = new Set([
  'paid',
  'failed',
  'expired',
  'partially_refunded',
  'refunded',
]);

/** The statuses a broker can still move: reconciliation looks only at these. */
export const OPEN_STATUSES = ['new', 'pending', 'authorized'] as const;
export type OpenStatus = (typeof OPEN_STATUSES)[number];

export interface Buyer {
  email?: string;
  firstName?: string;
  lastName?: string;
  /** ISO 639-1, lower case ("en", "fr", "pl"). */
  language?: string;
  phone?: string;
  /** The merchant's own customer id (CM-CIC express payment alias, PayU extCustomerId). */
  customerId?: string;
  /**
   * Where the buyer is billed. Brokers that screen card payments ask for it (3-D Secure 2: CM-CIC /
   * Monetico's `contexte_commande` in the current scheme requires line 1, city, postal code, country).
   */
  billingAddress?: PostalAddress;
}

/** A postal address, as brokers take it. */
export interface PostalAddress {
  line1: string;
  line2?: string;
  line3?: string;
  city: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2, upper case ("FR", "PL"). */
  country: string;
  /** State, province or region, where the country has them. */
  stateOrProvince?: string;
}

export interface Recurrence {
  interval: 'day' | 'week' | 'month' | 'year';
  /** Every N intervals (1 = every month). */
  every: number;
  /** Total number of payments; absent = until cancelled. */
  cycles?: number;
}

export interface LineItem {
  name: string;
  /** Minor units. */
  unitPrice: number;
  quantity: number;
}

/**
 * Everything the merchant or the signed button said about the order when the payment started,
 * echoed in every event (reference, date, chosen option, custom fields, …).
 */
export type OrderSnapshot = Record<string, unknown> & {
  reference?: string;
  date?: string;
  /** Total amount of the order (minor units) — a payment may cover only part of it. */
  amount?: number;
  option?: string;
  customFields?: Record<string, string>;
  items?: LineItem[];
};

/** One capture or refund movement, keyed by the broker's (or our) id; amounts only grow per id. */
export interface LedgerEntry {
  id: string;
  /** refund and reversal reduce the paid amount; reversal_cancel gives a reversal back. */
  kind: 'capture' | 'refund' | 'reversal' | 'reversal_cancel';
  amount: number;
  status: 'pending' | 'succeeded' | 'failed';
  reason?: string;
  /**
   * On a refund this bridge asked the broker for (`bridge.refund`), how far the request got:
   * `requested` until the broker's answer is recorded (a lost answer is asked again under the same
   * refund id), then `accepted` or `refused`. Absent on entries the broker reported on its own.
   */
  request?: 'requested' | 'accepted' | 'refused';
  createdAt: string;
  updatedAt: string;
}

export interface SubscriptionState {
  id: string;
  status: 'active' | 'cancelled' | 'ended' | 'suspended';
  updatedAt: string;
  data?: Record<string, unknown>;
  /**
   * Set while only news other than a signup reached the payment (delivered out of order): the
   * subscription is not bound yet, its news is not announced, and a signup of another subscription
   * replaces it. The signup of this one binds it and announces where it stands.
   */
  awaitingSignup?: true;
}

export interface Payment {
  /** Unguessable id (also the broker-facing reference unless the backend needs another). */
  id: string;
  orderId: string;
  backend: string;
  amount: number;
  currency: string;
  status: PaymentStatus;
  amountAuthorized: number;
  amountPaid: number;
  amountRefunded: number;
  captures: LedgerEntry[];
  refunds: LedgerEntry[];
  /** The broker's id for this payment (PayU orderId, PayPal txn_id, CM-CIC reference). */
  externalId: string | null;
  description: string;
  buyer: Buyer;
  order: OrderSnapshot;
  recurrence: Recurrence | null;
  /** For a subscription's renewal payments: the payment that signed the subscription up. */
  parentPaymentId: string | null;
  subscription: SubscriptionState | null;
  /** Backend-specific verified data (fraud screening, masked card, alias, …). */
  brokerData: Record<string, unknown>;
  successUrl: string | null;
  failureUrl: string | null;
  testMode: boolean;
  createdAt: string;
  updatedAt: string;
  expiresAt: string | null;
  /** Incremented by every change; stores compare-and-set on it. */
  version: number;
}

/** Semantic, verified facts backends report. The core derives the status from them. */
interface FactBase {
  /** The broker's event id, unique per backend; a fact whose id was already applied is a no-op. */
  eventId: string;
  /**
   * The broker transaction this fact is about (PayPal txn_id — parent_txn_id for a refund —, PayU
   * orderId, CM-CIC attempt). When set, the binding rule applies (DESIGN §6, `lib/binding.ts`): a
   * payment is bound to the transaction that first proved money for it (`externalId`); a fact about
   * another transaction may add money but never fails, expires, re-statuses or refunds the bound one.
   * Unset (the merchant's own operations, a pull of the bound transaction): no binding check.
   */
  transactionId?: string;
}

export type PaymentFact =
  | (FactBase & { type: 'pending'; reason?: string })
  | (FactBase & { type: 'authorized'; amount: number; currency: string })
  | (FactBase & {
      type: 'captured';
      /** Capture id (PayPal txn_id, PayU orderId, CM-CIC reference + instalment). */
      captureId: string;
      /** Amount of this capture (cumulative for this captureId). */
      amount: number;
      currency: string;
      /** The broker says this capture is a part of the amount (instalment); otherwise it must be the whole amount. */
      partial?: boolean;
    })
  | (FactBase & { type: 'failed'; reason: string })
  | (FactBase & { type: 'expired' })
  | (FactBase & { type: 'refund_pending'; refundId: string; amount: number; currency: string })
  | (FactBase & {
      type: 'refunded';
      refundId: string;
      amount: number;
      currency: string;
      /** A chargeback/dispute reversal rather than a merchant refund. */
      reversal?: boolean;
    })
  | (FactBase & { type: 'refund_failed'; refundId: string; reason: string })
  | (FactBase & {
      /** A reversal was cancelled (dispute won): the money comes back. */
      type: 'reversal_cancelled';
      cancellationId: string;
      amount: number;
      currency: string;
    })
  | (FactBase & { type: 'broker_data'; data: Record<string, unknown> })
  | (FactBase & {
      type: 'subscription';
      event: 'signup' | 'payment_failed' | 'cancelled' | 'ended' | 'modified' | 'suspended';
      subscriptionId: string;
      data?: Record<string, unknown>;
    });

export const ANOMALY_CODES = [
  'AMOUNT_MISMATCH',
  'CURRENCY_MISMATCH',
  'RECEIVER_MISMATCH',
  'ENVIRONMENT_MISMATCH',
  'INVALID_SIGNATURE',
  'VERIFICATION_FAILED',
  'UNKNOWN_PAYMENT',
  'IMPOSSIBLE_FACT',
  'OVERPAYMENT',
  'REFUND_EXCEEDS_PAID',
  'MALFORMED_NOTIFICATION',
  /** A genuine message about another broker transaction (or subscription) than the one the payment is bound to. */
  'OTHER_TRANSACTION',
] as const;
export type AnomalyCode = (typeof ANOMALY_CODES)[number];

export interface Anomaly {
  code: AnomalyCode;
  message: string;
  paymentId?: string;
  eventId?: string;
  details?: Record<string, unknown>;
}

/** An event a transition owes to listeners; kept with the transition so a crash cannot lose it. */
export interface TransitionEffect {
  event: string;
  reason?: string;
  refundId?: string;
  subscriptionEvent?: string;
}

export interface Transition {
  id: string;
  paymentId: string;
  from: PaymentStatus;
  to: PaymentStatus;
  /** The fact type that caused it, or an operation ("created", "sweep"). */
  cause: string;
  eventId: string | null;
  amountPaid: number;
  amountRefunded: number;
  at: string;
  /** Events to deliver for this change (see the outbox methods of the store). */
  effects: TransitionEffect[];
}
