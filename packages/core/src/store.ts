import type { LedgerEntry, Payment, PaymentStatus, Transition } from './types';

/**
 * Whether the payment has a refund the broker has not settled yet: a refund ledger entry still
 * `pending` (the broker took it, or our request's answer was lost). The one definition of
 * `PaymentQuery.refundOpen`: a store that indexes it derives its column from this.
 */
export function hasOpenRefund(payment: Pick<Payment, 'refunds'>): boolean {
  return payment.refunds.some(isOpenRefund);
}

/** A refund ledger entry the broker has not settled: what `hasOpenRefund` looks for. */
export const isOpenRefund = (entry: LedgerEntry): boolean =>
  entry.kind === 'refund' && entry.status === 'pending';

/** One raw message exchanged with a broker, as kept in the gateway message log (secrets redacted). */
export interface GatewayMessage {
  id: string;
  direction: 'inbound' | 'outbound';
  backend: string;
  /** "notification", "return", or an outbound call's kind ("create-order", "ipn-postback", …). */
  kind: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** How `body` holds the bytes: utf8 text, or base64 when they were not valid UTF-8. */
  bodyEncoding: 'utf8' | 'base64';
  /** Verification verdict for inbound messages. */
  verdict: 'verified' | 'rejected' | 'retry' | 'unverified' | null;
  /** What the bridge did with it: applied, duplicate, unchanged, anomaly, rejected, error, or the HTTP status of an outbound call. */
  outcome: string | null;
  /** Status code answered (inbound) or received (outbound). */
  responseStatus: number | null;
  /** Body answered (inbound) or received (outbound), redacted. */
  responseBody: string | null;
  paymentId: string | null;
  detail: string | null;
  durationMs: number | null;
  createdAt: string;
  updatedAt: string;
}

export type NewGatewayMessage = Omit<
  GatewayMessage,
  | 'id'
  | 'createdAt'
  | 'updatedAt'
  | 'verdict'
  | 'outcome'
  | 'responseStatus'
  | 'responseBody'
  | 'detail'
  | 'durationMs'
  | 'paymentId'
> &
  Partial<
    Pick<
      GatewayMessage,
      'verdict' | 'outcome' | 'responseStatus' | 'responseBody' | 'detail' | 'durationMs' | 'paymentId'
    >
  > & { createdAt?: string };

export type GatewayMessagePatch = Partial<
  Pick<
    GatewayMessage,
    'verdict' | 'outcome' | 'responseStatus' | 'responseBody' | 'paymentId' | 'detail' | 'durationMs'
  >
>;

export interface MessageQuery {
  paymentId?: string;
  backend?: string;
  direction?: GatewayMessage['direction'];
  /** Page size (default 50, max 500). */
  limit?: number;
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PaymentQuery {
  orderId?: string;
  backend?: string;
  status?: PaymentStatus;
  /** Only payments whose `expiresAt` is before this instant (ISO string). */
  expiresBefore?: string;
  /** Only payments created before this instant (ISO string): reconciliation's "older than". */
  createdBefore?: string;
  /** Only payments with a refund still open (`hasOpenRefund`): reconciliation's refund pass. */
  refundOpen?: true;
  limit?: number;
  cursor?: string;
}

export interface ComputedChange {
  /** The new payment; its `version` must be `current.version + 1`. */
  payment: Payment;
  transitions: Transition[];
}

export interface ApplyChangeRequest {
  paymentId: string;
  /** Broker event ids to claim (namespaced by backend). Claimed exactly once, ever: a UNIQUE constraint, never check-then-write. */
  eventIds: readonly string[];
  /**
   * Pure: given the payment as stored and the event ids this call claimed for the first time,
   * the change to write, or null for none. May run more than once (compare-and-set retries).
   */
  compute(current: Payment, freshEventIds: ReadonlySet<string>): ComputedChange | null;
  /**
   * The payment object this store handed the caller (from `getPayment`, `findPaymentByExternalId`,
   * `applyChange`, or the one given to `createPayment`), when the caller holds it. Only a hint: a
   * store may compute on its own snapshot of that read instead of reading again, and must prove
   * the snapshot current (compare-and-set on `version`); never trusted as data.
   */
  expected?: Payment;
}

export interface ApplyChangeResult {
  /** applied: written; unchanged: compute returned null; duplicate: every event id was already claimed. */
  outcome: 'applied' | 'unchanged' | 'duplicate';
  payment: Payment;
  transitions: Transition[];
}

/**
 * Durable state of paybridge. `applyChange` is the only way a payment changes after creation: it
 * claims event ids, runs `compute`, compare-and-sets on `version` and appends the transitions in
 * one transaction, so a fact is applied exactly once even when the same notification reaches two
 * instances at the same moment. Every store passes `runStoreConformance`.
 */
export interface PaymentStore {
  readonly name: string;
  /** Throws PaybridgeError CONFLICT when the id exists. */
  createPayment(payment: Payment, transition: Transition): Promise<void>;
  getPayment(id: string): Promise<Payment | null>;
  findPaymentByExternalId(backend: string, externalId: string): Promise<Payment | null>;
  listPayments(query: PaymentQuery): Promise<Page<Payment>>;
  applyChange(request: ApplyChangeRequest): Promise<ApplyChangeResult>;
  listTransitions(paymentId: string): Promise<Transition[]>;

  /**
   * The outbox that survives crashes: claim up to `limit` transitions whose events were not
   * delivered, whose own time is at least `leaseMs` before `now` (their writer delivers them right
   * after its commit) and that no one else claimed in the last `leaseMs`. Atomic: two instances
   * draining at once never get the same transition.
   */
  claimUnemittedTransitions(limit: number, options: { now: string; leaseMs: number }): Promise<Transition[]>;
  markTransitionsEmitted(ids: readonly string[]): Promise<void>;

  appendMessage(message: NewGatewayMessage): Promise<GatewayMessage>;
  updateMessage(id: string, patch: GatewayMessagePatch): Promise<void>;
  listMessages(query: MessageQuery): Promise<Page<GatewayMessage>>;

  close?(): Promise<void>;
}
