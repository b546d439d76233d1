import { describe, expect, it } from 'vitest';
import { applyFacts } from '../src/status-machine';
import { makePayment } from '../src/testing/fixtures';
import type { Payment, PaymentFact } from '../src/types';

let seq = 0;
const opts = () => ({ now: '2026-01-01T00:00:00.000Z', newId: () => `trn_${++seq}` });
type SubscriptionEvent = Extract<PaymentFact, { type: 'subscription' }>['event'];
const sub = (
  event: SubscriptionEvent,
  subscriptionId: string,
  eventId = `${subscriptionId}:${event}`,
): PaymentFact => ({
  type: 'subscription',
  eventId,
  event,
  subscriptionId,
});

function run(
  facts: PaymentFact[],
  start: Payment = makePayment({ recurrence: { interval: 'month', every: 1 } }),
) {
  let payment = start;
  const events: string[] = [];
  const anomalies: string[] = [];
  for (const fact of facts) {
    const result = applyFacts(payment, [fact], opts());
    payment = result.payment;
    events.push(...result.transitions.flatMap((t) => t.effects.map((e) => e.event)));
    anomalies.push(...result.anomalies.map((a) => a.code));
  }
  return { payment, events, anomalies };
}

describe('binding: subscriptions (status machine)', () => {
  it('issue 14 item 1: the first signup binds; another subscription can neither take over, re-term nor end it', () => {
    const { payment, events, anomalies } = run([
      sub('signup', 'I-VICTIM'),
      sub('signup', 'I-STRANGER'),
      sub('modified', 'I-STRANGER'),
      sub('cancelled', 'I-STRANGER'),
      sub('ended', 'I-STRANGER'),
    ]);
    expect(payment.subscription).toMatchObject({ id: 'I-VICTIM', status: 'active' });
    expect(payment.subscription).not.toHaveProperty('awaitingSignup');
    expect(events).toEqual(['subscription.signup']);
    expect(anomalies).toEqual(Array(4).fill('OTHER_TRANSACTION'));
    // Its own end still ends it.
    expect(run([sub('ended', 'I-VICTIM')], payment).payment.subscription?.status).toBe('ended');
  });

  it('news before any signup is held unannounced, and a signup of another subscription replaces it', () => {
    const early = run([sub('ended', 'I-STRANGER')]);
    expect(early.payment.subscription).toMatchObject({
      id: 'I-STRANGER',
      status: 'ended',
      awaitingSignup: true,
    });
    expect(early.events).toEqual([]);
    // News of a third subscription while one is held: refused.
    expect(run([sub('cancelled', 'I-THIRD')], early.payment).anomalies).toEqual(['OTHER_TRANSACTION']);
    const signed = run([sub('signup', 'I-VICTIM')], early.payment);
    expect(signed.payment.subscription).toEqual({
      id: 'I-VICTIM',
      status: 'active',
      updatedAt: '2026-01-01T00:00:00.000Z',
      data: {},
    });
    expect(signed.events).toEqual(['subscription.signup']);
  });

  it('the signup of the held subscription binds it and announces where it stands', () => {
    const { payment, events } = run([sub('cancelled', 'I-1'), sub('signup', 'I-1')]);
    expect(payment.subscription).toMatchObject({ id: 'I-1', status: 'cancelled' });
    expect(payment.subscription).not.toHaveProperty('awaitingSignup');
    expect(events).toEqual(['subscription.cancelled']);
  });
});

describe('binding: transactions (status machine)', () => {
  const failed = (transactionId: string): PaymentFact => ({
    type: 'failed',
    eventId: `${transactionId}:failed`,
    reason: 'Denied',
    transactionId,
  });
  const captured = (transactionId: string): PaymentFact => ({
    type: 'captured',
    eventId: `${transactionId}:captured`,
    captureId: transactionId,
    amount: 1999,
    currency: 'EUR',
    transactionId,
  });

  it('a failure names its transaction: it ends only a payment bound to that one', () => {
    const unbound = applyFacts(makePayment(), [failed('T-1')], opts());
    expect(unbound).toMatchObject({ changed: false, payment: { status: 'new' } });
    expect(unbound.outcomes[0]).toMatchObject({ result: 'ignored', otherAttempt: true });
    const bound = applyFacts(makePayment({ externalId: 'T-1' }), [failed('T-1')], opts());
    expect(bound.payment.status).toBe('failed');
  });

  it('the first capture binds; a later authorization of another transaction is an anomaly', () => {
    const paid = applyFacts(makePayment(), [captured('T-1')], opts());
    expect(paid.payment).toMatchObject({ status: 'paid', externalId: 'T-1' });
    const other = applyFacts(
      makePayment({ externalId: 'T-1', status: 'pending' }),
      [{ type: 'authorized', eventId: 'a', amount: 1999, currency: 'EUR', transactionId: 'T-2' }],
      opts(),
    );
    expect(other.payment.status).toBe('pending');
    expect(other.anomalies.map((a) => a.code)).toEqual(['OTHER_TRANSACTION']);
  });

  it('a refund arriving before its capture binds the payment to the refunded transaction', () => {
    const refunded: PaymentFact = {
      type: 'refunded',
      eventId: 'R-1',
      refundId: 'R-1',
      amount: 1999,
      currency: 'EUR',
      transactionId: 'T-1',
    };
    const early = applyFacts(makePayment(), [refunded], opts());
    expect(early.payment.externalId).toBe('T-1');
    const late = applyFacts(early.payment, [captured('T-1')], opts());
    expect(late.payment).toMatchObject({ status: 'refunded', amountPaid: 1999, amountRefunded: 1999 });
    // On a payment bound to another transaction, a refund of money it never recorded is refused.
    const other = applyFacts(
      late.payment,
      [{ ...refunded, eventId: 'R-2', refundId: 'R-2', transactionId: 'T-9' }],
      opts(),
    );
    expect(other.anomalies.map((a) => a.code)).toEqual(['OTHER_TRANSACTION']);
  });

  it('facts that name no transaction (operations, pulls) are not checked', () => {
    const result = applyFacts(
      makePayment({ externalId: 'T-1' }),
      [{ type: 'failed', eventId: 'void', reason: 'voided' }],
      opts(),
    );
    expect(result.payment.status).toBe('failed');
  });
});
