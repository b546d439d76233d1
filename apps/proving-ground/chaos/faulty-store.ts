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

/**
 * Runs `fn` with the merchant's injected faults switched off: store writes and broker API calls (the
 * request carrying FINAL_ATTEMPT_HEADER, and the one reconcile pass after the run).
 */
export function withoutInjectedFaults<T>(fn: () => T): T {
  return spared.run(true, fn);
}

/** Whether the current request runs with the injected faults switched off. */
export function injectedFaultsSpared(): boolean {
  return spared.getStore() === true;
}

/**
 * Credential fields the message log masks wherever they appear (core's redactor): a Stripe event
 * carries its PaymentIntent's `client_secret`. The checks compare bodies as the log keeps them.
 */
const CREDENTIAL_FIELD =
  /("(?:access_token|refresh_token|id_token|client_secret|password)"\s*:\s*)"(?:[^"\\]|\\.)*"/g;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The key of delivered bytes, as the message log keeps them (text bodies with credentials masked). */
export function deliveredKey(bytes: Uint8Array): string {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return Buffer.from(bytes).toString('base64');
  }
  return Buffer.from(text.replace(CREDENTIAL_FIELD, '$1"[REDACTED]"'), 'utf8').toString('base64');
}

/** The key the checks use for a logged message body: base64 of its bytes. */
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
    if (injectedFaultsSpared()) return false;
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
