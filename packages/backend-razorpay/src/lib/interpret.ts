import type { NotificationContext, NotificationOutcome, Payment, PaymentFact } from '@paybridge/core';
import { malformed, OK } from './ack';
import { DATA, NOTE_PAYMENT_ID, type RazorpayEvent } from './entities';
import { linkFacts, paymentFacts, refundFacts, withoutKnownData } from './facts';
import type { NotificationDeps } from './notification';
import { boundLink } from './operations';

const verified = (
  payment: Payment,
  all: PaymentFact[],
  extra: { pull?: boolean; transactionId?: string | null } = {},
): NotificationOutcome => {
  const { transactionId, ...rest } = extra;
  const paymentId = payment.id;
  const facts = withoutKnownData(payment, all);
  return {
    verdict: 'verified',
    updates: [{ paymentId, facts, ...rest, ...(transactionId ? { transactionId } : {}) }],
    ack: OK,
  };
};

/** Genuine, but about nothing of ours (another shop on the account): redelivery cannot help, so 2xx. */
const unknown = (event: RazorpayEvent): NotificationOutcome => ({
  verdict: 'rejected',
  code: 'UNKNOWN_PAYMENT',
  message: `Razorpay event ${event.event} names no payment of ours`,
  ack: OK,
});

const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

async function ours(
  ctx: NotificationContext,
  deps: NotificationDeps,
  id: string | null,
): Promise<Payment | null> {
  if (!id) return null;
  const payment = await ctx.getPayment(id);
  return payment && payment.backend === deps.backendId ? payment : null;
}

/**
 * A verified event → updates. Link events are matched by the link id we stored (then by
 * `reference_id`) and carry their link as the transaction, so core's binding rule keeps another link
 * from touching a payment. Payment, order and refund events name our payment only through notes,
 * which anyone creating links on the account can set (§7.3 "never trust notes alone"): they act
 * directly only when their order or payment is the bound link's, otherwise they trigger a pull of
 * the bound link, which changes nothing unless Razorpay says so.
 */
export async function interpretEvent(
  event: RazorpayEvent,
  eventId: string | undefined,
  ctx: NotificationContext,
  deps: NotificationDeps,
): Promise<NotificationOutcome> {
  const { payload } = event;
  if (event.event.startsWith('payment_link.')) {
    const link = payload.payment_link?.entity;
    if (!link) return malformed(`Razorpay ${event.event} without a payment_link entity`);
    const byLink = await ctx.findPaymentByExternalId(link.id);
    const payment =
      byLink && byLink.backend === deps.backendId ? byLink : await ours(ctx, deps, str(link.reference_id));
    if (!payment) return unknown(event);
    const facts = linkFacts(link, eventId);
    const paid = payload.payment?.entity;
    if (paid && link.id === boundLink(payment)) {
      facts.push({
        type: 'broker_data',
        eventId: `${eventId ?? link.id}/${paid.id}:learnt`,
        data: { [DATA.payment]: paid.id, ...(paid.order_id ? { [DATA.order]: paid.order_id } : {}) },
      });
    }
    return verified(payment, facts, { transactionId: link.id });
  }

  if (event.event.startsWith('refund.')) {
    const refund = payload.refund?.entity;
    if (!refund) return malformed(`Razorpay ${event.event} without a refund entity`);
    const payment = await ours(
      ctx,
      deps,
      str(refund.notes[NOTE_PAYMENT_ID]) ?? str(payload.payment?.entity.notes[NOTE_PAYMENT_ID]),
    );
    if (!payment) return unknown(event);
    const linkId = boundLink(payment);
    const bound = payment.captures.some((c) => c.kind === 'capture' && c.id === refund.payment_id);
    if (!bound || !linkId) return verified(payment, [], { pull: true });
    return verified(payment, refundFacts(refund, payment, eventId), { transactionId: linkId });
  }

  if (event.event.startsWith('payment.') || event.event === 'order.paid') {
    const entity = payload.payment?.entity;
    const order = payload.order?.entity;
    const named = str(entity?.notes[NOTE_PAYMENT_ID]) ?? str(order?.notes[NOTE_PAYMENT_ID]);
    const payment = await ours(ctx, deps, named);
    if (!payment) return unknown(event);
    const linkId = boundLink(payment);
    const knownOrder = str(payment.brokerData[DATA.order]);
    if (entity && linkId && knownOrder && entity.order_id === knownOrder) {
      return verified(payment, paymentFacts(entity, linkId, eventId), { transactionId: linkId });
    }
    // Not provably the bound link's payment (yet): ask Razorpay about the bound link instead.
    return verified(payment, [], { pull: true });
  }

  // Subscribed but not used here (disputes, invoices, …): acknowledged so Razorpay stops resending.
  return { verdict: 'verified', updates: [], ack: OK };
}
