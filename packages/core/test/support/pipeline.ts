import type { NotificationOutcome, PaymentBackend } from '../../src/backend';
import type { PaybridgeConfig } from '../../src/config';
import type { PaybridgeEventName } from '../../src/events';
import { fromHex, timingSafeEqual, toHex, utf8 } from '../../src/lib/bytes';
import { hmac } from '../../src/lib/hashes';
import { silentLogger } from '../../src/logger';
import { memoryStore } from '../../src/memory-store';
import { createPaybridge } from '../../src/paybridge';
import type { PaymentStore } from '../../src/store';
import type { PaymentFact } from '../../src/types';

/** Test support for the pipeline tests: a minimal signed-JSON broker and a bridge around it. */

export const BASE = 'https://shop.example/payments';
export const KEY = 'test-broker-signing-key-0123456789';

/**
 * A minimal signed-JSON broker: `{paymentId, id, status, amount, currency}` with an HMAC header.
 * It maps statuses to facts and nothing else, so the tests exercise the pipeline, not a protocol.
 */
export interface FakeBrokerOptions {
  verifyRetry?: boolean;
  throwOnVerify?: boolean;
  /** Ask for a status pull on every verified message, answered with these facts. */
  pull?: (paymentId: string) => PaymentFact[] | Promise<PaymentFact[]>;
  /** Called when the backend starts verifying (to observe what the bridge did before). */
  onVerify?: () => void | Promise<void>;
  /**
   * Name each message's transaction (`transactionId`, binding on money) instead of storing its id as
   * the payment's `externalId` whatever it says (what every backend did before the binding rule).
   */
  transactionIds?: boolean;
}

export function fakeBroker(options: FakeBrokerOptions = {}): PaymentBackend {
  const pull = options.pull;
  return {
    id: 'fake',
    displayName: 'Fake Broker',
    currencies: ['EUR'],
    capabilities: {
      capture: false,
      cancel: false,
      refund: false,
      partialRefund: false,
      recurring: false,
      pull: Boolean(pull),
    },
    endpoints: { live: 'https://broker.example', test: 'https://sandbox.broker.example' },
    secrets: [KEY],
    async prepare(payment) {
      return { redirect: { method: 'GET', url: `https://broker.example/pay/${payment.id}` } };
    },
    ...(pull ? { fetchStatus: async (payment) => pull(payment.id) } : {}),
    async handleNotification(message): Promise<NotificationOutcome> {
      await options.onVerify?.();
      if (options.throwOnVerify) throw new Error('broker library crashed');
      if (options.verifyRetry) return { verdict: 'retry', message: 'verification endpoint timed out' };
      const signature = message.headers.get('x-signature') ?? '';
      const expected = await hmac('SHA-256', utf8(KEY), message.body);
      let received: Uint8Array;
      try {
        received = fromHex(signature);
      } catch {
        received = new Uint8Array(0);
      }
      if (!timingSafeEqual(expected, received)) {
        return {
          verdict: 'rejected',
          code: 'INVALID_SIGNATURE',
          message: 'bad signature',
          ack: { status: 400, body: 'BAD SIGNATURE' },
        };
      }
      const data = JSON.parse(new TextDecoder().decode(message.body)) as {
        paymentId: string;
        id: string;
        status: 'PAID' | 'PENDING' | 'FAILED' | 'REFUNDED';
        amount: number;
        currency: string;
      };
      const eventId = `${data.id}:${data.status}`;
      const fact: PaymentFact =
        data.status === 'PAID'
          ? { type: 'captured', eventId, captureId: data.id, amount: data.amount, currency: data.currency }
          : data.status === 'PENDING'
            ? { type: 'pending', eventId }
            : data.status === 'REFUNDED'
              ? {
                  type: 'refunded',
                  eventId,
                  refundId: `${data.id}-r`,
                  amount: data.amount,
                  currency: data.currency,
                }
              : { type: 'failed', eventId, reason: 'refused' };
      return {
        verdict: 'verified',
        updates: [
          {
            paymentId: data.paymentId,
            facts: [fact],
            ...(options.transactionIds ? { transactionId: data.id } : { externalId: data.id }),
            pull: Boolean(pull),
          },
        ],
        ack: { status: 200, body: 'OK' },
      };
    },
    setupInstructions: (urls) => ({
      backend: 'fake',
      displayName: 'Fake Broker',
      urls: [{ label: 'Notify', url: urls.notifyUrl }],
      steps: ['none'],
      warnings: [],
    }),
  };
}

export async function notification(body: Record<string, unknown>, sign = true): Promise<Request> {
  const text = JSON.stringify(body);
  const signature = sign ? toHex(await hmac('SHA-256', utf8(KEY), utf8(text))) : '00';
  return new Request(`${BASE}/notify/fake`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': signature },
    body: text,
  });
}

export function setup(
  options: { store?: PaymentStore; backend?: PaymentBackend; config?: Partial<PaybridgeConfig> } = {},
) {
  const store = options.store ?? memoryStore();
  const bridge = createPaybridge({
    baseUrl: BASE,
    backends: [options.backend ?? fakeBroker()],
    store,
    logger: silentLogger,
    orders: {
      resolve: (id) =>
        id.startsWith('order') ? { amount: 1500, currency: 'EUR', description: `Order ${id}` } : null,
    },
    ...options.config,
  });
  const events: PaybridgeEventName[] = [];
  for (const name of [
    'payment.accepted',
    'payment.declined',
    'payment.statusChanged',
    'payment.anomaly',
    'payment.processed',
    'refund.succeeded',
    'payment.pending',
  ] as const) {
    bridge.on(name, () => {
      events.push(name);
    });
  }
  return { bridge, store, events };
}
