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
export function readSnapshots(toBool: (value: boolean) => boolean | number) {
  const rows = new WeakMap<Payment, PaymentRow>();
  return {
    /** A payment this store is about to hand out, read or committed; returns it. */
    keep(payment: Payment, row: PaymentRow = paymentToRow(payment, toBool)): Payment {
      rows.set(payment, row);
      return payment;
    },

    /** The snapshot behind `expected`, with the payment it holds (fresh objects on every call). */
    of(expected: Payment | undefined, paymentId: string): { row: PaymentRow; payment: Payment } | null {
      const row = expected ? rows.get(expected) : undefined;
      if (!row || row.id !== paymentId) return null;
      return { row, payment: rowToPayment(row as PaymentRecord) };
    },
  };
}

export type ReadSnapshots = ReturnType<typeof readSnapshots>;
