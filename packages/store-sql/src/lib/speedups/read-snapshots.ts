import type { Payment } from '@paybridge/core';
import type { PaymentRecord } from '../queries';
import { type PaymentRow, paymentToRow, rowToPayment } from '../rows';

/**
 * What this store read or wrote for each payment object it handed out, as `paymentToRow` writes it
 * (text JSON, numbers, the engine's booleans): only primitives, so nothing a caller does to the
 * object can change it. Keyed weakly by that object, so a snapshot lives exactly as long as the
 * caller holds the payment (a request), never in a cache of its own. `applyChange` computes on a
 * snapshot only when the caller hands the object back (`expected`), and only inside a
 * compare-and-set on its `version`: a stale snapshot costs one miss, never a wrong write.
 */
export class ReadSnapshots {
  private readonly rows = new WeakMap<Payment, PaymentRow>();

  constructor(private readonly toBool: (value: boolean) => boolean | number) {}

  /** A payment this store is about to hand out, read or committed; returns it. */
  keep(payment: Payment, row: PaymentRow = paymentToRow(payment, this.toBool)): Payment {
    this.rows.set(payment, row);
    return payment;
  }

  /**
   * A SQLite row is already in `paymentToRow`'s form (its JSON is the text we wrote): kept as read,
   * without serialising the payment again. PostgreSQL hands back parsed JSON shared with the
   * payment object, so it goes through `keep`.
   */
  keepRow(payment: Payment, row: PaymentRecord): Payment {
    // Its extra `seq` column is never read: the write compares the columns `paymentToRow` writes.
    return this.keep(payment, row as PaymentRow);
  }

  /** The snapshot behind `expected`, with the payment it holds (fresh objects on every call). */
  of(expected: Payment | undefined, paymentId: string): { row: PaymentRow; payment: Payment } | null {
    const row = expected ? this.rows.get(expected) : undefined;
    if (!row || row.id !== paymentId) return null;
    return { row, payment: rowToPayment(row as PaymentRecord) };
  }
}
