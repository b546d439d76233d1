import type { AvailabilityQuery, UnavailableReason } from './config';
import type { Logger } from './logger';
import type { Anomaly, Payment, PaymentFact } from './types';

/** What a backend can do; `availableBackends` and the operations check it. */
export interface BackendCapabilities {
  /** Separate capture of an authorization (PayU WAITING_FOR_CONFIRMATION). */
  capture: boolean;
  /** Cancel (void) before capture. */
  cancel: boolean;
  refund: boolean;
  partialRefund: boolean;
  /** Subscriptions / recurring payments (the payment's `recurrence`). */
  recurring: boolean;
  /** `fetchStatus`: ask the broker for the current status. */
  pull: boolean;
  /** The broker may capture in several parts (instalments). */
  partialCapture?: boolean;
}

/** Optional credentials a backend runs without, and what they would turn on. */
export interface MissingCredentials {
  /** The setting that carries them, e.g. `api`. */
  setting: string;
  /** For people: what is missing and where to get it (never a secret). */
  message: string;
  /** The operations (capabilities) that stay off without them. */
  operations: ReadonlyArray<keyof BackendCapabilities>;
}

/** Where the customer's browser goes next: a GET link or an auto-submitted POST form. */
export type Redirect =
  | { method: 'GET'; url: string }
  | { method: 'POST'; url: string; fields: Record<string, string> };

export interface PrepareResult {
  redirect: Redirect;
  /** The broker's id for this payment when it is known at creation (PayU orderId). */
  externalId?: string | undefined;
  brokerData?: Record<string, unknown> | undefined;
}

/** The raw inbound HTTP message, bytes untouched (signatures are computed over them). */
export interface InboundMessage {
  method: string;
  url: string;
  headers: Headers;
  body: Uint8Array;
  clientIp: string | null;
  receivedAt: Date;
}

/** What to answer the broker, exactly as its protocol wants it. */
export interface AckResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface NotificationUpdate {
  paymentId: string;
  facts: PaymentFact[];
  /** Ask the broker for the payment's status too (`fetchStatus`) and apply what it says. */
  pull?: boolean;
  /**
   * The broker's id for the payment, from this message, stored when the payment has none yet — only
   * for an id the merchant's own request created (PayU's orderId racing our write of it). An id a
   * third party can create (PayPal's txn_id) goes in `transactionId`, which binds only on money.
   */
  externalId?: string;
  /**
   * The broker transaction this message is about (PayPal txn_id, or parent_txn_id for a refund; PayU
   * orderId; CM-CIC attempt). Given to every fact of `facts` that names none, so the binding rule
   * applies (DESIGN §6): the first transaction that proves money binds the payment (its
   * `externalId`); a message about another transaction naming the same payment may add money
   * (an overpayment is an anomaly) but never fails, expires, re-statuses or refunds the bound one.
   * A failure about a transaction that is not the bound one is logged and reported on
   * `payment.processed`; the payment stays payable.
   */
  transactionId?: string;
  /**
   * Apply the facts to a child payment of `paymentId` (a subscription renewal), created once per
   * `key` with the parent's order, buyer and backend. With `subscriptionId`, a renewal of another
   * subscription than the one the parent is bound to is refused (`OTHER_TRANSACTION`) and creates nothing.
   */
  child?: {
    key: string;
    externalId?: string;
    amount: number;
    currency: string;
    description?: string;
    subscriptionId?: string;
  };
}

export type NotificationOutcome =
  /** Verified: apply the updates, then answer `ack`. */
  | { verdict: 'verified'; updates: NotificationUpdate[]; anomalies?: Anomaly[]; ack: AckResponse }
  /** Forged, tampered, malformed or refused: logged, nothing changes, answer `ack`. */
  | {
      verdict: 'rejected';
      code: Anomaly['code'];
      message: string;
      /**
       * The payment the message names, even unverified. For `INVALID_SIGNATURE` and
       * `VERIFICATION_FAILED` nothing changes on it, but core pulls its status from the broker where
       * the backend can pull, rate-limited per payment (verify-or-pull, DESIGN §6), so a genuine
       * message a rotated key refused is not lost.
       */
      paymentId?: string;
      ack: AckResponse;
    }
  /** Could not be decided now (postback timed out): answer so the broker retries. */
  | { verdict: 'retry'; message: string; ack?: AckResponse };

export interface ReturnOutcome {
  /** A hint for the page the customer lands on — never proof of payment. */
  hint: 'success' | 'failure' | 'unknown';
  /** Also pull the status from the broker now. */
  pull?: boolean | undefined;
}

export interface OperationResult {
  facts: PaymentFact[];
  brokerData?: Record<string, unknown> | undefined;
}

export interface RefundRequest {
  /** Our stable id for this refund (sent as the broker's idempotency key where it has one). */
  refundId: string;
  amount: number;
  reason?: string;
}

export interface OutboundMeta {
  /** What the call is, for the message log ("oauth", "create-order", "ipn-postback", …). */
  kind: string;
  paymentId?: string | null;
  /** Milliseconds before the call is aborted (default from the bridge). */
  timeoutMs?: number;
}

