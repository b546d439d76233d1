import type { InboundMessage, Payment, ReturnOutcome } from '@paybridge/core';
import { boundLink } from './operations';
import { readLinkCallback, verifyLinkCallback } from './signature';

/**
 * The buyer back from the hosted page (§5). Razorpay calls back only after a success, with a signature
 * over the link we stored; a valid one may show "payment received, confirming", never mark it paid
 * (no timestamp or nonce: an old URL replays). The status always comes from a pull.
 */
export async function handleLinkReturn(
  message: InboundMessage,
  payment: Payment,
  keySecret: string,
): Promise<ReturnOutcome> {
  const callback = readLinkCallback(new URL(message.url));
  const linkId = boundLink(payment);
  if (!callback || !linkId) return { hint: 'unknown', pull: true };
  const genuine = await verifyLinkCallback(callback, linkId, keySecret);
  return { hint: genuine && callback.status === 'paid' ? 'success' : 'unknown', pull: true };
}
