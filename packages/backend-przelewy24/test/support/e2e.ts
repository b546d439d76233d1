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
import { P24_SANDBOX_MERCHANT, type P24Action, type Przelewy24SimulatorOptions } from '@paybridge/sandbox';
import { type Przelewy24Options, przelewy24 } from '../../src/index';

/**
 * Przelewy24's end to end through the shared kit (bridge and sandbox in one process). The P24
 * simulator is a black box driven through its public test contract (hosted page, act(), faults,
 * clock); its notifications reach the bridge with no client address.
 */
export { SANDBOX, SHOP };
export const MERCHANT = P24_SANDBOX_MERCHANT;

export interface E2eOptions {
  backend?: Partial<Przelewy24Options>;
  order?: Partial<OrderInfo>;
  simulator?: Przelewy24SimulatorOptions;
}

export function setup(options: E2eOptions = {}) {
  const backend = przelewy24({
    merchantId: MERCHANT.merchantId,
    posId: MERCHANT.posId,
    crc: MERCHANT.crc,
    apiKey: MERCHANT.apiKey,
    endpoint: `${SANDBOX}/przelewy24`,
    ...options.backend,
  });
  const e2e = startE2e({
    backends: [backend],
    startAt: Date.UTC(2027, 0, 15, 12, 0, 0),
    ...(options.simulator ? { simulators: { przelewy24: options.simulator } } : {}),
    orders: {
      resolve: (orderId) =>
        shopOrder(orderId, {
          amount: 4999,
          currency: 'PLN',
          description: `Zamówienie ${orderId}`,
          buyer: { email: 'jan@example.pl', language: 'pl' },
          ...options.order,
        }),
    },
  });

  /** Start a payment and open P24's page; returns our payment id and the P24 token. */
  async function start() {
    const { paymentId, url } = await startOnHostedPage(e2e, backend.id, `${SANDBOX}/przelewy24/trnRequest/`);
    return { paymentId, token: lastSegment(url) };
  }

  /** The buyer acts on the page, then every notification due now is delivered. */
  const act = (token: string, action: P24Action) =>
    e2e.settle(() => e2e.sandbox.przelewy24.act(token, action));

  async function paid() {
    const started = await start();
    await act(started.token, 'pay');
    return started;
  }

  const transaction = (token: string) => e2e.sandbox.przelewy24.transactions().find((t) => t.token === token);

  return { ...e2e, backend, start, act, paid, transaction, inbound: () => e2e.notifications() };
}

/** What must not depend on delivery order or duplicates. */
export const endState = (p: Payment) => ({
  ...paymentTotals(p),
  externalId: p.externalId,
  captures: p.captures.map((c) => [c.id, c.amount, c.status]),
  refunds: p.refunds.map((r) => [r.kind, r.amount, r.status]).sort(),
});
