import type { Payment } from '@paybridge/core';
import { STRIPE_SANDBOX_SECRET_KEY } from '@paybridge/sandbox';
import { describe, expect, it } from 'vitest';
import { SANDBOX, setup } from './support/e2e';

/**
 * Money moved on a subscription invoice's PaymentIntent by someone else than this bridge: a dispute, a
 * refund made in the Dashboard. The intent names no payment; the invoice it paid does.
 */
const monthly = { order: { recurrence: { interval: 'month' as const, every: 1 } } };

/** The PaymentIntent that paid an invoice (`invoice.payments`). */
function intentOfInvoice(t: ReturnType<typeof setup>, invoiceId: string): string {
  const invoice = t.sandbox.stripe.object(invoiceId) as unknown as {
    payments: { data: Array<{ status: string; payment: { payment_intent: string } }> };
  };
  const paid = invoice.payments.data.find((p) => p.status === 'paid');
  expect(paid?.payment.payment_intent).toMatch(/^pi_/);
  return paid?.payment.payment_intent as string;
}

/** A refund made in the Dashboard: through the API, without any metadata of ours. */
const dashboardRefund = (t: ReturnType<typeof setup>, intent: string, amount: number) =>
  t.sandbox.handler(
    new Request(`${SANDBOX}/stripe/v1/refunds`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${STRIPE_SANDBOX_SECRET_KEY}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `payment_intent=${intent}&amount=${amount}`,
    }),
  );

describe('e2e through the Stripe sandbox: disputes and Dashboard refunds of subscription payments', () => {
  it('a subscription paid with a card that is disputed loses the money, and gets it back when won', async () => {
    const t = setup(monthly);
    const { paymentId, sessionId } = await t.start();
    await t.act(sessionId, { card: '4000000000000259' });
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });
    await t.sandbox.advance(60_000 + 1000);
    const disputed = await t.get(paymentId);
    expect(disputed).toMatchObject({ status: 'refunded', amountPaid: 1999, amountRefunded: 1999 });
    const reversal = disputed.refunds.find((r) => r.kind === 'reversal');
    expect(reversal?.id).toMatch(/^(dp|du)_/);
    t.sandbox.stripe.closeDispute(reversal?.id as string, 'won');
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountRefunded: 0 });
    expect((await t.get(paymentId)).subscription?.status).toBe('active');
  });

  it("a renewal refunded in the Dashboard, then disputed: the child payment's ledger, not the parent's", async () => {
    const t = setup(monthly);
    const { paymentId } = await t.paid();
    await t.sandbox.advance(31 * 24 * 3600_000);
    const [renewal] = (await t.store.listPayments({ limit: 50 })).items.filter(
      (p: Payment) => p.parentPaymentId === paymentId,
    );
    expect(renewal).toMatchObject({ status: 'paid', amountPaid: 1999 });
    const intent = intentOfInvoice(t, renewal?.externalId as string);
    expect((await dashboardRefund(t, intent, 500)).status).toBe(200);
    await t.sandbox.flush();
    const child = renewal?.id as string;
    expect(await t.get(child)).toMatchObject({ status: 'partially_refunded', amountRefunded: 500 });
    t.sandbox.stripe.dispute(intent);
    await t.sandbox.flush();
    expect(await t.get(child)).toMatchObject({ status: 'refunded', amountPaid: 1999, amountRefunded: 1999 });
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountRefunded: 0 });
    for (const message of await t.inbound()) expect(message.responseStatus).toBe(200);
  });

  it('sync reads the refunds of a renewal and of the first invoice without any webhook', async () => {
    const t = setup(monthly);
    const { paymentId } = await t.paid();
    await t.sandbox.advance(31 * 24 * 3600_000);
    const [renewal] = (await t.store.listPayments({ limit: 50 })).items.filter(
      (p: Payment) => p.parentPaymentId === paymentId,
    );
    const child = renewal?.id as string;
    const firstInvoice = (await t.get(paymentId)).captures[0]?.id as string;
    expect(firstInvoice).toMatch(/^in_/);
    t.sandbox.stripe.faults.signature = 'forged'; // every webhook from now on is refused
    expect((await dashboardRefund(t, intentOfInvoice(t, renewal?.externalId as string), 500)).status).toBe(
      200,
    );
    expect((await dashboardRefund(t, intentOfInvoice(t, firstInvoice), 300)).status).toBe(200);
    await t.sandbox.flush();
    expect(await t.get(child)).toMatchObject({ status: 'paid', amountRefunded: 0 });
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountRefunded: 0 });
    expect(await t.bridge.sync(child)).toMatchObject({ status: 'partially_refunded', amountRefunded: 500 });
    expect(await t.bridge.sync(paymentId)).toMatchObject({
      status: 'partially_refunded',
      amountRefunded: 300,
    });
    expect((await t.get(child)).amountPaid).toBe(1999);
  });
});
