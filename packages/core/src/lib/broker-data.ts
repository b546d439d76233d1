import type { Payment } from '../types';

/**
 * A backend's bookkeeping lives under `payment.brokerData[backend.id]`: core files whatever a backend
 * returns there and shows each backend only its own part (`lib/backend-boundary.ts`), so no backend
 * can read or overwrite another's keys. The previous version stored a backend's keys flat in
 * `brokerData`; `namespacedBrokerData` moves them (through `currentShape`) under the payment's backend.
 */
type BrokerData = Record<string, unknown>;

const isRecord = (value: unknown): value is BrokerData =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether `brokerData` is in this version's shape for a payment of backend `owner`: nothing, or one
 * object under the owner's id. Only the owner writes a payment's brokerData (core hands a backend only
 * its own payments to update), so any other key is a flat key of the previous version. A flat record
 * whose only key is its backend's id does not occur: CM-CIC, the one backend with such a key
 * (`cmcic`), has written `cmcicRequest` beside it from its first version on.
 */
function isNamespaced(brokerData: BrokerData, owner: string): boolean {
  return Object.entries(brokerData).every(([key, value]) => key === owner && isRecord(value));
}

/** The payment with flat keys of the previous version under its backend's id; the same object if none. */
export function namespacedBrokerData(payment: Payment): Payment {
  if (isNamespaced(payment.brokerData, payment.backend)) return payment;
  return { ...payment, brokerData: { [payment.backend]: { ...payment.brokerData } } };
}

/** Backend `backendId`'s own bookkeeping on a payment (a copy; empty when it has none). */
export function ownBrokerData(payment: Payment, backendId: string): BrokerData {
  const shaped = namespacedBrokerData(payment);
  const own = shaped.brokerData[backendId];
  return isRecord(own) ? { ...own } : {};
}

/** The payment as backend `backendId` sees it: `brokerData` is its own bookkeeping only. */
export function backendView(payment: Payment, backendId: string): Payment {
  return { ...payment, brokerData: ownBrokerData(payment, backendId) };
}

/** The payment with `data` (what its backend returned) merged key by key into its backend's part. */
export function withBackendData(payment: Payment, data: BrokerData | undefined): Payment {
  if (!data) return payment;
  const shaped = namespacedBrokerData(payment);
  const own = ownBrokerData(shaped, payment.backend);
  return { ...shaped, brokerData: { ...shaped.brokerData, [payment.backend]: { ...own, ...data } } };
}
