import type { Delivery } from '../lib/delivery';
import type { BrokerSimulator, BrowserStep, SimulatorEnv } from '../lib/simulator';
import { handleApi } from './api';
import { closeDispute, type DisputeReason, openDispute } from './disputes';
import { dispatch, signDueDeliveries } from './events';
import type { StripeFaults } from './faults';
import { act, hostedPage, type StripeAction } from './hosted-page';
import {
  accountOf,
  lookup,
  type StripeConfig,
  type StripeObject,
  type StripeState,
  type WebhookEndpoint,
} from './model';
import { settleRefund } from './refunds';
import { expireSession } from './session-lifecycle';
import { runTimers } from './timers';
import { addEndpoint, type WebhookEndpointOptions } from './webhook-endpoints';

export { TEST_CARDS as STRIPE_TEST_CARDS, TEST_IBANS as STRIPE_TEST_IBANS } from './cards';
export type { DisputeReason } from './disputes';
export type { StripeFaults } from './faults';
export type { StripeAction } from './hosted-page';
export { signatureHeader as stripeSignatureHeader } from './signature';
export type { WebhookEndpointOptions } from './webhook-endpoints';

/** Test mode: "3 times over a few hours" (reference §5.4; exact offsets UNCONFIRMED, configurable). */
export const STRIPE_TEST_MODE_RETRY_DELAYS_MS: readonly number[] = [3600_000, 2 * 3600_000, 4 * 3600_000];
/** Live mode: exponential backoff for up to 3 days (reference §5.4; exact offsets UNCONFIRMED). */
export const STRIPE_LIVE_RETRY_DELAYS_MS: readonly number[] = [5, 30, 60, 120, 240, 480, 960, 960, 1200].map(
  (m) => m * 60_000,
);

export const STRIPE_SANDBOX_SECRET_KEY = 'sk_test_paybridge_sandbox_0000000000000000';
export const STRIPE_SANDBOX_PLATFORM_ACCOUNT = 'acct_1PaybridgePlatform';
export const STRIPE_SANDBOX_CONNECTED_ACCOUNTS: readonly string[] = [
  'acct_1PaybridgeSellerA',
  'acct_1PaybridgeSellerB',
];

export interface StripeSimulatorOptions extends Partial<StripeConfig> {
  /** Endpoints known from the start (what a merchant configures in the Dashboard); more via POST /v1/webhook_endpoints. */
  webhooks?: WebhookEndpointOptions[];
  /** Faults active from the start (the same object as `sandbox.stripe.faults`). */
  faults?: StripeFaults;
}

export interface StripeSimulator extends BrokerSimulator {
  /** Mutable fault switches; assign fields or a whole new object. */
  faults: StripeFaults;
  readonly config: Readonly<StripeConfig>;
  /** The buyer on the hosted Checkout page (card, IBAN, 3-D Secure answer); schedules the webhooks. */
  act(sessionId: string, action: StripeAction): BrowserStep;
  /** Adds a webhook endpoint (returns it with its `whsec_` secret). */
  addWebhookEndpoint(options: WebhookEndpointOptions): Readonly<WebhookEndpoint>;
  webhookEndpoints(): readonly WebhookEndpoint[];
  /** Rolls an endpoint's secret, keeping the old one signing too (several `v1` values, reference §5.2). */
  rollWebhookSecret(endpointId: string, newSecret: string): void;
  /** Any object by id (a copy), whatever account it lives on; null when unknown. */
  object(id: string): StripeObject | null;
  /** Expires an open session now, as its timer would. */
  expire(sessionId: string): void;
  /** A pending refund succeeds, or a refund fails asynchronously. */
  settleRefund(refundId: string, status: 'succeeded' | 'failed'): void;
  /** The cardholder disputes the charge of a PaymentIntent (or a charge id); returns the dispute's id. */
  dispute(paymentIntentOrChargeId: string, reason?: DisputeReason): string;
  /** Ends a dispute: won (funds reinstated) or lost. */
  closeDispute(disputeId: string, outcome: 'won' | 'lost'): void;
  /** The subscription's next renewal is declined (`invoice.payment_failed`, status `past_due`). */
  failNextRenewal(subscriptionId: string): void;
  /** The webhooks this simulator scheduled, with their attempts. */
  deliveries(): Delivery[];
}

