import type { OrderInfo, Payment } from '@paybridge/core';
import { lastSegment, paymentTotals, SANDBOX, SHOP, startE2e, startOnHostedPage } from '@paybridge/e2e-kit';
import {
  STRIPE_SANDBOX_CONNECTED_ACCOUNTS,
  STRIPE_SANDBOX_SECRET_KEY,
  type StripeAction,
  type StripeSimulatorOptions,
} from '@paybridge/sandbox';
import { expect } from 'vitest';
import { type StripeOptions, stripe } from '../../src/index';
import { stripeOrder } from './harness';

/**
 * Stripe's end to end through the shared kit (bridge and sandbox in one process). The Stripe
 * simulator is a black box driven through its public test contract (hosted page, act(), faults,
 * clock); nothing of it is imported into the backend. Two webhook endpoints: the platform's and
 * Connect's, each with its secret.
 */
export { SANDBOX, SHOP };
export const WHSEC = 'whsec_e2e_platform_endpoint';
export const WHSEC_CONNECT = 'whsec_e2e_connect_endpoint';
export const [SELLER_A, SELLER_B] = STRIPE_SANDBOX_CONNECTED_ACCOUNTS as [string, string];
export const CARD_OK = '4242424242424242';

export interface E2eOptions {
  backend?: Partial<StripeOptions>;
  order?: Partial<OrderInfo>;
  /** Stripe simulator options (UNCONFIRMED variants). */
  simulator?: Omit<StripeSimulatorOptions, 'webhooks'>;
}

export function setup(options: E2eOptions = {}) {
  const backend = stripe({
    secretKey: STRIPE_SANDBOX_SECRET_KEY,
    webhookSecret: [WHSEC, WHSEC_CONNECT],
    endpoint: `${SANDBOX}/stripe`,
    maxNetworkRetries: 2,
    ...options.backend,
  });
  const e2e = startE2e({
    backends: [backend],
    startAt: Date.UTC(2027, 0, 15, 12, 0, 0),
    simulators: {
      stripe: {
        ...options.simulator,
        webhooks: [
          { url: `${SHOP}/notify/stripe`, secret: WHSEC },
          { url: `${SHOP}/notify/stripe`, secret: WHSEC_CONNECT, connect: true },
        ],
      },
    },
    orders: { resolve: (orderId) => stripeOrder(orderId, options.order) },
  });

  /** Start a payment and open Stripe's hosted page; returns our payment id and the session id. */
  async function start() {
    const { paymentId, url } = await startOnHostedPage(e2e, backend.id, `${SANDBOX}/stripe/c/pay/cs_test_`);
    const sessionId = lastSegment(url);
    expect((await e2e.bridge.getPayment(paymentId))?.externalId).toBe(sessionId);
    return { paymentId, sessionId };
  }

  /** The buyer acts on the page, then every webhook due now is delivered. */
  const act = (sessionId: string, action: StripeAction) =>
    e2e.settle(() => e2e.sandbox.stripe.act(sessionId, action));

  async function paid() {
    const started = await start();
    await act(started.sessionId, { card: CARD_OK });
    return started;
  }

  return {
    ...e2e,
    backend,
    start,
    act,
    paid,
    inbound: () => e2e.notifications(),
    outbound: () => e2e.outbound(),
  };
}

/** What must not depend on delivery order or duplicates. */
export const endState = (p: Payment) => ({
  ...paymentTotals(p),
  // Stripe's ids differ from run to run; the ledgers' shapes must not.
  captures: p.captures.map((c) => [c.id.slice(0, 3), c.amount, c.status]).sort(),
  refunds: p.refunds.map((r) => [r.kind, r.amount, r.status]).sort(),
  subscription: p.subscription?.status ?? null,
});
