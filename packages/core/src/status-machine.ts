import { bindingRefusal, bindOnMoney } from './lib/binding';
import { deriveAmounts, deriveStatus, MONEY_STATUSES, rawRefunded, upsertLedger } from './lib/ledger';
import { subscriptionStep } from './lib/subscription-step';
import type {
  Anomaly,
  LedgerEntry,
  Payment,
  PaymentFact,
  PaymentStatus,
  Transition,
  TransitionEffect,
} from './types';

export { checkInvariants, deriveAmounts, deriveStatus } from './lib/ledger';

/**
 * The status machine: semantic facts in, derived status out. Pure — no I/O, no clock, no randomness
 * (the caller passes the time and an id generator), so the same facts always give the same state.
 *
 * Money lives in ledgers (see `lib/ledger.ts`) whose sums commute, so the money state does not depend
 * on the order in which a broker's messages arrive, and replaying a fact changes nothing.
 */

/** Statuses a payment can have while no money has been captured, and which facts may move it where. */
const NO_MONEY_TRANSITIONS: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  new: ['pending', 'authorized', 'failed', 'expired'],
  pending: ['authorized', 'failed', 'expired'],
  // An authorization can be voided (failed) but is never expired by our own sweep: the funds are locked at the broker.
  authorized: ['failed'],
  // A refusal is final for non-money facts; only a verified capture (money wins) moves it on.
  failed: [],
  // Expiry is our own guess; whatever the broker says afterwards is the truth.
  expired: ['pending', 'authorized', 'failed'],
  partially_paid: [],
  paid: [],
  partially_refunded: [],
  refunded: [],
};

export const TRANSITION_TABLE = NO_MONEY_TRANSITIONS;

export interface FactOutcome {
  fact: PaymentFact;
  result: 'applied' | 'ignored' | 'anomaly';
  note?: string;
  /** Ignored because it is about another transaction than the one the payment is bound to. */
  otherAttempt?: boolean;
}

export interface ApplyFactsResult {
  payment: Payment;
  transitions: Transition[];
  anomalies: Anomaly[];
  outcomes: FactOutcome[];
  changed: boolean;
}

export interface ApplyFactsOptions {
  /** ISO time of the change. */
  now: string;
  newId: () => string;
}

function isValidAmount(amount: number): boolean {
  return Number.isSafeInteger(amount) && amount > 0;
}

type Step = {
  payment: Payment;
  effects: TransitionEffect[];
  anomaly?: Omit<Anomaly, 'paymentId'>;
  note?: string;
  /** Not applied because it is about another transaction than the bound one (a note, not an anomaly). */
  otherAttempt?: boolean;
};

/** One fact against the payment, under the binding rule (`lib/binding.ts`); the same object when nothing changes. */
function boundStep(payment: Payment, fact: PaymentFact, now: string): Step {
  const refusal = bindingRefusal(payment, fact);
  if (refusal?.anomaly) {
    return { payment, effects: [], anomaly: { ...refusal.anomaly, eventId: fact.eventId } };
  }
  if (refusal) return { payment, effects: [], note: refusal.note, otherAttempt: true };
  const result = step(payment, fact, now);
  if (result.payment === payment) return result;
  return { ...result, payment: bindOnMoney(result.payment, fact) };
}

