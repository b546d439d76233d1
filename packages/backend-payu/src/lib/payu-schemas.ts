import { z } from 'zod';

/** PayU writes amounts as strings of minor units ("21000"); some clients and old examples use numbers. */
export const minorAmount = z
  .union([z.string().regex(/^\d+$/), z.number().int().nonnegative()])
  .transform((value) => Number(value))
  .refine((value) => Number.isSafeInteger(value), 'amount out of range');

const id = z.union([z.string().min(1), z.number().transform(String)]);

/** The order model shared by notifications and `GET /orders/{id}` (§4.1, §5.1); unknown fields kept. */
export const payuOrderSchema = z.looseObject({
  orderId: z.string().min(1),
  extOrderId: z.string().optional(),
  status: z.string().min(1),
  totalAmount: minorAmount,
  currencyCode: z.string().min(1),
  payMethod: z.looseObject({ type: z.string().optional() }).optional(),
});
export type PayuOrder = z.infer<typeof payuOrderSchema>;

const properties = z.array(z.looseObject({ name: z.string(), value: z.unknown() })).optional();

export const orderNotificationSchema = z.looseObject({
  order: payuOrderSchema,
  localReceiptDateTime: z.string().optional(),
  properties,
});

/** One refund, in a notification (§4.2: amount and currency may be absent) or from the API (§5.4). */
export const payuRefundSchema = z.looseObject({
  refundId: id,
  extRefundId: z.string().optional(),
  amount: minorAmount.optional(),
  currencyCode: z.string().optional(),
  status: z.string().min(1),
  reason: z.string().optional(),
  reasonDescription: z.string().optional(),
});
export type PayuRefund = z.infer<typeof payuRefundSchema>;

export const refundNotificationSchema = z.looseObject({
  orderId: z.string().min(1),
  extOrderId: z.string().optional(),
  refund: payuRefundSchema,
});

/** `GET /orders/{id}`: `orders` is an array even for one order (§5.1). */
export const retrieveOrderSchema = z.looseObject({
  orders: z.array(payuOrderSchema).min(1),
  properties,
});

/** `GET /orders/{id}/refunds`: documented as a bare array, seen wrapped in `{refunds}` (UNCONFIRMED). */
export const refundListSchema = z.union([
  z.array(payuRefundSchema),
  z.looseObject({ refunds: z.array(payuRefundSchema) }).transform((value) => value.refunds),
]);

export const createOrderResponseSchema = z.looseObject({
  status: z.looseObject({ statusCode: z.string() }),
  redirectUri: z.string().optional(),
  orderId: z.string().optional(),
  extOrderId: z.string().optional(),
});

export const createRefundResponseSchema = z.looseObject({
  orderId: z.string().optional(),
  refund: payuRefundSchema,
});
