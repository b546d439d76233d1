import { describe, expect, it } from 'vitest';
import { BUY_NOW, fieldsOf, openCheckout, postback, setup } from '../../src/paypal/test-kit';

async function paid(action: 'pay' | 'pending' | 'deny' | 'fail' = 'pay', vars = BUY_NOW) {
  const kit = setup();
  const { sessionId } = await openCheckout(kit.sandbox, vars);
  await kit.sandbox.paypal.act(sessionId, action);
  await kit.sandbox.flush();
  const txnId = kit.sandbox.paypal.transactions()[0]?.txnId ?? '';
  const ipnFields = () => kit.received.map((call) => fieldsOf(call.text));
  return { ...kit, txnId, ipnFields };
}

describe('PayPal payment lifecycles', () => {
  it('pending then completed on the same txn_id', async () => {
    const kit = await paid('pending');
    kit.sandbox.paypal.completePending(kit.txnId);
    await kit.sandbox.flush();
    expect(
      kit.ipnFields().map((f) => [f.txn_id, f.payment_status, f.pending_reason, f.payment_type]),
    ).toEqual([
      [kit.txnId, 'Pending', 'echeck', 'echeck'],
      [kit.txnId, 'Completed', undefined, 'echeck'],
    ]);
    expect(kit.sandbox.paypal.transactions()[0]?.status).toBe('Completed');
    expect(() => kit.sandbox.paypal.completePending(kit.txnId)).toThrow(/not Pending/);
  });

  it('pending then denied; act deny and fail send Pending then Denied / Failed', async () => {
    const pending = await paid('pending');
    pending.sandbox.paypal.denyPending(pending.txnId);
    await pending.sandbox.flush();
    expect(pending.ipnFields().map((f) => f.payment_status)).toEqual(['Pending', 'Denied']);
    const denied = await paid('deny');
    expect(denied.ipnFields().map((f) => [f.payment_status, f.pending_reason])).toEqual([
      ['Pending', 'paymentreview'],
      ['Denied', undefined],
    ]);
    const failed = await paid('fail');
    expect(failed.ipnFields().map((f) => f.payment_status)).toEqual(['Pending', 'Failed']);
  });

  it('full refund: new txn, Refunded, negative mc_gross and mc_fee, parent_txn_id, no txn_type', async () => {
    const kit = await paid();
    kit.sandbox.paypal.refund(kit.txnId);
    await kit.sandbox.flush();
    const refund = kit.ipnFields()[1] ?? {};
    expect(refund).toMatchObject({
      payment_status: 'Refunded',
      reason_code: 'refund',
      parent_txn_id: kit.txnId,
      mc_gross: '-10.00',
      invoice: 'INV-1',
      custom: 'pay_123',
    });
    expect(refund.txn_id).not.toBe(kit.txnId);
    expect(refund).not.toHaveProperty('txn_type');
    expect(Number(refund.mc_fee)).toBeLessThan(0);
    expect(kit.sandbox.paypal.transactions().map((t) => [t.kind, t.status, t.amount])).toEqual([
      ['payment', 'Refunded', '10.00'],
      ['refund', 'Refunded', '-10.00'],
    ]);
    expect((await postback(kit.sandbox, `cmd=_notify-validate&${kit.received[1]?.text}`)).text).toBe(
      'VERIFIED',
    );
  });

  it('partial refunds add up and cannot exceed the payment', async () => {
    const kit = await paid();
    kit.sandbox.paypal.refund(kit.txnId, '4.00');
    expect(kit.sandbox.paypal.transactions()[0]?.status).toBe('Partially_Refunded');
    expect(() => kit.sandbox.paypal.refund(kit.txnId, '6.01')).toThrow(/exceeds/);
    expect(() => kit.sandbox.paypal.refund(kit.txnId, '1.001')).toThrow(/decimals/);
    kit.sandbox.paypal.refund(kit.txnId);
    await kit.sandbox.flush();
    expect(kit.ipnFields().map((f) => f.mc_gross)).toEqual(['10.00', '-4.00', '-6.00']);
    expect(kit.sandbox.paypal.transactions()[0]?.status).toBe('Refunded');
  });

  it('reversal then canceled reversal', async () => {
    const kit = await paid();
    kit.sandbox.paypal.reverse(kit.txnId);
    kit.sandbox.paypal.cancelReversal(kit.txnId);
    await kit.sandbox.flush();
    const [, reversed, canceled] = kit.ipnFields();
    expect(reversed).toMatchObject({
      payment_status: 'Reversed',
      reason_code: 'chargeback',
      parent_txn_id: kit.txnId,
      mc_gross: '-10.00',
    });
    expect(canceled).toMatchObject({
      payment_status: 'Canceled_Reversal',
      parent_txn_id: kit.txnId,
      mc_gross: '10.00',
    });
    expect(new Set([kit.txnId, reversed?.txn_id, canceled?.txn_id]).size).toBe(3);
    expect(kit.sandbox.paypal.transactions()[0]?.status).toBe('Completed');
    expect(() => kit.sandbox.paypal.cancelReversal(kit.txnId)).toThrow(/not reversed/);
  });

  it('refuses controls on unknown or unsuitable transactions', async () => {
    const kit = await paid('pending');
    expect(() => kit.sandbox.paypal.refund('NOPE')).toThrow(/No PayPal transaction/);
    expect(() => kit.sandbox.paypal.refund(kit.txnId)).toThrow(/cannot be refunded/);
    expect(() => kit.sandbox.paypal.reverse(kit.txnId)).toThrow(/cannot be reversed/);
  });

  it('zero-decimal currencies are written without decimals', async () => {
    const kit = await paid('pay', { ...BUY_NOW, currency_code: 'JPY', amount: '1500' });
    kit.sandbox.paypal.refund(kit.txnId, '500');
    await kit.sandbox.flush();
    expect(kit.ipnFields().map((f) => [f.mc_gross, f.mc_currency])).toEqual([
      ['1500', 'JPY'],
      ['-500', 'JPY'],
    ]);
  });

  it('USD payments also carry the legacy payment_gross', async () => {
    const kit = await paid('pay', { ...BUY_NOW, currency_code: 'USD' });
    expect(kit.ipnFields()[0]).toMatchObject({ payment_gross: '10.00', mc_gross: '10.00' });
  });
});
