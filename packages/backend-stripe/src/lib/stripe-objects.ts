import { memoized } from '@paybridge/core/kit';
import { z } from 'zod';

/**
 * The fields of Stripe's objects this backend reads (API 2026-11-18.endive), checked at the boundary.
 * Unknown fields pass through; expandable fields may be an id or an expanded object.
 */
const id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[A-Za-z0-9_]+$`));
const ref = (prefix: string) =>
  z.union([id(prefix), z.object({ id: id(prefix) }).transform((o) => o.id)]).nullish();
const metadata = memoized(() => z.record(z.string(), z.string()).nullish());
const currency = memoized(() =>
  z
    .string()
    .regex(/^[a-z]{3}$/)
    .transform((c) => c.toUpperCase()),
);
const amount = memoized(() => z.number().int().min(0));

export const sessionSchema = memoized(() =>
  z.object({
    id: id('cs'),
    object: z.literal('checkout.session'),
    mode: z.enum(['payment', 'subscription', 'setup']),
    status: z.enum(['open', 'complete', 'expired']).nullish(),
    payment_status: z.enum(['paid', 'unpaid', 'no_payment_required']),
    amount_total: amount().nullish(),
    currency: currency().nullish(),
    client_reference_id: z.string().nullish(),
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
    amount_capturable: amount().default(0),
    amount_received: amount().default(0),
    currency: currency(),
    capture_method: z.string().nullish(),
    cancellation_reason: z.string().nullish(),
    metadata: metadata(),
    last_payment_error: z
      .object({ code: z.string().nullish(), decline_code: z.string().nullish() })
      .nullish(),
  }),
);
export type StripePaymentIntent = z.output<ReturnType<typeof paymentIntentSchema>>;

export const refundSchema = memoized(() =>
  z.object({
    id: id('re'),
    object: z.literal('refund'),
    amount: amount(),
    currency: currency(),
    status: z.string().nullish(),
    payment_intent: ref('pi'),
    charge: ref('ch'),
    metadata: metadata(),
    failure_reason: z.string().nullish(),
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
    id: z.string().regex(/^(dp|du)_[A-Za-z0-9_]+$/),
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
    amount_paid: amount().default(0),
    amount_due: amount().default(0),
    currency: currency(),
    billing_reason: z.string().nullish(),
    attempt_count: z.number().int().min(0).default(0),
    // Since API 2025-03-31.basil the subscription is under parent.subscription_details (§1.2).
    parent: z
      .object({
        subscription_details: z.object({ subscription: ref('sub'), metadata: metadata() }).nullish(),
      })
      .nullish(),
  }),
);
export type StripeInvoice = z.output<ReturnType<typeof invoiceSchema>>;

export const subscriptionSchema = memoized(() =>
  z.object({
    id: id('sub'),
    object: z.literal('subscription'),
    status: z.string(),
    metadata: metadata(),
    cancel_at_period_end: z.boolean().nullish(),
  }),
);
export type StripeSubscription = z.output<ReturnType<typeof subscriptionSchema>>;

export const eventSchema = memoized(() =>
  z.object({
    id: id('evt'),
    object: z.literal('event'),
    type: z.string().min(1).max(100),
    livemode: z.boolean(),
    created: z.number().int(),
    account: z.string().nullish(),
    data: z.object({ object: z.record(z.string(), z.unknown()) }),
  }),
);
export type StripeEvent = z.output<ReturnType<typeof eventSchema>>;

export const invoiceSubscription = (invoice: StripeInvoice) =>
  invoice.parent?.subscription_details?.subscription ?? null;
