import type {
  NotificationContext,
  NotificationOutcome,
  NotificationUpdate,
  Payment,
  PaymentFact,
} from '@paybridge/core';
import { parsePaypalAmount } from './currencies';
import { checkMessage, type InterpretOptions, paymentByReference, rejected, verified } from './ipn-checks';
import type { IpnMessage } from './ipn-message';
import { refundTxnKey } from './nvp-operations';
import {
  boundSubscription,
  SUBSCRIPTION_EVENTS,
  subscriptionIdOf,
  subscriptionOutcome,
  termsMismatchOf,
} from './subscription-outcome';

/** How long a refund IPN waits for our own in-flight refund's answer before it is taken as that refund. */
const IN_FLIGHT_MS = 10 * 60_000;

/**
 * Which of our refunds a refund IPN is (§5.1): the one `bridge.refund` recorded under this refund
 * transaction id, else its own txn_id (a refund made in PayPal's back office). While our own refund
 * of the same amount is in flight (asked, answer not recorded yet), the IPN may be its echo: answer
 * 503 so PayPal re-sends it once the answer is in; after IN_FLIGHT_MS the answer is taken as lost
 * and the IPN is that refund. Either way the same refund is never counted twice.
 */
export function ourRefundId(
  target: Payment,
  txnId: string,
  amount: number,
  now: Date,
): { refundId: string } | { retry: string } {
  const mapped = target.brokerData[refundTxnKey(txnId)];
  if (typeof mapped === 'string') return { refundId: mapped };
  const inFlight = target.refunds.find(
    (entry) =>
      entry.kind === 'refund' &&
      entry.status === 'pending' &&
      entry.amount === amount &&
      // Core's mark of a refund whose broker answer has not been recorded yet (`bridge.refund` in flight).
      entry.request === 'requested',
  );
  if (!inFlight) return { refundId: txnId };
  if (now.getTime() - Date.parse(inFlight.createdAt) < IN_FLIGHT_MS)
    return { retry: `refund ${txnId} may be our refund ${inFlight.id} still in flight` };
  return { refundId: inFlight.id };
}

export { type InterpretOptions, IPN_ACK } from './ipn-checks';

/** Statuses that settle a pending payment as not paid (§8.3, §11.9). */
const FAILED_STATUSES = new Set(['Denied', 'Failed', 'Voided', 'Expired']);
/** Statuses that move money back (or cancel such a move) on an earlier transaction, `parent_txn_id` (§9). */
const REVERSING_STATUSES = new Set(['Refunded', 'Reversed', 'Canceled_Reversal']);

/** Older documents spell it `Canceled-Reversal` (§8.3). */
function paymentStatus(ipn: IpnMessage): string | undefined {
  const status = ipn.get('payment_status');
  return status === 'Canceled-Reversal' ? 'Canceled_Reversal' : status;
}

async function reversingOutcome(
  ipn: IpnMessage,
  status: string,
  txnId: string,
  ctx: NotificationContext,
  options: InterpretOptions,
): Promise<NotificationOutcome> {
  const parentTxnId = ipn.get('parent_txn_id');
  if (!parentTxnId) return rejected('MALFORMED_NOTIFICATION', `${status} ${txnId} without parent_txn_id`);
  // The refunded transaction first: a subscription renewal is its own (child) payment.
  const byTxn = await ctx.findPaymentByExternalId(parentTxnId);
  let target: Payment;
  let child: NotificationUpdate['child'];
  if (byTxn && byTxn.backend === options.backendId) {
    target = byTxn;
  } else {
    const payment = await paymentByReference(ipn, ctx, options.backendId);
    if (typeof payment === 'string') return rejected('UNKNOWN_PAYMENT', `${payment} (parent ${parentTxnId})`);
    target = payment;
    if (payment.recurrence && subscriptionIdOf(ipn)) {
      child = {
        key: parentTxnId,
        externalId: parentTxnId,
        amount: payment.amount,
        currency: payment.currency,
      };
    }
  }
  // Refunds and reversals carry a negative mc_gross, their cancellation a positive one (§9).
  const sign = status === 'Canceled_Reversal' ? 'positive' : 'negative';
  const problem = checkMessage(ipn, target, options, 'mc_gross', sign);
  if (problem) return problem;
  const amount = Math.abs(parsePaypalAmount(ipn.get('mc_gross'), target.currency) ?? 0);
  const eventId = `${txnId}:${status}`;
  let refundId = txnId;
  if (status === 'Refunded') {
    const ours = ourRefundId(target, txnId, amount, ctx.now());
    if ('retry' in ours) return { verdict: 'retry', message: ours.retry };
    refundId = ours.refundId;
  }
  const fact: PaymentFact =
    status === 'Canceled_Reversal'
      ? { type: 'reversal_cancelled', eventId, cancellationId: txnId, amount, currency: target.currency }
      : {
          type: 'refunded',
          eventId,
          refundId,
          amount,
          currency: target.currency,
          ...(status === 'Reversed' ? { reversal: true } : {}),
        };
  // The refunded transaction is what the refund is about: the core refuses it on a payment that
  // never recorded that transaction's money (a stranger's chargeback of their own payment).
  return verified([
    { paymentId: target.id, facts: [fact], transactionId: parentTxnId, ...(child ? { child } : {}) },
  ]);
}

