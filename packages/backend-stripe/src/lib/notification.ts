import {
  type AckResponse,
  type InboundMessage,
  isPaybridgeError,
  type NotificationContext,
  type NotificationOutcome,
} from '@paybridge/core';
import { interpretEvent } from './interpret';
import { isLiveKey, type StripeSettings } from './settings';
import { verifyStripeSignature } from './signature';
import { eventSchema } from './stripe-objects';

/** Stripe counts any 2xx as delivered and ignores the body (§5.4). */
export const OK: AckResponse = {
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: '{"received":true}',
};

/**
 * Refused messages get a 400: a forger gains nothing from it, and a genuine event fails only when our
 * configuration is wrong (a rolled secret): Stripe then keeps redelivering for up to three days, long
 * enough to fix the secret without losing the event, where a 2xx would drop it.
 */
const refuse = (body: string): AckResponse => ({
  status: 400,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ error: body }),
});

export interface NotificationDeps {
  backendId: string;
  settings: StripeSettings;
}

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
    return {
      verdict: 'rejected',
      code: 'INVALID_SIGNATURE',
      message: check.message,
      ack: refuse('signature'),
    };
  }

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(message.body));
  } catch {
    return malformed('The webhook body is not JSON');
  }
  const parsed = eventSchema.safeParse(json);
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
      ack: { status: 503, headers: { 'content-type': 'application/json' }, body: '{"error":"retry"}' },
    };
  }
}

export function malformed(message: string): NotificationOutcome {
  return { verdict: 'rejected', code: 'MALFORMED_NOTIFICATION', message, ack: refuse('malformed') };
}
