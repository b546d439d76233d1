import { memoized } from '@paybridge/core/kit';
import * as z from '@paybridge/core/schema';

/** PayU writes amounts as strings of minor units ("21000"); some clients and old examples use numbers. */
export const minorAmount = memoized(() =>
  z
    .pipe(
      z.union([z.string().check(z.regex(/^\d+$/)), z.int().check(z.nonnegative())]),
      z.transform((value) => Number(value)),
    )
    .check(z.refine((value) => Number.isSafeInteger(value), 'amount out of range')),
);

const id = memoized(() =>
  z.union([z.string().check(z.minLength(1)), z.pipe(z.number(), z.transform(String))]),
);

/** The order model shared by notifications and `GET /orders/{id}` (§4.1, §5.1); unknown fields kept. */
export const payuOrderSchema = memoized(() =>
  z.looseObject({
    orderId: z.string().check(z.minLength(1)),
    extOrderId: z.optional(z.string()),
    status: z.string().check(z.minLength(1)),
    totalAmount: minorAmount(),
    currencyCode: z.string().check(z.minLength(1)),
    payMethod: z.optional(z.looseObject({ type: z.optional(z.string()) })),
  }),
);
export type PayuOrder = z.infer<ReturnType<typeof payuOrderSchema>>;

const properties = memoized(() =>
  z.optional(z.array(z.looseObject({ name: z.string(), value: z.unknown() }))),
);

export const orderNotificationSchema = memoized(() =>
  z.looseObject({
    order: payuOrderSchema(),
    localReceiptDateTime: z.optional(z.string()),
    properties: properties(),
  }),
);

/** One refund, in a notification (§4.2: amount and currency may be absent) or from the API (§5.4). */
export const payuRefundSchema = memoized(() =>
  z.looseObject({
    refundId: id(),
    extRefundId: z.optional(z.string()),
    amount: z.optional(minorAmount()),
    currencyCode: z.optional(z.string()),
    status: z.string().check(z.minLength(1)),
    reason: z.optional(z.string()),
    reasonDescription: z.optional(z.string()),
  }),
);
export type PayuRefund = z.infer<ReturnType<typeof payuRefundSchema>>;

export const refundNotificationSchema = memoized(() =>
  z.looseObject({
    orderId: z.string().check(z.minLength(1)),
    extOrderId: z.optional(z.string()),
    refund: payuRefundSchema(),
  }),
);

/** `GET /orders/{id}`: `orders` is an array even for one order (§5.1). */
export const retrieveOrderSchema = memoized(() =>
  z.looseObject({
    orders: z.array(payuOrderSchema()).check(z.minLength(1)),
    properties: properties(),
  }),
);

/** `GET /orders/{id}/refunds`: documented as a bare array, seen wrapped in `{refunds}` (UNCONFIRMED). */
export const refundListSchema = memoized(() =>
  z.union([
    z.array(payuRefundSchema()),
    z.pipe(
      z.looseObject({ refunds: z.array(payuRefundSchema()) }),
      z.transform((value) => value.refunds),
    ),
  ]),
);

export const createOrderResponseSchema = memoized(() =>
  z.looseObject({
    status: z.looseObject({ statusCode: z.string() }),
    redirectUri: z.optional(z.string()),
    orderId: z.optional(z.string()),
    extOrderId: z.optional(z.string()),
  }),
);

export const createRefundResponseSchema = memoized(() =>
  z.looseObject({
    orderId: z.optional(z.string()),
    refund: payuRefundSchema(),
  }),
);
