import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyFacts, checkInvariants, TRANSITION_TABLE } from './status-machine';
import { makePayment } from './testing/fixtures';
import { PAYMENT_STATUSES, type Payment, type PaymentFact, type PaymentStatus } from './types';

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
  const table: Array<[PaymentStatus, PaymentFact['type'], PaymentStatus]> = [];
  for (const from of PAYMENT_STATUSES) {
    for (const fact of nonMoney) {
      const to = (TRANSITION_TABLE[from] as readonly string[]).includes(fact.type)
        ? (fact.type as PaymentStatus)
        : from;
      table.push([from, fact.type, to]);
    }
  }

  it.each(table)('%s + %s → %s', (from, factType, to) => {
    const payment = inStatus(from);
    const fact = nonMoney.find((f) => f.type === factType) as PaymentFact;
    const result = applyFacts(payment, [{ ...fact, eventId: `x-${factType}` }], opts());
    expect(result.payment.status).toBe(to);
    expect(result.transitions).toHaveLength(to === from && result.payment === payment ? 0 : 1);
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

// ---- properties -------------------------------------------------------------------------------

/** The broker's truth for one payment: a protocol-valid set of facts (no overpayment, no local expiry). */
const truthArb = fc
  .record({
    amount: fc.integer({ min: 1, max: 100_000 }),
    instalments: fc.integer({ min: 1, max: 4 }),
    captureCount: fc.integer({ min: 0, max: 4 }),
    refundRatios: fc.array(fc.integer({ min: 1, max: 100 }), { maxLength: 3 }),
    pending: fc.boolean(),
    authorized: fc.boolean(),
    failed: fc.boolean(),
    reversal: fc.boolean(),
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
    t.refundRatios.forEach((ratio, i) => {
      const amount = Math.floor(((paid - refunded) * ratio) / 100);
      if (amount <= 0) return;
      refunded += amount;
      facts.push({
        type: 'refunded',
        eventId: `ref${i}`,
        refundId: `ref${i}`,
        amount,
        currency: 'EUR',
        reversal: t.reversal && i === 0,
      });
    });
    if (t.reversal && refunded > 0 && t.refundRatios.length > 0) {
      const first = facts.find((f) => f.type === 'refunded' && f.reversal);
      if (first && first.type === 'refunded') {
        facts.push({
          type: 'reversal_cancelled',
          eventId: 'cancel-rev',
          cancellationId: 'cr',
          amount: first.amount,
          currency: 'EUR',
        });
      }
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
      fc.infiniteStream(fc.integer()),
    )
    .map(([copies, noise]) => {
      const delivered = truth.facts.flatMap((fact, i) => Array.from({ length: copies[i] ?? 1 }, () => fact));
      const it = noise[Symbol.iterator]();
      const keyed = delivered.map((fact) => ({ fact, key: it.next().value as number }));
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
});

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

  const anyFact: fc.Arbitrary<PaymentFact> = fc.oneof(
    fc.record({ type: fc.constant('pending' as const), eventId: fc.string() }),
    fc.record({ type: fc.constant('failed' as const), eventId: fc.string(), reason: fc.string() }),
    fc.record({ type: fc.constant('expired' as const), eventId: fc.string() }),
    fc.record({
      type: fc.constant('authorized' as const),
      eventId: fc.string(),
      amount: fc.integer({ min: -10, max: 3000 }),
      currency: fc.constantFrom('EUR', 'USD'),
    }),
    fc.record({
      type: fc.constant('captured' as const),
      eventId: fc.string(),
      captureId: fc.constantFrom('a', 'b', 'c'),
      amount: fc.integer({ min: -10, max: 3000 }),
      currency: fc.constantFrom('EUR', 'USD'),
      partial: fc.boolean(),
    }),
    fc.record({
      type: fc.constant('refunded' as const),
      eventId: fc.string(),
      refundId: fc.constantFrom('r', 's'),
      amount: fc.integer({ min: -10, max: 3000 }),
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
      amount: fc.integer({ min: 1, max: 3000 }),
      currency: fc.constant('EUR'),
    }),
    fc.record({
      type: fc.constant('reversal_cancelled' as const),
      eventId: fc.string(),
      cancellationId: fc.constantFrom('x', 'y'),
      amount: fc.integer({ min: -10, max: 3000 }),
      currency: fc.constant('EUR'),
    }),
  );

  it('arbitrary, even impossible, facts never break an invariant, and paid never regresses to pending/failed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }),
        fc.array(anyFact, { maxLength: 25 }),
        (amount, facts) => {
          let payment = base({ amount });
          let wasPaid = false;
          for (const fact of facts) {
            payment = applyFacts(payment, [fact], opts()).payment;
            expect(checkInvariants(payment)).toEqual([]);
            if (payment.amountPaid >= payment.amount) wasPaid = true;
            if (wasPaid)
              expect(['pending', 'failed', 'new', 'authorized', 'expired']).not.toContain(payment.status);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
