import type { NotificationOutcome, Payment } from '@paybridge/core';
import { describe, expect, it } from 'vitest';
import { paypal } from '../src/paypal';
import { encodeIpn, ipnRequest, testContext, testPayment, webAcceptIpn } from './support/fixtures';

/** Subscription IPNs (subscr_*) and the payments of a subscription, through handleNotification. */
const backend = paypal({
  business: 'merchant@example.com',
  receiverId: 'MERCHANT12345',
  receiverEmails: ['merchant@example.com'],
});

async function notify(pairs: Array<[string, string]>, payments: Payment[]) {
  const outcome = await backend.handleNotification(ipnRequest(encodeIpn(pairs)), testContext(payments));
  return { outcome };
}

const facts = (outcome: NotificationOutcome) => (outcome.verdict === 'verified' ? outcome.updates : null);

describe('subscriptions', () => {
  const plan = testPayment({ recurrence: { interval: 'month', every: 1 } });
  const subscr = (txnType: string, extra: Record<string, string | null> = {}) =>
    webAcceptIpn({
      txn_type: txnType,
      subscr_id: 'I-ABCDEFGHIJKL',
      payment_status: null,
      txn_id: null,
      mc_gross: null,
      receiver_id: null,
      subscr_date: '20:12:59 Nov 20, 2026 PST',
      ...extra,
    });

  it('subscr_signup → subscription signup, checked against the plan', async () => {
    const { outcome } = await notify(subscr('subscr_signup', { period3: '1 M', mc_amount3: '19.99' }), [
      plan,
    ]);
    expect(facts(outcome)?.[0]?.facts).toEqual([
      expect.objectContaining({
        type: 'subscription',
        event: 'signup',
        subscriptionId: 'I-ABCDEFGHIJKL',
        eventId: 'I-ABCDEFGHIJKL:subscr_signup:b3c4d5e6f7a81',
      }),
    ]);
    // Other terms are anomalies that mark the payment (subscription-terms.test.ts), never a signup.
    const anomaly = (outcome: NotificationOutcome) =>
      outcome.verdict === 'verified' ? outcome.anomalies?.map((a) => a.code) : outcome.verdict;
    const cheaper = await notify(subscr('subscr_signup', { period3: '1 M', mc_amount3: '1.99' }), [plan]);
    expect(anomaly(cheaper.outcome)).toEqual(['AMOUNT_MISMATCH']);
    const longer = await notify(subscr('subscr_signup', { period3: '1 Y', mc_amount3: '19.99' }), [plan]);
    expect(anomaly(longer.outcome)).toEqual(['AMOUNT_MISMATCH']);
    const trial = await notify(
      subscr('subscr_signup', { period3: '1 M', mc_amount3: '19.99', mc_amount1: '0.00' }),
      [plan],
    );
    expect(anomaly(trial.outcome)).toEqual(['AMOUNT_MISMATCH']);
    const dollars = await notify(
      subscr('subscr_signup', { period3: '1 M', mc_amount3: '19.99', mc_currency: 'USD' }),
      [plan],
    );
    expect(anomaly(dollars.outcome)).toEqual(['CURRENCY_MISMATCH']);
    for (const { outcome: tampered } of [cheaper, longer, trial, dollars]) {
      expect(facts(tampered)?.flatMap((u) => u.facts.map((f) => f.type))).toEqual(['broker_data']);
    }
  });

  it('subscr_payment → a captured child payment keyed by txn_id', async () => {
    const { outcome } = await notify(
      webAcceptIpn({ txn_type: 'subscr_payment', subscr_id: 'I-ABCDEFGHIJKL', txn_id: '1AB23456CD7890123' }),
      [plan],
    );
    expect(facts(outcome)).toEqual([
      {
        paymentId: plan.id,
        transactionId: '1AB23456CD7890123',
        child: {
          key: '1AB23456CD7890123',
          externalId: '1AB23456CD7890123',
          amount: 1999,
          currency: 'EUR',
          description: 'Blue teapot',
          subscriptionId: 'I-ABCDEFGHIJKL',
        },
        facts: [
          expect.objectContaining({
            type: 'captured',
            captureId: '1AB23456CD7890123',
            eventId: '1AB23456CD7890123:Completed',
          }),
        ],
      },
    ]);
  });

  it('a refund of a renewal goes to that renewal', async () => {
    const refund = webAcceptIpn({
      txn_type: null,
      subscr_id: 'I-ABCDEFGHIJKL',
      payment_status: 'Refunded',
      txn_id: 'R0000000000000002',
      parent_txn_id: '1AB23456CD7890123',
      mc_gross: '-19.99',
    });
    const viaParent = await notify(refund, [plan]);
    expect(facts(viaParent.outcome)?.[0]).toMatchObject({
      paymentId: plan.id,
      child: { key: '1AB23456CD7890123' },
    });
    const renewal = testPayment({
      id: 'pay_child',
      externalId: '1AB23456CD7890123',
      parentPaymentId: plan.id,
    });
    const direct = await notify(refund, [plan, renewal]);
    expect(facts(direct.outcome)?.[0]).toMatchObject({ paymentId: 'pay_child' });
    expect(facts(direct.outcome)?.[0]).not.toHaveProperty('child');
  });

  it.each([
    ['subscr_failed', 'payment_failed'],
    ['subscr_cancel', 'cancelled'],
    ['subscr_eot', 'ended'],
    ['subscr_modify', 'modified'],
  ])('%s → subscription %s', async (txnType, event) => {
    const { outcome } = await notify(subscr(txnType, { ipn_track_id: null }), [plan]);
    expect(facts(outcome)?.[0]?.facts).toEqual([
      expect.objectContaining({
        type: 'subscription',
        event,
        eventId: `I-ABCDEFGHIJKL:${txnType}:20:12:59 Nov 20, 2026 PST`,
      }),
    ]);
  });

  it('refuses subscription messages for a one-off payment or another receiver', async () => {
    expect((await notify(subscr('subscr_cancel'), [testPayment()])).outcome).toMatchObject({
      code: 'UNKNOWN_PAYMENT',
    });
    const thief = await notify(subscr('subscr_cancel', { receiver_email: 'thief@example.com' }), [plan]);
    expect(thief.outcome).toMatchObject({ code: 'RECEIVER_MISMATCH' });
  });
});
