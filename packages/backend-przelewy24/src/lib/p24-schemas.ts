import { memoized } from '@paybridge/core/kit';
import * as z from '@paybridge/core/schema';

const int = memoized(() => z.int().check(z.gte(0), z.lte(Number.MAX_SAFE_INTEGER)));
const currency = memoized(() => z.string().check(z.regex(/^[A-Z]{3}$/)));

/** Transaction notification to `urlStatus` (reference §5.1). Types are strict: the sign hashes them as sent. */
export const transactionNotificationSchema = memoized(() =>
  z.object({
    merchantId: int(),
    posId: int(),
    sessionId: z.string().check(z.minLength(1), z.maxLength(100)),
    amount: int(),
    originAmount: int(),
    currency: currency(),
    orderId: int(),
    methodId: int(),
    statement: z.string().check(z.maxLength(200)),
    sign: z.string().check(z.regex(/^[0-9a-fA-F]{96}$/)),
  }),
);
export type TransactionNotification = z.infer<ReturnType<typeof transactionNotificationSchema>>;

/** Refund notification (reference §8.2): `requestId` and `timestamp` are not signed and not used. */
export const refundNotificationSchema = memoized(() =>
  z.object({
    orderId: int(),
    sessionId: z.string().check(z.minLength(1), z.maxLength(100)),
    refundsUuid: z.string().check(z.minLength(1), z.maxLength(35)),
    merchantId: int(),
    amount: int(),
    currency: currency(),
    status: int(),
    sign: z.string().check(z.regex(/^[0-9a-fA-F]{96}$/)),
  }),
);
export type RefundNotification = z.infer<ReturnType<typeof refundNotificationSchema>>;

/** `data` of `GET /transaction/by/sessionId/{id}` (reference §6), the fields we read. */
export const transactionStatusSchema = memoized(() =>
  z.object({
    data: z.object({
      orderId: int(),
      sessionId: z.string(),
      status: int(),
      amount: int(),
      currency: currency(),
      statement: z.optional(z.string()),
      paymentMethod: z.optional(int()),
    }),
  }),
);

/** `GET /refund/by/orderId/{id}` (reference §8.3). */
export const refundListSchema = memoized(() =>
  z.object({
    data: z.object({
      orderId: int(),
      currency: z.optional(currency()),
      refunds: z.array(z.object({ requestId: z.string(), status: int(), amount: int() })),
    }),
  }),
);

export const registerResponseSchema = memoized(() =>
  z.object({
    data: z.object({ token: z.string().check(z.regex(/^[A-Za-z0-9-]{1,100}$/)) }),
  }),
);
export const verifyResponseSchema = memoized(() =>
  z.object({ data: z.object({ status: z.literal('success') }) }),
);
