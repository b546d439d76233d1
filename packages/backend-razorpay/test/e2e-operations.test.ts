import { describe, expect, it } from 'vitest';
import { setup } from './support/e2e';

describe('Razorpay operations through the sandbox', () => {
  it('a partial then a full refund: pending at once, processed by the refund.processed webhooks', async () => {
    const e2e = setup();
    const { paymentId, linkId } = await e2e.paid();
    const partial = await e2e.bridge.refund(paymentId, { amount: 10_000 });
    expect(partial.refunds).toMatchObject([{ amount: 10_000, status: 'pending' }]);
    expect(partial.amountRefunded).toBe(0);
    await e2e.sandbox.advance(61_000);
    expect(await e2e.get(paymentId)).toMatchObject({ status: 'partially_refunded', amountRefunded: 10_000 });

    await e2e.bridge.refund(paymentId);
    await e2e.sandbox.advance(61_000);
    expect(await e2e.get(paymentId)).toMatchObject({ status: 'refunded', amountRefunded: 49_900 });
    const [link] = e2e.sandbox.razorpay.links();
    expect(link?.id).toBe(linkId);
    expect(link?.refunds.map((r) => [r.amount, r.status])).toEqual([
      [10_000, 'processed'],
      [39_900, 'processed'],
    ]);
  });

  it('a retried refund (same idempotency key) is one refund at Razorpay', async () => {
    const e2e = setup();
    const { paymentId } = await e2e.paid();
    await e2e.bridge.refund(paymentId, { amount: 5_000, idempotencyKey: 'refund-once' });
    await e2e.bridge.refund(paymentId, { amount: 5_000, idempotencyKey: 'refund-once' });
    expect(e2e.sandbox.razorpay.links()[0]?.refunds).toHaveLength(1);
  });

  it('a refund Razorpay fails gives the money back to the refundable amount', async () => {
    const e2e = setup();
    const { paymentId } = await e2e.paid();
    const after = await e2e.bridge.refund(paymentId, { amount: 20_000 });
    const refundId = e2e.sandbox.razorpay.links()[0]?.refunds[0]?.id as string;
    e2e.sandbox.razorpay.failRefund(refundId);
    await e2e.sandbox.flush();
    const payment = await e2e.get(paymentId);
    expect(payment).toMatchObject({ status: 'paid', amountRefunded: 0 });
    expect(payment.refunds.find((r) => r.id === after.refunds[0]?.id)?.status).toBe('failed');
  });

  it('a refund that exceeds what is left is refused before Razorpay is asked', async () => {
    const e2e = setup();
    const { paymentId } = await e2e.paid();
    await expect(e2e.bridge.refund(paymentId, { amount: 60_000 })).rejects.toMatchObject({
      code: 'INVALID_AMOUNT',
    });
  });

  it('manual capture: the payment is authorized, then captured through the API', async () => {
    const e2e = setup({ backend: { captureMode: 'manual' }, simulator: { captureMode: 'manual' } });
    expect(e2e.backend.capabilities.capture).toBe(true);
    const { paymentId } = await e2e.paid();
    expect(await e2e.get(paymentId)).toMatchObject({
      status: 'authorized',
      amountAuthorized: 49_900,
      amountPaid: 0,
    });
    const captured = await e2e.bridge.capture(paymentId);
    expect(captured).toMatchObject({ status: 'paid', amountPaid: 49_900 });
    await e2e.sandbox.flush();
    expect(await e2e.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 49_900 });
    expect(e2e.sandbox.razorpay.links()[0]?.status).toBe('paid');
  });

  it('manual capture with the webhooks lost: reconcile finds the authorization through the order', async () => {
    const e2e = setup({
      backend: { captureMode: 'manual' },
      simulator: { captureMode: 'manual', faults: { dropWebhooks: true } },
    });
    const { paymentId } = await e2e.paid();
    await e2e.bridge.reconcile({ olderThan: 0 });
    expect((await e2e.get(paymentId)).status).toBe('authorized');
    expect(await e2e.bridge.capture(paymentId)).toMatchObject({ status: 'paid' });
  });

  it('cancel before payment cancels the link; the page can no longer be paid', async () => {
    const e2e = setup();
    const { paymentId, linkId, url } = await e2e.start();
    const cancelled = await e2e.bridge.cancel(paymentId);
    expect(['expired', 'failed']).toContain(cancelled.status);
    expect(e2e.sandbox.razorpay.links()[0]).toMatchObject({ id: linkId, status: 'cancelled' });
    const page = await e2e.sandbox.handler(
      new Request(url, { method: 'POST', body: new URLSearchParams({ action: 'pay' }) }),
    );
    expect(page.status).toBe(409);
  });

  it('cancel after the buyer paid reports the money instead', async () => {
    const e2e = setup({ simulator: { faults: { dropWebhooks: true } } });
    const { paymentId } = await e2e.paid();
    await expect(e2e.bridge.cancel(paymentId).then((p) => p.status)).resolves.toBe('paid');
  });
});
