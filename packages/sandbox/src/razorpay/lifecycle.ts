import type { BrowserStep } from '../lib/simulator';
import { newId, type RazorpayState, type SimLink, type SimPayment, type SimRefund, seconds } from './model';
import { linkCallbackSignature } from './signature';
import { linkView, orderView, paymentView, refundView } from './views';
import { sendEvents, type WebhookEvent } from './webhooks';

/** What the buyer does on the hosted page: pay, have the bank decline, or leave. */
export type RazorpayAction = 'pay' | 'decline' | 'abandon';
export const RAZORPAY_ACTIONS: readonly RazorpayAction[] = ['pay', 'decline', 'abandon'];

function orderFor(state: RazorpayState, link: SimLink) {
  if (!link.orderId) {
    // A link makes its order behind the scenes on the first attempt (§3.1), auto-captured (§6.2).
    const order = {
      id: newId('order'),
      amount: link.amount,
      amountPaid: 0,
      currency: link.currency,
      status: 'created' as const,
      attempts: 0,
      notes: { ...link.notes },
      linkId: link.id,
      createdAt: state.env.clock.now(),
    };
    state.orders.set(order.id, order);
    link.orderId = order.id;
  }
  return state.orders.get(link.orderId) as NonNullable<ReturnType<RazorpayState['orders']['get']>>;
}

const events = (state: RazorpayState, payment: SimPayment, names: string[]): WebhookEvent[] => {
  const link = state.links.get(payment.linkId) as SimLink;
  const order = state.orders.get(payment.orderId);
  return names.map((name): WebhookEvent => {
    if (name === 'payment_link.paid')
      return {
        event: name,
        entities: {
          payment_link: linkView(state, link),
          ...(order ? { order: orderView(order) } : {}),
          payment: paymentView(payment),
        },
      };
    if (name === 'order.paid' && order)
      return { event: name, entities: { order: orderView(order), payment: paymentView(payment) } };
    return { event: name, entities: { payment: paymentView(payment) } };
  });
};

/** The payment is captured: order paid, link paid, the success events (§3.1, §7.3). */
export function capture(state: RazorpayState, payment: SimPayment, first: string[] = []): void {
  const link = state.links.get(payment.linkId) as SimLink;
  const order = state.orders.get(payment.orderId);
  payment.status = 'captured';
  if (order) {
    order.amountPaid = payment.amount;
    order.status = 'paid';
  }
  link.amountPaid += payment.amount;
  link.status = link.amountPaid >= link.amount ? 'paid' : 'partially_paid';
  link.updatedAt = state.env.clock.now();
  sendEvents(
    state,
    events(state, payment, [...first, 'payment.captured', 'order.paid', 'payment_link.paid']),
  );
}

/**
 * The buyer's click on the hosted page. Pay: a payment authorized, then captured at once unless the
 * account captures manually; the browser goes to callback_url with the signed query (§5.1). Decline:
 * a failed payment, the link stays payable (§7.3 "not final"). Abandon: nothing happens.
 */
export function act(state: RazorpayState, linkId: string, action: RazorpayAction): BrowserStep {
  if (!RAZORPAY_ACTIONS.includes(action))
    throw new Error(`Razorpay sandbox: unknown action ${String(action)}`);
  const link = state.links.get(linkId);
  if (!link) throw new Error(`Razorpay sandbox: no payment link ${linkId}`);
  expireDue(state);
  if (link.status !== 'created') throw new Error(`Razorpay sandbox: link ${linkId} is ${link.status}`);
  if (action === 'abandon') return { method: 'NONE', html: '<p>You left the payment page.</p>' };
  const order = orderFor(state, link);
  order.attempts += 1;
  order.status = 'attempted';
  const payment: SimPayment = {
    id: newId('pay'),
    amount: link.amount,
    currency: link.currency,
    status: action === 'pay' ? 'authorized' : 'failed',
    orderId: order.id,
    linkId: link.id,
    method: 'card',
    amountRefunded: 0,
    notes: { ...link.notes },
    errorCode: action === 'pay' ? null : 'BAD_REQUEST_ERROR',
    errorDescription: action === 'pay' ? null : 'Payment failed because the bank declined it.',
    createdAt: state.env.clock.now(),
  };
  state.payments.set(payment.id, payment);
  if (action === 'decline') {
    sendEvents(state, events(state, payment, ['payment.failed']));
    return { method: 'NONE', html: '<p>Payment failed. You can try again.</p>' };
  }
  const account = state.config.accounts.find((a) => a.keyId === link.keyId);
  if (state.config.captureMode === 'manual') {
    sendEvents(state, events(state, payment, ['payment.authorized']));
    return { method: 'NONE', html: '<p>Payment authorized.</p>' };
  }
  capture(state, payment, ['payment.authorized']);
  if (!link.callbackUrl || !account) return { method: 'NONE', html: '<p>Payment successful.</p>' };
  const url = new URL(link.callbackUrl);
  url.searchParams.set('razorpay_payment_id', payment.id);
  url.searchParams.set('razorpay_payment_link_id', link.id);
  url.searchParams.set('razorpay_payment_link_reference_id', link.referenceId);
  url.searchParams.set('razorpay_payment_link_status', link.status);
  url.searchParams.set(
    'razorpay_signature',
    linkCallbackSignature(account.keySecret, link.id, link.referenceId, link.status, payment.id),
  );
  return { method: 'GET', url: url.toString() };
}

/** Links past `expire_by` become expired, each with `payment_link.expired` (§3.1, §7.3). */
export function expireDue(state: RazorpayState): void {
  const now = state.env.clock.now();
  for (const link of state.links.values()) {
    if (link.status !== 'created' || link.expireBy * 1000 > now) continue;
    link.status = 'expired';
    link.expiredAt = seconds(now);
    link.updatedAt = now;
    sendEvents(state, [{ event: 'payment_link.expired', entities: { payment_link: linkView(state, link) } }]);
  }
}

/** Settles a pending refund (processed or failed), with its webhook (§8.2). */
export function settleRefund(state: RazorpayState, refund: SimRefund, outcome: 'processed' | 'failed'): void {
  if (refund.status !== 'pending')
    throw new Error(`Razorpay sandbox: refund ${refund.id} is ${refund.status}`);
  const payment = state.payments.get(refund.paymentId) as SimPayment;
  refund.status = outcome;
  if (outcome === 'failed') {
    payment.amountRefunded -= refund.amount;
    if (payment.status === 'refunded') payment.status = 'captured';
  }
  sendEvents(state, [
    { event: `refund.${outcome}`, entities: { refund: refundView(refund), payment: paymentView(payment) } },
  ]);
}

/** Pending refunds whose processing time has come are processed (run on every flush). */
export function processDueRefunds(state: RazorpayState): void {
  const now = state.env.clock.now();
  for (const refund of state.refunds.values()) {
    if (refund.status === 'pending' && refund.dueAt <= now) settleRefund(state, refund, 'processed');
  }
}
