import type { InboundMessage, NotificationContext, NotificationOutcome } from '@paybridge/core';
import { parseJsonBody } from '@paybridge/core/kit';
import { malformed, RETRY, refuse } from './ack';
import { eventSchema, NOTE_PAYMENT_ID } from './entities';
import { interpretEvent } from './interpret';
import type { RazorpaySettings } from './settings';
import { verifyWebhookSignature } from './signature';

export interface NotificationDeps {
  backendId: string;
  settings: RazorpaySettings;
}

/** `X-Razorpay-Event-Id` when it looks like one; it prefixes the facts' event ids. */
export function eventIdOf(headers: Headers): string | undefined {
  const value = headers.get('x-razorpay-event-id');
  return value && /^[A-Za-z0-9_.:-]{1,100}$/.test(value) ? value : undefined;
}

/** Verify over the raw bytes (§7.2), then parse and interpret; never throws at the broker. */
export async function handleRazorpayNotification(
  message: InboundMessage,
  ctx: NotificationContext,
  deps: NotificationDeps,
): Promise<NotificationOutcome> {
  const signed = await verifyWebhookSignature(
    message.headers.get('x-razorpay-signature'),
    message.body,
    deps.settings.webhookSecret,
  );
  if (!signed) {
    const named = namedPayment(message.body);
    return {
      verdict: 'rejected',
      code: 'INVALID_SIGNATURE',
      message: 'X-Razorpay-Signature does not match the body with any configured webhook secret',
      // Core pulls the named payment (rate-limited): a genuine event refused by a rotated secret is not lost.
      ...(named ? { paymentId: named } : {}),
      ack: refuse('signature'),
    };
  }
  const json = parseJsonBody(message.body);
  if (json === undefined) return malformed('The webhook body is not UTF-8 JSON');
  const parsed = eventSchema().safeParse(json);
  if (!parsed.success) return malformed('The webhook body is not a Razorpay event');
  try {
    return await interpretEvent(parsed.data, eventIdOf(message.headers), ctx, deps);
  } catch {
    return {
      verdict: 'retry',
      message: `Razorpay event ${parsed.data.event} could not be processed now`,
      ack: RETRY,
    };
  }
}

/** The payment an unverified body names, only to ask Razorpay about it (it changes nothing by itself). */
function namedPayment(body: Uint8Array): string | null {
  // Bytes that are not UTF-8 JSON (undefined) fail the schema like any other wrong body.
  const event = eventSchema().safeParse(parseJsonBody(body));
  if (!event.success) return null;
  const { payload } = event.data;
  const candidates = [
    payload.payment_link?.entity.reference_id,
    payload.payment_link?.entity.notes[NOTE_PAYMENT_ID],
    payload.payment?.entity.notes[NOTE_PAYMENT_ID],
    payload.order?.entity.notes[NOTE_PAYMENT_ID],
  ];
  const found = candidates.find((c) => typeof c === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(c));
  return typeof found === 'string' ? found : null;
}
