import type { NotificationContext } from '@paybridge/core';

/** Longest id looked up from an unverified body: Stripe's ids and ours are far shorter. */
const MAX_ID = 255;

const id = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_ID ? value : undefined;

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/**
 * Which of our payments a webhook that failed signature verification names, if any (DESIGN §6,
 * verify-or-pull): a genuine event signed with a secret rolled in the Dashboard before ours is
 * otherwise learnt only when the secret is fixed. Nothing in the body is trusted beyond naming, and
 * Stripe is not called here: the bridge's pull asks Stripe about the payment's own session. By the
 * object's own id (a Checkout Session is the payment's externalId), then the id we gave Stripe
 * (`client_reference_id`, `metadata.paybridge_payment_id`, a subscription invoice's
 * `parent.subscription_details.metadata`); only payments of this backend. Never throws.
 */
export async function namedPaymentId(
  body: Uint8Array,
  ctx: NotificationContext,
  backendId: string,
): Promise<string | undefined> {
  try {
    const event = record(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)));
    const object = record(record(event.data).object);
    const own = id(object.id);
    const byExternal = own ? await ctx.findPaymentByExternalId(own) : null;
    if (byExternal?.backend === backendId) return byExternal.id;
    const subscription = record(record(object.parent).subscription_details);
    const named = [
      id(object.client_reference_id),
      id(record(object.metadata).paybridge_payment_id),
      id(record(subscription.metadata).paybridge_payment_id),
    ];
    for (const paymentId of new Set(named)) {
      if (!paymentId) continue;
      const payment = await ctx.getPayment(paymentId);
      if (payment?.backend === backendId) return payment.id;
    }
    return undefined;
  } catch {
    return undefined;
  }
}
