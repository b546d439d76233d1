import { isInt, isText, isUrl, json, p24Error, readJson } from './http';
import type { P24Merchant, P24State, SimRefund, SimTransaction } from './model';
import { notifyRefund } from './notifications';

interface RefundItem {
  orderId: number;
  sessionId: string;
  amount: number;
  description: string;
}

const refunded = (tx: SimTransaction) =>
  tx.refunds.filter((r) => r.status !== 4).reduce((sum, r) => sum + r.amount, 0);

function itemError(item: RefundItem, message: string) {
  return { ...item, status: false, message };
}

/**
 * `POST /api/v1/transaction/refund` (reference §8.1): 201 with per-item results, 400 "Request already
 * exists" for a reused requestId or refundsUuid, 409 with per-item messages when an item cannot be refunded.
 */
export async function createRefund(
  state: P24State,
  merchant: P24Merchant,
  request: Request,
): Promise<Response> {
  const body = await readJson(request);
  if (body instanceof Response) return body;
  const { requestId, refundsUuid, urlStatus, refunds } = body;
  if (!isText(requestId, 45) || !isText(refundsUuid, 35) || !Array.isArray(refunds) || refunds.length === 0)
    return p24Error(400, 'Invalid input parameters');
  if (urlStatus !== undefined && !isUrl(urlStatus)) return p24Error(400, 'Invalid input parameters');
  const items: RefundItem[] = [];
  for (const raw of refunds as unknown[]) {
    const r = raw as Record<string, unknown>;
    if (
      typeof raw !== 'object' ||
      raw === null ||
      !isInt(r.orderId) ||
      !isText(r.sessionId, 100) ||
      !isInt(r.amount) ||
      r.amount < 1
    )
      return p24Error(400, 'Invalid input parameters');
    if (r.description !== undefined && (typeof r.description !== 'string' || r.description.length > 35))
      return p24Error(400, 'Invalid input parameters');
    items.push({
      orderId: r.orderId,
      sessionId: r.sessionId,
      amount: r.amount,
      description: (r.description as string) ?? '',
    });
  }
  const keys = [`${merchant.merchantId}:req:${requestId}`, `${merchant.merchantId}:uuid:${refundsUuid}`];
  if (keys.some((k) => state.refundRequests.has(k))) return p24Error(400, 'Request already exists');

  // All items are checked before any is carried out, including several items of one transaction.
  const planned = new Map<SimTransaction, number>();
  const failures = [];
  for (const item of items) {
    const tx = state.byOrderId.get(item.orderId);
    if (!tx || tx.merchant !== merchant || tx.sessionId !== item.sessionId) {
      failures.push(itemError(item, 'Transaction not found'));
      continue;
    }
    if (tx.status !== 2 && tx.status !== 3) {
      failures.push(itemError(item, 'Transaction in wrong status - cannot refund'));
      continue;
    }
    const total = (planned.get(tx) ?? refunded(tx)) + item.amount;
    if (total > tx.amount) {
      failures.push(itemError(item, 'The amount of refund exceeds available amount for the transaction'));
      continue;
    }
    planned.set(tx, total);
  }
  if (failures.length > 0) return json(409, { error: failures, code: 409 });
  for (const key of keys) state.refundRequests.add(key);
  for (const item of items) {
    const tx = state.byOrderId.get(item.orderId) as SimTransaction;
    const refund: SimRefund = {
      ...item,
      requestId,
      refundsUuid,
      status: 2,
      urlStatus: urlStatus as string | undefined,
      batchId: state.nextBatchId++,
      date: state.env.clock.now(),
    };
    tx.refunds.push(refund);
    if (state.config.autoCompleteRefunds) settleRefund(state, tx, refund, 'completed');
  }
  return json(201, {
    data: items.map((item) => ({ ...item, status: true, message: 'success' })),
    responseCode: 0,
  });
}

/** A pending refund completes (status 1) or is rejected (4), with its refund notification. */
export function settleRefund(
  state: P24State,
  tx: SimTransaction,
  refund: SimRefund,
  outcome: 'completed' | 'rejected',
): void {
  if (refund.status !== 2) throw new Error(`Przelewy24 sandbox: refund ${refund.refundsUuid} is not pending`);
  refund.status = outcome === 'completed' ? 1 : 4;
  if (outcome === 'completed' && refunded(tx) >= tx.amount) tx.status = 3;
  notifyRefund(state, tx, refund);
}

/** Every pending refund (of a refundsUuid, or all) settled; returns how many. */
export function settleRefunds(
  state: P24State,
  outcome: 'completed' | 'rejected',
  refundsUuid?: string,
): number {
  let count = 0;
  for (const tx of state.byOrderId.values()) {
    for (const refund of tx.refunds) {
      if (refund.status !== 2 || (refundsUuid !== undefined && refund.refundsUuid !== refundsUuid)) continue;
      settleRefund(state, tx, refund, outcome);
      count++;
    }
  }
  return count;
}

/** `GET /api/v1/refund/by/orderId/{orderId}` (reference §8.3). */
export function refundsByOrderId(state: P24State, merchant: P24Merchant, orderId: string): Response {
  const tx = /^\d+$/.test(orderId) ? state.byOrderId.get(Number(orderId)) : undefined;
  if (!tx || tx.merchant !== merchant || tx.refunds.length === 0)
    return json(404, { error: 'Refund not found', code: 404 });
  return json(200, {
    data: {
      orderId: tx.orderId,
      sessionId: tx.sessionId,
      amount: tx.amount,
      currency: tx.currency,
      refunds: tx.refunds.map((r) => ({
        batchId: r.batchId,
        requestId: r.requestId,
        date: new Date(r.date).toISOString().slice(0, 19).replace('T', ' '),
        login: 'api',
        description: r.description,
        status: r.status,
        amount: r.amount,
      })),
    },
    responseCode: 0,
  });
}
