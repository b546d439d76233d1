import type { OrderInfo, Payment } from '@paybridge/core';
import { paymentTotals, SANDBOX, SHOP, shopOrder, startE2e, startOnHostedPage } from '@paybridge/e2e-kit';
import {
  RAZORPAY_SANDBOX_KEY_ID,
  RAZORPAY_SANDBOX_KEY_SECRET,
  type RazorpayAction,
  type RazorpaySimulatorOptions,
} from '@paybridge/sandbox';
import { expect } from 'vitest';
import { type RazorpayOptions, razorpay } from '../../src/index';

/**
 * Razorpay's end to end through the shared kit (bridge and sandbox in one process). The Razorpay
 * simulator is driven only through its public test contract (hosted page, act(), faults, clock);
 * its Dashboard webhook signs with `simulatorSecret`, by default the secret the backend knows.
 */
export { SANDBOX, SHOP };
export const WEBHOOK_SECRET = 'e2e-webhook-secret';
export const KEY = { keyId: RAZORPAY_SANDBOX_KEY_ID, keySecret: RAZORPAY_SANDBOX_KEY_SECRET };

export interface E2eOptions {
  backend?: Partial<RazorpayOptions>;
  order?: Partial<OrderInfo>;
  simulator?: Omit<RazorpaySimulatorOptions, 'webhooks'>;
  /** The secret the simulated Dashboard signs with (default the one the backend knows). */
  simulatorSecret?: string;
}

export function setup(options: E2eOptions = {}) {
  const backend = razorpay({
    ...KEY,
    webhookSecret: WEBHOOK_SECRET,
    endpoint: `${SANDBOX}/razorpay`,
    ...options.backend,
  });
  const e2e = startE2e({
    backends: [backend],
    startAt: Date.UTC(2027, 0, 15, 12, 0, 0),
    simulators: {
      razorpay: {
        ...options.simulator,
        webhooks: [{ url: `${SHOP}/notify/razorpay`, secret: options.simulatorSecret ?? WEBHOOK_SECRET }],
      },
    },
    orders: {
      resolve: (orderId) =>
        shopOrder(orderId, {
          amount: 49_900,
          currency: 'INR',
          buyer: { email: 'asha@example.in', firstName: 'Asha', phone: '+919876543210' },
          ...options.order,
        }),
    },
  });

  /** Start a payment and open its Payment Link page; returns our payment id and the link id. */
  async function start() {
    const { paymentId, url, page } = await startOnHostedPage(e2e, 'razorpay', `${SANDBOX}/razorpay/i/`);
    const linkId = page.headers.get('x-sandbox-session') as string;
    expect((await e2e.bridge.getPayment(paymentId))?.externalId).toBe(linkId);
    return { paymentId, linkId, url };
  }

  /** The buyer acts on the page, then every webhook due now is delivered. */
  const act = (linkId: string, action: RazorpayAction) =>
    e2e.settle(() => e2e.sandbox.razorpay.act(linkId, action));

  async function paid() {
    const started = await start();
    const step = await act(started.linkId, 'pay');
    return { ...started, step };
  }

  return { ...e2e, backend, start, act, paid, inbound: () => e2e.notifications() };
}

/** What must not depend on delivery order or duplicates. */
export const endState = (p: Payment) => ({
  ...paymentTotals(p),
  captures: p.captures.map((c) => [c.amount, c.status]).sort(),
  refunds: p.refunds.map((r) => [r.kind, r.amount, r.status]).sort(),
});
