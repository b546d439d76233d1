import type { ApiCall } from './context';
import { type EventCause, emit } from './events';
import { randomToken, StripeFailure } from './http';
import { base, lookup, newId, nowSeconds, put, type StripeObject, type StripeState } from './model';

export type PaymentMethodDetails =
  | {
      type: 'card';
      card: { brand: string; last4: string; exp_month: number; exp_year: number; country: string };
    }
  | { type: 'sepa_debit'; sepa_debit: { last4: string; country: string; bank_code: string } };

/** A PaymentIntent for a Checkout Session's first submission (reference §2.2: none before it). */
export function newPaymentIntent(
  state: StripeState,
  account: string | null,
  fields: {
    amount: number;
    currency: string;
    captureMethod: string;
    customer: string | null;
    data: Record<string, unknown>;
    methods: unknown;
  },
): StripeObject {
  const id = newId('pi', 24);
  return put(state, account, {
    ...base(state, 'payment_intent', id),
    amount: fields.amount,
    amount_capturable: 0,
    amount_received: 0,
    application_fee_amount: fields.data.application_fee_amount ?? null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: fields.captureMethod,
    client_secret: `${id}_secret_${randomToken(24)}`,
    currency: fields.currency,
    customer: fields.customer,
    description: fields.data.description ?? null,
    last_payment_error: null,
    latest_charge: null,
    metadata: { ...((fields.data.metadata as Record<string, string> | undefined) ?? {}) },
    on_behalf_of: fields.data.on_behalf_of ?? null,
    payment_method: null,
    payment_method_types: fields.methods,
    receipt_email: fields.data.receipt_email ?? null,
    statement_descriptor_suffix: fields.data.statement_descriptor_suffix ?? null,
    status: 'requires_payment_method',
    transfer_data: fields.data.transfer_data ?? null,
    transfer_group: fields.data.transfer_group ?? null,
  });
}

/**
 * The PaymentIntent fields of a subscription invoice's payment (reference §8.2): the subscription's
 * `transfer_data` and `on_behalf_of` make its charges destination charges, and `application_fee_percent`
 * becomes each invoice's `application_fee_amount`.
 */
export function invoiceIntentData(sub: StripeObject, amount: number): Record<string, unknown> {
  const percent = sub.application_fee_percent;
  return {
    description: 'Subscription update',
    metadata: {},
    ...(sub.transfer_data ? { transfer_data: sub.transfer_data } : {}),
    ...(sub.on_behalf_of ? { on_behalf_of: sub.on_behalf_of } : {}),
    ...(typeof percent === 'number' ? { application_fee_amount: Math.round((amount * percent) / 100) } : {}),
  };
}

/** A charge (one attempt) of `pi`; `status` succeeded/pending/failed. */
export function newCharge(
  state: StripeState,
  account: string | null,
  pi: StripeObject,
  details: PaymentMethodDetails,
  status: 'succeeded' | 'pending' | 'failed',
  failure?: { code: string; message: string },
): StripeObject {
  const captured = status !== 'failed' && pi.capture_method !== 'manual';
  const paymentMethod = newId('pm', 24);
  const charge = put(state, account, {
    ...base(state, 'charge', newId('ch', 24)),
    amount: pi.amount,
    amount_captured: captured && status === 'succeeded' ? pi.amount : 0,
    amount_refunded: 0,
    application_fee_amount: pi.application_fee_amount,
    captured,
    currency: pi.currency,
    customer: pi.customer,
    description: pi.description,
    disputed: false,
    failure_code: failure?.code ?? null,
    failure_message: failure?.message ?? null,
    metadata: { ...(pi.metadata as Record<string, string>) },
    on_behalf_of: pi.on_behalf_of,
    paid: status === 'succeeded',
    payment_intent: pi.id,
    payment_method: paymentMethod,
    payment_method_details: details,
    refunded: false,
    status,
    transfer_data: pi.transfer_data,
    transfer_group: pi.transfer_group,
  });
  pi.latest_charge = charge.id;
  pi.payment_method = paymentMethod;
  return charge;
}

export function chargeOf(state: StripeState, account: string | null, pi: StripeObject): StripeObject | null {
  return typeof pi.latest_charge === 'string' ? lookup(state, account, pi.latest_charge, 'charge') : null;
}

