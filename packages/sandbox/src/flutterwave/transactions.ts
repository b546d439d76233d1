import { errorJson, success } from './http';
import { type FlutterwaveState, transactionView } from './model';
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
