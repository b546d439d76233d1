import { describe, expect, it } from 'vitest';
import { RAZORPAY_SANDBOX_KEY_ID } from '../src/index';
import { razorpayHarness } from './razorpay-harness';

describe('Razorpay simulator: API', () => {
  it('Basic auth must be spelt exactly `Basic` with a known key pair (§1)', async () => {
    const { sandbox } = razorpayHarness();
    const call = (authorization: string) =>
      sandbox.handler(
        new Request('http://sandbox.test/razorpay/v1/payment_links', { headers: { authorization } }),
      );
    expect((await call(`basic ${btoa(`${RAZORPAY_SANDBOX_KEY_ID}:x`)}`)).status).toBe(401);
    expect((await call(`Basic ${btoa(`${RAZORPAY_SANDBOX_KEY_ID}:wrong`)}`)).status).toBe(401);
    expect((await call('Bearer x')).status).toBe(401);
  });

  it('creates a link with Razorpay’s validation: minimum, expiry window, unique reference, callback method', async () => {
    const t = razorpayHarness();
    const now = Math.floor(t.sandbox.clock.now() / 1000);
    const base = { amount: 49_900, currency: 'INR', reference_id: 'ord-1' };
    expect(
      (await t.api('POST', '/v1/payment_links', { ...base, amount: 99 })).json.error?.description,
    ).toMatch(/at least INR 1.00/);
    expect(
      (await t.api('POST', '/v1/payment_links', { ...base, expire_by: now + 600 })).json.error?.description,
    ).toMatch(/15 minutes/);
    expect((await t.api('POST', '/v1/payment_links', { ...base, reference_id: 'x'.repeat(41) })).status).toBe(
      400,
    );
    expect(
      (await t.api('POST', '/v1/payment_links', { ...base, callback_url: 'https://shop.test/r' })).status,
    ).toBe(400);
    const created = await t.api('POST', '/v1/payment_links', base);
    expect(created.json).toMatchObject({
      status: 'created',
      amount: 49_900,
      amount_paid: 0,
      reference_id: 'ord-1',
      payments: null,
    });
    expect(String(created.json.id)).toMatch(/^plink_[A-Za-z0-9]{14}$/);
    expect(String(created.json.short_url)).toMatch(/^http:\/\/sandbox\.test\/razorpay\/i\//);
    expect((await t.api('POST', '/v1/payment_links', base)).json.error?.description).toMatch(
      /already exists/,
    );
    const listed = await t.api('GET', '/v1/payment_links?reference_id=ord-1');
    expect((listed.json.payment_links as unknown[]).length).toBe(1);
  });

  it('cancels only an unpaid link; fetches and 5xx faults', async () => {
    const t = razorpayHarness();
    const link = await t.link();
    expect((await t.api('POST', `/v1/payment_links/${link.id}/cancel`)).json.status).toBe('cancelled');
    expect((await t.api('POST', `/v1/payment_links/${link.id}/cancel`)).status).toBe(400);
    expect((await t.api('GET', `/v1/payment_links/${link.id}`)).json.status).toBe('cancelled');
    expect((await t.api('GET', '/v1/payment_links/plink_Nope')).status).toBe(400);
    t.sandbox.razorpay.faults.apiError = { status: 503, remaining: 1 };
    expect((await t.api('GET', `/v1/payment_links/${link.id}`)).status).toBe(503);
    expect((await t.api('GET', `/v1/payment_links/${link.id}`)).status).toBe(200);
  });

  it('manual capture: only from authorized, for the whole amount (§6.2)', async () => {
    const t = razorpayHarness({ captureMode: 'manual' });
    const link = await t.link();
    t.sandbox.razorpay.act(link.id, 'pay');
    const payment = t.sandbox.razorpay.links()[0]?.payments[0];
    expect(payment?.status).toBe('authorized');
    const path = `/v1/payments/${payment?.id}/capture`;
    expect((await t.api('POST', path, { amount: 100, currency: 'INR' })).status).toBe(400);
    expect((await t.api('POST', path, { amount: 49_900, currency: 'INR' })).json.status).toBe('captured');
    expect((await t.api('POST', path, { amount: 49_900, currency: 'INR' })).status).toBe(400);
    expect((await t.api('GET', `/v1/payment_links/${link.id}`)).json).toMatchObject({
      status: 'paid',
      amount_paid: 49_900,
    });
  });

  it('refunds: partial up to the captured amount, idempotency key replays and refuses another body (§8.1)', async () => {
    const t = razorpayHarness();
    const link = await t.link();
    t.sandbox.razorpay.act(link.id, 'pay');
    const paymentId = t.sandbox.razorpay.links()[0]?.payments[0]?.id as string;
    const key = { 'x-refund-idempotency': 'refund-key-0001' };
    const first = await t.api('POST', `/v1/payments/${paymentId}/refund`, { amount: 10_000 }, key);
    expect(first.json).toMatchObject({ status: 'pending', amount: 10_000, payment_id: paymentId });
    expect((await t.api('POST', `/v1/payments/${paymentId}/refund`, { amount: 10_000 }, key)).json.id).toBe(
      first.json.id,
    );
    expect((await t.api('POST', `/v1/payments/${paymentId}/refund`, { amount: 20_000 }, key)).status).toBe(
      400,
    );
    expect(
      (await t.api('POST', `/v1/payments/${paymentId}/refund`, { amount: 40_000 })).json.error?.description,
    ).toMatch(/greater than/);
    expect((await t.api('POST', `/v1/payments/${paymentId}/refund`, {})).json).toMatchObject({
      amount: 39_900,
    });
    expect((await t.api('GET', `/v1/payments/${paymentId}`)).json).toMatchObject({
      status: 'refunded',
      amount_refunded: 49_900,
      refund_status: 'full',
    });
    await t.sandbox.advance(60_000);
    const refunds = await t.api('GET', `/v1/payments/${paymentId}/refunds`);
    expect((refunds.json.items as Array<{ status: string }>).map((r) => r.status)).toEqual([
      'processed',
      'processed',
    ]);
  });
});
