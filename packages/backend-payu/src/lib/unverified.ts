import type { InboundMessage, NotificationContext } from '@paybridge/core';
import { namedPaymentId as firstNamed, parseJsonBody } from '@paybridge/core/kit';

/** Longest id looked up from an unverified body: PayU's orderIds are 27 characters, ours are shorter than this. */
const MAX_ID = 100;

/**
 * Which of our payments a notification that failed verification names, if any (DESIGN §6: an
 * unverifiable notification naming a known payment triggers a pull, and changes nothing by itself).
 * Nothing in the body is trusted beyond naming: the pull asks PayU about the order the payment is
 * bound to, never the one the body claims. By PayU's orderId (the payment's externalId) first, then by
 * `extOrderId` (our payment id); only payments of this backend. Never throws: the answer stays 400.
 */
export async function namedPaymentId(
  message: InboundMessage,
  ctx: NotificationContext,
  backendId: string,
): Promise<string | undefined> {
  const body = parseJsonBody(message.body);
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const order =
    typeof record.order === 'object' && record.order !== null
      ? (record.order as Record<string, unknown>)
      : record;
  return firstNamed(ctx, backendId, { externalIds: [order.orderId], paymentIds: [order.extOrderId] }, MAX_ID);
}
