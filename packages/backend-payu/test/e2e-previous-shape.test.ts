import { storeInPreviousShape } from '@paybridge/core/testing';
import { describe, expect, it } from 'vitest';
import { setup } from './support/e2e';

describe('a PayU payment stored by paybridge 0.1 (bookkeeping flat in brokerData)', () => {
  it('a refund in flight completes on its notification; the record is written back under brokerData.payu', async () => {
    const t = setup();
    const { paymentId, orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pay');
    await t.sandbox.flush();
    expect((await t.bridge.refund(paymentId, { amount: 5000 })).refunds).toMatchObject([
      { status: 'pending' },
    ]);

    const flat = await storeInPreviousShape(t.store, paymentId);
    expect(Object.keys(flat).some((key) => key.startsWith('payuRefund:'))).toBe(true);
    expect(flat).toMatchObject({ payuOrderId: orderId, extOrderId: paymentId });

    t.sandbox.payu.finalizeRefunds();
    await t.sandbox.flush();
    const stored = await t.store.getPayment(paymentId);
    expect(stored).toMatchObject({ status: 'partially_refunded', amountRefunded: 5000 });
    expect(stored?.refunds).toMatchObject([{ amount: 5000, status: 'succeeded' }]);
    expect(stored?.brokerData).toEqual({ payu: flat });
  });
});