export function paymentIntentOf(call: ApiCall, id: string): StripeObject {
  const pi = lookup(call.state, call.account, id, 'payment_intent');
  if (!pi) throw StripeFailure.missing('payment_intent', id);
  return pi;
}

export function chargeById(call: ApiCall, id: string): StripeObject {
  const charge = lookup(call.state, call.account, id, 'charge');
  if (!charge) throw StripeFailure.missing('charge', id);
  return charge;
}

function unexpectedState(pi: StripeObject, action: string, allowed: string[]): StripeFailure {
  return StripeFailure.state(
    `This PaymentIntent could not be ${action} because it has a status of ${pi.status as string}. Only a PaymentIntent with one of the following statuses may be ${action}: ${allowed.join(', ')}.`,
    'payment_intent_unexpected_state',
    { payment_intent: structuredClone(pi) },
  );
}

/** `POST /v1/payment_intents/:id/capture` (reference §3.1): partial capture releases the rest. */
export function capture(call: ApiCall, id: string): StripeObject {
  const { state, account, cause } = call;
  const pi = paymentIntentOf(call, id);
  const p = call.params.onlyKnown([
    'amount_to_capture',
    'final_capture',
    'application_fee_amount',
    'metadata',
    'statement_descriptor_suffix',
  ]);
  if (pi.status !== 'requires_capture') throw unexpectedState(pi, 'captured', ['requires_capture']);
  const capturable = pi.amount_capturable as number;
  const amount = p.integer('amount_to_capture') ?? capturable;
  if (amount < 1 || amount > capturable) {
    throw StripeFailure.invalid(
      `The amount to capture (${amount}) must be a positive integer no greater than the amount capturable (${capturable}).`,
      'amount_to_capture',
      'amount_too_large',
    );
  }
  if (p.boolean('final_capture') === false) {
    throw StripeFailure.invalid('Multicapture is not available on this sandbox account.', 'final_capture');
  }
  const fee = p.integer('application_fee_amount');
  if (fee !== undefined) pi.application_fee_amount = fee;
  Object.assign(pi.metadata as Record<string, string>, p.metadata());
  pi.amount_capturable = 0;
  pi.amount_received = amount;
  pi.status = 'succeeded';
  const charge = chargeOf(state, account, pi);
  if (charge) {
    charge.captured = true;
    charge.amount_captured = amount;
    // The released part of a partial capture shows as refunded on the charge (reference §3.1).
    charge.amount_refunded = (charge.amount as number) - amount;
    emit(state, account, 'charge.captured', charge, cause);
  }
  emit(state, account, 'payment_intent.succeeded', pi, cause);
  return pi;
}

/** `POST /v1/payment_intents/:id/cancel` (reference §3.2); not while its Checkout Session is open. */
export function cancel(call: ApiCall, id: string): StripeObject {
  const { state, account } = call;
  const pi = paymentIntentOf(call, id);
  const p = call.params.onlyKnown(['cancellation_reason']);
  const reason = p.oneOf('cancellation_reason', [
    'duplicate',
    'fraudulent',
    'requested_by_customer',
    'abandoned',
  ] as const);
  const allowed = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action'];
  if (!allowed.includes(pi.status as string)) throw unexpectedState(pi, 'canceled', allowed);
  const session = [...state.objects.values()].find(
    (o) =>
      o.json.object === 'checkout.session' && o.json.payment_intent === pi.id && o.json.status === 'open',
  );
  if (session) {
    throw StripeFailure.state(
      'This PaymentIntent is managed by an open Checkout Session: expire the Checkout Session instead.',
      'payment_intent_unexpected_state',
    );
  }
  cancelIntent(state, account, pi, reason ?? null, call.cause);
  return pi;
}

export function cancelIntent(
  state: StripeState,
  account: string | null,
  pi: StripeObject,
  reason: string | null,
  cause: EventCause,
): void {
  const charge = chargeOf(state, account, pi);
  if (charge && charge.status === 'succeeded' && !charge.captured) {
    charge.amount_refunded = charge.amount;
    charge.refunded = true;
  }
  pi.status = 'canceled';
  pi.amount_capturable = 0;
  pi.cancellation_reason = reason;
  pi.canceled_at = nowSeconds(state);
  emit(state, account, 'payment_intent.canceled', pi, cause);
}
