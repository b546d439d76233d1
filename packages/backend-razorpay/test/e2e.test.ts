import { describe, expect, it } from 'vitest';
import { SHOP, setup } from './support/e2e';

describe('Razorpay end to end through the sandbox', () => {
  it('a decline is not final: the link stays payable and a second attempt pays it', async () => {
    const e2e = setup();
    const started = await e2e.start();
    const step = await e2e.act(started.linkId, 'decline');
    expect(step.method).toBe('NONE');
    const declined = await e2e.get(started.paymentId);
    expect(declined.status).toBe('new');
    expect((await e2e.inbound()).map((m) => m.verdict)).toEqual(['verified']);
    await e2e.act(started.linkId, 'pay');
    const paid = await e2e.get(started.paymentId);
    expect(paid).toMatchObject({ status: 'paid', amountPaid: 49_900 });
  });

  it('an abandoned link expires at expire_by and the payment with it', async () => {
    const e2e = setup({ backend: { linkLifetimeMinutes: 30 } });
    const started = await e2e.start();
    await e2e.act(started.linkId, 'abandon');
    expect((await e2e.get(started.paymentId)).status).toBe('new');
    await e2e.sandbox.advance(31 * 60_000);
    expect((await e2e.get(started.paymentId)).status).toBe('expired');
  });

  it('a purchase: Payment Link → hosted page → signed webhooks → paid; the callback only hints', async () => {
    const e2e = setup();
    const paidEvents: string[] = [];
    e2e.bridge.on('payment.accepted', ({ payment }) => {
      paidEvents.push(payment.id);
    });
    const started = await e2e.start();
    const [link] = e2e.sandbox.razorpay.links();
    expect(link).toMatchObject({ referenceId: started.paymentId, amount: 49_900, currency: 'INR' });

    // Before any webhook the return is only a hint: the status comes from the pull.
    e2e.sandbox.razorpay.faults.dropWebhooks = true;
    const step = e2e.sandbox.razorpay.act(started.linkId, 'pay');
    expect(step.method).toBe('GET');
    const callback = new URL((step as { url: string }).url);
    expect(callback.searchParams.get('razorpay_payment_link_status')).toBe('paid');
    const back = await e2e.bridge.handler(new Request(callback));
    expect(back.status).toBeGreaterThanOrEqual(300);
    const afterReturn = await e2e.get(started.paymentId);
    expect(afterReturn.status).toBe('paid');
    expect(afterReturn.amountPaid).toBe(49_900);
    expect(paidEvents).toEqual([started.paymentId]);
  });

  it('a purchase confirmed by webhooks alone', async () => {
    const e2e = setup();
    const started = await e2e.paid();
    const payment = await e2e.get(started.paymentId);
    expect(payment.status).toBe('paid');
    expect(payment.amountPaid).toBe(49_900);
    expect(payment.captures).toHaveLength(1);
    expect(payment.captures[0]?.id).toMatch(/^pay_/);
    expect(payment.brokerData).toMatchObject({ razorpayPaymentLinkId: started.linkId });
    const messages = await e2e.inbound();
    expect(messages.length).toBe(4);
    expect(messages.every((m) => m.verdict === 'verified')).toBe(true);
  });

  it('a forged callback (wrong signature) gives no success hint and changes nothing', async () => {
    const e2e = setup();
    const started = await e2e.start();
    const url = new URL(`${SHOP}/return/razorpay/${started.paymentId}`);
    url.searchParams.set('razorpay_payment_id', 'pay_Forged00000000');
    url.searchParams.set('razorpay_payment_link_id', started.linkId);
    url.searchParams.set('razorpay_payment_link_reference_id', started.paymentId);
    url.searchParams.set('razorpay_payment_link_status', 'paid');
    url.searchParams.set('razorpay_signature', 'a'.repeat(64));
    await e2e.bridge.handler(new Request(url));
    expect((await e2e.get(started.paymentId)).status).not.toBe('paid');
    const message = {
      method: 'GET',
      url: url.toString(),
      headers: new Headers(),
      body: new Uint8Array(),
      clientIp: null,
      receivedAt: new Date(),
    };
    const hint = await e2e.backend.handleReturn(message, await e2e.get(started.paymentId));
    expect(hint).toEqual({ hint: 'unknown', pull: true });
  });
});
