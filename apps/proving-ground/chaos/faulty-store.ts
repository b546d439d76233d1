import { AsyncLocalStorage } from 'node:async_hooks';
import { type NewGatewayMessage, PaybridgeError, type PaymentStore } from '@paybridge/core';
import type { Journal } from './journal';
import type { Random } from './random';

/**
 * Set by the chaos network on a delivery the broker will not repeat (CM-CIC's single retry): the
 * merchant's fault injector spares the requests it carries, so that no message is lost at the bank.
 */
export const FINAL_ATTEMPT_HEADER = 'x-chaos-final-attempt';
const spared = new AsyncLocalStorage<boolean>();

/** Runs `fn` with store faults switched off (for the request carrying FINAL_ATTEMPT_HEADER). */
export function withoutStoreFaults<T>(fn: () => T): T {
  return spared.run(true, fn);
}

/** The key the checks use for a message body: base64 of its bytes. */
export function messageKey(message: Pick<NewGatewayMessage, 'body' | 'bodyEncoding'>): string {
  return message.bodyEncoding === 'base64'
    ? message.body
    : Buffer.from(message.body, 'utf8').toString('base64');
}

/**
 * Wraps a store so that a share of its writes fail before writing anything, as a database that drops
 * the connection would: `applyChange` (a verified fact), `appendMessage` of an inbound message (the
 * log that comes before any processing) and `createPayment` (POST /start). The pipeline must answer
 * so that the broker (or the buyer) tries again. Never twice in a row for the same payment or message,
 * and never on a broker's final attempt (FINAL_ATTEMPT_HEADER): CM-CIC retries a return only once
 * (protocols/cmcic.md §4.4), and a fault on its last attempt would lose the message on the bank's side.
 */
export function faultyStore(
  store: PaymentStore,
  rate: number,
  random: Random,
  journal: Journal,
): PaymentStore {
  const failedLast = new Set<string>();
  /** Whether this write fails; `key` is what must not fail twice in a row. */
  const fails = (key: string) => {
    if (spared.getStore() === true) return false;
    if (!failedLast.has(key) && random.chance(rate)) {
      failedLast.add(key);
      return true;
    }
    failedLast.delete(key);
    return false;
  };
  const injected = (fault: 'store-write' | 'log-write' | 'create-write', detail: string) => {
    journal.write({ type: 'fault', fault, detail });
    return new PaybridgeError('STORE_UNAVAILABLE', 'injected store write failure');
  };

  const overrides: Partial<PaymentStore> = {
    applyChange: async (request) => {
      if (fails(`payment:${request.paymentId}`)) throw injected('store-write', request.paymentId);
      return store.applyChange(request);
    },
    appendMessage: async (message) => {
      if (message.direction === 'inbound') {
        const key = messageKey(message);
        if (fails(`message:${key}`)) throw injected('log-write', key);
      }
      return store.appendMessage(message);
    },
    createPayment: async (payment, transition) => {
      if (fails(`order:${payment.orderId}`)) throw injected('create-write', payment.orderId);
      return store.createPayment(payment, transition);
    },
  };
  // Every other method goes through untouched (a Proxy keeps up with the store contract as it grows).
  return new Proxy(store, {
    get(target, property, receiver) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof PaymentStore];
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
