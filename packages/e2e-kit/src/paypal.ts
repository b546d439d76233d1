import { expect } from 'vitest';
import { type E2e, SANDBOX } from './harness';

/**
 * The buyer's way to PayPal: the `/start` answer must be the auto-submitted form to the simulator's
 * `/cgi-bin/webscr`, which is posted — after `edit`, as a buyer can change a plain button form.
 * Returns our payment id, the simulator's checkout session and the form as the bridge wrote it.
 */
export async function submitPaypalForm(e2e: E2e, response: Response, edit: Record<string, string> = {}) {
  expect(response.status).toBe(200);
  const { payment, redirect } = (await response.json()) as {
    payment: { id: string };
    redirect: { method: string; url: string; fields: Record<string, string> };
  };
  expect(redirect).toMatchObject({ method: 'POST', url: `${SANDBOX}/paypal/cgi-bin/webscr` });
  const page = await e2e.sandbox.handler(
    new Request(redirect.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...redirect.fields, ...edit }).toString(),
    }),
  );
  expect(page.status).toBe(200);
  const session = page.headers.get('x-sandbox-session');
  expect(session).toBeTruthy();
  return { paymentId: payment.id, session: session as string, fields: redirect.fields };
}

/** The PayPal transaction that paid one of our payments (its first, not a refund or reversal). */
export function paypalTxnOf(e2e: E2e, paymentId: string): string {
  const txn = e2e.sandbox.paypal.transactions().find((t) => t.invoice === paymentId && !t.parentTxnId);
  if (!txn) throw new Error(`no PayPal transaction for ${paymentId}`);
  return txn.txnId;
}
