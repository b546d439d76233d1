import type { SimulatorEnv } from '../lib/simulator';
import type { StripeFaults } from './faults';
import { randomToken } from './http';

/** A JSON object as Stripe renders it (snake_case fields, `object` and `id`). */
export type StripeObject = Record<string, unknown> & { id: string; object: string };

export interface WebhookEndpoint {
  id: string;
  url: string;
  secret: string;
  /** Receives the events of connected accounts (Stripe-Account objects) instead of the platform's own. */
  connect: boolean;
  /** Event types, or `*` for all. */
  enabledEvents: string[];
  apiVersion: string;
  /** The account that created it (null = platform). */
  account: string | null;
  /**
   * Configured by the sandbox's owner (options, CLI, `addWebhookEndpoint`), so the delivery allow-list
   * does not apply; endpoints created through the API follow it.
   */
  ownerConfigured: boolean;
  /** Extra secrets that also sign (secret rotation: several `v1` values in one header). */
  previousSecrets: string[];
}

export interface StripeConfig {
  /** Secret keys of the platform account (`sk_test_…`, `rk_test_…`). */
  secretKeys: string[];
  /** The platform's own account id (a `Stripe-Account` naming it is the platform). */
  platformAccount: string;
  /** Connected accounts reachable with `Stripe-Account`. */
  connectedAccounts: string[];
  /** Written on every event (`api_version`) and on endpoints created without one. */
  apiVersion: string;
  /** Delay before each webhook retry (ms), counted from the previous attempt. */
  webhookRetryDelaysMs: readonly number[];
  /** How long Stripe waits for the merchant's answer (UNCONFIRMED, reference §5.4). */
  webhookTimeoutMs: number;
  /** When a delayed method (SEPA Direct Debit) settles after the buyer completes the page. */
  asyncSettleDelayMs: number;
  /** When a refund on the "refund fails" test card turns from succeeded to failed. */
  asyncRefundFailureDelayMs: number;
  /** How long a card authorization (manual capture) stays capturable (reference §3.3: 7 days). */
  authorizationValidityMs: number;
  /** When the buyer of the "disputed" test card (4000 0000 0000 0259) opens a dispute after paying. */
  disputeDelayMs: number;
  /**
   * A completed Checkout with manual capture: `payment_status` while only authorized (reference §2.2:
   * `unpaid` as merchants observe it, UNCONFIRMED).
   */
  manualCapturePaymentStatus: 'unpaid' | 'paid';
  /** Currencies sent as two-decimal that must be whole units (reference §7.4: ISK; UGX UNCONFIRMED). */
  wholeUnitCurrencies: string[];
}

/** Internal data of a Checkout Session the JSON does not carry. */
export interface SessionInternals {
  lineItems: LineItem[];
  captureMethod: 'automatic' | 'automatic_async' | 'manual';
  paymentIntentData: Record<string, unknown>;
  subscriptionData: {
    metadata: Record<string, string>;
    trialPeriodDays?: number;
    extra: Record<string, unknown>;
  };
  /** The card waiting for its 3-D Secure answer on the hosted page. */
  pending3ds?: string;
  /** Last error shown on the page (decline). */
  pageError?: string;
  customerEmail?: string;
}

export interface LineItem {
  id: string;
  quantity: number;
  unitAmount: number;
  currency: string;
  name: string;
  recurring?: { interval: 'day' | 'week' | 'month' | 'year'; interval_count: number };
}

export interface StoredObject {
  /** null = platform account, else the connected account it lives on. */
  account: string | null;
  json: StripeObject;
}

export interface IdempotencyRecord {
  fingerprint: string;
  createdAt: number;
  running: boolean;
  status?: number;
  body?: string;
}

/** Something the clock triggers later (async settlement, expiry, renewal). */
export interface Timer {
  at: number;
  run(): void;
}

export interface StripeState {
  env: SimulatorEnv;
  config: StripeConfig;
  faults: StripeFaults;
  objects: Map<string, StoredObject>;
  sessions: Map<string, SessionInternals>;
  endpoints: WebhookEndpoint[];
  idempotency: Map<string, IdempotencyRecord>;
  timers: Timer[];
  /** Subscriptions whose next renewal is declined (`sandbox.stripe.failNextRenewal`). */
  failingRenewals: Set<string>;
  /** Charges paid with the "refund fails" test card: their refunds fail asynchronously (reference §4). */
  refundFailingCharges: Set<string>;
  /** Events created by the current action, scheduled together (so reordering and duplicates apply per batch). */
  outbox: StripeObject[];
}

export const nowSeconds = (state: StripeState): number => Math.floor(state.env.clock.now() / 1000);

export const newId = (prefix: string, length = 24): string => `${prefix}_${randomToken(length)}`;

/** The simulator runs in test mode: every object says `livemode: false`. */
export function base(state: StripeState, object: string, id: string): StripeObject {
  return { id, object, created: nowSeconds(state), livemode: false };
}

export function put(state: StripeState, account: string | null, json: StripeObject): StripeObject {
  state.objects.set(json.id, { account, json });
  return json;
}

/** An object visible to `account` only: Connect objects need the same Stripe-Account (reference §11.17). */
export function lookup(
  state: StripeState,
  account: string | null,
  id: string,
  kind: string,
): StripeObject | null {
  const stored = state.objects.get(id);
  if (!stored || stored.account !== account || stored.json.object !== kind) return null;
  return stored.json;
}

export function accountOf(state: StripeState, id: string): string | null {
  return state.objects.get(id)?.account ?? null;
}
