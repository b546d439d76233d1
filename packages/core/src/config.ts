import type { MissingCredentials, PaymentBackend, Redirect, SetupInstructions } from './backend';
import type { ButtonConfig } from './button';
import type { PaybridgeEventName, PaybridgeListener } from './events';
import type { Logger } from './logger';
import type { ReconcileOptions, ReconcileResult } from './reconcile';
import type { ReplayResult } from './replay';
import type { PaymentStore } from './store';
import type { Buyer, LineItem, OrderSnapshot, Payment, PaymentStatus, Recurrence } from './types';

/** What the merchant's `orders.resolve` answers: the server-side truth about an order. */
export interface OrderInfo {
  /** Total of the order, minor units. */
  amount: number;
  currency: string;
  description: string;
  buyer?: Buyer;
  successUrl?: string;
  failureUrl?: string;
  recurrence?: Recurrence;
  items?: LineItem[];
  /** Anything else to keep in the payment's `order` snapshot. */
  snapshot?: OrderSnapshot;
}

export interface OrderContext {
  request: Request | null;
}

export interface OrderResolver {
  resolve(orderId: string, ctx: OrderContext): Promise<OrderInfo | null> | OrderInfo | null;
}

/**
 * Which proxies may set X-Forwarded-For / -Proto / -Host: `false` (none, the default), `true` (any —
 * only when the app is reachable solely through a proxy), a list of IPs/CIDRs, or a predicate.
 */
export type TrustProxy = boolean | readonly string[] | ((ip: string) => boolean);

export interface PaybridgeConfig {
  /** Public absolute URL where the handler is mounted, e.g. https://shop.example/payments. */
  baseUrl?: string;
  /**
   * The path the handler's routes live under, as the URL of the request it is handed shows it
   * (`/payments`; `''` or `/` for the root). Default: the mount path the adapter reports
   * (`HandlerOptions.basePath`), else the path of `baseUrl`, else the root. Set it when a proxy in
   * front of the app changes the path, or when handing requests to the handler yourself.
   */
  basePath?: string;
  backends: readonly PaymentBackend[];
  /** Defaults to `memoryStore()` (tests and demos only). */
  store?: PaymentStore;
  orders?: OrderResolver;
  /** Default test mode of every backend (each may override). Default false. */
  testMode?: boolean;
  trustProxy?: TrustProxy;
  logger?: Logger;
  /** Secret for signed payment buttons (≥ 32 characters). */
  secret?: string;
  /** fetch used for every outbound call (tests inject a sandbox here). */
  fetch?: typeof fetch;
  /** Clock (tests inject one). */
  now?: () => Date;
  /** Largest accepted request body, bytes (default 256 KiB). */
  maxBodyBytes?: number;
  /** How long a payment may stay new/pending before `sweepExpired` expires it (default 24 h). */
  paymentTtlSeconds?: number;
  /** Timeout of outbound broker calls, ms (default 15 s). */
  outboundTimeoutMs?: number;
  /**
   * How long one event listener may hold back the answer (the broker's acknowledgement, the
   * customer's redirect) before it is left to finish on its own, ms (default 10 000).
   */
  listenerTimeoutMs?: number;
  /** How often undelivered events (after a crash) are looked for, seconds (default 60; 0 = only at start and on `drainOutbox()`). */
  outboxPollSeconds?: number;
  /**
   * Lifetime of a signed payment button that sets no `expiresAt`, seconds (default 86 400 = 24 h).
   * `null` opts out explicitly: such buttons never expire.
   */
  buttonTtlSeconds?: number | null;
  /**
   * At most one broker status pull per payment per this many seconds when an unauthenticated request
   * asks for it (the customer's return), per instance (default 30; 0 = no limit). Settled payments
   * are never pulled that way.
   */
  pullIntervalSeconds?: number;
  /**
   * Bytes of a broker message body kept in the message log when it is not verified (forged,
   * unverifiable, or a customer's return); the rest is cut and its size recorded (default 8 KiB).
   * Verified notifications are always logged whole.
   */
  logBodyLimitBytes?: number;
}

/**
 * Every key `createPaybridge` understands: a key not listed here is reported at construction (a typo
 * such as `testmode` must not silently fall back to a default). Typed so a new config field cannot be
 * added without listing it.
 */
export const PAYBRIDGE_CONFIG_KEYS: { readonly [K in keyof Required<PaybridgeConfig>]: true } = {
  baseUrl: true,
  basePath: true,
  backends: true,
  store: true,
  orders: true,
  testMode: true,
  trustProxy: true,
  logger: true,
  secret: true,
  fetch: true,
  now: true,
  maxBodyBytes: true,
  paymentTtlSeconds: true,
  outboundTimeoutMs: true,
  listenerTimeoutMs: true,
  outboxPollSeconds: true,
  buttonTtlSeconds: true,
  pullIntervalSeconds: true,
  logBodyLimitBytes: true,
};

export interface HandlerOptions {
  /** The TCP peer's address, supplied by the adapter. */
  clientIp?: string | null;
  /**
   * Where the framework mounted the handler for this request (Express's `req.baseUrl`, the path of
   * Hono's `app.route`), as a prefix of the request URL's path. The bridge's `basePath` setting,
   * when given, wins.
   */
  basePath?: string | null;
  /**
   * The request's body as the runtime delivers it, when the adapter can read it more cheaply than
   * through `request.body` (Node's `IncomingMessage` is an async iterable of its chunks). It must be
   * the unread body of `request`, byte for byte; the handler reads it at most once, under the same
   * size limit. Default: `request.body`.
   */
  body?: AsyncIterable<Uint8Array>;
}

