import { expect } from 'vitest';
import { type E2e, SANDBOX } from './harness';

/**
 * The buyer's way to PayU: the `/start` answer must redirect (GET) to the simulator's hosted page,
 * which is opened; returns our payment id and PayU's order id, which the bridge must have stored.
 */
export async function openPayuPage(e2e: E2e, response: Response) {
  expect(response.status).toBe(200);
  const { payment, redirect } = (await response.json()) as {
    payment: { id: string };
    redirect: { method: string; url: string };
  };
  expect(redirect.method).toBe('GET');
  expect(redirect.url.startsWith(`${SANDBOX}/payu/pay/`)).toBe(true);
  const page = await e2e.sandbox.handler(new Request(redirect.url));
  expect(page.status).toBe(200);
  const orderId = page.headers.get('x-sandbox-session');
  expect(orderId).toBeTruthy();
  const stored = await e2e.bridge.getPayment(payment.id);
  expect(stored?.externalId).toBe(orderId);
  return { paymentId: payment.id, orderId: orderId as string };
}

/** The refunds PayU holds for one of its orders. */
export const refundsAtPayu = (e2e: E2e, orderId: string) =>
  e2e.sandbox.payu.orders().find((order) => order.id === orderId)?.refunds ?? [];
