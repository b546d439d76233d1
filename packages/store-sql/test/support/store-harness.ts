import { isPaybridgeError, type Payment } from '@paybridge/core';
import { afterAll, expect } from 'vitest';
import type { SqlPaymentStore } from '../../src/lib/sql-store';
import { makePayment, makeTransition } from './fixtures';

export interface ContractTarget {
  /** A fresh, empty store. */
  create(): Promise<SqlPaymentStore>;
  /** A second store on the same database (another app instance). */
  sibling(store: SqlPaymentStore): Promise<SqlPaymentStore>;
  cleanup?(): Promise<void>;
  /** How long robustness's burst of writes may take (default 5000 ms): a bound that catches a stall. */
  burstMs?: number;
}

/** The code a promise is rejected with (`'resolved'` when it is not). */
export const codeOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (isPaybridgeError(error) ? error.code : error),
  );

export async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  expect(await codeOf(promise)).toBe(code);
}

/**
 * Stores for one describe block: every store it opens (and siblings on the same database) is
 * closed after the block, then the target cleans up.
 */
export function storesFor(target: ContractTarget) {
  const opened: SqlPaymentStore[] = [];
  afterAll(async () => {
    for (const store of opened) await store.close();
    await target.cleanup?.();
  });
  return {
    async open(): Promise<SqlPaymentStore> {
      const store = await target.create();
      opened.push(store);
      return store;
    },
    async sibling(store: SqlPaymentStore): Promise<SqlPaymentStore> {
      const other = await target.sibling(store);
      opened.push(other);
      return other;
    },
    /** A payment created with its creation transition. */
    async created(store: SqlPaymentStore, overrides: Partial<Payment> = {}): Promise<Payment> {
      const payment = makePayment(overrides);
      await store.createPayment(payment, makeTransition(payment));
      return payment;
    },
  };
}