export interface StartPaymentInput {
  backend: string;
  /** An order the merchant's `orders.resolve` knows… */
  orderId?: string;
  /** …or a signed button token and the chosen option's index or id. */
  button?: string;
  option?: number | string;
  /** Server-side only: pay part of the order (split payments). Never taken from the browser. */
  amount?: number;
  buyer?: Buyer;
  /** Server-side only: where the customer lands after this payment (overrides the order's URLs). */
  successUrl?: string;
  failureUrl?: string;
  request?: Request | null;
  clientIp?: string | null;
}

export interface StartPaymentResult {
  payment: Payment;
  redirect: Redirect;
}

export interface PublicPaymentStatus {
  id: string;
  status: PaymentStatus;
  amount: number;
  currency: string;
  /** True once the status will not change without a new broker message (paid, failed, …). */
  settled: boolean;
  successUrl: string | null;
  failureUrl: string | null;
}

export interface OrderView {
  orderId: string;
  /** The order total as recorded when its first payment started (null when unknown). */
  amount: number | null;
  currency: string | null;
  amountPaid: number;
  amountRefunded: number;
  /** Order amount minus what is paid (net of refunds) — what a new payment would be for. */
  outstanding: number | null;
  status: 'unpaid' | 'pending' | 'partially_paid' | 'paid' | 'refunded';
  payments: Payment[];
}

export interface AvailabilityQuery {
  currency: string;
  amount?: number;
  recurring?: boolean;
}

export interface UnavailableReason {
  code: 'CURRENCY' | 'CAPABILITY' | 'AMOUNT_LIMIT' | 'CONFIGURATION';
  message: string;
}

export interface AvailableBackends {
  /**
   * `missingCredentials` (only when some are missing): optional credentials the backend runs without,
   * and the operations they leave off (the backend still takes purchases).
   */
  available: Array<{
    id: string;
    displayName: string;
    testMode: boolean;
    missingCredentials?: MissingCredentials[];
  }>;
  unavailable: Array<{
    id: string;
    displayName: string;
    reasons: UnavailableReason[];
    missingCredentials?: MissingCredentials[];
  }>;
}

export interface RefundOptions {
  /** Minor units; default everything still refundable. */
  amount?: number;
  reason?: string;
  /**
   * Makes a retried call safe: the same key on the same payment is the same refund (sent to the
   * broker under the same refund id, and not sent again once recorded).
   */
  idempotencyKey?: string;
}

export interface Paybridge {
  handler(request: Request, options?: HandlerOptions): Promise<Response>;
  startPayment(input: StartPaymentInput): Promise<StartPaymentResult>;
  getPayment(id: string): Promise<Payment | null>;
  getOrder(orderId: string): Promise<OrderView>;
  capture(paymentId: string, amount?: number): Promise<Payment>;
  cancel(paymentId: string): Promise<Payment>;
  refund(paymentId: string, options?: RefundOptions): Promise<Payment>;
  sync(paymentId: string): Promise<Payment>;
  /**
   * Expire payments left new or pending past `expiresAt`. Where the backend can pull, the broker is
   * asked first: a payment it reports paid becomes paid, never expired; one it cannot be asked about
   * now (the broker is down) waits for the next sweep.
   */
  sweepExpired(): Promise<number>;
  /**
   * Pull every open payment (new, pending, authorized) from its broker and apply what the broker
   * says, exactly as a notification would: for lost notifications. Safe to run on a schedule and
   * from several instances at once (each change applies and is announced once).
   */
  reconcile(options?: ReconcileOptions): Promise<ReconcileResult>;
  /**
   * Re-run a logged inbound notification through the notification pipeline, as if the broker sent it
   * again (after fixing a key, say). Idempotent by the same event-id rules: a message already applied
   * changes nothing (`outcome: 'duplicate'`). Throws UNKNOWN_MESSAGE for an id not in the log.
   */
  replayMessage(messageId: string): Promise<ReplayResult>;
  availableBackends(query: AvailabilityQuery): AvailableBackends;
  setupInstructions(publicBaseUrl?: string): SetupInstructions[];
  signButton(config: ButtonConfig): Promise<string>;
  verifyButton(token: string): Promise<ButtonConfig>;
  on<E extends PaybridgeEventName>(event: E, listener: PaybridgeListener<E>): () => void;
  backend(id: string): PaymentBackend;
  /** Every configured backend with its test mode in force (its own, else the bridge's): for tools such as the CLI. */
  backends(): Array<{ backend: PaymentBackend; testMode: boolean }>;
  /** The configured public `baseUrl` (no trailing slash), or null when the bridge derives it per request. */
  readonly baseUrl: string | null;
  /** Deliver events a crash left undelivered (the transition outbox). Runs at start and every `outboxPollSeconds`. */
  drainOutbox(): Promise<number>;
  /** Stop background work (the outbox poller). */
  close(): void;
  readonly store: PaymentStore;
  readonly logger: Logger;
}
