import { errorJson, readObject, success } from './http';
import {
  type FlutterwaveState,
  majorNumber,
  majorText,
  minorFromMajor,
  type SimRefund,
  type SimTransaction,
} from './model';

const NOT_FOUND = 'No transaction was found for this id';

const refunded = (tx: SimTransaction) => tx.refunds.reduce((sum, r) => sum + r.amount, 0);

export function refundView(refund: SimRefund, tx: SimTransaction): Record<string, unknown> {
  return {
    id: refund.id,
    account_id: 17321,
    tx_id: tx.id,
    flw_ref: `URF_${refund.id}_${tx.id}`,
    wallet_id: 74639,
    amount_refunded: majorNumber(refund.amount, tx.currency),
    status: refund.status,
    destination: 'payment_source',
    meta: { source: 'availablebalance' },
    comments: refund.comments,
    created_at: refund.createdAt,
  };
}

/** `POST /v3/transactions/{id}/refund` `{amount?, comments?}` (reference §7.2): full when amount is absent. */
export async function refundTransaction(
  state: FlutterwaveState,
  id: string,
  request: Request,
): Promise<Response> {
  const tx = state.transactions.get(Number(id));
  if (!tx) return errorJson(400, NOT_FOUND);
  const body = (await readObject(request)) ?? {};
  if (tx.status !== 'successful') return errorJson(400, 'Only successful transactions can be refunded');
  const remaining = tx.amount - refunded(tx);
  const amount = body.amount === undefined ? remaining : minorFromMajor(body.amount, tx.currency);
  if (amount === null || amount <= 0) return errorJson(400, 'Invalid refund amount');
  if (amount > remaining) {
    return errorJson(
      400,
      `Refund amount exceeds what is left to refund (${majorText(remaining, tx.currency)})`,
    );
  }
  const refund: SimRefund = {
    id: state.nextRefundId++,
    txId: tx.id,
    amount,
    status: state.config.refundStatus,
    comments: typeof body.comments === 'string' ? body.comments : '',
    createdAt: new Date(state.env.clock.now()).toISOString(),
  };
  tx.refunds.push(refund);
  state.refunds.set(refund.id, refund);
  return success('Transaction refund initiated', refundView(refund, tx));
}

/** `GET /v3/refunds/{id}` (reference §7.2, path UNCONFIRMED beyond the SDK). */
export function getRefund(state: FlutterwaveState, id: string): Response {
  const refund = state.refunds.get(Number(id));
  const tx = refund ? state.transactions.get(refund.txId) : undefined;
  return refund && tx
    ? success('Refund fetched', refundView(refund, tx))
    : errorJson(404, 'Refund not found');
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `GET /v3/refunds` (reference §7.2, list path UNCONFIRMED beyond the SDK; its filters are not in the
 * reference either). The sandbox takes `id` (the transaction id), `from`/`to` (days, YYYY-MM-DD, in
 * UTC, inclusive) and `status`; oldest first, all on one page.
 */
export function listRefunds(state: FlutterwaveState, url: URL): Response {
  const query = url.searchParams;
  const txId = query.get('id');
  const from = query.get('from');
  const to = query.get('to');
  const status = query.get('status');
  if (txId !== null && !/^\d+$/.test(txId)) return errorJson(400, 'id must be a transaction id');
  for (const day of [from, to])
    if (day !== null && !DAY.test(day)) return errorJson(400, 'dates are YYYY-MM-DD');
  const views: Record<string, unknown>[] = [];
  for (const refund of state.refunds.values()) {
    const tx = state.transactions.get(refund.txId);
    const day = refund.createdAt.slice(0, 10);
    if (!tx || (txId !== null && refund.txId !== Number(txId))) continue;
    if ((from !== null && day < from) || (to !== null && day > to)) continue;
    if (status !== null && refund.status !== status) continue;
    views.push(refundView(refund, tx));
  }
  return success('Refunds fetched', views);
}
