import { memoized } from '@paybridge/core/kit';
import { z } from 'zod';

/** The parts of Razorpay's entities this backend reads (§3.1, §6.1, §8.2); the rest passes through. */
const amount = memoized(() => z.number().int().min(0));
const notes = memoized(() =>
  z
    .union([z.record(z.string(), z.unknown()), z.array(z.unknown())])
    .nullish()
    .transform((value) => (value && !Array.isArray(value) ? value : {})),
);

export const paymentLinkSchema = memoized(() =>
  z.looseObject({
    id: z.string().regex(/^plink_/),
    status: z.string(),
    amount: amount(),
    amount_paid: amount().nullish(),
    currency: z.string(),
    reference_id: z.string().nullish(),
    short_url: z.string().nullish(),
    /** The order a link creates behind the scenes (UNCONFIRMED as a field of the link entity). */
    order_id: z.string().nullish(),
    notes: notes(),
    payments: z
      .array(
        z.looseObject({
          payment_id: z.string(),
          amount: amount(),
          status: z.string(),
        }),
      )
      .nullish(),
  }),
);
export type PaymentLink = z.infer<ReturnType<typeof paymentLinkSchema>>;

export const paymentSchema = memoized(() =>
  z.looseObject({
    id: z.string().regex(/^pay_/),
    amount: amount(),
    currency: z.string(),
    status: z.string(),
    order_id: z.string().nullish(),
    captured: z.boolean().nullish(),
    amount_refunded: amount().nullish(),
    method: z.string().nullish(),
    error_code: z.string().nullish(),
    error_description: z.string().nullish(),
    notes: notes(),
  }),
);
export type RazorpayPayment = z.infer<ReturnType<typeof paymentSchema>>;

export const refundSchema = memoized(() =>
  z.looseObject({
    id: z.string().regex(/^rfnd_/),
    amount: amount(),
    currency: z.string(),
    payment_id: z.string(),
    status: z.string(),
    receipt: z.string().nullish(),
    speed_processed: z.string().nullish(),
    notes: notes(),
  }),
);
export type RazorpayRefund = z.infer<ReturnType<typeof refundSchema>>;

export const orderSchema = memoized(() =>
  z.looseObject({
    id: z.string().regex(/^order_/),
    amount: amount(),
    amount_paid: amount().nullish(),
    currency: z.string(),
    status: z.string(),
    receipt: z.string().nullish(),
    notes: notes(),
  }),
);

const wrapped = <T extends z.ZodType>(entity: T) => z.object({ entity }).optional();

/** The webhook envelope (§7.3). */
export const eventSchema = memoized(() =>
  z.looseObject({
    entity: z.literal('event'),
    account_id: z.string().optional(),
    event: z.string().min(1),
    contains: z.array(z.string()).optional(),
    created_at: z.number().int().optional(),
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
