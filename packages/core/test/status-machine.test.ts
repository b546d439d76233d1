import { describe, expect, it } from 'vitest';
import { NO_MONEY_TRANSITIONS } from '../src/lib/status-step';
import { applyFacts, checkInvariants } from '../src/status-machine';
import { makePayment } from '../src/testing/fixtures';
import { PAYMENT_STATUSES, type Payment, type PaymentFact, type PaymentStatus } from '../src/types';

let seq = 0;
const opts = () => ({ now: '2026-01-01T00:00:00.000Z', newId: () => `trn_${++seq}` });
const base = (overrides: Partial<Payment> = {}) =>
  makePayment({ amount: 1000, currency: 'EUR', ...overrides });

const pending: PaymentFact = { type: 'pending', eventId: 'p' };
const authorized: PaymentFact = { type: 'authorized', eventId: 'a', amount: 1000, currency: 'EUR' };
const failed: PaymentFact = { type: 'failed', eventId: 'f', reason: 'declined' };
const expired: PaymentFact = { type: 'expired', eventId: 'e' };
const captured: PaymentFact = {
  type: 'captured',
  eventId: 'c',
  captureId: 'c1',
  amount: 1000,
  currency: 'EUR',
};

/** A payment in any status, built through the machine itself so it is consistent. */
function inStatus(status: PaymentStatus): Payment {
  const refund = (amount: number): PaymentFact => ({
    type: 'refunded',
    eventId: `r${amount}`,
    refundId: `r${amount}`,
    amount,
    currency: 'EUR',
  });
  const partial: PaymentFact = {
    type: 'captured',
    eventId: 'pc',
    captureId: 'pc',
    amount: 400,
    currency: 'EUR',
    partial: true,
  };
  const path: Record<PaymentStatus, PaymentFact[]> = {
    new: [],
    pending: [pending],
    authorized: [authorized],
    failed: [failed],
    expired: [expired],
    partially_paid: [partial],
    paid: [captured],
    partially_refunded: [captured, refund(300)],
    refunded: [captured, refund(1000)],
  };
  const result = applyFacts(base(), path[status], opts());
  expect(result.payment.status).toBe(status);
  return result.payment;
}

