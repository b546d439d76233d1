import type { Payment, PaymentFact } from '@paybridge/core';
import { fromRazorpayMoney } from './amount';
import {
  DATA,
  NOTE_REFUND_ID,
  type PaymentLink,
  type RazorpayPayment,
  type RazorpayRefund,
} from './entities';

/**
 * Razorpay's states → facts. Event ids are derived from the entity and its state (`pay_…:captured`), so
 * the same news from a webhook, its duplicate or a pull is applied once; a webhook adds its
 * `X-Razorpay-Event-Id` in front (`evt/pay_…:captured`). `transactionId` is always the Payment Link:
 * the link our `prepare` created is the transaction a payment is bound to (DESIGN §6).
 */
const id = (prefix: string | undefined, state: string) => (prefix ? `${prefix}/${state}` : state);

/** A link's own state: paid → captures of its listed payments; expired or cancelled → expired. */
export function linkFacts(link: PaymentLink, prefix?: string): PaymentFact[] {
  const transactionId = link.id;
  const facts: PaymentFact[] = [];
  if (link.status === 'paid' || link.status === 'partially_paid') {
    for (const entry of link.payments ?? []) {
      // Only captured payments are listed (§3.1); anything else is not money yet.
      if (entry.status !== 'captured') continue;
      const money = fromRazorpayMoney(entry.amount, link.currency);
      facts.push({
        type: 'captured',
        eventId: id(prefix, `${entry.payment_id}:captured`),
        transactionId,
        captureId: entry.payment_id,
        amount: money.amount,
        currency: money.currency,
        ...(link.status === 'partially_paid' ? { partial: true } : {}),
      });
    }
  }
  if (link.status === 'expired' || link.status === 'cancelled') {
    facts.push({ type: 'expired', eventId: id(prefix, `${link.id}:${link.status}`), transactionId });
  }
  if (link.order_id) {
    facts.push({
      type: 'broker_data',
      eventId: id(prefix, `${link.id}:order`),
      transactionId,
      data: { [DATA.order]: link.order_id },
    });
  }
  return facts;
}

/**
 * A payment of the bound link's order: authorized (manual capture, or a late authorisation §6.3) or
 * captured. `failed` is not final for a link — the buyer may try again — so it reports nothing.
 */
export function paymentFacts(payment: RazorpayPayment, linkId: string, prefix?: string): PaymentFact[] {
  const money = fromRazorpayMoney(payment.amount, payment.currency);
  const transactionId = linkId;
  const learnt: PaymentFact = {
    type: 'broker_data',
    eventId: id(prefix, `${payment.id}:learnt`),
    transactionId,
    data: { [DATA.payment]: payment.id, ...(payment.order_id ? { [DATA.order]: payment.order_id } : {}) },
  };
  // A refunded payment was captured first; its refunds are reported by refundFacts.
  if (payment.status === 'captured' || payment.status === 'refunded' || payment.captured === true) {
    return [
      learnt,
      {
        type: 'captured',
        eventId: id(prefix, `${payment.id}:captured`),
        transactionId,
        captureId: payment.id,
        amount: money.amount,
        currency: money.currency,
      },
    ];
  }
  if (payment.status === 'authorized') {
    return [
      learnt,
      {
        type: 'authorized',
        eventId: id(prefix, `${payment.id}:authorized`),
        transactionId,
        amount: money.amount,
        currency: money.currency,
      },
    ];
  }
  return [];
}

/** Our refund id for a Razorpay refund: the one we asked for (its note), else Razorpay's own. */
export function refundIdOf(refund: RazorpayRefund): string {
  const noted = refund.notes[NOTE_REFUND_ID];
  return typeof noted === 'string' && noted !== '' ? noted : refund.id;
}

/** pending → refund_pending, processed → refunded, failed → refund_failed (§8.2). */
export function refundFacts(
  refund: RazorpayRefund,
  payment: Pick<Payment, 'refunds'>,
  prefix?: string,
): PaymentFact[] {
  const refundId = refundIdOf(refund);
  const money = fromRazorpayMoney(refund.amount, refund.currency);
  const eventId = id(prefix, `${refund.id}:${refund.status}`);
  switch (refund.status) {
    case 'pending':
    case 'created':
      return [{ type: 'refund_pending', eventId, refundId, ...money }];
    case 'processed':
      return [{ type: 'refunded', eventId, refundId, ...money }];
    case 'failed': {
      const recorded = payment.refunds.find((r) => r.id === refundId && r.kind === 'refund');
      // A refund already reported processed cannot fail afterwards in Razorpay's model; keep the money out.
      if (recorded?.status === 'succeeded') return [];
      return [{ type: 'refund_failed', eventId, refundId, reason: `Razorpay refund ${refund.id} failed` }];
    }
    default:
      return [];
  }
}

/** Drops broker_data facts that teach nothing new (each would be recorded as a change of the payment). */
export function withoutKnownData(payment: Pick<Payment, 'brokerData'>, facts: PaymentFact[]): PaymentFact[] {
  return facts.filter(
    (fact) =>
      fact.type !== 'broker_data' ||
      Object.entries(fact.data).some(([key, value]) => payment.brokerData[key] !== value),
  );
}
