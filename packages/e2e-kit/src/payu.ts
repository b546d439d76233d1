import { expect } from 'vitest';
import { type E2e, SANDBOX } from './harness';
import { openHostedPage } from './hosted-page';

/**
 * The buyer's way to PayU: the `/start` answer must redirect (GET) to the simulator's hosted page,
 * which is opened; returns our payment id and PayU's order id, which the bridge must have stored.
 */
export async function openPayuPage(e2e: E2e, response: Response) {
  const { paymentId, page } = await openHostedPage(e2e, response, `${SANDBOX}/payu/pay/`);
  const orderId = page.headers.get('x-sandbox-session');
  expect(orderId).toBeTruthy();
  const stored = await e2e.bridge.getPayment(paymentId);
  expect(stored?.externalId).toBe(orderId);
  return { paymentId, orderId: orderId as string };
}

/** The refunds PayU holds for one of its orders. */
export const refundsAtPayu = (e2e: E2e, orderId: string) =>
  e2e.sandbox.payu.orders().find((order) => order.id === orderId)?.refunds ?? [];
