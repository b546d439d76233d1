import { memoized } from '@paybridge/core/kit';
import * as z from '@paybridge/core/schema';

/** The parts of Razorpay's entities this backend reads (§3.1, §6.1, §8.2); the rest passes through. */
const amount = memoized(() => z.int().check(z.gte(0)));
const notes = memoized(() =>
  z.pipe(
    z.nullish(z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())])),
    z.transform((value) => (value && !Array.isArray(value) ? value : {})),
  ),
);

export const paymentLinkSchema = memoized(() =>
  z.looseObject({
    id: z.string().check(z.regex(/^plink_/)),
    status: z.string(),
    amount: amount(),
    amount_paid: z.nullish(amount()),
    currency: z.string(),
    reference_id: z.nullish(z.string()),
    short_url: z.nullish(z.string()),
    /** The order a link creates behind the scenes (UNCONFIRMED as a field of the link entity). */
    order_id: z.nullish(z.string()),
    notes: notes(),
    payments: z.nullish(
      z.array(
        z.looseObject({
          payment_id: z.string(),
          amount: amount(),
          status: z.string(),
        }),
      ),
    ),
  }),
);
export type PaymentLink = z.infer<ReturnType<typeof paymentLinkSchema>>;

export const paymentSchema = memoized(() =>
  z.looseObject({
    id: z.string().check(z.regex(/^pay_/)),
    amount: amount(),
    currency: z.string(),
    status: z.string(),
    order_id: z.nullish(z.string()),
    captured: z.nullish(z.boolean()),
    amount_refunded: z.nullish(amount()),
    method: z.nullish(z.string()),
    error_code: z.nullish(z.string()),
    error_description: z.nullish(z.string()),
    notes: notes(),
  }),
);
export type RazorpayPayment = z.infer<ReturnType<typeof paymentSchema>>;

export const refundSchema = memoized(() =>
  z.looseObject({
    id: z.string().check(z.regex(/^rfnd_/)),
    amount: amount(),
    currency: z.string(),
    payment_id: z.string(),
    status: z.string(),
    receipt: z.nullish(z.string()),
    speed_processed: z.nullish(z.string()),
    notes: notes(),
  }),
);
export type RazorpayRefund = z.infer<ReturnType<typeof refundSchema>>;

export const orderSchema = memoized(() =>
  z.looseObject({
    id: z.string().check(z.regex(/^order_/)),
    amount: amount(),
    amount_paid: z.nullish(amount()),
    currency: z.string(),
    status: z.string(),
    receipt: z.nullish(z.string()),
    notes: notes(),
  }),
);

const wrapped = <T extends z.ZodMiniType>(entity: T) => z.optional(z.object({ entity }));

/** The webhook envelope (§7.3). */
export const eventSchema = memoized(() =>
  z.looseObject({
    entity: z.literal('event'),
    account_id: z.optional(z.string()),
    event: z.string().check(z.minLength(1)),
    contains: z.optional(z.array(z.string())),
    created_at: z.optional(z.int()),
    payload: z.looseObject({
      payment_link: wrapped(paymentLinkSchema()),
      payment: wrapped(paymentSchema()),
      order: wrapped(orderSchema()),
      refund: wrapped(refundSchema()),
    }),
  }),
);
export type RazorpayEvent = z.infer<ReturnType<typeof eventSchema>>;

/** Where this backend writes what it learns about a payment (`payment.brokerData`). */
export const DATA = {
  /** The Payment Link `prepare` created (also the payment's externalId). */
  link: 'razorpayPaymentLinkId',
  /** The order the link made behind the scenes. */
  order: 'razorpayOrderId',
  /** The Razorpay payment that holds the money (authorized or captured) of the bound link. */
  payment: 'razorpayPaymentId',
} as const;

/** The note naming our payment on the link (copied to its order and payments, §3.1). */
export const NOTE_PAYMENT_ID = 'paybridge_payment_id';
/** The note naming our refund on a refund this backend asked for. */
export const NOTE_REFUND_ID = 'paybridge_refund_id';
