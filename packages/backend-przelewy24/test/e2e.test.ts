import { describe, expect, it } from 'vitest';
import { SHOP, setup } from './support/e2e';

describe('e2e through the Przelewy24 sandbox: purchase, decline, return', () => {
  it('a BLIK purchase: register → page → notification → verify → paid, bound to P24 orderId', async () => {
    const t = setup();
    const { paymentId, token } = await t.start();
    expect((await t.get(paymentId)).brokerData).toMatchObject({ p24SessionId: paymentId, p24Token: token });
    const step = await t.act(token, 'pay');
    expect(step).toMatchObject({ method: 'GET' });
    const tx = t.transaction(token);
    expect(tx?.status).toBe(2);
    expect(tx?.orderId).toBeGreaterThan(2 ** 31);
    const payment = await t.get(paymentId);
    expect(payment).toMatchObject({ status: 'paid', amountPaid: 4999, externalId: String(tx?.orderId) });
    expect(payment.brokerData).toMatchObject({ p24OrderId: String(tx?.orderId), p24MethodId: 154 });
    expect(await t.outbound('verify')).toHaveLength(1);
    // Verified at the first attempt: P24 stops notifying.
    const [delivery] = t.sandbox.przelewy24.deliveries();
    expect(delivery?.state).toBe('delivered');
    expect(delivery?.attempts).toHaveLength(1);
  });

  it('the register call carries integer grosze and the documented fields', async () => {
    const t = setup({ order: { amount: 1, buyer: { email: 'a@b.pl', language: 'sv' } } });
    const { token } = await t.start();
    const [register] = await t.outbound('register');
    const body = JSON.parse(String(register?.body));
    expect(body).toMatchObject({
      amount: 1,
      currency: 'PLN',
      merchantId: 100200,
      posId: 100200,
      language: 'se',
      country: 'PL',
    });
    expect(body.urlStatus).toBe(`${SHOP}/notify/przelewy24`);
    expect(t.transaction(token)?.amount).toBe(1);
  });

  it('the return proves nothing: it pulls, and a payment still open stays open', async () => {
    const t = setup();
    const { paymentId, token } = await t.start();
    const step = await t.act(token, 'decline');
    // P24 sends the buyer back to urlReturn with nothing appended, and no notification.
    expect(step.method).toBe('GET');
    const response = await t.bridge.handler(new Request((step as { url: string }).url));
    expect(response.status).toBeLessThan(400);
    expect(t.sandbox.przelewy24.deliveries()).toHaveLength(0);
    expect((await t.get(paymentId)).status).toMatch(/^(new|pending)$/);
    expect(await t.outbound('status')).not.toHaveLength(0);
  });

  it('an abandoned page leaves the payment open; no verify is ever called', async () => {
    const t = setup();
    const { paymentId, token } = await t.start();
    expect((await t.act(token, 'abandon')).method).toBe('NONE');
    await t.sandbox.advance(24 * 3600_000);
    expect((await t.get(paymentId)).amountPaid).toBe(0);
    expect(await t.outbound('verify')).toHaveLength(0);
  });

  it('the buyer comes back before the notification: the return pull verifies and books the payment', async () => {
    const t = setup();
    t.sandbox.przelewy24.faults = { reorder: true };
    const { paymentId, token } = await t.start();
    const step = await t.act(token, 'pay');
    await t.bridge.handler(new Request((step as { url: string }).url));
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 4999 });
    expect(t.transaction(token)?.status).toBe(2);
    // The held notification arrives afterwards: acknowledged without a second verify.
    t.sandbox.przelewy24.releaseHeld();
    await t.sandbox.flush();
    expect(await t.outbound('verify')).toHaveLength(1);
    expect(t.sandbox.przelewy24.deliveries()[0]?.state).toBe('delivered');
  });
});
