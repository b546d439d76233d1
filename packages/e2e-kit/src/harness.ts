import {
  createPaybridge,
  type GatewayMessage,
  memoryStore,
  type OrderResolver,
  type Payment,
  type PaymentBackend,
  type PaymentStore,
  silentLogger,
} from '@paybridge/core';
import { backendView } from '@paybridge/core/testing';
import { createSandbox, manualClock, type SandboxOptions } from '@paybridge/sandbox';

/** The shop's bridge and the sandbox's base URLs (never resolved: every call stays in process). */
export const SHOP = 'https://shop.test/pay';
export const SANDBOX = 'http://sandbox.test';

/** Like a real fetch: the call is abandoned when its signal aborts (the in-process handler would not). */
export function abortable(handler: (request: Request) => Promise<Response>): typeof fetch {
  return (input, init) => {
    const request = new Request(input, init);
    const signal = init?.signal ?? null;
    return new Promise<Response>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      handler(request).then(resolve, reject);
    });
  };
}

export interface E2eOptions {
  /** The backends under test; their `endpoint` points below `SANDBOX` (`${SANDBOX}/payu`, …). */
  backends: PaymentBackend[];
  /** The merchant's orders, as `/start` resolves them. */
  orders: OrderResolver;
  /** Where the manual clock starts (ms since the epoch). */
  startAt: number;
  /**
   * The address the broker's notifications come from (the bridge may check it against a range);
   * without it they reach the bridge with no client address.
   */
  notifierIp?: string;
  /** Simulator options, per broker (`payu`, `paypal`, `stripe`, `przelewy24`, …). */
  simulators?: Omit<SandboxOptions, 'baseUrl' | 'clock' | 'fetch'>;
  /** The bridge's own `testMode` (each backend may set its own). */
  testMode?: boolean;
  /** Wrap the memory store (to make it fail on purpose). */
  store?: (store: PaymentStore) => PaymentStore;
}

/**
 * A bridge with an in-memory store and the broker sandbox in one process: the bridge's outbound fetch
 * goes to the sandbox's handler, the sandbox's notifications to the bridge's handler. The simulators
 * are black boxes driven through their test contract (hosted pages, act(), faults, controls).
 */
export function startE2e(options: E2eOptions) {
  const clock = manualClock(options.startAt);
  const store = memoryStore();
  const handle: { bridge?: ReturnType<typeof createPaybridge> } = {};
  const sandbox = createSandbox({
    baseUrl: SANDBOX,
    clock,
    fetch: (request) => {
      if (!handle.bridge) throw new Error('the sandbox called the bridge before it was created');
      const notifierIp = options.notifierIp;
      return notifierIp === undefined
        ? handle.bridge.handler(request)
        : handle.bridge.handler(request, { clientIp: notifierIp });
    },
    ...options.simulators,
  });
  const bridge = createPaybridge({
    baseUrl: SHOP,
    ...(options.testMode === undefined ? {} : { testMode: options.testMode }),
    backends: options.backends,
    store: options.store ? options.store(store) : store,
    logger: silentLogger,
    fetch: abortable((request) => sandbox.handler(request)),
    now: () => new Date(clock.now()),
    orders: options.orders,
  });
  handle.bridge = bridge;

  /** POST `/start` as the browser's button does (JSON in, JSON out). */
  const startResponse = (body: { backend: string; orderId: string }, clientIp?: string) => {
    const request = new Request(`${SHOP}/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    return clientIp === undefined ? bridge.handler(request) : bridge.handler(request, { clientIp });
  };
  let orders = 0;
  /** `/start` for the shop's next order, `${prefix}<n>` (`order-1`, `order-2`, … by default). */
  const startNextOrder = (
    backend: string,
    { prefix = 'order-', clientIp }: { prefix?: string; clientIp?: string } = {},
  ) => {
    orders += 1;
    return startResponse({ backend, orderId: `${prefix}${orders}` }, clientIp);
  };
  /** Runs `step` (the buyer on a hosted page, a simulator's action), then delivers every notification due now. */
  const settle = async <T>(step: () => T): Promise<Awaited<T>> => {
    const result = await step();
    await sandbox.flush();
    return result;
  };

  /** The payment as its backend sees it: `brokerData` is that backend's part (`brokerData[backend]`). */
  const get = async (id: string) => {
    const payment = (await bridge.getPayment(id)) as Payment;
    return backendView(payment, payment.backend);
  };
  const allMessages = async () => (await store.listMessages({ limit: 500 })).items;
  const messages = async (paymentId: string, direction?: GatewayMessage['direction']) =>
    (await store.listMessages({ paymentId, limit: 500, ...(direction ? { direction } : {}) })).items;
  /** The bridge's calls to the broker, of one kind (`verify`, `refund`, …) or of every kind. */
  const outbound = async (kind?: string) =>
    (await store.listMessages({ direction: 'outbound', limit: 500 })).items.filter(
      (m) => kind === undefined || m.kind === kind,
    );
  /** Inbound notifications, of one payment or of all. */
  const notifications = async (paymentId?: string) =>
    (
      await store.listMessages({ direction: 'inbound', limit: 500, ...(paymentId ? { paymentId } : {}) })
    ).items.filter((m) => m.kind === 'notification');
  /** Codes of every `payment.anomaly` event, in order. */
  const anomalies: string[] = [];
  bridge.on('payment.anomaly', ({ anomaly }) => {
    anomalies.push(anomaly.code);
  });

  return {
    sandbox,
    bridge,
    store,
    clock,
    startResponse,
    startNextOrder,
    settle,
    get,
    messages,
    allMessages,
    notifications,
    outbound,
    anomalies,
  };
}

export type E2e = ReturnType<typeof startE2e>;
