import type { AckResponse, NotificationOutcome } from '../backend';

/**
 * The answers a backend gives a broker's notification. Each call builds a headers object of its own,
 * so a backend may keep the result as a module constant (core copies headers before sending anyway).
 */

/** An answer whose body is `body` as JSON (`content-type: application/json`). */
export const jsonAck = (status: number, body: object): AckResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** An answer whose body is `body` as plain text (`content-type: text/plain`). */
export const textAck = (status: number, body: string): AckResponse => ({
  status,
  headers: { 'content-type': 'text/plain' },
  body,
});

/**
 * A message that passed the broker's check yet cannot be read: refused as `MALFORMED_NOTIFICATION`
 * (logged, nothing changes) and answered `ack` — a non-2xx, so the broker keeps redelivering while
 * the merchant looks.
 */
export const malformedNotification = (message: string, ack: AckResponse): NotificationOutcome => ({
  verdict: 'rejected',
  code: 'MALFORMED_NOTIFICATION',
  message,
  ack,
});

/**
 * The answers of a broker that posts JSON webhooks and reads only the status code, redelivering
 * anything but a 2xx (Stripe, Razorpay):
 * - `OK`: 200 with `okBody`, the body the broker's documentation shows;
 * - `refuse(reason)`: 400 `{"error":reason}`. A forger gains nothing from it, and a genuine event
 *   refused because our configuration is wrong (a rolled secret) keeps coming back until it is fixed,
 *   where a 2xx would drop it;
 * - `RETRY`: 503 `{"error":"retry"}`, our side could not decide now (an API call the event needed);
 * - `malformed(message)`: the outcome of a message that cannot be read, answered `refuse('malformed')`.
 */
export function jsonAcks(okBody: object) {
  const refuse = (reason: string): AckResponse => jsonAck(400, { error: reason });
  return {
    OK: jsonAck(200, okBody),
    refuse,
    RETRY: jsonAck(503, { error: 'retry' }),
    malformed: (message: string): NotificationOutcome => malformedNotification(message, refuse('malformed')),
  };
}
