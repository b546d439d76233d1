import { describe, expect, it } from 'vitest';
import { TERMS_MISMATCH_KEY, termsMismatchKey } from '../src/lib/subscription-outcome';
import { MONTH, setup } from './support/e2e';

const YEAR = 12 * MONTH;
/** The terms marks on a payment (one per subscription id). */
const marks = (brokerData: Record<string, unknown>) =>
  Object.keys(brokerData).filter((key) => key.startsWith(TERMS_MISMATCH_KEY));

/** A buyer turns the monthly Subscribe form into a yearly one (p3/t3) before submitting it to PayPal. */
describe('PayPal subscription with terms the buyer edited, end to end', () => {
  const renewalsOf = async (t: ReturnType<typeof setup>, paymentId: string) =>
    (await t.store.listPayments({ limit: 50 })).items.filter((p) => p.parentPaymentId === paymentId);

  it('signup and every renewal are anomalies: acknowledged, nothing credited', async () => {
    const t = setup();
    const { paymentId, session, fields } = await t.start('sub-', { p3: '1', t3: 'Y' });
    expect(fields).toMatchObject({ p3: '1', t3: 'M' });
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    await t.sandbox.advance(YEAR);

    // PayPal took a year's worth of money at the monthly price, twice.
    const sent = t.sandbox.paypal.ipns();
    const signup = sent.find((ipn) => ipn.txnType === 'subscr_signup');
    expect(signup?.fields).toContainEqual(['period3', '1 Y']);
    const subscrId = signup?.fields.find(([name]) => name === 'subscr_id')?.[1];
    expect(sent.filter((ipn) => ipn.txnType === 'subscr_payment')).toHaveLength(2);

    expect(await renewalsOf(t, paymentId)).toEqual([]);
    const parent = await t.get(paymentId);
    expect(parent).toMatchObject({ status: 'new', amountPaid: 0, subscription: null });
    expect(parent.brokerData[termsMismatchKey(subscrId as string)]).toMatchObject({
      subscriptionId: subscrId,
      terms: { period3: '1 Y', mc_amount3: '19.99' },
    });
    expect(t.anomalies).toEqual(['AMOUNT_MISMATCH', 'AMOUNT_MISMATCH', 'AMOUNT_MISMATCH']);
    const inbound = await t.notifications();
    expect(inbound).toHaveLength(3);
    for (const message of inbound) expect(message.responseStatus).toBe(200);
    expect(inbound.map((m) => m.verdict).sort()).toEqual(['rejected', 'rejected', 'verified']);
  });

  it('a renewal that came before the edited signup was credited; the ones after it are not', async () => {
    const t = setup();
    t.sandbox.paypal.faults.reorder = true;
    const { paymentId, session } = await t.start('sub-', { p3: '1', t3: 'Y' });
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    // Only the signup can tell the period: the first payment was already credited when it came.
    expect(await renewalsOf(t, paymentId)).toMatchObject([{ status: 'paid', amountPaid: 1999 }]);
    expect(marks((await t.get(paymentId)).brokerData)).toHaveLength(1);
    expect(t.anomalies).toEqual(['AMOUNT_MISMATCH']);

    await t.sandbox.advance(YEAR);
    expect(t.sandbox.paypal.ipns().filter((ipn) => ipn.txnType === 'subscr_payment')).toHaveLength(2);
    expect(await renewalsOf(t, paymentId)).toHaveLength(1);
    expect(t.anomalies).toEqual(['AMOUNT_MISMATCH', 'AMOUNT_MISMATCH']);
  });

  it('a subscription modified to a yearly period: later renewals are not credited', async () => {
    const t = setup();
    const { paymentId, session } = await t.start('sub-');
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    const subscrId = (await t.get(paymentId)).subscription?.id as string;
    t.sandbox.paypal.modifySubscription(subscrId, { period: { amountMinor: 1999, count: 1, unit: 'Y' } });
    await t.sandbox.flush();
    expect((await t.get(paymentId)).brokerData[termsMismatchKey(subscrId)]).toMatchObject({
      subscriptionId: subscrId,
      terms: { period3: '1 Y' },
    });
    await t.sandbox.advance(YEAR);
    expect(t.sandbox.paypal.ipns().filter((ipn) => ipn.txnType === 'subscr_payment')).toHaveLength(2);
    expect(await renewalsOf(t, paymentId)).toMatchObject([{ status: 'paid', amountPaid: 1999 }]);
    expect(t.anomalies).toEqual(['AMOUNT_MISMATCH', 'AMOUNT_MISMATCH']);
  });

  it('an unedited monthly plan is not marked and its renewals are credited', async () => {
    const t = setup();
    const { paymentId, session } = await t.start('sub-');
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    await t.sandbox.advance(MONTH);
    expect(marks((await t.get(paymentId)).brokerData)).toEqual([]);
    expect(await renewalsOf(t, paymentId)).toHaveLength(2);
    expect(t.anomalies).toEqual([]);
  });
});
