import type { AckResponse, NotificationOutcome } from '@paybridge/core';

/** Razorpay counts any 2xx answered within 5 seconds as delivered (§7.4). */
export const OK: AckResponse = {
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: '{"status":"ok"}',
};

/**
 * A refused webhook gets a 400 (§7.4: "bad signature → 400, it will be retried, which is harmless"):
 * a genuine event refused because a secret was rotated keeps being redelivered for 24 hours.
 */
export const refuse = (reason: string): AckResponse => ({
  status: 400,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ error: reason }),
});

/** Our side failed (store, an API call): a non-2xx makes Razorpay redeliver (§7.4). */
export const RETRY: AckResponse = {
  status: 503,
  headers: { 'content-type': 'application/json' },
  body: '{"error":"retry"}',
};

export function malformed(message: string): NotificationOutcome {
  return { verdict: 'rejected', code: 'MALFORMED_NOTIFICATION', message, ack: refuse('malformed') };
}
