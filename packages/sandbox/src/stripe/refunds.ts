import type { ApiCall } from './context';
import { checkAmount } from './currencies';
import { automatic, type EventCause, emit } from './events';
import { StripeFailure } from './http';
import { base, lookup, newId, put, type StripeObject, type StripeState } from './model';
import { chargeById, chargeOf, paymentIntentOf } from './payments';

const ACTIVE = new Set(['pending', 'requires_action', 'succeeded']);

function refundsOf(state: StripeState, account: string | null, chargeId: string): StripeObject[] {
  return [...state.objects.values()]
    .filter((o) => o.account === account && o.json.object === 'refund' && o.json.charge === chargeId)
    .map((o) => o.json);
}

/** Refunded (or being refunded) money plus the part a partial capture released (reference §3.1, §4). */
function syncCharge(state: StripeState, account: string | null, charge: StripeObject): void {
  const refunded = refundsOf(state, account, charge.id)
    .filter((r) => ACTIVE.has(r.status as string))
    .reduce((sum, r) => sum + (r.amount as number), 0);
  const released = (charge.amount as number) - (charge.amount_captured as number);
  charge.amount_refunded = released + refunded;
  charge.refunded = charge.amount_refunded === charge.amount;
}

/** `POST /v1/refunds` (reference §4): by `payment_intent` or `charge`, partial until the captured sum. */
export function createRefund(call: ApiCall): StripeObject {
  const { state, account, cause } = call;
  const p = call.params.onlyKnown([
    'payment_intent',
    'charge',
    'amount',
    'reason',
    'metadata',
    'instructions_email',
    'refund_application_fee',
    'reverse_transfer',
  ]);
  const piId = p.string('payment_intent');
  const chargeId = p.string('charge');
  if (!piId && !chargeId) {
    throw StripeFailure.invalid(
      'One of the following params should be provided for this request: payment_intent or charge.',
      'payment_intent',
      'parameter_missing',
    );
  }
  const charge = chargeId
    ? chargeById(call, chargeId)
    : chargeOf(state, account, paymentIntentOf(call, piId as string));
  if (piId && chargeId && charge?.payment_intent !== piId) {
    throw StripeFailure.invalid('The charge does not belong to this PaymentIntent.', 'charge');
  }
  if (charge?.status !== 'succeeded' || !charge.captured) {
    throw StripeFailure.state(
      `This PaymentIntent does not have a successful charge to refund.`,
      'charge_not_refundable',
    );
  }
  if (charge.disputed) {
    throw StripeFailure.state('This charge is disputed and cannot be refunded.', 'charge_disputed');
  }
  const refunded = refundsOf(state, account, charge.id)
    .filter((r) => ACTIVE.has(r.status as string))
    .reduce((sum, r) => sum + (r.amount as number), 0);
  const remaining = (charge.amount_captured as number) - refunded;
  if (remaining <= 0) {
    throw StripeFailure.state(`Charge ${charge.id} has already been refunded.`, 'charge_already_refunded', {
      charge: charge.id,
    });
  }
  const amount = p.integer('amount') ?? remaining;
  if (amount < 1)
    throw StripeFailure.invalid('Invalid positive integer', 'amount', 'parameter_invalid_integer');
  if (amount > remaining) {
    throw StripeFailure.state(
      `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`,
      'amount_too_large',
      { param: 'amount' },
    );
  }
  checkAmount(amount, charge.currency as string, 'amount', false, state.config.wholeUnitCurrencies);
  if (p.boolean('reverse_transfer') && !charge.transfer_data) {
    throw StripeFailure.invalid(
      'reverse_transfer can only be used with destination charges.',
      'reverse_transfer',
    );
  }
  if (p.boolean('refund_application_fee') && charge.application_fee_amount == null) {
    throw StripeFailure.invalid('This charge has no application fee to refund.', 'refund_application_fee');
  }
  const method = (charge.payment_method_details as { type: string }).type;
  const refund = put(state, account, {
    ...base(state, 'refund', newId('re', 24)),
    amount,
    balance_transaction: null,
    charge: charge.id,
    currency: charge.currency,
    destination_details: { type: method },
    failure_reason: null,
    metadata: p.metadata(),
    next_action: null,
    payment_intent: charge.payment_intent,
    reason: p.oneOf('reason', ['duplicate', 'fraudulent', 'requested_by_customer'] as const) ?? null,
    status: method === 'card' ? 'succeeded' : 'pending',
  });
  syncCharge(state, account, charge);
  emit(state, account, 'refund.created', refund, cause);
  if (refund.status === 'succeeded') emit(state, account, 'charge.refunded', charge, cause);
  if (refund.status === 'pending') {
    state.timers.push({
      at: state.env.clock.now() + state.config.asyncSettleDelayMs,
      run: () => settleRefund(state, account, refund.id, 'succeeded'),
    });
  } else if (state.refundFailingCharges.has(charge.id)) {
    state.timers.push({
      at: state.env.clock.now() + state.config.asyncRefundFailureDelayMs,
      run: () => settleRefund(state, account, refund.id, 'failed'),
    });
  }
  return refund;
}

/** A refund's later outcome: a pending refund settles, or a refund fails asynchronously (reference §4). */
export function settleRefund(
  state: StripeState,
  account: string | null,
  id: string,
  status: 'succeeded' | 'failed',
  cause: EventCause = automatic,
): StripeObject {
  const refund = lookup(state, account, id, 'refund');
  if (!refund) throw new Error(`Stripe sandbox: no refund ${id}`);
  if (refund.status === status || refund.status === 'failed' || refund.status === 'canceled') return refund;
  const previous = { status: refund.status };
  refund.status = status;
  if (status === 'failed') refund.failure_reason = 'expired_or_canceled_card';
  const charge = lookup(state, account, refund.charge as string, 'charge') as StripeObject;
  syncCharge(state, account, charge);
  emit(state, account, 'refund.updated', refund, cause, previous);
  emit(state, account, 'charge.refund.updated', refund, cause, previous);
  if (status === 'failed') emit(state, account, 'refund.failed', refund, cause);
  else emit(state, account, 'charge.refunded', charge, cause);
  return refund;
}

export function refundById(call: ApiCall, id: string): StripeObject {
  const refund = lookup(call.state, call.account, id, 'refund');
  if (!refund) throw StripeFailure.missing('refund', id);
  return refund;
}

/** `POST /v1/refunds/:id/cancel`: only a `requires_action` refund (the sandbox never makes one). */
export function cancelRefund(call: ApiCall, id: string): StripeObject {
  const refund = refundById(call, id);
  call.params.onlyKnown([]);
  if (refund.status !== 'requires_action') {
    throw StripeFailure.state(
      `Refund ${id} cannot be canceled because its status is ${refund.status as string}.`,
      undefined,
    );
  }
  return refund;
}