/** One fact against the payment; returns the same object when nothing changes. */
function step(payment: Payment, fact: PaymentFact, now: string): Step {
  const unchanged = (note: string): Step => ({ payment, effects: [], note });
  const anomaly = (code: Anomaly['code'], message: string, details?: Record<string, unknown>): Step => ({
    payment,
    effects: [],
    anomaly: { code, message, eventId: fact.eventId, ...(details ? { details } : {}) },
  });
  const currencyOk = (currency: string) => currency === payment.currency;

  switch (fact.type) {
    case 'pending':
    case 'authorized':
    case 'failed':
    case 'expired': {
      if (fact.type === 'authorized') {
        if (!currencyOk(fact.currency)) {
          return anomaly(
            'CURRENCY_MISMATCH',
            `authorized in ${fact.currency}, payment is in ${payment.currency}`,
          );
        }
        // Brokers authorize the whole amount; anything else is not the payment we asked for.
        if (!isValidAmount(fact.amount) || fact.amount !== payment.amount) {
          return anomaly('AMOUNT_MISMATCH', `authorized ${fact.amount}, payment is for ${payment.amount}`, {
            expected: payment.amount,
            received: fact.amount,
          });
        }
      }
      if (MONEY_STATUSES.has(payment.status)) {
        // Late authorization news still tells how much was authorized (it may arrive after a partial capture).
        if (fact.type === 'authorized' && fact.amount > payment.amountAuthorized) {
          return { payment: { ...payment, amountAuthorized: fact.amount }, effects: [] };
        }
        return unchanged(`stale ${fact.type}: money already captured`);
      }
      const target: PaymentStatus = fact.type;
      if (payment.status === target) {
        if (fact.type === 'authorized' && fact.amount > payment.amountAuthorized) {
          return { payment: { ...payment, amountAuthorized: fact.amount }, effects: [] };
        }
        return unchanged(`already ${target}`);
      }
      if (!NO_MONEY_TRANSITIONS[payment.status].includes(target)) {
        return unchanged(`stale ${fact.type} after ${payment.status}`);
      }
      const next: Payment = {
        ...payment,
        status: target,
        ...(fact.type === 'authorized' ? { amountAuthorized: fact.amount } : {}),
        // A voided or refused attempt holds no authorization any more.
        ...(fact.type === 'failed' ? { amountAuthorized: 0 } : {}),
      };
      const effects: TransitionEffect[] = [];
      if (fact.type === 'failed') effects.push({ event: 'payment.declined', reason: fact.reason });
      else if (fact.type === 'pending') effects.push({ event: 'payment.pending' });
      else if (fact.type === 'authorized') effects.push({ event: 'payment.authorized' });
      else effects.push({ event: 'payment.expired' });
      return { payment: next, effects };
    }

    case 'captured': {
      if (!currencyOk(fact.currency)) {
        return anomaly(
          'CURRENCY_MISMATCH',
          `captured in ${fact.currency}, payment is in ${payment.currency}`,
          {
            expected: payment.currency,
            received: fact.currency,
          },
        );
      }
      if (!isValidAmount(fact.amount)) return anomaly('IMPOSSIBLE_FACT', `capture of ${fact.amount}`);
      if (!fact.partial && fact.amount !== payment.amount) {
        return anomaly('AMOUNT_MISMATCH', `captured ${fact.amount}, payment is for ${payment.amount}`, {
          expected: payment.amount,
          received: fact.amount,
        });
      }
      const ledger = upsertLedger(
        payment.captures,
        { id: fact.captureId, kind: 'capture', amount: fact.amount, status: 'succeeded' },
        now,
      );
      if (!ledger.changed) return unchanged('capture already recorded');
      const { amountPaid } = deriveAmounts({ captures: ledger.entries, refunds: payment.refunds });
      if (amountPaid > payment.amount) {
        return anomaly(
          'OVERPAYMENT',
          `captures would total ${amountPaid}, payment is for ${payment.amount}`,
          {
            expected: payment.amount,
            received: amountPaid,
          },
        );
      }
      return withMoney(payment, { captures: ledger.entries }, now);
    }

    case 'refund_pending':
    case 'refunded':
    case 'refund_failed':
    case 'reversal_cancelled': {
      if (fact.type !== 'refund_failed' && !currencyOk(fact.currency)) {
        return anomaly(
          'CURRENCY_MISMATCH',
          `${fact.type} in ${fact.currency}, payment is in ${payment.currency}`,
        );
      }
      if (fact.type !== 'refund_failed' && !isValidAmount(fact.amount)) {
        return anomaly('IMPOSSIBLE_FACT', `${fact.type} of ${fact.amount}`);
      }
      const entry: Omit<LedgerEntry, 'createdAt' | 'updatedAt'> =
        fact.type === 'refund_pending'
          ? { id: fact.refundId, kind: 'refund', amount: fact.amount, status: 'pending' }
          : fact.type === 'refunded'
            ? {
                id: fact.refundId,
                kind: fact.reversal ? 'reversal' : 'refund',
                amount: fact.amount,
                status: 'succeeded',
              }
            : fact.type === 'refund_failed'
              ? { id: fact.refundId, kind: 'refund', amount: 0, status: 'failed', reason: fact.reason }
              : {
                  id: fact.cancellationId,
                  kind: 'reversal_cancel',
                  amount: fact.amount,
                  status: 'succeeded',
                };
      const ledger = upsertLedger(payment.refunds, entry, now);
      if (!ledger.changed) return unchanged(`${fact.type} already recorded`);
      const effects: TransitionEffect[] = [];
      if (entry.kind === 'refund' || entry.kind === 'reversal') {
        const event =
          ledger.entry.status === 'succeeded'
            ? 'refund.succeeded'
            : ledger.entry.status === 'failed'
              ? 'refund.failed'
              : 'refund.pending';
        effects.push({ event, refundId: ledger.entry.id });
      }
      const result = withMoney(payment, { refunds: ledger.entries }, now, effects);
      const raw = rawRefunded(ledger.entries);
      if (raw > result.payment.amountPaid) {
        // Kept in the ledger (a refund may arrive before the capture it refunds); totals stay clamped.
        result.anomaly = {
          code: 'REFUND_EXCEEDS_PAID',
          message: `refunds total ${raw}, paid is ${result.payment.amountPaid}`,
          eventId: fact.eventId,
        };
      }
      return result;
    }

    case 'broker_data': {
      const merged = { ...payment.brokerData, ...fact.data };
      if (JSON.stringify(merged) === JSON.stringify(payment.brokerData))
        return unchanged('broker data unchanged');
      return { payment: { ...payment, brokerData: merged }, effects: [] };
    }

    case 'subscription': {
      const next = subscriptionStep(payment.subscription, fact, now);
      if (!next) return unchanged(`subscription already ${payment.subscription?.status}`);
      return { payment: { ...payment, subscription: next.subscription }, effects: next.effects };
    }
  }
}

