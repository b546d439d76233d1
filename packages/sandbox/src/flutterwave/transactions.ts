import { errorJson, readObject, success } from './http';
import {
  type FlutterwaveState,
  majorNumber,
  majorText,
  minorFromMajor,
  type SimRefund,
  type SimTransaction,
  transactionView,
} from './model';
import { sendWebhook } from './webhooks';

const NOT_FOUND = 'No transaction was found for this id';

/** `GET /v3/transactions/{id}/verify` (reference §6). */
export function verifyById(state: FlutterwaveState, id: string): Response {
  const tx = /^\d+$/.test(id) ? state.transactions.get(Number(id)) : undefined;
  return tx ? success('Transaction fetched successfully', transactionView(tx)) : errorJson(400, NOT_FOUND);
}

/** `GET /v3/transactions/verify_by_reference?tx_ref=` — the latest transaction with that reference (§6). */
export function verifyByReference(state: FlutterwaveState, url: URL): Response {
  const txRef = url.searchParams.get('tx_ref');
  if (!txRef) return errorJson(400, 'tx_ref is required');
  const matches = [...state.transactions.values()].filter((tx) => tx.txRef === txRef);
  const latest = matches.at(-1);
  return latest
    ? success('Transaction fetched successfully', transactionView(latest))
    : errorJson(400, NOT_FOUND);
}

/** `POST /v3/transactions/{id}/resend-hook` (reference §5.3): the webhook again. */
export function resendHook(state: FlutterwaveState, id: string): Response {
  const tx = state.transactions.get(Number(id));
  if (!tx) return errorJson(400, NOT_FOUND);
  sendWebhook(state, tx, `resend:${tx.status}`);
  return success('hook sent', null);
}

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
