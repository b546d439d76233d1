import type { NotificationOutcome, Payment, PaymentFact } from '@paybridge/core';
import { describe, expect, it } from 'vitest';
import { termsMismatchKey } from '../src/lib/subscription-outcome';
import { paypal } from '../src/paypal';
import { encodeIpn, ipnRequest, testContext, testPayment, webAcceptIpn } from './support/fixtures';

/**
 * A buyer can edit the plain Subscribe form (p3/t3, a3, a trial). PayPal then reports those terms in
 * `subscr_signup` only: `subscr_payment` names no period. The signup leaves a mark on the payment, and
 * no renewal of a marked payment is ever credited.
 */
const backend = paypal({
  business: 'merchant@example.com',
  receiverId: 'MERCHANT12345',
  receiverEmails: ['merchant@example.com'],
});

const notify = (pairs: Array<[string, string]>, payments: Payment[]) =>
  backend.handleNotification(ipnRequest(encodeIpn(pairs)), testContext(payments));

const plan = testPayment({ recurrence: { interval: 'month', every: 1 } });
const SUBSCR_ID = 'I-ABCDEFGHIJKL';
const MARK = termsMismatchKey(SUBSCR_ID);

const signup = (extra: Record<string, string | null>) =>
  webAcceptIpn({
    txn_type: 'subscr_signup',
    subscr_id: SUBSCR_ID,
    payment_status: null,
    txn_id: null,
    mc_gross: null,
    subscr_date: '20:12:59 Nov 20, 2026 PST',
    period3: '1 M',
    mc_amount3: '19.99',
    recurring: '1',
    ...extra,
  });

const renewal = (extra: Record<string, string | null> = {}) =>
  webAcceptIpn({ txn_type: 'subscr_payment', subscr_id: SUBSCR_ID, txn_id: '1AB23456CD7890123', ...extra });

/** The payment as the core leaves it after applying the outcome's broker_data facts (a shallow merge). */
function afterApplying(payment: Payment, outcome: NotificationOutcome): Payment {
  if (outcome.verdict !== 'verified') return payment;
  const data = outcome.updates
    .flatMap((update) => update.facts)
    .filter((fact): fact is Extract<PaymentFact, { type: 'broker_data' }> => fact.type === 'broker_data')
    .reduce((merged, fact) => Object.assign(merged, fact.data), {} as Record<string, unknown>);
  return { ...payment, brokerData: { ...payment.brokerData, ...data } };
}

