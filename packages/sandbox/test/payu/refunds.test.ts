import { describe, expect, it } from 'vitest';
import { setup } from '../../src/payu/test-harness';

type RefundAnswer = {
  orderId: string;
  refund: { refundId: string; amount: string; status: string; extRefundId?: string; currencyCode: string };
  status: { statusCode: string; statusDesc?: string };
};

function refundApi(t: ReturnType<typeof setup>, bearer: string, orderId: string) {
  return async (refund: Record<string, unknown>) => {
    const response = await t.api(`/orders/${orderId}/refunds`, bearer, {
      method: 'POST',
      body: JSON.stringify({ refund }),
    });
    return { response, json: (await response.json()) as RefundAnswer };
  };
}

async function paid(t: ReturnType<typeof setup>) {
  const bearer = await t.token();
  const orderId = await t.actedOrder(bearer, 'pay', { extOrderId: 'ord-refund' });
  t.received.length = 0;
  return { bearer, orderId, refund: refundApi(t, bearer, orderId) };
}

describe('PayU sandbox refunds', () => {
  it('queues a partial refund PENDING, finalizes it later with a refund notification without `order`', async () => {
    const t = setup();
    const { orderId, refund } = await paid(t);
    const { response, json } = await refund({ description: 'partial', amount: '5000', extRefundId: 'r-1' });
    expect(response.status).toBe(200);
    expect(json).toMatchObject({
      orderId,
      refund: {
        amount: '5000',
        currencyCode: 'PLN',
        status: 'PENDING',
        extRefundId: 'r-1',
        description: 'partial',
      },
      status: { statusCode: 'SUCCESS', statusDesc: 'Refund queued for processing' },
    });
    expect(json.refund.refundId).toMatch(/^\d{10}$/);
    await t.sandbox.flush();
    expect(t.received).toHaveLength(0); // nothing until the refund ends
    t.sandbox.clock.advance(60_000);
    expect(t.sandbox.payu.finalizeRefunds()).toBe(1);
    await t.sandbox.flush();
    expect(t.received).toHaveLength(1);
    const notification = t.received[0]?.json ?? {};
    expect('order' in notification).toBe(false);
    expect(notification).toEqual({
      orderId,
      extOrderId: 'ord-refund',
      refund: {
        refundId: json.refund.refundId,
        amount: '5000',
        currencyCode: 'PLN',
        status: 'FINALIZED',
        statusDateTime: '2026-01-15T13:01:00.000+01:00',
        reason: 'refund',
        reasonDescription: 'partial',
        refundDate: '2026-01-15T13:00:00.000+01:00',
      },
    });
    expect(t.sandbox.payu.orders()[0]?.status).toBe('COMPLETED'); // refunds never change the order status
  });

  it('refunds the rest when amount is omitted, then refuses more', async () => {
    const t = setup();
    const { refund } = await paid(t);
    await refund({ description: 'partial', amount: 5000 });
    const full = await refund({ description: 'the rest' });
    expect(full.json.refund.amount).toBe('16000');
    const more = await refund({ description: 'too much', amount: '1' });
    expect(more.response.status).toBe(400);
    expect(more.json.status.statusCode).toBe('ERROR_VALUE_INVALID');
    expect(t.sandbox.payu.orders()[0]?.refunds.map((r) => r.amount)).toEqual([5000, 16000]);
  });

  it('refuses an amount above what is left, a wrong currency, and a missing description', async () => {
    const t = setup();
    const { refund } = await paid(t);
    expect((await refund({ description: 'x', amount: '21001' })).response.status).toBe(400);
    expect((await refund({ description: 'x', amount: '100', currencyCode: 'EUR' })).response.status).toBe(
      400,
    );
    const missing = await refund({ amount: '100' });
    expect(missing.response.status).toBe(400);
    expect(missing.json.status.statusCode).toBe('ERROR_VALUE_MISSING');
    const bare = await t.api(`/orders/${t.sandbox.payu.orders()[0]?.id}/refunds`, await t.token(), {
      method: 'POST',
      body: '{"description":"no wrapper"}',
    });
    expect(bare.status).toBe(400);
  });

  it('returns the earlier refund for identical request data; a reused extRefundId with other data is refused', async () => {
    const t = setup();
    const { refund } = await paid(t);
    const first = await refund({ description: 'r', amount: '1000', extRefundId: 'stable-1' });
    const again = await refund({ description: 'r', amount: '1000', extRefundId: 'stable-1' });
    expect(again.response.status).toBe(200);
    expect(again.json.refund.refundId).toBe(first.json.refund.refundId);
    const conflicting = await refund({ description: 'r', amount: '2000', extRefundId: 'stable-1' });
    expect(conflicting.response.status).toBe(400);
    expect(t.sandbox.payu.orders()[0]?.refunds).toHaveLength(1);
  });

  it('refuses refunds of orders that are not COMPLETED', async () => {
    const t = setup();
    const bearer = await t.token();
    for (const action of ['pay_wfc', 'decline'] as const) {
      const orderId = await t.actedOrder(bearer, action);
      const { response, json } = await refundApi(t, bearer, orderId)({ description: 'x' });
      expect(response.status).toBe(400);
      expect(json.status.statusCode).toBe('ERROR_VALUE_INVALID');
    }
  });

  it('cancelRefund() ends a refund CANCELED, notifies it, and frees its amount', async () => {
    const t = setup();
    const { refund } = await paid(t);
    const full = await refund({ description: 'all' });
    t.sandbox.payu.cancelRefund(full.json.refund.refundId);
    await t.sandbox.flush();
    expect(t.received[0]?.json.refund).toMatchObject({ status: 'CANCELED', amount: '21000' });
    expect(() => t.sandbox.payu.cancelRefund(full.json.refund.refundId)).toThrow(/not PENDING/);
    expect(() => t.sandbox.payu.finalizeRefund('0')).toThrow(/no refund/);
    const retry = await refund({ description: 'all again' });
    expect(retry.json.refund.amount).toBe('21000');
  });

  it('lists refunds (wrapped by default, bare array as an option) and shows one refund', async () => {
    const t = setup();
    const { bearer, orderId, refund } = await paid(t);
    const created = await refund({ description: 'r', amount: '1000' });
    const list = await t.api(`/orders/${orderId}/refunds`, bearer);
    expect(await list.json()).toEqual({
      refunds: [expect.objectContaining({ refundId: created.json.refund.refundId })],
    });
    const one = await t.api(`/orders/${orderId}/refunds/${created.json.refund.refundId}`, bearer);
    expect(await one.json()).toMatchObject({
      refundId: created.json.refund.refundId,
      amount: '1000',
      status: 'PENDING',
    });
    expect((await t.api(`/orders/${orderId}/refunds/123`, bearer)).status).toBe(404);

    const bare = setup({ refundListShape: 'array' });
    const other = await paid(bare);
    await other.refund({ description: 'r', amount: '1000' });
    const bareList = await bare.api(`/orders/${other.orderId}/refunds`, other.bearer);
    expect(Array.isArray(await bareList.json())).toBe(true);
  });

  it('puts extRefundId in refund notifications only with refundNotificationExtRefundId', async () => {
    const documented = setup();
    const plain = await paid(documented);
    await plain.refund({ description: 'r', amount: '1000', extRefundId: 'r-9' });
    documented.sandbox.payu.finalizeRefunds();
    await documented.sandbox.flush();
    expect(documented.received[0]?.json.refund).not.toHaveProperty('extRefundId');

    const t = setup({ refundNotificationExtRefundId: true });
    const { refund } = await paid(t);
    await refund({ description: 'r', amount: '1000', extRefundId: 'r-9' });
    t.sandbox.payu.finalizeRefunds();
    await t.sandbox.flush();
    expect(t.received[0]?.json.refund).toMatchObject({ extRefundId: 'r-9', status: 'FINALIZED' });
  });

  it('notifies PENDING refunds too when notifyPendingRefunds is on', async () => {
    const t = setup({ notifyPendingRefunds: true });
    const { refund } = await paid(t);
    await refund({ description: 'r', amount: '1000' });
    await t.sandbox.flush();
    expect(t.received[0]?.json.refund).toMatchObject({ status: 'PENDING' });
  });
});
