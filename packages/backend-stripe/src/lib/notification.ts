import {
  type InboundMessage,
  isPaybridgeError,
  type NotificationContext,
  type NotificationOutcome,
} from '@paybridge/core';
import { parseJsonBody } from '@paybridge/core/kit';
import { interpretEvent } from './event-handlers';
import type { NotificationDeps } from './lookup';
import { malformed, RETRY, refuse } from './outcomes';
import { isLiveKey } from './settings';
import { verifyStripeSignature } from './signature';
import { eventSchema } from './stripe-objects';
import { namedPaymentId } from './unverified';

/** Verify a webhook over its raw bytes, parse the event, and hand it to its handler (`event-handlers.ts`). */
export async function handleStripeNotification(
  message: InboundMessage,
  ctx: NotificationContext,
  deps: NotificationDeps,
): Promise<NotificationOutcome> {
  const check = await verifyStripeSignature(
    message.headers.get('stripe-signature'),
    message.body,
    deps.settings.webhookSecret,
    { toleranceSeconds: deps.settings.signatureToleranceSeconds, now: message.receivedAt },
  );
  if (!check.ok) {
    // Named for the bridge's verify-or-pull: it asks Stripe about that payment (rate-limited).
    const paymentId = await namedPaymentId(message.body, ctx, deps.backendId);
    return {
      verdict: 'rejected',
      code: 'INVALID_SIGNATURE',
      message: check.message,
      ...(paymentId ? { paymentId } : {}),
      ack: refuse('signature'),
    };
  }

  const json = parseJsonBody(message.body);
  if (json === undefined) return malformed('The webhook body is not JSON');
  const parsed = eventSchema().safeParse(json);
  if (!parsed.success) return malformed('The webhook body is not a Stripe event');
  const event = parsed.data;
  if (event.livemode !== isLiveKey(deps.settings.secretKey)) {
    return {
      verdict: 'rejected',
      code: 'ENVIRONMENT_MISMATCH',
      message: `Stripe event ${event.id} is ${event.livemode ? 'live' : 'test'} mode, the secret key is not`,
      ack: refuse('environment'),
    };
  }
  try {
    return await interpretEvent(event, ctx, deps);
  } catch (error) {
    // Stripe's API could not be asked (a lookup the event needed): answer 503 so Stripe redelivers.
    return {
      verdict: 'retry',
      message: `Stripe event ${event.id}: ${isPaybridgeError(error) ? error.message : 'unexpected error'}`,
      ack: RETRY,
    };
  }
}
