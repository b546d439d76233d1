import type { Delivery } from '../lib/delivery';
import { randomToken } from './http';
import { newId, nowSeconds, type StripeObject, type StripeState, type WebhookEndpoint } from './model';
import { signatureHeader } from './signature';

/** What caused an event: the API request (id + Idempotency-Key), or null for Stripe's own actions. */
export interface EventCause {
  id: string | null;
  idempotency_key: string | null;
}

/** The call that is executing (set by the router), so events name their request (reference §5.3). */
export const automatic: EventCause = { id: null, idempotency_key: null };

/**
 * Records an event about `object` (a snapshot at event time) on `account`'s event stream and queues it
 * for the endpoints that listen to it; `dispatch()` hands the action's events to the delivery queue.
 */
export function emit(
  state: StripeState,
  account: string | null,
  type: string,
  object: StripeObject,
  cause: EventCause = automatic,
  previous?: Record<string, unknown>,
): StripeObject {
  const endpoints = listeners(state, account, type);
  const event: StripeObject = {
    id: newId('evt', 24),
    object: 'event',
    ...(account ? { account } : {}),
    api_version: state.config.apiVersion,
    created: nowSeconds(state),
    data: { object: structuredClone(object), ...(previous ? { previous_attributes: previous } : {}) },
    livemode: false,
    pending_webhooks: endpoints.length,
    request: { ...cause },
    type,
  };
  state.objects.set(event.id, { account, json: event });
  state.outbox.push(event);
  return event;
}

/** Platform events reach platform endpoints; connected-account events only Connect endpoints (reference §8.3). */
function listeners(state: StripeState, account: string | null, type: string): WebhookEndpoint[] {
  return state.endpoints.filter(
    (e) =>
      e.connect === (account !== null) && (e.enabledEvents.includes('*') || e.enabledEvents.includes(type)),
  );
}

/** Webhook deliveries carry these so the signing hook can find their endpoint and re-sign each attempt. */
const signing = new WeakMap<Delivery, { endpoint: WebhookEndpoint; body: Uint8Array }>();

/** Schedules the webhooks of the events the last action created, applying the reorder and duplicate faults. */
export function dispatch(state: StripeState): void {
  const batch = state.outbox.splice(0);
  if (state.faults.reorder) batch.reverse();
  const copies = 1 + Math.max(0, Math.floor(state.faults.duplicate ?? 0));
  for (let copy = 0; copy < copies; copy++) {
    for (const event of batch) {
      for (const endpoint of listeners(
        state,
        (event.account as string | undefined) ?? null,
        event.type as string,
      )) {
        schedule(state, event, endpoint);
      }
    }
  }
}

function schedule(state: StripeState, event: StripeObject, endpoint: WebhookEndpoint): void {
  // Stripe POSTs pretty-printed JSON; the receiver must verify these exact bytes.
  const body = new TextEncoder().encode(JSON.stringify(event, null, 2));
  const delivery = state.env.queue.schedule(
    'stripe',
    {
      url: endpoint.url,
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        'cache-control': 'no-cache',
        accept: '*/*; q=0.5, application/xml',
      },
      body,
    },
    {
      label: `webhook:${event.type as string}`,
      retryDelays: state.config.webhookRetryDelaysMs,
      accept: (status) => status >= 200 && status < 300,
      timeoutMs: state.config.webhookTimeoutMs,
      ownerConfigured: endpoint.ownerConfigured,
    },
  );
  signing.set(delivery, { endpoint, body });
  sign(state, delivery);
}

/**
 * Stripe signs every attempt with the time of that attempt (a retry three days later is not "stale").
 * Runs at the start of every flush pass, before due calls are sent, and applies the signature fault.
 */
export function signDueDeliveries(state: StripeState): void {
  const now = state.env.clock.now();
  for (const delivery of state.env.queue.deliveries) {
    if (delivery.broker === 'stripe' && delivery.state === 'scheduled' && delivery.dueAt <= now) {
      sign(state, delivery);
    }
  }
}

function sign(state: StripeState, delivery: Delivery): void {
  const info = signing.get(delivery);
  if (!info) return;
  const headers = { ...delivery.call.headers };
  delete headers['stripe-signature'];
  const fault = state.faults.signature ?? 'valid';
  const stale = fault === 'stale' ? (state.faults.staleBySeconds ?? 600) : 0;
  const t = nowSeconds(state) - stale;
  if (fault !== 'missing') {
    const secrets =
      fault === 'forged'
        ? [`whsec_${randomToken(32)}`]
        : [info.endpoint.secret, ...info.endpoint.previousSecrets];
    headers['stripe-signature'] = signatureHeader(secrets, t, info.body);
  }
  delivery.call = { ...delivery.call, headers };
}
