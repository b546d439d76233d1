import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyFacts, checkInvariants } from '../src/status-machine';
import { makePayment } from '../src/testing/fixtures';
import type { Payment, PaymentFact } from '../src/types';

let seq = 0;
const opts = () => ({ now: '2026-01-01T00:00:00.000Z', newId: () => `trn_${++seq}` });
const base = (overrides: Partial<Payment> = {}) =>
  makePayment({ amount: 1000, currency: 'EUR', ...overrides });
const MONEY = ['partially_paid', 'paid', 'partially_refunded', 'refunded'];

/**
 * The broker's truth for one payment: a protocol-valid set of facts (no overpayment, no local
 * expiry) — captures in instalments, refunds that may go through pending first, a refund that fails,
 * a reversal and its cancellation, and a subscription's life.
 */
const truthArb = fc
  .record({
    amount: fc.integer({ min: 1, max: 100_000 }),
    instalments: fc.integer({ min: 1, max: 4 }),
    captureCount: fc.integer({ min: 0, max: 4 }),
    refunds: fc.array(fc.record({ ratio: fc.integer({ min: 1, max: 100 }), viaPending: fc.boolean() }), {
      maxLength: 3,
    }),
    failedRefund: fc.boolean(),
    pending: fc.boolean(),
    authorized: fc.boolean(),
    failed: fc.boolean(),
    reversal: fc.boolean(),
    subscription: fc.subarray(['signup', 'cancelled', 'ended'] as const),
  })
  .map((t) => {
    const facts: PaymentFact[] = [];
    if (t.pending) facts.push({ type: 'pending', eventId: 'pending' });
    if (t.authorized) facts.push({ type: 'authorized', eventId: 'auth', amount: t.amount, currency: 'EUR' });
    // A refused attempt may be followed by a capture (CM-CIC retries), but a voided authorization is not captured.
    if (t.failed && !(t.authorized && t.captureCount > 0))
      facts.push({ type: 'failed', eventId: 'failed', reason: 'refused' });
    const parts = Math.min(t.instalments, t.amount);
    const captures = Math.min(t.captureCount, parts);
    const each = Math.floor(t.amount / parts);
    let paid = 0;
    for (let i = 0; i < captures; i++) {
      const amount = i === parts - 1 ? t.amount - each * (parts - 1) : each;
      paid += amount;
      facts.push({
        type: 'captured',
        eventId: `cap${i}`,
        captureId: `cap${i}`,
        amount,
        currency: 'EUR',
        partial: parts > 1,
      });
    }
    let refunded = 0;
    t.refunds.forEach(({ ratio, viaPending }, i) => {
      const amount = Math.floor(((paid - refunded) * ratio) / 100);
      if (amount <= 0) return;
      refunded += amount;
      if (viaPending)
        facts.push({
          type: 'refund_pending',
          eventId: `ref${i}-p`,
          refundId: `ref${i}`,
          amount,
          currency: 'EUR',
        });
      facts.push({
        type: 'refunded',
        eventId: `ref${i}`,
        refundId: `ref${i}`,
        amount,
        currency: 'EUR',
        reversal: t.reversal && i === 0,
      });
    });
    if (t.failedRefund && paid > 0) {
      const amount = Math.max(1, Math.floor(paid / 2));
      facts.push({ type: 'refund_pending', eventId: 'rf-p', refundId: 'rf', amount, currency: 'EUR' });
      facts.push({ type: 'refund_failed', eventId: 'rf-f', refundId: 'rf', reason: 'insufficient funds' });
    }
    const reversal = facts.find((f) => f.type === 'refunded' && f.reversal);
    if (reversal && reversal.type === 'refunded') {
      facts.push({
        type: 'reversal_cancelled',
        eventId: 'cancel-rev',
        cancellationId: 'cr',
        amount: reversal.amount,
        currency: 'EUR',
      });
    }
    for (const event of t.subscription) {
      facts.push({ type: 'subscription', eventId: `sub-${event}`, event, subscriptionId: 'S-1' });
    }
    return { amount: t.amount, facts };
  });

