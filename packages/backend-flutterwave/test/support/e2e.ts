import type { OrderInfo, Payment } from '@paybridge/core';
import {
  lastSegment,
  paymentTotals,
  SANDBOX,
  SHOP,
  shopOrder,
  startE2e,
  startOnHostedPage,
} from '@paybridge/e2e-kit';
import {
  FLUTTERWAVE_SANDBOX_SECRET_HASH,
  FLUTTERWAVE_SANDBOX_SECRET_KEY,
  type FlutterwaveAction,
  type FlutterwaveSimulatorOptions,
} from '@paybridge/sandbox';
import { type FlutterwaveOptions, flutterwave } from '../../src/index';

/**
 * Flutterwave's end to end through the shared kit (bridge and sandbox in one process). The
 * Flutterwave simulator is driven only through its public test contract (hosted page, act(),
 * faults, clock); none of it is imported into the backend.
 */
export { SANDBOX, SHOP };
export const ENDPOINT = `${SANDBOX}/flutterwave/v3`;
export const SETTINGS = {
  secretKey: FLUTTERWAVE_SANDBOX_SECRET_KEY,
  secretHash: FLUTTERWAVE_SANDBOX_SECRET_HASH,
  endpoint: ENDPOINT,
} satisfies FlutterwaveOptions;

export interface E2eOptions {
  backend?: Partial<FlutterwaveOptions>;
  order?: Partial<OrderInfo>;
  simulator?: FlutterwaveSimulatorOptions;
}

export function setup(options: E2eOptions = {}) {
  const backend = flutterwave({ ...SETTINGS, ...options.backend });
  const e2e = startE2e({
    backends: [backend],
    startAt: Date.UTC(2027, 0, 15, 12, 0, 0),
    simulators: { flutterwave: { webhookUrl: `${SHOP}/notify/flutterwave`, ...options.simulator } },
    // 1999 NGN minor units (19.99 ₦), a buyer with an email.
    orders: {
      resolve: (orderId) =>
        shopOrder(orderId, {
          amount: 1999,
          currency: 'NGN',
          buyer: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Obi' },
          ...options.order,
        }),
    },
  });

  /** Start a payment and open the hosted page; returns our payment id and the link id. */
  async function start() {
    const { paymentId, url } = await startOnHostedPage(e2e, backend.id, `${ENDPOINT}/hosted/pay/`);
    return { paymentId, linkId: lastSegment(url) };
  }

  /** The buyer acts on the page, then every webhook due now is delivered. */
  const act = (linkId: string, action: FlutterwaveAction) =>
    e2e.settle(() => e2e.sandbox.flutterwave.act(linkId, action));

  return { ...e2e, backend, start, act, inbound: () => e2e.notifications() };
}

/** What must not depend on delivery order or duplicates. */
export const endState = (p: Payment) => ({
  ...paymentTotals(p),
  externalId: p.externalId,
  captures: p.captures.map((c) => [c.id, c.amount, c.status]),
});
