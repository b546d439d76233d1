import type {
  AckResponse,
  AnomalyCode,
  NotificationContext,
  NotificationOutcome,
  NotificationUpdate,
  Payment,
  PaymentFact,
} from '@paybridge/core';
import { subscriptionPeriod } from './checkout-form';
import { parsePaypalAmount } from './currencies';
import type { IpnMessage } from './ipn-message';
import { checkReceiver, type ReceiverIdentity } from './receiver';

/** PayPal wants a plain 200 for every IPN it should stop re-sending (protocols/paypal.md §6). */
export const IPN_ACK: AckResponse = { status: 200 };

export interface InterpretOptions {
  backendId: string;
  receiver: ReceiverIdentity;
}

type SubscriptionEvent = Extract<PaymentFact, { type: 'subscription' }>['event'];

const SUBSCRIPTION_EVENTS: Readonly<Record<string, SubscriptionEvent>> = {
  subscr_signup: 'signup',
  subscr_failed: 'payment_failed',
  subscr_cancel: 'cancelled',
  subscr_eot: 'ended',
  subscr_modify: 'modified',
};

/** Statuses that settle a pending payment as not paid (§8.3, §11.9). */
const FAILED_STATUSES = new Set(['Denied', 'Failed', 'Voided', 'Expired']);
/** Statuses that move money back (or cancel such a move) on an earlier transaction, `parent_txn_id` (§9). */
const REVERSING_STATUSES = new Set(['Refunded', 'Reversed', 'Canceled_Reversal']);

const rejected = (code: AnomalyCode, message: string, paymentId?: string): NotificationOutcome => ({
  verdict: 'rejected',
  code,
  message,
  ...(paymentId ? { paymentId } : {}),
  ack: IPN_ACK,
});

const verified = (updates: NotificationUpdate[]): NotificationOutcome => ({
  verdict: 'verified',
  updates,
  ack: IPN_ACK,
});

/** Older documents spell it `Canceled-Reversal` (§8.3). */
function paymentStatus(ipn: IpnMessage): string | undefined {
  const status = ipn.get('payment_status');
  return status === 'Canceled-Reversal' ? 'Canceled_Reversal' : status;
}

/**
 * Our payment named by `invoice` (our payment id), with `custom` (the same id) as a cross-check.
 * Both come from the buyer's form, so they only choose which payment to check, never prove anything.
 */
async function paymentByReference(
  ipn: IpnMessage,
  ctx: NotificationContext,
  backendId: string,
): Promise<Payment | string> {
  const invoice = ipn.get('invoice');
  const custom = ipn.get('custom');
  if (invoice && custom && invoice !== custom) return `invoice ${invoice} and custom ${custom} disagree`;
  const id = invoice ?? custom;
  if (!id) return 'the message names no invoice';
  const payment = await ctx.getPayment(id);
  if (!payment || payment.backend !== backendId) return `no ${backendId} payment ${id}`;
  return payment;
}

/** Receiver, then currency, then amount (when `amountField` is given): the §11.5/§11.8 checks. */
function checkMessage(
  ipn: IpnMessage,
  payment: Payment,
  options: InterpretOptions,
  amountField: string | null,
  /**
   * Signed minor units `amountField` must hold exactly, or the sign any amount must have: refunds and
   * reversals carry a negative `mc_gross`, their cancellation a positive one (§9).
   */
  expectedAmount: number | 'negative' | 'positive' = payment.amount,
): NotificationOutcome | null {
  const receiver = checkReceiver(options.receiver, {
    receiver_id: ipn.get('receiver_id'),
    receiver_email: ipn.get('receiver_email'),
    business: ipn.get('business'),
  });
  if (!receiver.ok) return rejected('RECEIVER_MISMATCH', receiver.reason, payment.id);
  if (amountField === null) return null;
  const currency = ipn.get('mc_currency');
  if (currency !== payment.currency) {
    return rejected(
      'CURRENCY_MISMATCH',
      `mc_currency ${currency ?? '(none)'}, payment is in ${payment.currency}`,
      payment.id,
    );
  }
  const amount = parsePaypalAmount(ipn.get(amountField), payment.currency);
  const matches =
    amount !== null &&
    (expectedAmount === 'negative'
      ? amount < 0
      : expectedAmount === 'positive'
        ? amount > 0
        : amount === expectedAmount);
  if (!matches) {
    const expected =
      typeof expectedAmount === 'number' ? `${expectedAmount} minor units` : `a ${expectedAmount} amount`;
    return rejected(
      'AMOUNT_MISMATCH',
      `${amountField} ${ipn.get(amountField) ?? '(none)'} ${currency}, expected ${expected}`,
      payment.id,
    );
  }
  return null;
}

