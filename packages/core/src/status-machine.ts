import { bindingRefusal, bindOnMoney } from './lib/binding';
import { withBackendData } from './lib/broker-data';
import { captureStep } from './lib/capture-step';
import { refundStep } from './lib/refund-step';
import { statusStep } from './lib/status-step';
import { type Step, unchanged } from './lib/step';
import { subscriptionStep } from './lib/subscription-step';
import type { Anomaly, Payment, PaymentFact, Transition } from './types';

export { checkInvariants, deriveAmounts, deriveStatus } from './lib/ledger';

/**
 * The status machine: semantic facts in, derived status out. Pure — no I/O, no clock, no randomness
 * (the caller passes the time and an id generator), so the same facts always give the same state.
 * Each fact goes through the binding rule (`lib/binding.ts`), then to the step of its family:
 * statuses without money (`lib/status-step.ts`), captures, refunds, subscriptions, broker data.
 *
 * Money lives in ledgers (see `lib/ledger.ts`) whose sums commute, so the money state does not depend
 * on the order in which a broker's messages arrive, and replaying a fact changes nothing.
 */

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

/** One fact against the payment, by fact family; returns the same object when nothing changes. */
function step(payment: Payment, fact: PaymentFact, now: string): Step {
  switch (fact.type) {
    case 'pending':
    case 'authorized':
    case 'failed':
    case 'expired':
      return statusStep(payment, fact);
    case 'captured':
      return captureStep(payment, fact, now);
    case 'refund_pending':
    case 'refunded':
    case 'refund_failed':
    case 'reversal_cancelled':
      return refundStep(payment, fact, now);
    case 'subscription':
      return subscriptionStep(payment, fact, now);
    case 'broker_data':
      return brokerDataStep(payment, fact);
  }
}

/**
 * broker_data: verified data the backend keeps with the payment, merged key by key into its part
 * (`brokerData[payment.backend]`: only a payment's backend reports facts about it).
 */
function brokerDataStep(payment: Payment, fact: Extract<PaymentFact, { type: 'broker_data' }>): Step {
  const next = withBackendData(payment, fact.data);
  if (JSON.stringify(next.brokerData) === JSON.stringify(payment.brokerData)) {
    return unchanged(payment, 'broker data unchanged');
  }
  return { payment: next, effects: [] };
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
