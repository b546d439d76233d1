import type { Payment } from '../types';
import { namespacedBrokerData } from './broker-data';
import { movedRefundRequests } from './refund-request';

/**
 * A stored payment in this version's shape, however an earlier version stored it: core's refund
 * requests move from `brokerData` onto their ledger entries, then a backend's flat bookkeeping keys
 * move under `brokerData[payment.backend]`. The same object when there is nothing to move (so a
 * store's `expected` hint still matches); a change written from it stores the new shape.
 */
export function currentShape(payment: Payment): Payment {
  return namespacedBrokerData(movedRefundRequests(payment));
}
