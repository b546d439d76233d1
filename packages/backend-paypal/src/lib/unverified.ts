import type { NotificationContext } from '@paybridge/core';
import type { IpnMessage } from './ipn-message';

/** Longest value looked up from an unverified IPN: PayPal ids are 17–19 characters, ours shorter than this. */
const MAX_ID = 100;

const bounded = (value: string | undefined) => (value && value.length <= MAX_ID ? value : undefined);

/**
 * Which of our payments an IPN PayPal answered INVALID names, if any (DESIGN §6, verify-or-pull). An
 * INVALID is acknowledged 200, so PayPal never sends that message again: when the IPN was genuine (a
 * postback the bytes did not survive), only a pull can still learn the payment. Nothing in the message
 * is trusted beyond naming: the pull asks PayPal about the payment's own transaction or invoice. By
 * `txn_id` (the transaction a payment is bound to), then `parent_txn_id`, then `invoice` (our payment
 * id); only payments of this backend. Never throws: the answer stays as it was.
 */
export async function namedPaymentId(
  ipn: IpnMessage,
  ctx: NotificationContext,
  backendId: string,
): Promise<string | undefined> {
  try {
    for (const name of ['txn_id', 'parent_txn_id'] as const) {
      const txnId = bounded(ipn.get(name));
      const payment = txnId ? await ctx.findPaymentByExternalId(txnId) : null;
      if (payment?.backend === backendId) return payment.id;
    }
    const invoice = bounded(ipn.get('invoice'));
    const payment = invoice ? await ctx.getPayment(invoice) : null;
    return payment?.backend === backendId ? payment.id : undefined;
  } catch {
    return undefined;
  }
}