describe('status machine: the transition table, state by state', () => {
  const nonMoney: PaymentFact[] = [pending, authorized, failed, expired];
  // Written out by hand (not derived from NO_MONEY_TRANSITIONS) so that a wrong table fails here.
  //                                   + pending      + authorized    + failed    + expired
  const expected: Record<PaymentStatus, [PaymentStatus, PaymentStatus, PaymentStatus, PaymentStatus]> = {
    new: ['pending', 'authorized', 'failed', 'expired'],
    pending: ['pending', 'authorized', 'failed', 'expired'],
    authorized: ['authorized', 'authorized', 'failed', 'authorized'],
    failed: ['failed', 'failed', 'failed', 'failed'],
    expired: ['pending', 'authorized', 'failed', 'expired'],
    partially_paid: ['partially_paid', 'partially_paid', 'partially_paid', 'partially_paid'],
    paid: ['paid', 'paid', 'paid', 'paid'],
    partially_refunded: [
      'partially_refunded',
      'partially_refunded',
      'partially_refunded',
      'partially_refunded',
    ],
    refunded: ['refunded', 'refunded', 'refunded', 'refunded'],
  };
  const table = PAYMENT_STATUSES.flatMap((from) =>
    nonMoney.map((fact, i) => [from, fact.type, expected[from][i] as PaymentStatus] as const),
  );

  it('covers every status', () => {
    expect(Object.keys(expected).sort()).toEqual([...PAYMENT_STATUSES].sort());
    // The exported table says the same as the hand-written one for the statuses without money.
    for (const from of PAYMENT_STATUSES) {
      const moves = nonMoney.filter((_fact, i) => expected[from][i] !== from).map((f) => f.type);
      expect([...NO_MONEY_TRANSITIONS[from]].sort()).toEqual(moves.sort());
    }
  });

  it.each(table)('%s + %s → %s', (from, factType, to) => {
    const payment = inStatus(from);
    const fact = nonMoney.find((f) => f.type === factType) as PaymentFact;
    const result = applyFacts(payment, [{ ...fact, eventId: `x-${factType}` }], opts());
    expect(result.payment.status).toBe(to);
    // A change is one transition; a fact that changes nothing leaves none. The one change that keeps
    // the status: late news of the whole authorization after a part was captured.
    const lateAuthorization = from === 'partially_paid' && factType === 'authorized';
    expect(result.changed).toBe(to !== from || lateAuthorization);
    expect(result.transitions).toHaveLength(result.changed ? 1 : 0);
    if (lateAuthorization) expect(result.payment.amountAuthorized).toBe(1000);
    expect(checkInvariants(result.payment)).toEqual([]);
  });

  it.each(
    PAYMENT_STATUSES.filter((s) => !['partially_paid', 'partially_refunded', 'refunded', 'paid'].includes(s)),
  )('a verified full capture after %s means paid (money facts win)', (from) => {
    const result = applyFacts(
      inStatus(from),
      [{ ...captured, eventId: 'late-capture', captureId: 'late' }],
      opts(),
    );
    expect(result.payment.status).toBe('paid');
    expect(result.transitions.at(-1)?.effects.map((e) => e.event)).toContain('payment.accepted');
  });

  it('paid never goes back to pending, authorized, failed or expired', () => {
    const paid = inStatus('paid');
    for (const fact of nonMoney) {
      const result = applyFacts(paid, [{ ...fact, eventId: `late-${fact.type}` }], opts());
      expect(result.payment.status).toBe('paid');
      expect(result.changed).toBe(false);
      expect(result.outcomes[0]?.result).toBe('ignored');
    }
  });

  it('records a transition with from, to, cause, event id and effects for every change', () => {
    const result = applyFacts(base(), [pending, captured], opts());
    expect(result.transitions.map((t) => [t.from, t.to, t.cause, t.eventId])).toEqual([
      ['new', 'pending', 'pending', 'p'],
      ['pending', 'paid', 'captured', 'c'],
    ]);
    expect(result.transitions[1]?.effects.map((e) => e.event)).toEqual([
      'payment.statusChanged',
      'payment.accepted',
    ]);
  });

  it('partial captures add up to paid, refunds to partially_refunded then refunded', () => {
    const facts: PaymentFact[] = [
      { type: 'captured', eventId: '1', captureId: 'i1', amount: 400, currency: 'EUR', partial: true },
      { type: 'captured', eventId: '2', captureId: 'i2', amount: 600, currency: 'EUR', partial: true },
      { type: 'refunded', eventId: '3', refundId: 'r1', amount: 250, currency: 'EUR' },
      { type: 'refunded', eventId: '4', refundId: 'r2', amount: 750, currency: 'EUR' },
    ];
    const statuses: PaymentStatus[] = [];
    let payment = base();
    for (const fact of facts) {
      payment = applyFacts(payment, [fact], opts()).payment;
      statuses.push(payment.status);
    }
    expect(statuses).toEqual(['partially_paid', 'paid', 'partially_refunded', 'refunded']);
    expect(payment).toMatchObject({ amountPaid: 1000, amountRefunded: 1000 });
  });

  it('a reversal reduces the paid amount and its cancellation gives it back', () => {
    const reversal: PaymentFact = {
      type: 'refunded',
      eventId: 'rv',
      refundId: 'T2',
      amount: 1000,
      currency: 'EUR',
      reversal: true,
    };
    const cancel: PaymentFact = {
      type: 'reversal_cancelled',
      eventId: 'cr',
      cancellationId: 'T3',
      amount: 1000,
      currency: 'EUR',
    };
    const reversed = applyFacts(inStatus('paid'), [reversal], opts()).payment;
    expect(reversed.status).toBe('refunded');
    const restored = applyFacts(reversed, [cancel], opts());
    expect(restored.payment).toMatchObject({ status: 'paid', amountRefunded: 0 });
    // Accepted is owed once per payment: restoring after a won dispute does not fulfil again.
    expect(restored.transitions[0]?.effects.map((e) => e.event)).not.toContain('payment.accepted');
  });
});

