import type { NotificationContext } from '@paybridge/core';
import { namedPaymentId as firstNamed, parseJsonBody } from '@paybridge/core/kit';

/** Longest id looked up from an unverified body: Stripe's ids and ours are far shorter. */
const MAX_ID = 255;

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
  // Bytes that are not UTF-8 JSON (undefined) read as `{}`, like any body that is not an event.
  const object = record(record(record(parseJsonBody(body)).data).object);
  const subscription = record(record(object.parent).subscription_details);
  return firstNamed(
    ctx,
    backendId,
    {
      externalIds: [object.id],
      paymentIds: [
        object.client_reference_id,
        record(object.metadata).paybridge_payment_id,
        record(subscription.metadata).paybridge_payment_id,
      ],
    },
    MAX_ID,
  );
}