export function createStripeSimulator(
  env: SimulatorEnv,
  options: StripeSimulatorOptions = {},
): StripeSimulator {
  const { webhooks, faults, ...rest } = options;
  const config: StripeConfig = {
    secretKeys: [STRIPE_SANDBOX_SECRET_KEY],
    platformAccount: STRIPE_SANDBOX_PLATFORM_ACCOUNT,
    connectedAccounts: [...STRIPE_SANDBOX_CONNECTED_ACCOUNTS],
    apiVersion: '2026-11-18.endive',
    webhookRetryDelaysMs: STRIPE_TEST_MODE_RETRY_DELAYS_MS,
    webhookTimeoutMs: 10_000,
    asyncSettleDelayMs: 3 * 60_000,
    asyncRefundFailureDelayMs: 10 * 60_000,
    disputeDelayMs: 60_000,
    authorizationValidityMs: 7 * 24 * 3600 * 1000,
    manualCapturePaymentStatus: 'unpaid',
    wholeUnitCurrencies: ['isk'],
    ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
  };
  const state: StripeState = {
    env,
    config,
    faults: faults ?? {},
    objects: new Map(),
    sessions: new Map(),
    endpoints: [],
    idempotency: new Map(),
    timers: [],
    outbox: [],
    failingRenewals: new Set(),
    refundFailingCharges: new Set(),
  };
  for (const webhook of webhooks ?? []) addEndpoint(state, webhook);
  env.queue.onFlush(() => {
    runTimers(state);
    dispatch(state);
    signDueDeliveries(state);
  });
  const later = (fn: () => void) => {
    fn();
    dispatch(state);
  };

  return {
    get faults() {
      return state.faults;
    },
    set faults(value: StripeFaults) {
      state.faults = value;
    },
    config,
    async handle(request, path) {
      if (path.startsWith('/v1/')) return handleApi(state, request, path.slice(4));
      const page = /^\/c\/(pay|3ds)\/(cs_test_[A-Za-z0-9]+)$/.exec(path);
      if (page) return hostedPage(state, request, page[1] as 'pay' | '3ds', page[2] as string);
      return new Response('Not found in the Stripe sandbox', { status: 404 });
    },
    act: (sessionId, action) => act(state, sessionId, action),
    addWebhookEndpoint: (webhook) => addEndpoint(state, webhook),
    webhookEndpoints: () => state.endpoints,
    rollWebhookSecret(endpointId, newSecret) {
      const endpoint = state.endpoints.find((e) => e.id === endpointId);
      if (!endpoint) throw new Error(`Stripe sandbox: no webhook endpoint ${endpointId}`);
      endpoint.previousSecrets = [endpoint.secret];
      endpoint.secret = newSecret;
    },
    object(id) {
      const stored = state.objects.get(id);
      return stored ? structuredClone(stored.json) : null;
    },
    expire: (sessionId) => later(() => expireSession(state, sessionId, null)),
    settleRefund: (refundId, status) =>
      later(() => settleRefund(state, accountOf(state, refundId), refundId, status)),
    dispute(id, reason) {
      const account = accountOf(state, id);
      const pi = lookup(state, account, id, 'payment_intent');
      const chargeId = pi ? (pi.latest_charge as string | null) : id;
      if (!chargeId) throw new Error(`Stripe sandbox: ${id} has no charge to dispute`);
      let disputeId = '';
      later(() => {
        disputeId = openDispute(state, account, chargeId, reason).id;
      });
      return disputeId;
    },
    closeDispute: (disputeId, outcome) =>
      later(() => closeDispute(state, accountOf(state, disputeId), disputeId, outcome)),
    failNextRenewal(subscriptionId) {
      if (!lookup(state, accountOf(state, subscriptionId), subscriptionId, 'subscription')) {
        throw new Error(`Stripe sandbox: no subscription ${subscriptionId}`);
      }
      state.failingRenewals.add(subscriptionId);
    },
    deliveries: () => env.queue.deliveries.filter((d) => d.broker === 'stripe'),
  } satisfies StripeSimulator;
}
