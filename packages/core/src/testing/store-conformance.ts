import { afterAll, beforeAll, describe } from 'vitest';
import type { PaymentStore } from '../store';
import type { Payment } from '../types';
import { changeChecks } from './store-conformance/apply-change';
import { messageChecks } from './store-conformance/messages';
import { outboxChecks } from './store-conformance/outbox';
import { recordChecks } from './store-conformance/records';
import { refundOpenChecks } from './store-conformance/refund-open';

export interface StoreConformanceOptions {
  name: string;
  create: () => Promise<PaymentStore>;
  cleanup?: (store: PaymentStore) => Promise<void>;
  /**
   * For a store with schema versions: a new store over a database the previous schema version
   * wrote these payments into, opened (migrated) by this version. The kit checks that what a
   * migration derives from the stored records (`refundOpen`) is there. The kit closes it.
   */
  earlierSchema?: (payments: readonly Payment[]) => Promise<PaymentStore>;
}

/**
 * The behaviour every PaymentStore must have. Run it from a store package's tests:
 * `runStoreConformance({ name: 'sqlite', create: async () => sqliteStore({ filename }) })`.
 * The checks are grouped by what they exercise, one file each under `store-conformance/`.
 */
export function runStoreConformance(options: StoreConformanceOptions): void {
  describe(`PaymentStore conformance: ${options.name}`, () => {
    let store: PaymentStore;
    beforeAll(async () => {
      store = await options.create();
    });
    afterAll(async () => {
      if (options.cleanup) await options.cleanup(store);
      else await store.close?.();
    });

    const current = () => store;
    recordChecks(current);
    changeChecks(current);
    outboxChecks(current);
    messageChecks(current);
    refundOpenChecks(current, options.earlierSchema);
  });
}