function withMoney(
  payment: Payment,
  ledgers: Partial<Pick<Payment, 'captures' | 'refunds'>>,
  _now: string,
  extraEffects: TransitionEffect[] = [],
): Step {
  const captures = ledgers.captures ?? payment.captures;
  const refunds = ledgers.refunds ?? payment.refunds;
  const { amountPaid, amountRefunded } = deriveAmounts({ captures, refunds });
  const base = MONEY_STATUSES.has(payment.status) ? 'new' : payment.status;
  const status = deriveStatus({ amount: payment.amount, captures, refunds }, base);
  const effects = [...extraEffects];
  if (payment.amountPaid < payment.amount && amountPaid >= payment.amount)
    effects.push({ event: 'payment.accepted' });
  // Captured money was authorized money, whatever order the broker's messages came in.
  const amountAuthorized = Math.max(payment.amountAuthorized, amountPaid);
  return {
    payment: { ...payment, captures, refunds, amountPaid, amountRefunded, amountAuthorized, status },
    effects,
  };
}

/**
 * Apply facts in order. Facts whose event ids the caller already saw must be filtered out before
 * (the store's dedupe); here a repeated fact is a no-op anyway because ledgers only grow.
 */
export function applyFacts(
  payment: Payment,
  facts: readonly PaymentFact[],
  options: ApplyFactsOptions,
): ApplyFactsResult {
  let current = payment;
  const transitions: Transition[] = [];
  const anomalies: Anomaly[] = [];
  const outcomes: FactOutcome[] = [];
  for (const fact of facts) {
    const result = boundStep(current, fact, options.now);
    if (result.anomaly) anomalies.push({ ...result.anomaly, paymentId: payment.id });
    if (result.payment === current) {
      outcomes.push({
        fact,
        result: result.anomaly ? 'anomaly' : 'ignored',
        ...(result.note ? { note: result.note } : {}),
        ...(result.otherAttempt ? { otherAttempt: true } : {}),
      });
      continue;
    }
    const effects = [...result.effects];
    if (result.payment.status !== current.status) {
      effects.unshift({ event: 'payment.statusChanged' });
    }
    transitions.push({
      id: options.newId(),
      paymentId: payment.id,
      from: current.status,
      to: result.payment.status,
      cause: fact.type,
      eventId: fact.eventId,
      amountPaid: result.payment.amountPaid,
      amountRefunded: result.payment.amountRefunded,
      at: options.now,
      effects,
    });
    outcomes.push({ fact, result: 'applied' });
    current = result.payment;
  }
  const changed = current !== payment;
  return {
    payment: changed ? { ...current, updatedAt: options.now } : payment,
    transitions,
    anomalies,
    outcomes,
    changed,
  };
}
