import type { PaymentStore } from '../store';
import type { Payment } from '../types';

/**
 * Rewrites a stored payment as paybridge 0.1 stored it: its backend's bookkeeping flat in
 * `brokerData` instead of under `brokerData[backend]`. Returns the flat brokerData it stored.
 */
export async function storeInPreviousShape(
  store: PaymentStore,
  paymentId: string,
): Promise<Payment['brokerData']> {
  let flat: Payment['brokerData'] = {};
  await store.applyChange({
    paymentId,
    eventIds: [`test:previous-shape:${paymentId}:${Date.now()}`],
    compute(current) {
      flat = { ...(current.brokerData[current.backend] as Payment['brokerData'] | undefined) };
      return { payment: { ...current, brokerData: flat, version: current.version + 1 }, transitions: [] };
    },
  });
  return flat;
}
