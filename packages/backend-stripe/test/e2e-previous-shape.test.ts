import { storeInPreviousShape } from '@paybridge/core/testing';
import { describe, expect, it } from 'vitest';
import { CARD_OK, setup } from './support/e2e';

describe('a Stripe payment stored by paybridge 0.1 (bookkeeping flat in brokerData)', () => {
  it('its open session pays it and it refunds; the record is written back under brokerData.stripe', async () => {
    const t = setup();
    const { paymentId, sessionId } = await t.start();
    const flat = await storeInPreviousShape(t.store, paymentId);
    expect(flat).toMatchObject({ stripeSession: sessionId });

    await t.act(sessionId, { card: CARD_OK });
    const paid = await t.store.getPayment(paymentId);
    expect(paid).toMatchObject({ status: 'paid', amountPaid: 1999 });
    expect(paid?.brokerData).toEqual({ stripe: { ...flat, stripePaymentIntent: expect.any(String) } });

    expect(await t.bridge.refund(paymentId, {})).toMatchObject({ status: 'refunded', amountRefunded: 1999 });
  });
});