/** Deliver like a broker does: each fact 1–4 times, in any order. */
const deliveryArb = truthArb.chain((truth) =>
  fc
    .tuple(
      fc.array(fc.integer({ min: 1, max: 4 }), {
        minLength: truth.facts.length,
        maxLength: truth.facts.length,
      }),
      fc.array(fc.integer(), { minLength: truth.facts.length * 4, maxLength: truth.facts.length * 4 }),
    )
    .map(([copies, keys]) => {
      const delivered = truth.facts.flatMap((fact, i) => Array.from({ length: copies[i] ?? 1 }, () => fact));
      const keyed = delivered.map((fact, i) => ({ fact, key: keys[i] ?? 0 }));
      keyed.sort((a, b) => a.key - b.key);
      return { truth, delivered: keyed.map((k) => k.fact) };
    }),
);

/** What the store does: a fact whose event id was seen is dropped; the rest go through the machine one message at a time. */
function deliver(payment: Payment, facts: readonly PaymentFact[]) {
  const seen = new Set<string>();
  let current = payment;
  const transitionCauses: string[] = [];
  let accepted = 0;
  for (const fact of facts) {
    if (seen.has(fact.eventId)) continue;
    seen.add(fact.eventId);
    const result = applyFacts(current, [fact], opts());
    current = result.payment;
    for (const t of result.transitions) {
      transitionCauses.push(t.eventId ?? '');
      accepted += t.effects.filter((e) => e.event === 'payment.accepted').length;
    }
    expect(checkInvariants(current)).toEqual([]);
  }
  return { payment: current, transitionCauses, accepted };
}

const summary = (p: Payment) => ({
  status: p.status,
  amountPaid: p.amountPaid,
  amountRefunded: p.amountRefunded,
  amountAuthorized: p.amountAuthorized,
  captures: [...p.captures].map((c) => `${c.id}:${c.amount}:${c.status}`).sort(),
  refunds: [...p.refunds].map((r) => `${r.kind}:${r.id}:${r.amount}:${r.status}`).sort(),
  subscription: p.subscription?.status ?? null,
});

/** Any fact, valid or not; amounts lean towards the payment's amount and its halves so money states are reached. */
const anyFact = (total: number): fc.Arbitrary<PaymentFact> => {
  const money = fc.oneof(
    fc.constant(total),
    fc.constant(Math.ceil(total / 2)),
    fc.constant(Math.floor(total / 2)),
    fc.integer({ min: -10, max: 3000 }),
  );
  return fc.oneof(
    fc.record({ type: fc.constant('pending' as const), eventId: fc.string() }),
    fc.record({ type: fc.constant('failed' as const), eventId: fc.string(), reason: fc.string() }),
    fc.record({ type: fc.constant('expired' as const), eventId: fc.string() }),
    fc.record({
      type: fc.constant('authorized' as const),
      eventId: fc.string(),
      amount: money,
      currency: fc.constantFrom('EUR', 'USD'),
    }),
    fc.record({
      type: fc.constant('captured' as const),
      eventId: fc.string(),
      captureId: fc.constantFrom('a', 'b', 'c'),
      amount: money,
      currency: fc.constantFrom('EUR', 'USD'),
      partial: fc.boolean(),
    }),
    fc.record({
      type: fc.constant('refunded' as const),
      eventId: fc.string(),
      refundId: fc.constantFrom('r', 's'),
      amount: money,
      currency: fc.constantFrom('EUR', 'USD'),
      reversal: fc.boolean(),
    }),
    fc.record({
      type: fc.constant('refund_failed' as const),
      eventId: fc.string(),
      refundId: fc.constantFrom('r', 's'),
      reason: fc.string(),
    }),
    fc.record({
      type: fc.constant('refund_pending' as const),
      eventId: fc.string(),
      refundId: fc.constantFrom('r', 's'),
      amount: money,
      currency: fc.constantFrom('EUR', 'USD'),
    }),
    fc.record({
      type: fc.constant('reversal_cancelled' as const),
      eventId: fc.string(),
      cancellationId: fc.constantFrom('x', 'y'),
      amount: money,
      currency: fc.constantFrom('EUR', 'USD'),
    }),
    fc.record({
      type: fc.constant('subscription' as const),
      eventId: fc.string(),
      event: fc.constantFrom('signup', 'payment_failed', 'cancelled', 'ended', 'modified', 'suspended'),
      subscriptionId: fc.constant('S'),
    }),
  );
};