/** fetch with a timeout, written to the gateway message log with secrets redacted. */
export type BackendFetch = (url: string, init: RequestInit, meta: OutboundMeta) => Promise<Response>;

export interface BackendContext {
  /** Resolved: the backend's own `testMode`, else the bridge's. */
  testMode: boolean;
  /** Resolved base URL of the broker (the override, else the live or test endpoint). */
  endpoint: string;
  /** Absolute base URL of the bridge's handler. */
  baseUrl: string;
  /** Absolute URL of this backend's notification route. */
  notifyUrl: string;
  /** Absolute URL the customer comes back to for a payment. */
  returnUrl(paymentId: string, params?: Record<string, string>): string;
  /** The customer's IP (from the connection or a trusted proxy), when known. */
  clientIp: string | null;
  fetch: BackendFetch;
  now(): Date;
  logger: Logger;
}

export interface NotificationContext extends BackendContext {
  getPayment(id: string): Promise<Payment | null>;
  findPaymentByExternalId(externalId: string): Promise<Payment | null>;
}

export interface RequestContext extends BackendContext {
  getPayment(id: string): Promise<Payment | null>;
  /** Run a notification through the bridge's pipeline as if the broker had sent it. */
  dispatchNotification(request: Request): Promise<Response>;
}

export interface SetupInstructions {
  backend: string;
  displayName: string;
  /** Each URL to paste into the broker's back office, with a label. */
  urls: Array<{ label: string; url: string }>;
  /** Account settings to check, in order. */
  steps: string[];
  warnings: string[];
}

export interface SetupUrls {
  baseUrl: string;
  notifyUrl: string;
  /** Example return URL (with `{paymentId}` in place of a payment id). */
  returnUrl: string;
}

export interface AmountLimit {
  currency: string;
  min?: number;
  max?: number;
}

/**
 * A payment backend: a plain object made by a factory and checked with `satisfies PaymentBackend`.
 * Backends never set a status — they report verified facts and let the core derive it.
 */
export interface PaymentBackend {
  readonly id: string;
  readonly displayName: string;
  /** ISO 4217 codes the backend can take; `null` = any the merchant's account accepts. */
  readonly currencies: readonly string[] | null;
  readonly capabilities: BackendCapabilities;
  readonly amountLimits?: readonly AmountLimit[] | undefined;
  /**
   * Explicit test mode; `undefined` takes the bridge's `testMode`. The optional fields a factory may
   * set to `undefined` say so, for apps compiled with `exactOptionalPropertyTypes`.
   */
  readonly testMode?: boolean | undefined;
  /** The broker's own hosts. */
  readonly endpoints: { live: string; test: string };
  /** Overrides `endpoints` (a local sandbox, a proxy). */
  readonly endpoint?: string | undefined;
  /** Configured secret values, redacted from every log and the message log. */
  readonly secrets: readonly string[];
  /**
   * Optional credentials the merchant did not give, each with the operations it would turn on (PayPal
   * without API credentials: no pull, no refund from the bridge). The backend still takes purchases;
   * `availableBackends` reports these beside it so that an admin page can say what is off and why.
   */
  readonly missingCredentials?: readonly MissingCredentials[] | undefined;
  /**
   * Why this backend, as configured, cannot take a purchase that its currencies, capabilities and
   * amount limits do not already rule out (a merchant account without subscriptions, a missing
   * setting): reasons with code `CONFIGURATION` (or `AMOUNT_LIMIT`). Empty when it can.
   */
  availability?(query: AvailabilityQuery): UnavailableReason[];

  /**
   * `prepare` only computes its redirect (a signed form or link) and never calls the broker. The
   * core then asks it before the payment is stored, and stores the payment with the `externalId`
   * and `brokerData` it returned in one write. Leave unset when `prepare` calls the broker: the
   * broker may call back at once, so the payment must be stored before.
   */
  readonly prepareOffline?: boolean | undefined;
  prepare(payment: Payment, ctx: BackendContext): Promise<PrepareResult>;
  handleNotification(message: InboundMessage, ctx: NotificationContext): Promise<NotificationOutcome>;
  handleReturn?(message: InboundMessage, payment: Payment, ctx: BackendContext): Promise<ReturnOutcome>;
  fetchStatus?(payment: Payment, ctx: BackendContext): Promise<PaymentFact[]>;
  /**
   * Whether `fetchStatus` can ask the broker about this payment now (reconciliation and
   * `sweepExpired` skip the others as not pullable). Unset: every payment of a backend with the
   * `pull` capability — its `fetchStatus` finds the broker's record by the ids it stored (PayU's
   * orderId, Stripe's session) or by our reference (PayPal's invoice search).
   */
  canPull?(payment: Payment): boolean;
  capture?(payment: Payment, amount: number, ctx: BackendContext): Promise<OperationResult>;
  cancel?(payment: Payment, ctx: BackendContext): Promise<OperationResult>;
  refund?(payment: Payment, request: RefundRequest, ctx: BackendContext): Promise<OperationResult>;
  /** Extra pages the backend serves under `/backend/<id>/…` (the dummy backend's hosted page). */
  handleRequest?(path: string, request: Request, ctx: RequestContext): Promise<Response | undefined>;
  setupInstructions(urls: SetupUrls): SetupInstructions;
}
