import { describe, expect, it } from 'vitest';
import { setup, TXN } from './support/nvp-peer';

/** Refunds from bridge.refund and their IPNs, against a scripted NVP peer. */
describe('PayPal NVP refunds (scripted peer)', () => {
  it('partial then full refund: Partial with AMT and CURRENCYCODE, MSGSUBID; the refund IPN counts once', async () => {
    let paymentId = '';
    let n = 0;
    const t = setup((fields) => {
      n += 1;
      return {
        ACK: 'Success',
        REFUNDTRANSACTIONID: `REFUND${n}0000000000`.slice(0, 17),
        GROSSREFUNDAMT: fields.get('AMT') ?? '19.99',
        REFUNDSTATUS: 'Instant',
        PENDINGREASON: 'None',
      };
    });
    paymentId = await t.start();
    await t.ipn(paymentId, {});
    const partial = await t.bridge.refund(paymentId, { amount: 500, idempotencyKey: 'rma-1' });
    expect(partial).toMatchObject({ status: 'partially_refunded', amountRefunded: 500 });
    expect(Object.fromEntries(t.calls[0] as URLSearchParams)).toMatchObject({
      METHOD: 'RefundTransaction',
      TRANSACTIONID: TXN,
      REFUNDTYPE: 'Partial',
      AMT: '5.00',
      CURRENCYCODE: 'EUR',
      MSGSUBID: partial.refunds[0]?.id,
    });
    // The refund IPN of the same refund transaction: the same refund, not a second one.
    const refundIpn = {
      txn_id: 'REFUND10000000000',
      parent_txn_id: TXN,
      payment_status: 'Refunded',
      reason_code: 'refund',
      mc_gross: '-5.00',
      mc_fee: '0.00',
    };
    expect(await t.ipn(paymentId, refundIpn)).toBe(200);
    expect(await t.get(paymentId)).toMatchObject({ amountRefunded: 500 });
    expect((await t.get(paymentId)).refunds).toHaveLength(1);
    // A back-office refund (IPN only) is a refund of its own.
    expect(await t.ipn(paymentId, { ...refundIpn, txn_id: 'BACKOFFICE0000001', mc_gross: '-1.00' })).toBe(
      200,
    );
    expect(await t.get(paymentId)).toMatchObject({ amountRefunded: 600 });
    const rest = await t.bridge.refund(paymentId);
    expect(rest).toMatchObject({ status: 'refunded', amountRefunded: 1999 });
    expect(t.calls[1]?.get('REFUNDTYPE')).toBe('Partial');
    expect(t.calls[1]?.get('AMT')).toBe('13.99');
  });

  it('full refund: Full without AMT; a refusal (10009) releases the amount with a stable code', async () => {
    let refuse = true;
    const t = setup((fields): Record<string, string> => {
      if (refuse)
        return {
          ACK: 'Failure',
          L_ERRORCODE0: '10009',
          L_SHORTMESSAGE0: 'Transaction refused',
          L_LONGMESSAGE0: 'The refund is over the time limit',
          L_SEVERITYCODE0: 'Error',
        };
      expect(fields.get('AMT')).toBeNull();
      return { ACK: 'Success', REFUNDTRANSACTIONID: 'REFUNDFULL0000001', GROSSREFUNDAMT: '19.99' };
    });
    const paymentId = await t.start();
    await t.ipn(paymentId, {});
    await expect(t.bridge.refund(paymentId)).rejects.toMatchObject({
      code: 'BROKER_ERROR',
      details: { errorCodes: ['10009'], correlationId: 'c0ffee12345' },
    });
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountRefunded: 0 });
    refuse = false;
    expect(await t.bridge.refund(paymentId)).toMatchObject({ status: 'refunded', amountRefunded: 1999 });
    expect(t.calls[1]?.get('REFUNDTYPE')).toBe('Full');
  });

  it('a refund IPN racing our refund answer waits (503), then counts once', async () => {
    let paymentId = '';
    const holder: { ipnStatus?: number } = {};
    const t = setup(() => ({
      ACK: 'Success',
      REFUNDTRANSACTIONID: 'REFUNDRACE0000001',
      GROSSREFUNDAMT: '19.99',
    }));
    paymentId = await t.start();
    await t.ipn(paymentId, {});
    const refundIpn = {
      txn_id: 'REFUNDRACE0000001',
      parent_txn_id: TXN,
      payment_status: 'Refunded',
      mc_gross: '-19.99',
    };
    // The IPN arrives while the refund is reserved and its answer not recorded yet.
    const original = t.bridge.backend('paypal');
    const refundFn = original.refund?.bind(original);
    (original as { refund: typeof refundFn }).refund = async (...args) => {
      holder.ipnStatus = await t.ipn(paymentId, refundIpn);
      return (refundFn as NonNullable<typeof refundFn>)(...args);
    };
    await t.bridge.refund(paymentId);
    expect(holder.ipnStatus).toBe(503);
    expect(await t.ipn(paymentId, refundIpn)).toBe(200);
    expect(await t.get(paymentId)).toMatchObject({ status: 'refunded', amountRefunded: 1999 });
    expect((await t.get(paymentId)).refunds).toHaveLength(1);
  });

  it('our refund whose answer was lost: its IPN waits, then after 10 minutes is taken as that refund', async () => {
    let paymentId = '';
    const t = setup(() => {
      throw new Error('connection reset');
    });
    paymentId = await t.start();
    await t.ipn(paymentId, {});
    await expect(t.bridge.refund(paymentId, { idempotencyKey: 'lost' })).rejects.toMatchObject({
      code: 'BROKER_UNAVAILABLE',
    });
    const refundIpn = {
      txn_id: 'REFUNDLOST0000001',
      parent_txn_id: TXN,
      payment_status: 'Refunded',
      mc_gross: '-19.99',
    };
    expect(await t.ipn(paymentId, refundIpn)).toBe(503);
    t.advance(11 * 60_000);
    expect(await t.ipn(paymentId, refundIpn)).toBe(200);
    const after = await t.get(paymentId);
    expect(after).toMatchObject({ status: 'refunded', amountRefunded: 1999 });
    expect(after.refunds.map((r) => r.status)).toEqual(['succeeded']);
  });
});
