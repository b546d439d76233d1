import type { Delivery } from '../lib/delivery';
import { newId, type RazorpayState, seconds } from './model';
import { razorpaySignature } from './signature';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * Redelivery of a failed webhook (§7.4): exponential backoff for 24 hours after the event's creation
 * (1, 2, 4 … 512 minutes, then a last try at 24 h); then Razorpay disables the webhook.
 */
export const RAZORPAY_RETRY_DELAYS_MS: readonly number[] = (() => {
  const delays: number[] = [];
  let total = 0;
  for (let delay = MINUTE; total + delay < DAY; delay *= 2) {
    delays.push(delay);
    total += delay;
  }
  delays.push(DAY - total);
  return delays;
})();

/** Razorpay answers within 5 seconds or counts a timeout (§7.4). */
export const RAZORPAY_WEBHOOK_TIMEOUT_MS = 5_000;

export interface WebhookEvent {
  event: string;
  /** The entities under `payload`, each wrapped as `{ entity }`. */
  entities: Record<string, Record<string, unknown>>;
}

const encoder = new TextEncoder();

/** The envelope (§7.3), serialised the way Razorpay is reported to (`/` escaped, UNCONFIRMED). */
export function eventBody(state: RazorpayState, event: WebhookEvent): Uint8Array {
  const payload = Object.fromEntries(
    Object.entries(event.entities).map(([name, entity]) => [name, { entity }]),
  );
  const text = JSON.stringify({
    entity: 'event',
    account_id: 'acc_PaybridgeSandbx',
    event: event.event,
    contains: Object.keys(event.entities),
    payload,
    created_at: seconds(state.env.clock.now()),
  });
  return encoder.encode(state.config.escapeSlashes ? text.replaceAll('/', '\\/') : text);
}

/**
 * A webhook whose deliveries kept failing for 24 hours is disabled and receives nothing until
 * re-enabled (§7.4): a delivery gave up (its 24 h of retries ran out, or it was lost for good) and no
 * delivery to the same URL has been acknowledged since that one was first due, 24 h ago or more. One
 * event refused for a day while the others are acknowledged leaves the webhook enabled.
 */
export function isDisabled(state: RazorpayState, url: string): boolean {
  const deliveries = state.env.queue.deliveries.filter((d) => d.broker === 'razorpay' && d.call.url === url);
  const now = state.env.clock.now();
  return deliveries.some((failed) => {
    if (failed.state !== 'gave-up' || state.reenabled.has(failed.id)) return false;
    const since = failed.attempts[0]?.at ?? failed.dueAt;
    if (now - since < DAY) return false;
    return !deliveries.some((d) => d.state === 'delivered' && (d.attempts.at(-1)?.at ?? -1) >= since);
  });
}

/**
 * Schedules one buyer action's events to every subscribed webhook: each event gets one
 * `X-Razorpay-Event-Id`, its duplicates (fault) the same one; with `reorder` the newest goes first.
 */
export function sendEvents(state: RazorpayState, events: WebhookEvent[]): Delivery[] {
  if (state.faults.dropWebhooks) return [];
  const ordered = state.faults.reorder ? [...events].reverse() : events;
  const deliveries: Delivery[] = [];
  for (const webhook of state.config.webhooks) {
    if (isDisabled(state, webhook.url)) continue;
    for (const event of ordered) {
      if (webhook.events && !webhook.events.includes(event.event)) continue;
      const body = eventBody(state, event);
      const eventId = newId('evt');
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'x-razorpay-event-id': eventId,
      };
      const fault = state.faults.signature ?? 'valid';
      if (fault !== 'missing') {
        const secret = fault === 'forged' ? `forged-${webhook.secret}` : webhook.secret;
        headers['x-razorpay-signature'] = razorpaySignature(secret, body);
      }
      const copies = 1 + Math.max(0, Math.floor(state.faults.duplicate ?? 0));
      for (let copy = 0; copy < copies; copy++) {
        deliveries.push(
          state.env.queue.schedule(
            'razorpay',
            { url: webhook.url, method: 'POST', headers, body },
            {
              label: copy === 0 ? event.event : `${event.event}:duplicate`,
              retryDelays: RAZORPAY_RETRY_DELAYS_MS,
              // Any 2xx is an acknowledgement (§7.4).
              accept: (status) => status >= 200 && status < 300,
              timeoutMs: RAZORPAY_WEBHOOK_TIMEOUT_MS,
            },
          ),
        );
      }
    }
  }
  return deliveries;
}
