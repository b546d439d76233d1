import type { NotificationContext } from '@paybridge/core';
import { namedPaymentId as firstNamed } from '@paybridge/core/kit';
import type { IpnMessage } from './ipn-message';

/** Longest value looked up from an unverified IPN: PayPal ids are 17–19 characters, ours shorter than this. */
const MAX_ID = 100;

/**
 * Which of our payments an IPN PayPal answered INVALID names, if any (DESIGN §6, verify-or-pull). An
 * INVALID is acknowledged 200, so PayPal never sends that message again: when the IPN was genuine (a
 * postback the bytes did not survive), only a pull can still learn the payment. Nothing in the message
 * is trusted beyond naming: the pull asks PayPal about the payment's own transaction or invoice. By
 * `txn_id` (the transaction a payment is bound to), then `parent_txn_id`, then `invoice` (our payment
 * id); only payments of this backend. Never throws: the answer stays as it was.
 */
export function namedPaymentId(
  ipn: IpnMessage,
  ctx: NotificationContext,
  backendId: string,
): Promise<string | undefined> {
  return firstNamed(
    ctx,
    backendId,
    { externalIds: [ipn.get('txn_id'), ipn.get('parent_txn_id')], paymentIds: [ipn.get('invoice')] },
    MAX_ID,
  );
}
