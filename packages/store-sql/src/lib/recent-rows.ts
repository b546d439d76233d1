import type { Payment } from '@paybridge/core';
import type { Selectable } from 'kysely';
import { type PaymentRow, paymentToRow, rowToPayment } from './rows';
import type { PaymentsTable } from './schema';

/**
 * The payment rows this store read or committed last, as `paymentToRow` writes them (text JSON,
 * numbers, the engine's booleans): only primitives, so nothing a caller does to a payment object it
 * was given can change an entry. A hint, never the truth: `applyChange` computes on an entry only
 * inside a compare-and-set on its `version`, so a stale entry costs one miss, never a wrong write.
 * Bounded (least recently used out first); an entry never goes back to an older version.
 */
export class RecentRows {
  private readonly rows = new Map<string, PaymentRow>();

  constructor(
    private readonly toBool: (value: boolean) => boolean | number,
    private readonly capacity = 2048,
  ) {}

  /** The row as last seen, and the payment it holds (fresh objects on every call). */
  get(id: string): { row: PaymentRow; payment: Payment } | null {
    const row = this.rows.get(id);
    if (!row) return null;
    // Most recently used last, so the oldest entry is the one evicted.
    this.rows.delete(id);
    this.rows.set(id, row);
    return { row, payment: rowToPayment(row as Selectable<PaymentsTable>) };
  }

  /** A payment as read from the database or as a commit wrote it. */
  remember(payment: Payment): void {
    this.rememberRow(paymentToRow(payment, this.toBool));
  }

  /** The row as a commit wrote it (the same shape `remember` keeps). */
  rememberRow(row: PaymentRow): void {
    const known = this.rows.get(row.id);
    if (known && known.version > row.version) return;
    this.rows.delete(row.id);
    this.rows.set(row.id, row);
    if (this.rows.size > this.capacity) this.rows.delete(this.rows.keys().next().value as string);
  }

  forget(id: string): void {
    this.rows.delete(id);
  }

  get size(): number {
    return this.rows.size;
  }
}