async function subscriptionOutcome(
  ipn: IpnMessage,
  event: SubscriptionEvent,
  ctx: NotificationContext,
  options: InterpretOptions,
): Promise<NotificationOutcome> {
  const txnType = ipn.get('txn_type') as string;
  const subscriptionId = ipn.get('subscr_id');
  if (!subscriptionId) return rejected('MALFORMED_NOTIFICATION', `${txnType} without subscr_id`);
  const payment = await paymentByReference(ipn, ctx, options.backendId);
  if (typeof payment === 'string') return rejected('UNKNOWN_PAYMENT', payment);
  if (!payment.recurrence)
    return rejected('UNKNOWN_PAYMENT', `${payment.id} is not a subscription`, payment.id);
  const problem = checkMessage(ipn, payment, options, event === 'signup' ? 'mc_amount3' : null);
  if (problem) return problem;
  if (event === 'signup') {
    // The plan must be the one we sold: same period, and no trial we never offered (§11.8).
    const { p3, t3 } = subscriptionPeriod(payment.recurrence);
    const period = ipn.get('period3');
    if (period !== `${p3} ${t3}` || ipn.get('mc_amount1') || ipn.get('mc_amount2')) {
      return rejected('AMOUNT_MISMATCH', `plan ${period ?? '(none)'} is not ${p3} ${t3}`, payment.id);
    }
  }
  const data: Record<string, unknown> = { txnType };
  for (const field of [
    'subscr_date',
    'subscr_effective',
    'period3',
    'mc_amount3',
    'mc_currency',
    'recurring',
    'recur_times',
    'retry_at',
  ]) {
    const value = ipn.get(field);
    if (value !== undefined) data[field] = value;
  }
  // No txn_id on these: (subscr_id, txn_type, ipn_track_id | subscr_date) is the message's identity (§11.7).
  const discriminator = ipn.get('ipn_track_id') ?? ipn.get('subscr_date') ?? ipn.get('retry_at') ?? '';
  const eventId = `${subscriptionId}:${txnType}:${discriminator}`;
  return verified([
    { paymentId: payment.id, facts: [{ type: 'subscription', event, subscriptionId, data, eventId }] },
  ]);
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
    if (payment.recurrence && ipn.get('subscr_id')) {
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
  const fact: PaymentFact =
    status === 'Canceled_Reversal'
      ? { type: 'reversal_cancelled', eventId, cancellationId: txnId, amount, currency: target.currency }
      : {
          type: 'refunded',
          eventId,
          refundId: txnId,
          amount,
          currency: target.currency,
          ...(status === 'Reversed' ? { reversal: true } : {}),
        };
  return verified([{ paymentId: target.id, facts: [fact], ...(child ? { child } : {}) }]);
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
  const renewal = txnType === 'subscr_payment' || (payment.recurrence !== null && ipn.get('subscr_id'));
  if (renewal) {
    return verified([
      {
        paymentId: payment.id,
        facts: [fact],
        child: {
          key: txnId,
          externalId: txnId,
          amount: payment.amount,
          currency: payment.currency,
          description: payment.description,
        },
      },
    ]);
  }
  // txn_id becomes the payment's external id, so a refund or reversal found only by its
  // `parent_txn_id` (no invoice echoed) still reaches this payment (§9, §11.9).
  return verified([{ paymentId: payment.id, facts: [fact], externalId: txnId }]);
}
