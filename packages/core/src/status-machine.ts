import type {
  Anomaly,
  LedgerEntry,
  Payment,
  PaymentFact,
  PaymentStatus,
  SubscriptionState,
  Transition,
  TransitionEffect,
} from './types';

/**
 * The status machine: semantic facts in, derived status out. Pure — no I/O, no clock, no randomness
 * (the caller passes the time and an id generator), so the same facts always give the same state.
 *
 * Money is kept as ledgers keyed by capture/refund id whose amounts only grow, and the paid and
 * refunded totals are derived from them. Sums commute, so the end state does not depend on the order
 * in which a broker's messages arrive, and replaying a fact changes nothing.
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

function sumSucceeded(entries: readonly LedgerEntry[], kinds: readonly LedgerEntry['kind'][]): number {
  let total = 0;
  for (const entry of entries)
    if (entry.status === 'succeeded' && kinds.includes(entry.kind)) total += entry.amount;
  return total;
}

/** Paid and refunded totals from the ledgers, with the invariant 0 ≤ refunded ≤ paid enforced. */
export function deriveAmounts(payment: Pick<Payment, 'captures' | 'refunds'>): {
  amountPaid: number;
  amountRefunded: number;
} {
  const amountPaid = sumSucceeded(payment.captures, ['capture']);
  const refunded =
    sumSucceeded(payment.refunds, ['refund', 'reversal']) -
    sumSucceeded(payment.refunds, ['reversal_cancel']);
  return { amountPaid, amountRefunded: Math.min(Math.max(refunded, 0), amountPaid) };
}

/** The status implied by the amounts; `base` is the status to keep while no money was captured. */
export function deriveStatus(
  payment: Pick<Payment, 'amount' | 'captures' | 'refunds'>,
  base: PaymentStatus,
): PaymentStatus {
  const { amountPaid, amountRefunded } = deriveAmounts(payment);
  if (amountPaid === 0) return base;
  if (amountRefunded >= amountPaid) return 'refunded';
  if (amountRefunded > 0) return 'partially_refunded';
  return amountPaid >= payment.amount ? 'paid' : 'partially_paid';
}

const MONEY_STATUSES: ReadonlySet<PaymentStatus> = new Set([
  'partially_paid',
  'paid',
  'partially_refunded',
  'refunded',
]);

function upsertLedger(
  entries: readonly LedgerEntry[],
  next: Omit<LedgerEntry, 'createdAt' | 'updatedAt'>,
  now: string,
): { entries: LedgerEntry[]; changed: boolean; entry: LedgerEntry } {
  const index = entries.findIndex((e) => e.id === next.id && e.kind === next.kind);
  if (index === -1) {
    const entry: LedgerEntry = { ...next, createdAt: now, updatedAt: now };
    return { entries: [...entries, entry], changed: true, entry };
  }
  const current = entries[index] as LedgerEntry;
  // Amounts only grow per id (cumulative); success is final (money facts win over a late failure).
  const amount = Math.max(current.amount, next.amount);
  const status =
    current.status === 'succeeded' || next.status === 'succeeded'
      ? 'succeeded'
      : current.status === 'failed' || next.status === 'failed'
        ? 'failed'
        : 'pending';
  const reason = next.reason ?? current.reason;
  if (amount === current.amount && status === current.status && reason === current.reason) {
    return { entries: [...entries], changed: false, entry: current };
  }
  const entry: LedgerEntry = {
    ...current,
    amount,
    status,
    ...(reason === undefined ? {} : { reason }),
    updatedAt: now,
  };
  const copy = [...entries];
  copy[index] = entry;
  return { entries: copy, changed: true, entry };
}

const SUBSCRIPTION_STATUS: Record<
  Extract<PaymentFact, { type: 'subscription' }>['event'],
  SubscriptionState['status'] | null
> = {
  signup: 'active',
  modified: null,
  payment_failed: null,
  suspended: 'suspended',
  cancelled: 'cancelled',
  ended: 'ended',
};

const SUBSCRIPTION_EVENT: Record<Extract<PaymentFact, { type: 'subscription' }>['event'], string> = {
  signup: 'subscription.signup',
  modified: 'subscription.modified',
  payment_failed: 'subscription.paymentFailed',
  suspended: 'subscription.suspended',
  cancelled: 'subscription.cancelled',
  ended: 'subscription.ended',
};

function isValidAmount(amount: number): boolean {
  return Number.isSafeInteger(amount) && amount > 0;
}

type Step = {
  payment: Payment;
  effects: TransitionEffect[];
  anomaly?: Omit<Anomaly, 'paymentId'>;
  note?: string;
};

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
        if (!isValidAmount(fact.amount) || fact.amount > payment.amount) {
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
      const raw =
        sumSucceeded(ledger.entries, ['refund', 'reversal']) -
        sumSucceeded(ledger.entries, ['reversal_cancel']);
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
      const current = payment.subscription;
      const status = SUBSCRIPTION_STATUS[fact.event] ?? current?.status ?? 'active';
      const data = { ...current?.data, ...fact.data };
      const next: SubscriptionState = { id: fact.subscriptionId, status, updatedAt: now, data };
      // A late signup must not resurrect a cancelled or ended subscription.
      if (current && fact.event === 'signup' && current.status !== 'active') next.status = current.status;
      return {
        payment: { ...payment, subscription: next },
        effects: [{ event: SUBSCRIPTION_EVENT[fact.event], subscriptionEvent: fact.event }],
      };
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
    const result = step(current, fact, options.now);
    if (result.anomaly) anomalies.push({ ...result.anomaly, paymentId: payment.id });
    if (result.payment === current) {
      outcomes.push({
        fact,
        result: result.anomaly ? 'anomaly' : 'ignored',
        ...(result.note ? { note: result.note } : {}),
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

/** Invariants every payment satisfies; used by tests and by stores' conformance. */
export function checkInvariants(payment: Payment): string[] {
  const problems: string[] = [];
  const { amountPaid, amountRefunded } = deriveAmounts(payment);
  if (payment.amountPaid !== amountPaid)
    problems.push(`amountPaid ${payment.amountPaid} ≠ ledger ${amountPaid}`);
  if (payment.amountRefunded !== amountRefunded) {
    problems.push(`amountRefunded ${payment.amountRefunded} ≠ ledger ${amountRefunded}`);
  }
  if (!(payment.amountRefunded >= 0 && payment.amountRefunded <= payment.amountPaid)) {
    problems.push(`refunded ${payment.amountRefunded} outside 0..${payment.amountPaid}`);
  }
  if (payment.amountPaid > payment.amount)
    problems.push(`paid ${payment.amountPaid} > amount ${payment.amount}`);
  if (payment.amountPaid > 0 && !MONEY_STATUSES.has(payment.status)) {
    problems.push(`status ${payment.status} with money captured`);
  }
  if (payment.amountPaid === 0 && MONEY_STATUSES.has(payment.status)) {
    problems.push(`status ${payment.status} without money`);
  }
  return problems;
}
