import { memoized } from '@paybridge/core/kit';
import { z } from 'zod';

/** PayU writes amounts as strings of minor units ("21000"); some clients and old examples use numbers. */
export const minorAmount = memoized(() =>
  z
    .union([z.string().regex(/^\d+$/), z.number().int().nonnegative()])
    .transform((value) => Number(value))
    .refine((value) => Number.isSafeInteger(value), 'amount out of range'),
);

const id = memoized(() => z.union([z.string().min(1), z.number().transform(String)]));

/** The order model shared by notifications and `GET /orders/{id}` (§4.1, §5.1); unknown fields kept. */
export const payuOrderSchema = memoized(() =>
  z.looseObject({
    orderId: z.string().min(1),
    extOrderId: z.string().optional(),
    status: z.string().min(1),
    totalAmount: minorAmount(),
    currencyCode: z.string().min(1),
    payMethod: z.looseObject({ type: z.string().optional() }).optional(),
  }),
);
export type PayuOrder = z.infer<ReturnType<typeof payuOrderSchema>>;

const properties = memoized(() =>
  z.array(z.looseObject({ name: z.string(), value: z.unknown() })).optional(),
);

export const orderNotificationSchema = memoized(() =>
  z.looseObject({
    order: payuOrderSchema(),
    localReceiptDateTime: z.string().optional(),
    properties: properties(),
  }),
);

/** One refund, in a notification (§4.2: amount and currency may be absent) or from the API (§5.4). */
export const payuRefundSchema = memoized(() =>
  z.looseObject({
    refundId: id(),
    extRefundId: z.string().optional(),
    amount: minorAmount().optional(),
    currencyCode: z.string().optional(),
    status: z.string().min(1),
    reason: z.string().optional(),
    reasonDescription: z.string().optional(),
  }),
);
export type PayuRefund = z.infer<ReturnType<typeof payuRefundSchema>>;

export const refundNotificationSchema = memoized(() =>
  z.looseObject({
    orderId: z.string().min(1),
    extOrderId: z.string().optional(),
    refund: payuRefundSchema(),
  }),
);

/** `GET /orders/{id}`: `orders` is an array even for one order (§5.1). */
export const retrieveOrderSchema = memoized(() =>
  z.looseObject({
    orders: z.array(payuOrderSchema()).min(1),
    properties: properties(),
  }),
);

/** `GET /orders/{id}/refunds`: documented as a bare array, seen wrapped in `{refunds}` (UNCONFIRMED). */
export const refundListSchema = memoized(() =>
  z.union([
    z.array(payuRefundSchema()),
    z.looseObject({ refunds: z.array(payuRefundSchema()) }).transform((value) => value.refunds),
  ]),
);

export const createOrderResponseSchema = memoized(() =>
  z.looseObject({
    status: z.looseObject({ statusCode: z.string() }),
    redirectUri: z.string().optional(),
    orderId: z.string().optional(),
    extOrderId: z.string().optional(),
  }),
);

export const createRefundResponseSchema = memoized(() =>
  z.looseObject({
    orderId: z.string().optional(),
    refund: payuRefundSchema(),
  }),
);
