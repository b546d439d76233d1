import {
  dataNotFound,
  isObject,
  parseAmount,
  payuError,
  payuJson,
  present,
  readJsonObject,
  valueInvalid,
  valueMissing,
} from './http';
import {
  newRefundId,
  type PayuRefundStatus,
  type PayuState,
  refundedOrQueued,
  refundView,
  type SimOrder,
  type SimRefund,
} from './model';
import { notifyRefund } from './notifications';

/**
 * `POST /api/v2_1/orders/{id}/refunds` (reference §5.4): COMPLETED orders only, `amount` omitted = the rest,
 * several partial refunds up to the captured total, identical request data returns the earlier refund,
 * and the refund starts PENDING — it ends later (`finalizeRefunds`, `cancelRefund`) with its own notification.
 */
export async function createRefund(state: PayuState, order: SimOrder, request: Request): Promise<Response> {
  const read = await readJsonObject(request);
  if ('response' in read) return read.response;
  const refund = read.value.refund;
  if (!isObject(refund)) return valueMissing('refund');
  if (!present(refund.description)) return valueMissing('refund.description');
  if (refund.currencyCode !== undefined && refund.currencyCode !== order.currencyCode) {
    return valueInvalid(`Refund currency must be ${order.currencyCode}`);
  }
  let amount: number | null = null;
  if (refund.amount !== undefined) {
    amount = parseAmount(refund.amount);
    if (amount === null || amount === 0) return valueInvalid('Invalid refund amount');
  }
  const extRefundId = present(refund.extRefundId) ? String(refund.extRefundId) : undefined;
  const requestKey = JSON.stringify([
    amount,
    extRefundId ?? null,
    String(refund.description),
    refund.bankDescription ?? null,
    refund.type ?? null,
  ]);
  const earlier = order.refunds.find((r) => r.requestKey === requestKey);
  if (earlier) return refundAnswer(order, earlier, 'Refund already exists');
  if (extRefundId !== undefined && order.refunds.some((r) => r.extRefundId === extRefundId)) {
    return valueInvalid('extRefundId already used with different data');
  }
  if (order.status !== 'COMPLETED') {
    return valueInvalid(`Refund is not possible for an order with status ${order.status}`);
  }
  const available = order.totalAmount - refundedOrQueued(order);
  if (available <= 0) return valueInvalid('Order is already fully refunded');
  if (amount !== null && amount > available) {
    return payuError(400, 'ERROR_VALUE_INVALID', {
      severity: 'ERROR',
      statusDesc: `Refund amount exceeds the amount available for refund (${available})`,
    });
  }
  const now = state.env.clock.now();
  const created: SimRefund = {
    refundId: newRefundId(),
    ...(extRefundId === undefined ? {} : { extRefundId }),
    amount: amount ?? available,
    currencyCode: order.currencyCode,
    description: String(refund.description),
    ...(present(refund.bankDescription) ? { bankDescription: String(refund.bankDescription) } : {}),
    ...(present(refund.type) ? { type: String(refund.type) } : {}),
    status: 'PENDING',
    createdAt: now,
    statusAt: now,
    requestKey,
  };
  order.refunds.push(created);
  if (state.config.notifyPendingRefunds) notifyRefund(state, order, created);
  return refundAnswer(order, created, 'Refund queued for processing');
}

function refundAnswer(order: SimOrder, refund: SimRefund, statusDesc: string): Response {
  return payuJson({
    orderId: order.orderId,
    refund: refundView(refund),
    status: { statusCode: 'SUCCESS', statusDesc },
  });
}

/** `GET /api/v2_1/orders/{id}/refunds`. */
export function listRefunds(state: PayuState, order: SimOrder): Response {
  const refunds = order.refunds.map(refundView);
  return payuJson(state.config.refundListShape === 'array' ? refunds : { refunds });
}

/** `GET /api/v2_1/orders/{id}/refunds/{refundId}`: the refund object itself. */
export function getRefund(order: SimOrder, refundId: string): Response {
  const refund = order.refunds.find((r) => r.refundId === refundId);
  return refund ? payuJson(refundView(refund)) : dataNotFound(`Refund ${refundId} not found`);
}

/** Ends a PENDING refund (FINALIZED: money returned; CANCELED: refund failed) and notifies it. */
export function settleRefund(
  state: PayuState,
  refundId: string,
  status: Exclude<PayuRefundStatus, 'PENDING'>,
): void {
  for (const order of state.orders.values()) {
    const refund = order.refunds.find((r) => r.refundId === refundId);
    if (!refund) continue;
    if (refund.status !== 'PENDING') {
      throw new Error(`PayU sandbox: refund ${refundId} is ${refund.status}, not PENDING`);
    }
    refund.status = status;
    refund.statusAt = state.env.clock.now();
    notifyRefund(state, order, refund);
    return;
  }
  throw new Error(`PayU sandbox: no refund ${refundId}`);
}

/** Finalizes every PENDING refund; returns how many. */
export function finalizeRefunds(state: PayuState): number {
  const pending = [...state.orders.values()].flatMap((o) => o.refunds.filter((r) => r.status === 'PENDING'));
  for (const refund of pending) settleRefund(state, refund.refundId, 'FINALIZED');
  return pending.length;
}