describe('status machine: anomalies', () => {
  it.each<[string, PaymentFact, string]>([
    ['wrong amount', { ...captured, amount: 999 }, 'AMOUNT_MISMATCH'],
    ['wrong currency', { ...captured, currency: 'USD' }, 'CURRENCY_MISMATCH'],
    ['zero capture', { ...captured, amount: 0, partial: true }, 'IMPOSSIBLE_FACT'],
    [
      'negative refund',
      { type: 'refunded', eventId: 'r', refundId: 'r', amount: -5, currency: 'EUR' },
      'IMPOSSIBLE_FACT',
    ],
    ['authorization above the amount', { ...authorized, amount: 5000 }, 'AMOUNT_MISMATCH'],
  ])('%s is an anomaly and changes nothing', (_name, fact, code) => {
    const payment = base();
    const result = applyFacts(payment, [fact], opts());
    expect(result.anomalies.map((a) => a.code)).toEqual([code]);
    expect(result.payment).toBe(payment);
    expect(result.transitions).toEqual([]);
  });

  it('an overpayment is refused', () => {
    const facts: PaymentFact[] = [
      { type: 'captured', eventId: '1', captureId: 'i1', amount: 800, currency: 'EUR', partial: true },
      { type: 'captured', eventId: '2', captureId: 'i2', amount: 800, currency: 'EUR', partial: true },
    ];
    const result = applyFacts(base(), facts, opts());
    expect(result.anomalies.map((a) => a.code)).toEqual(['OVERPAYMENT']);
    expect(result.payment.amountPaid).toBe(800);
  });

  it('a refund arriving before its capture is kept, flagged, and counts once the capture arrives', () => {
    const refund: PaymentFact = {
      type: 'refunded',
      eventId: 'r',
      refundId: 'r1',
      amount: 300,
      currency: 'EUR',
    };
    const early = applyFacts(base(), [refund], opts());
    expect(early.anomalies.map((a) => a.code)).toEqual(['REFUND_EXCEEDS_PAID']);
    expect(early.payment).toMatchObject({ amountPaid: 0, amountRefunded: 0, status: 'new' });
    const later = applyFacts(early.payment, [captured], opts());
    expect(later.payment).toMatchObject({
      amountPaid: 1000,
      amountRefunded: 300,
      status: 'partially_refunded',
    });
  });
});

