import type { ApiCall } from './context';
import { automatic, emit } from './events';
import { StripeFailure } from './http';
import { base, lookup, newId, put, type StripeObject, type StripeState } from './model';

const REASONS = ['fraudulent', 'product_not_received', 'duplicate', 'general', 'unrecognized'] as const;
export type DisputeReason = (typeof REASONS)[number];

/**
 * The cardholder disputes a charge (reference §5.5): `charge.dispute.created` (needs_response) and the
 * money withdrawn (`charge.dispute.funds_withdrawn`); refunds are refused from then on.
 */
export function openDispute(
  state: StripeState,
  account: string | null,
  chargeId: string,
  reason: DisputeReason = 'fraudulent',
): StripeObject {
  const charge = lookup(state, account, chargeId, 'charge');
  if (charge?.status !== 'succeeded' || !charge.captured) {
    throw new Error(`Stripe sandbox: charge ${chargeId} has no captured payment to dispute`);
  }
  if (charge.disputed) throw new Error(`Stripe sandbox: charge ${chargeId} is already disputed`);
  const amount =
    (charge.amount_captured as number) -
    (charge.amount_refunded as number) +
    ((charge.amount as number) - (charge.amount_captured as number));
  const dispute = put(state, account, {
    ...base(state, 'dispute', newId('du', 24)),
    amount,
    charge: charge.id,
    currency: charge.currency,
    is_charge_refundable: false,
    metadata: {},
    payment_intent: charge.payment_intent,
    reason,
    status: 'needs_response',
  });
  charge.disputed = true;
  emit(state, account, 'charge.dispute.created', dispute, automatic);
  emit(state, account, 'charge.dispute.funds_withdrawn', dispute, automatic);
  return dispute;
}

/** The dispute ends: won (`funds_reinstated`, then `closed`) or lost (`closed`, the money stays withdrawn). */
export function closeDispute(
  state: StripeState,
  account: string | null,
  disputeId: string,
  outcome: 'won' | 'lost',
): StripeObject {
  const dispute = lookup(state, account, disputeId, 'dispute');
  if (!dispute) throw new Error(`Stripe sandbox: no dispute ${disputeId}`);
  if (dispute.status === 'won' || dispute.status === 'lost')
    throw new Error(`Stripe sandbox: dispute ${disputeId} is already ${dispute.status as string}`);
  const previous = { status: dispute.status };
  dispute.status = outcome;
  if (outcome === 'won') emit(state, account, 'charge.dispute.funds_reinstated', dispute, automatic);
  emit(state, account, 'charge.dispute.closed', dispute, automatic, previous);
  return dispute;
}

export function disputeById(call: ApiCall, id: string): StripeObject {
  const dispute = lookup(call.state, call.account, id, 'dispute');
  if (!dispute) throw StripeFailure.missing('dispute', id);
  return dispute;
}
