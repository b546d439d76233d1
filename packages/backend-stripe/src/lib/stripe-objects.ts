import { memoized } from '@paybridge/core/kit';
import * as z from '@paybridge/core/schema';

/**
 * The fields of Stripe's objects this backend reads (API 2026-11-18.endive), checked at the boundary.
 * Unknown fields pass through; expandable fields may be an id or an expanded object.
 */
const id = (prefix: string) => z.string().check(z.regex(new RegExp(`^${prefix}_[A-Za-z0-9_]+$`)));
const ref = (prefix: string) =>
  z.nullish(
    z.union([
      id(prefix),
      z.pipe(
        z.object({ id: id(prefix) }),
        z.transform((o) => o.id),
      ),
    ]),
  );
const metadata = memoized(() => z.nullish(z.record(z.string(), z.string())));
const currency = memoized(() =>
  z.pipe(
    z.string().check(z.regex(/^[a-z]{3}$/)),
    z.transform((c) => c.toUpperCase()),
  ),
);
const amount = memoized(() => z.int().check(z.gte(0)));

export const sessionSchema = memoized(() =>
  z.object({
    id: id('cs'),
    object: z.literal('checkout.session'),
    mode: z.enum(['payment', 'subscription', 'setup']),
    status: z.nullish(z.enum(['open', 'complete', 'expired'])),
    payment_status: z.enum(['paid', 'unpaid', 'no_payment_required']),
    amount_total: z.nullish(amount()),
    currency: z.nullish(currency()),
    client_reference_id: z.nullish(z.string()),
    metadata: metadata(),
    payment_intent: ref('pi'),
    subscription: ref('sub'),
    invoice: ref('in'),
  }),
);
export type StripeSession = z.output<ReturnType<typeof sessionSchema>>;

export const paymentIntentSchema = memoized(() =>
  z.object({
    id: id('pi'),
    object: z.literal('payment_intent'),
    status: z.string(),
    amount: amount(),
    amount_capturable: z._default(amount(), 0),
    amount_received: z._default(amount(), 0),
    currency: currency(),
    capture_method: z.nullish(z.string()),
    cancellation_reason: z.nullish(z.string()),
    metadata: metadata(),
    last_payment_error: z.nullish(
      z.object({ code: z.nullish(z.string()), decline_code: z.nullish(z.string()) }),
    ),
  }),
);
export type StripePaymentIntent = z.output<ReturnType<typeof paymentIntentSchema>>;

export const refundSchema = memoized(() =>
  z.object({
    id: id('re'),
    object: z.literal('refund'),
    amount: amount(),
    currency: currency(),
    status: z.nullish(z.string()),
    payment_intent: ref('pi'),
    charge: ref('ch'),
    metadata: metadata(),
    failure_reason: z.nullish(z.string()),
  }),
);
export type StripeRefund = z.output<ReturnType<typeof refundSchema>>;

export const chargeSchema = memoized(() =>
  z.object({
    id: id('ch'),
    object: z.literal('charge'),
    payment_intent: ref('pi'),
    metadata: metadata(),
  }),
);

export const disputeSchema = memoized(() =>
  z.object({
    id: z.string().check(z.regex(/^(dp|du)_[A-Za-z0-9_]+$/)),
    object: z.literal('dispute'),
    amount: amount(),
    currency: currency(),
    status: z.string(),
    payment_intent: ref('pi'),
    charge: ref('ch'),
  }),
);
export type StripeDispute = z.output<ReturnType<typeof disputeSchema>>;

export const invoiceSchema = memoized(() =>
  z.object({
    id: id('in'),
    object: z.literal('invoice'),
    amount_paid: z._default(amount(), 0),
    amount_due: z._default(amount(), 0),
    currency: currency(),
    billing_reason: z.nullish(z.string()),
    attempt_count: z._default(z.int().check(z.gte(0)), 0),
    // Since API 2025-03-31.basil the subscription is under parent.subscription_details (§1.2).
    parent: z.nullish(
      z.object({
        subscription_details: z.nullish(z.object({ subscription: ref('sub'), metadata: metadata() })),
      }),
    ),
  }),
);
export type StripeInvoice = z.output<ReturnType<typeof invoiceSchema>>;

export const subscriptionSchema = memoized(() =>
  z.object({
    id: id('sub'),
    object: z.literal('subscription'),
    status: z.string(),
    metadata: metadata(),
    cancel_at_period_end: z.nullish(z.boolean()),
  }),
);
export type StripeSubscription = z.output<ReturnType<typeof subscriptionSchema>>;

export const eventSchema = memoized(() =>
  z.object({
    id: id('evt'),
    object: z.literal('event'),
    type: z.string().check(z.minLength(1), z.maxLength(100)),
    livemode: z.boolean(),
    created: z.int(),
    account: z.nullish(z.string()),
    data: z.object({ object: z.record(z.string(), z.unknown()) }),
  }),
);
export type StripeEvent = z.output<ReturnType<typeof eventSchema>>;

export const invoiceSubscription = (invoice: StripeInvoice) =>
  invoice.parent?.subscription_details?.subscription ?? null;