describe('subscription terms the buyer edited', () => {
  it('a yearly signup for a monthly plan is an anomaly that only marks the payment', async () => {
    const outcome = await notify(signup({ period3: '1 Y' }), [plan]);
    expect(outcome).toMatchObject({
      verdict: 'verified',
      ack: { status: 200 },
      anomalies: [
        {
          code: 'AMOUNT_MISMATCH',
          paymentId: plan.id,
          eventId: `${SUBSCR_ID}:subscr_signup:b3c4d5e6f7a81`,
          message: expect.stringContaining('plan 1 Y is not 1 M'),
        },
      ],
    });
    expect(outcome.verdict === 'verified' && outcome.updates).toEqual([
      {
        paymentId: plan.id,
        facts: [
          {
            type: 'broker_data',
            eventId: `${SUBSCR_ID}:subscr_signup:b3c4d5e6f7a81:terms`,
            data: {
              [MARK]: {
                subscriptionId: SUBSCR_ID,
                eventId: `${SUBSCR_ID}:subscr_signup:b3c4d5e6f7a81`,
                reason: 'plan 1 Y is not 1 M',
                terms: { mc_currency: 'EUR', mc_amount3: '19.99', period3: '1 Y' },
              },
            },
          },
        ],
      },
    ]);
  });

  it.each([
    ['a cheaper regular amount', { mc_amount3: '1.99' }, 'AMOUNT_MISMATCH'],
    ['a free trial', { mc_amount1: '0.00', period1: '1 Y' }, 'AMOUNT_MISMATCH'],
    [
      'a paid second trial',
      { mc_amount1: '0.00', period1: '7 D', mc_amount2: '0.01', period2: '1 Y' },
      'AMOUNT_MISMATCH',
    ],
    ['another currency', { mc_currency: 'USD' }, 'CURRENCY_MISMATCH'],
  ])('%s marks the payment too (%o → %s)', async (_label, terms, code) => {
    const outcome = await notify(signup(terms), [plan]);
    expect(outcome).toMatchObject({ verdict: 'verified', anomalies: [{ code, paymentId: plan.id }] });
    expect(afterApplying(plan, outcome).brokerData[MARK]).toMatchObject({
      subscriptionId: SUBSCR_ID,
      terms,
    });
  });

  it('every renewal of a marked payment is refused, whatever its status; unmarked ones are credited', async () => {
    const marked = afterApplying(plan, await notify(signup({ period3: '1 Y' }), [plan]));
    expect(marked.brokerData[MARK]).toBeTruthy();
    const statuses: Array<Record<string, string>> = [
      {},
      { payment_status: 'Pending', pending_reason: 'echeck' },
      { payment_status: 'Denied' },
    ];
    for (const status of statuses) {
      const outcome = await notify(renewal(status), [marked]);
      expect(outcome).toEqual({
        verdict: 'rejected',
        code: 'AMOUNT_MISMATCH',
        message: expect.stringContaining(`${SUBSCR_ID}:subscr_signup:b3c4d5e6f7a81 of ${plan.id}`),
        paymentId: plan.id,
        ack: { status: 200 },
      });
    }
    // The same renewal before any signup (PayPal does not keep the order) is a paid child payment.
    const early = await notify(renewal(), [plan]);
    expect(early).toMatchObject({
      verdict: 'verified',
      updates: [{ paymentId: plan.id, child: { key: '1AB23456CD7890123' }, facts: [{ type: 'captured' }] }],
    });
  });

  it('a signup with our terms leaves no mark and its renewals are credited', async () => {
    const outcome = await notify(signup({}), [plan]);
    expect(outcome).toMatchObject({ verdict: 'verified', updates: [{ facts: [{ type: 'subscription' }] }] });
    expect(outcome).not.toHaveProperty('anomalies');
    const after = afterApplying(plan, outcome);
    expect(after.brokerData).toEqual({});
    expect(await notify(renewal(), [after])).toMatchObject({ verdict: 'verified' });
  });

  it('a modification to other terms marks the payment; one that names no terms does not', async () => {
    const modify = (extra: Record<string, string | null>) =>
      signup({
        txn_type: 'subscr_modify',
        subscr_date: null,
        subscr_effective: '00:00:00 Dec 20, 2026 PST',
        ...extra,
      });
    const yearly = await notify(modify({ period3: '1 Y' }), [plan]);
    expect(yearly).toMatchObject({
      verdict: 'verified',
      anomalies: [{ code: 'AMOUNT_MISMATCH', eventId: `${SUBSCR_ID}:subscr_modify:b3c4d5e6f7a81` }],
    });
    expect(afterApplying(plan, yearly).brokerData[MARK]).toMatchObject({
      terms: { period3: '1 Y' },
    });
    const bare = await notify(modify({ period3: null, mc_amount3: null }), [plan]);
    expect(bare).toMatchObject({ verdict: 'verified', updates: [{ facts: [{ event: 'modified' }] }] });
    expect(bare).not.toHaveProperty('anomalies');
  });

  it('on a marked payment, news of an active subscription is refused, its end still applies', async () => {
    const marked = afterApplying(plan, await notify(signup({ period3: '1 Y' }), [plan]));
    for (const txnType of ['subscr_signup', 'subscr_modify', 'subscr_failed']) {
      const outcome = await notify(signup({ txn_type: txnType, ipn_track_id: `${txnType}-1` }), [marked]);
      expect(outcome).toMatchObject({ verdict: 'rejected', code: 'AMOUNT_MISMATCH', paymentId: plan.id });
    }
    // Other terms again for this subscription keep its first mark as it is; another subscription on
    // the same invoice gets a mark of its own (marks are per subscription id, issue 14 item 1).
    const again = await notify(signup({ mc_amount3: '0.99', ipn_track_id: 'again-1' }), [marked]);
    expect(again).toMatchObject({ verdict: 'rejected', code: 'AMOUNT_MISMATCH', paymentId: plan.id });
    const second = await notify(signup({ subscr_id: 'I-SECONDSUBSCR', mc_amount3: '0.99' }), [marked]);
    expect(second).toMatchObject({ verdict: 'verified', anomalies: [{ code: 'AMOUNT_MISMATCH' }] });
    expect(Object.keys(afterApplying(marked, second).brokerData).sort()).toEqual([
      MARK,
      termsMismatchKey('I-SECONDSUBSCR'),
    ]);
    for (const [txnType, event] of [
      ['subscr_cancel', 'cancelled'],
      ['subscr_eot', 'ended'],
    ] as const) {
      expect(await notify(signup({ txn_type: txnType }), [marked])).toMatchObject({
        verdict: 'verified',
        updates: [{ facts: [{ type: 'subscription', event }] }],
      });
    }
  });

  it('a signup paid to another account cannot mark our payment', async () => {
    const outcome = await notify(
      signup({ period3: '1 Y', receiver_email: 'thief@example.com', receiver_id: null }),
      [plan],
    );
    expect(outcome).toMatchObject({ verdict: 'rejected', code: 'RECEIVER_MISMATCH' });
  });

  it('a refund on a marked subscription still reaches the payment', async () => {
    const marked = afterApplying(plan, await notify(signup({ period3: '1 Y' }), [plan]));
    const refund = webAcceptIpn({
      txn_type: null,
      subscr_id: SUBSCR_ID,
      payment_status: 'Refunded',
      txn_id: 'R0000000000000002',
      parent_txn_id: '1AB23456CD7890123',
      mc_gross: '-19.99',
    });
    expect(await notify(refund, [marked])).toMatchObject({
      verdict: 'verified',
      updates: [{ paymentId: plan.id, facts: [{ type: 'refunded', amount: 1999 }] }],
    });
  });
});
