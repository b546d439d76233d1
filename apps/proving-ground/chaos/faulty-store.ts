import { PaybridgeError, type PaymentStore } from '@paybridge/core';
import type { Journal } from './journal';
import type { Random } from './random';

/**
 * Wraps a store so that a share of `applyChange` calls fail before writing anything, as a database
 * that drops the connection would: the pipeline must answer so the broker delivers again. Never twice
 * in a row for the same payment, because CM-CIC retries a return only once (protocols/cmcic.md §4.4)
 * and two failures in a row would lose the message on the broker's side, not ours.
 */
export function faultyStore(
  store: PaymentStore,
  rate: number,
  random: Random,
  journal: Journal,
): PaymentStore {
  const failedLast = new Set<string>();
  const applyChange: PaymentStore['applyChange'] = async (request) => {
    if (!failedLast.has(request.paymentId) && random.chance(rate)) {
      failedLast.add(request.paymentId);
      journal.write({ type: 'fault', fault: 'store-write', detail: request.paymentId });
      throw new PaybridgeError('STORE_UNAVAILABLE', 'injected store write failure');
    }
    failedLast.delete(request.paymentId);
    return store.applyChange(request);
  };
  // Every other method goes through untouched (a Proxy keeps up with the store contract as it grows).
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'applyChange') return applyChange;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