describe('status machine: refund facts, state by state (explicit table)', () => {
  const refund300: PaymentFact = {
    type: 'refunded',
    eventId: 'x-r',
    refundId: 'rx',
    amount: 300,
    currency: 'EUR',
  };
  const pending300: PaymentFact = {
    type: 'refund_pending',
    eventId: 'x-rp',
    refundId: 'rx',
    amount: 300,
    currency: 'EUR',
  };
  const refundFailed: PaymentFact = { type: 'refund_failed', eventId: 'x-rf', refundId: 'rx', reason: 'no' };
  // [from, fact, expected status, expected amountRefunded, expected anomaly codes]
  const rows: Array<[PaymentStatus, PaymentFact, PaymentStatus, number, string[]]> = [
    ['new', refund300, 'new', 0, ['REFUND_EXCEEDS_PAID']],
    ['pending', refund300, 'pending', 0, ['REFUND_EXCEEDS_PAID']],
    ['authorized', refund300, 'authorized', 0, ['REFUND_EXCEEDS_PAID']],
    ['failed', refund300, 'failed', 0, ['REFUND_EXCEEDS_PAID']],
    ['expired', refund300, 'expired', 0, ['REFUND_EXCEEDS_PAID']],
    ['partially_paid', refund300, 'partially_refunded', 300, []],
    ['paid', refund300, 'partially_refunded', 300, []],
    ['partially_refunded', refund300, 'partially_refunded', 600, []],
    ['refunded', refund300, 'refunded', 1000, ['REFUND_EXCEEDS_PAID']],
    ['paid', pending300, 'paid', 0, []],
    ['partially_refunded', pending300, 'partially_refunded', 300, []],
    ['paid', refundFailed, 'paid', 0, []],
    ['refunded', refundFailed, 'refunded', 1000, []],
  ];
  it.each(rows)('%s + %o → %s (refunded %d, anomalies %o)', (from, fact, to, refunded, codes) => {
    const result = applyFacts(inStatus(from), [fact], opts());
    expect(result.payment.status).toBe(to);
    expect(result.payment.amountRefunded).toBe(refunded);
    expect(result.anomalies.map((a) => a.code)).toEqual(codes);
    expect(checkInvariants(result.payment)).toEqual([]);
    // Every change of the payment, even one that keeps the status, leaves one transition record.
    expect(result.transitions).toHaveLength(result.changed ? 1 : 0);
  });

  it('a refund goes pending → succeeded, and a late failure does not undo the success', () => {
    const paid = inStatus('paid');
    const pendingStep = applyFacts(paid, [pending300], opts());
    expect(pendingStep.transitions[0]?.effects.map((e) => e.event)).toEqual(['refund.pending']);
    const done = applyFacts(pendingStep.payment, [refund300], opts());
    expect(done.payment).toMatchObject({ status: 'partially_refunded', amountRefunded: 300 });
    expect(done.transitions[0]?.effects.map((e) => e.event)).toEqual([
      'payment.statusChanged',
      'refund.succeeded',
    ]);
    const late = applyFacts(done.payment, [refundFailed], opts());
    expect(late.changed).toBe(false);
    expect(late.payment.refunds).toEqual(done.payment.refunds);
  });

  it('an authorization for less than the amount is an anomaly (brokers authorize the whole amount)', () => {
    const result = applyFacts(base(), [{ ...authorized, amount: 999 }], opts());
    expect(result.anomalies.map((a) => a.code)).toEqual(['AMOUNT_MISMATCH']);
    expect(result.payment.status).toBe('new');
  });
});

describe('status machine: subscriptions', () => {
  type SubscriptionEvent = Extract<PaymentFact, { type: 'subscription' }>['event'];
  const sub = (event: SubscriptionEvent, eventId: string = event): PaymentFact => ({
    type: 'subscription',
    eventId,
    event,
    subscriptionId: 'S-1',
  });
  const run = (facts: PaymentFact[]) => {
    let payment = base({ recurrence: { interval: 'month', every: 1 } });
    const events: string[] = [];
    for (const fact of facts) {
      const result = applyFacts(payment, [fact], opts());
      payment = result.payment;
      events.push(...result.transitions.flatMap((t) => t.effects.map((e) => e.event)));
    }
    return { status: payment.subscription?.status, events };
  };

  it('cancelled and ended are final whatever order the news comes in', () => {
    expect(run([sub('signup'), sub('cancelled'), sub('ended')]).status).toBe('ended');
    expect(run([sub('ended'), sub('cancelled'), sub('signup')]).status).toBe('ended');
    expect(run([sub('cancelled'), sub('signup')])).toEqual({
      status: 'cancelled',
      events: ['subscription.cancelled'],
    });
    expect(run([sub('cancelled'), sub('suspended')]).status).toBe('cancelled');
    expect(run([sub('signup'), sub('suspended')]).status).toBe('suspended');
  });

  it('the same news under another event id is a no-op; each payment failure is news', () => {
    expect(run([sub('signup', 'a'), sub('signup', 'b')]).events).toEqual(['subscription.signup']);
    expect(run([sub('signup'), sub('payment_failed', 'f1'), sub('payment_failed', 'f2')]).events).toEqual([
      'subscription.signup',
      'subscription.paymentFailed',
      'subscription.paymentFailed',
    ]);
  });
});