const scenarioArb = (maxLength: number) =>
  fc
    .integer({ min: 1, max: 2000 })
    .chain((amount) => fc.tuple(fc.constant(amount), fc.array(anyFact(amount), { maxLength })));

describe('status machine: properties (fast-check)', () => {
  it('any duplication and reordering ends in the state of the de-duplicated in-order sequence', () => {
    fc.assert(
      fc.property(deliveryArb, ({ truth, delivered }) => {
        const start = base({ amount: truth.amount, order: { amount: truth.amount } });
        const inOrder = deliver(start, truth.facts);
        const chaotic = deliver(start, delivered);
        expect(summary(chaotic.payment)).toEqual(summary(inOrder.payment));
      }),
      { numRuns: 500 },
    );
  });

  it('no fact is applied twice and accepted is owed at most once', () => {
    fc.assert(
      fc.property(deliveryArb, ({ truth, delivered }) => {
        const start = base({ amount: truth.amount, order: { amount: truth.amount } });
        const { transitionCauses, accepted, payment } = deliver(start, delivered);
        expect(new Set(transitionCauses).size).toBe(transitionCauses.length);
        expect(accepted).toBe(payment.amountPaid >= payment.amount ? 1 : 0);
      }),
      { numRuns: 300 },
    );
  });

  it('a fact delivered again straight away (even under no dedupe) is a no-op, except a payment failure', () => {
    fc.assert(
      fc.property(scenarioArb(20), ([amount, facts]) => {
        let payment = base({ amount });
        for (const fact of facts) {
          payment = applyFacts(payment, [fact], opts()).payment;
          const again = applyFacts(payment, [fact], opts());
          if (fact.type === 'subscription' && fact.event === 'payment_failed') continue;
          expect(again.changed).toBe(false);
          expect(again.transitions).toEqual([]);
          expect(again.payment).toBe(payment);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('arbitrary, even impossible, facts never break an invariant; money only grows; paid never regresses', () => {
    fc.assert(
      fc.property(scenarioArb(25), ([amount, facts]) => {
        let payment = base({ amount });
        let wasPaid = false;
        for (const fact of facts) {
          const before = payment;
          const result = applyFacts(payment, [fact], opts());
          payment = result.payment;
          expect(checkInvariants(payment)).toEqual([]);
          // Every change leaves exactly one transition record, from the old status to the new one.
          expect(result.transitions).toHaveLength(result.changed ? 1 : 0);
          if (result.changed) {
            expect(result.transitions[0]).toMatchObject({
              from: before.status,
              to: payment.status,
              cause: fact.type,
              eventId: fact.eventId,
            });
          }
          // A fact in another currency never moves anything.
          if ('currency' in fact && fact.currency !== 'EUR') expect(result.changed).toBe(false);
          // Nor does a whole-amount capture or an authorization for another amount (an anomaly, never paid).
          if ((fact.type === 'captured' && !fact.partial) || fact.type === 'authorized') {
            if (fact.amount !== amount) {
              expect(result.changed).toBe(false);
              expect(result.anomalies).toHaveLength(1);
            }
          }
          expect(payment.amountPaid).toBeGreaterThanOrEqual(before.amountPaid);
          if (payment.amountPaid >= payment.amount) wasPaid = true;
          if (wasPaid) {
            expect(['paid', 'partially_refunded', 'refunded']).toContain(payment.status);
            expect(payment.amountPaid).toBe(payment.amount);
          }
          if (MONEY.includes(before.status)) expect(MONEY).toContain(payment.status);
        }
      }),
      { numRuns: 500 },
    );
  });
});