/**
 * A VERIFIED IPN → what it means for our payments. Every check that fails is an anomaly that changes
 * nothing; PayPal still gets its 200 since re-sending the same message cannot make it right.
 */
export async function interpretIpn(
  ipn: IpnMessage,
  ctx: NotificationContext,
  options: InterpretOptions,
): Promise<NotificationOutcome> {
  const txnType = ipn.get('txn_type');
  const subscriptionEvent = txnType ? SUBSCRIPTION_EVENTS[txnType] : undefined;
  if (subscriptionEvent) return subscriptionOutcome(ipn, subscriptionEvent, ctx, options);

  const status = paymentStatus(ipn);
  const txnId = ipn.get('txn_id');
  if (!status) {
    // new_case, adjustment, … : nothing to apply, but PayPal must stop re-sending (§11.6).
    ctx.logger.info('paypal: IPN without payment_status ignored', { txnType: txnType ?? null });
    return verified([]);
  }
  if (!txnId) return rejected('MALFORMED_NOTIFICATION', `payment_status ${status} without txn_id`);
  if (REVERSING_STATUSES.has(status)) return reversingOutcome(ipn, status, txnId, ctx, options);
  if (status !== 'Completed' && status !== 'Pending' && !FAILED_STATUSES.has(status)) {
    ctx.logger.info('paypal: IPN payment_status not mapped, ignored', { status, txnId });
    return verified([]);
  }

  const payment = await paymentByReference(ipn, ctx, options.backendId);
  if (typeof payment === 'string') return rejected('UNKNOWN_PAYMENT', payment);
  const problem = checkMessage(
    ipn,
    payment,
    options,
    // A denial may come without amounts; when they are there they must be ours.
    FAILED_STATUSES.has(status) && !ipn.get('mc_gross') ? null : 'mc_gross',
  );
  if (problem) return problem;

  const eventId = `${txnId}:${status}`;
  const reasonCode = ipn.get('reason_code');
  const pendingReason = ipn.get('pending_reason');
  const fact: PaymentFact =
    status === 'Completed'
      ? { type: 'captured', eventId, captureId: txnId, amount: payment.amount, currency: payment.currency }
      : status === 'Pending'
        ? { type: 'pending', eventId, ...(pendingReason ? { reason: pendingReason } : {}) }
        : { type: 'failed', eventId, reason: reasonCode ? `${status} (${reasonCode})` : status };
  // Each subscr_payment is a payment of its own, linked to the signup payment (DESIGN §2, Payment.parentPaymentId).
  const renewal =
    txnType === 'subscr_payment' ||
    txnType === 'recurring_payment' ||
    (payment.recurrence !== null && subscriptionIdOf(ipn));
  if (renewal) {
    const subscriptionId = subscriptionIdOf(ipn);
    // Binding: a renewal of another subscription than the one the payment signed up is not ours to credit.
    const bound = boundSubscription(payment);
    if (subscriptionId && bound !== null && bound !== subscriptionId) {
      return rejected(
        'OTHER_TRANSACTION',
        `${status} ${txnId} of subscription ${subscriptionId} not credited: ${payment.id} is bound to subscription ${bound}`,
        payment.id,
      );
    }
    // subscr_payment names no period: a signup or modification that showed other terms is the only way to know (§11.8).
    const mismatch = subscriptionId ? termsMismatchOf(payment, subscriptionId) : null;
    if (mismatch) {
      return rejected(
        'AMOUNT_MISMATCH',
        `${status} ${txnId} of subscription ${subscriptionId ?? '(none)'} not credited: ` +
          `${mismatch.eventId} of ${payment.id} had other terms (${mismatch.reason})`,
        payment.id,
      );
    }
    return verified([
      {
        paymentId: payment.id,
        facts: [fact],
        transactionId: txnId,
        child: {
          key: txnId,
          externalId: txnId,
          amount: payment.amount,
          currency: payment.currency,
          description: payment.description,
          ...(subscriptionId ? { subscriptionId } : {}),
        },
      },
    ]);
  }
  // Binding (DESIGN §6): the message is about txn_id. Its capture binds the payment to it (its
  // external id, so a refund found only by `parent_txn_id` still reaches it, §9, §11.9); its failure
  // or denial fails the payment only when it is about the bound transaction — a stranger's own
  // checkout naming our invoice and refused at PayPal leaves the payment payable (issue 14 item 2).
  return verified([{ paymentId: payment.id, facts: [fact], transactionId: txnId }]);
}
