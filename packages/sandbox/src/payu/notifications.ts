import type { Delivery } from '../lib/delivery';
import {
  orderProperties,
  orderView,
  type PayuConfig,
  type PayuOrderStatus,
  type PayuState,
  payuTimestamp,
  type SimOrder,
  type SimRefund,
} from './model';
import { type PayuSignatureAlgorithm, signatureHeaderValue } from './signature';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * PayU's redelivery table (reference §4.4): 20 attempts over ~72 h. Read as offsets from the first
 * attempt (the natural reading; `retryOffsets: 'from-previous'` takes them as gaps instead).
 */
export const PAYU_RETRY_OFFSETS_MS: readonly number[] = [
  0,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  9 * HOUR,
  12 * HOUR,
  15 * HOUR,
  18 * HOUR,
  21 * HOUR,
  24 * HOUR,
  36 * HOUR,
  48 * HOUR,
  60 * HOUR,
  72 * HOUR,
];

/** The queue waits each delay after the previous attempt, so offsets become gaps between attempts. */
export function retryDelays(mode: PayuConfig['retryOffsets']): number[] {
  const offsets = PAYU_RETRY_OFFSETS_MS;
  if (mode === 'from-previous') return offsets.slice(1);
  return offsets.slice(1).map((offset, i) => offset - (offsets[i] ?? 0));
}

/** PayU wants HTTP 200; the body is ignored and any other status means "deliver again" (reference §4.4). */
const acceptsOnly200 = (status: number) => status === 200;

/** Headers PayU sends with a notification (reference §4): both signature header names carry the same value. */
export function notificationHeaders(
  body: Uint8Array,
  secondKey: string,
  algorithm: PayuSignatureAlgorithm,
): Record<string, string> {
  const signature = signatureHeaderValue(body, secondKey, algorithm);
  return {
    'content-type': 'application/json;charset=UTF-8',
    'openpayu-signature': signature,
    'x-openpayu-signature': signature,
  };
}

function schedule(state: PayuState, order: SimOrder, label: string, document: unknown): Delivery[] {
  if (!order.notifyUrl) return []; // PayU sends nothing for an order created without notifyUrl.
  const pos = state.config.pos.find((p) => p.posId === order.posId);
  if (!pos) return [];
  const body = new TextEncoder().encode(JSON.stringify(document));
  const fault = state.faults.signature ?? 'valid';
  let headers: Record<string, string>;
  if (fault === 'missing') {
    headers = { 'content-type': 'application/json;charset=UTF-8' };
  } else if (fault === 'forged') {
    // Well-formed, but made with a key that is not the POS's second key.
    headers = notificationHeaders(body, `forged-${pos.secondKey.split('').reverse().join('')}`, 'MD5');
  } else {
    headers = notificationHeaders(
      body,
      pos.secondKey,
      fault === 'sha256' ? 'SHA-256' : state.config.signatureAlgorithm,
    );
  }
  const copies = 1 + Math.max(0, Math.floor(state.faults.duplicate ?? 0));
  const deliveries: Delivery[] = [];
  for (let copy = 0; copy < copies; copy++) {
    deliveries.push(
      state.env.queue.schedule(
        'payu',
        { url: order.notifyUrl, method: 'POST', headers, body },
        {
          label: copy === 0 ? label : `${label}:duplicate`,
          retryDelays: retryDelays(state.config.retryOffsets),
          accept: acceptsOnly200,
          timeoutMs: state.config.notificationTimeoutMs,
        },
      ),
    );
  }
  return deliveries;
}

/** An order notification (reference §4.1), as of `status`; PayU never notifies NEW. */
export function orderNotification(order: SimOrder, status: PayuOrderStatus, now: number): unknown {
  return {
    order: orderView(order, status),
    ...(status === 'COMPLETED' ? { localReceiptDateTime: payuTimestamp(order.completedAt ?? now) } : {}),
    properties: orderProperties(order),
  };
}

/**
 * Schedules the notification of the order's current status, or of `status` when an earlier one is
 * sent late (the reorder fault), plus the stale-CANCELED fault after COMPLETED.
 */
export function notifyOrder(
  state: PayuState,
  order: SimOrder,
  status: PayuOrderStatus = order.status,
): Delivery[] {
  const now = state.env.clock.now();
  const deliveries = schedule(state, order, `order:${status}`, orderNotification(order, status, now));
  if (status === 'COMPLETED' && state.faults.staleCanceledAfterCompleted) {
    const stale = orderNotification(order, 'CANCELED', now);
    deliveries.push(...schedule(state, order, 'order:CANCELED:stale', stale));
  }
  return deliveries;
}

/**
 * A refund notification (reference §4.2): NO `order` key at the top level, and in the documented shape
 * no `extRefundId` either (`withExtRefundId` adds it).
 */
export function refundNotification(
  order: SimOrder,
  refund: SimRefund,
  options: { withoutAmount: boolean; withExtRefundId: boolean },
): unknown {
  const { withoutAmount, withExtRefundId } = options;
  const base = {
    refundId: refund.refundId,
    ...(refund.extRefundId === undefined || !withExtRefundId ? {} : { extRefundId: refund.extRefundId }),
  };
  const dates = {
    statusDateTime: payuTimestamp(refund.statusAt),
    refundDate: payuTimestamp(refund.createdAt),
  };
  const detail = withoutAmount
    ? { refundId: refund.refundId, status: refund.status, reason: 'refund', refundDate: dates.refundDate }
    : {
        ...base,
        amount: String(refund.amount),
        currencyCode: refund.currencyCode,
        status: refund.status,
        statusDateTime: dates.statusDateTime,
        reason: 'refund',
        reasonDescription: refund.description,
        refundDate: dates.refundDate,
      };
  return {
    orderId: order.orderId,
    ...(order.extOrderId === undefined ? {} : { extOrderId: order.extOrderId }),
    refund: detail,
  };
}

export function notifyRefund(state: PayuState, order: SimOrder, refund: SimRefund): Delivery[] {
  const document = refundNotification(order, refund, {
    withoutAmount: state.faults.refundWithoutAmount ?? false,
    withExtRefundId: state.config.refundNotificationExtRefundId,
  });
  return schedule(state, order, `refund:${refund.status}`, document);
}
