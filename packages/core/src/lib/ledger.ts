import type { LedgerEntry, Payment, PaymentStatus } from '../types';

/**
 * Money is kept as ledgers keyed by capture/refund id whose amounts only grow; paid and refunded
 * totals are derived from them. Sums commute, so the totals do not depend on the order in which a
 * broker's messages arrive, and replaying an entry changes nothing.
 */

/** Statuses that mean money was captured (the status is then derived from the amounts alone). */
export const MONEY_STATUSES: ReadonlySet<PaymentStatus> = new Set([
  'partially_paid',
  'paid',
  'partially_refunded',
  'refunded',
]);

export function sumSucceeded(entries: readonly LedgerEntry[], kinds: readonly LedgerEntry['kind'][]): number {
  let total = 0;
  for (const entry of entries)
    if (entry.status === 'succeeded' && kinds.includes(entry.kind)) total += entry.amount;
  return total;
}

/** Refunds and reversals minus cancelled reversals, before clamping to what was paid. */
export function rawRefunded(refunds: readonly LedgerEntry[]): number {
  return sumSucceeded(refunds, ['refund', 'reversal']) - sumSucceeded(refunds, ['reversal_cancel']);
}

/** Paid and refunded totals from the ledgers, with the invariant 0 ≤ refunded ≤ paid enforced. */
export function deriveAmounts(payment: Pick<Payment, 'captures' | 'refunds'>): {
  amountPaid: number;
  amountRefunded: number;
} {
  const amountPaid = sumSucceeded(payment.captures, ['capture']);
  return { amountPaid, amountRefunded: Math.min(Math.max(rawRefunded(payment.refunds), 0), amountPaid) };
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

/** Which status of an entry wins when two reports of it meet: success is final, a failure ends a pending one. */
const STATUS_RANK: Readonly<Record<LedgerEntry['status'], number>> = { pending: 0, failed: 1, succeeded: 2 };

/** Insert or grow one ledger entry; `changed` is false when the entry already said as much. */
export function upsertLedger(
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
  const status = STATUS_RANK[next.status] > STATUS_RANK[current.status] ? next.status : current.status;
  // A reason belongs to the status that carried it: a late failure's reason never lands on a success
  // (that would be a "change" and announce the refund's success a second time).
  const reason = status === next.status ? (next.reason ?? current.reason) : current.reason;
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
