import { cmcic } from '@paybridge/backend-cmcic';
import { paypal } from '@paybridge/backend-paypal';
import { payu } from '@paybridge/backend-payu';
import {
  createPaybridge,
  type GatewayMessage,
  memoryStore,
  type OrderInfo,
  type PaybridgeEventName,
  type Payment,
  silentLogger,
  type TrustProxy,
} from '@paybridge/core';
import { dummy } from '@paybridge/core/dummy';
import { createSandbox, manualClock, SESSION_HEADER } from '@paybridge/sandbox';
import { expect } from 'vitest';
import { CMCIC_TPE, PAYPAL_ACCOUNT, PAYU_POS } from '../../chaos/brokers';
import { type BrowserRedirect, hostedPageRequest } from '../../chaos/hosted-page';

/**
 * The world every attack of the security suite runs against: the bridge (PayU, PayPal, CM-CIC and the
 * dummy backend) with the sandbox playing the brokers in process, the way a merchant deploys it. Every
 * request goes through `bridge.handler` (the web API); the sandbox's server-to-server calls are recorded
 * byte for byte, so an attack can replay or alter a genuine message.
 */
export const SHOP = 'https://shop.test/pay';
export const SANDBOX = 'https://sandbox.test';
export const PEER = '203.0.113.7';
export const BUTTON_SECRET = 'security-suite-button-secret-0123456789';
export const DUMMY_KEY = 'security-suite-dummy-signing-key';

export type Broker = 'payu' | 'paypal' | 'cmcic';

const STATE_EVENTS: PaybridgeEventName[] = [
  'payment.created',
  'payment.statusChanged',
  'payment.processed',
  'payment.accepted',
  'payment.declined',
  'payment.pending',
  'payment.authorized',
  'payment.expired',
  'payment.anomaly',
  'refund.pending',
  'refund.succeeded',
  'refund.failed',
  'subscription.signup',
  'subscription.payment',
  'subscription.paymentFailed',
  'subscription.cancelled',
  'subscription.ended',
  'subscription.modified',
  'subscription.suspended',
];

/** A server-to-server call the sandbox made to the bridge, as it went on the wire. */
export interface Captured {
  url: string;
  method: string;
  headers: Headers;
  body: Uint8Array;
}

export interface WorldOptions {
  cmcicScheme?: 'current' | 'legacy';
  trustProxy?: TrustProxy;
  /** No configured baseUrl: absolute URLs come from the request (and trusted forwarded headers). */
  noBaseUrl?: boolean;
  /** Order descriptions by order id (XSS probes put markup here). */
  descriptions?: Record<string, string>;
}

/**
 * What an order costs: PayU sells in PLN, the others in EUR; amounts never come from the browser.
 * Orders named `sub-…` are monthly subscriptions.
 */
function orderFor(orderId: string, descriptions: Record<string, string>): OrderInfo {
  const broker = orderId.split('-')[0];
  return {
    amount: broker === 'payu' ? 21000 : 1999,
    currency: broker === 'payu' ? 'PLN' : 'EUR',
    description: descriptions[orderId] ?? `Order ${orderId}`,
    buyer: {
      email: 'buyer@example.com',
      firstName: 'John',
      lastName: 'Doe',
      language: 'en',
      billingAddress: { line1: '18 rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' },
    },
    ...(broker === 'sub' ? { recurrence: { interval: 'month' as const, every: 1 } } : {}),
  };
}

export function createWorld(options: WorldOptions = {}) {
  const clock = manualClock(Date.UTC(2026, 2, 1, 9, 0, 0));
  const store = memoryStore();
  const captured: Captured[] = [];
  const holder: { bridge?: ReturnType<typeof createPaybridge> } = {};
  const scheme = options.cmcicScheme ?? 'current';
  const sandbox = createSandbox({
    baseUrl: SANDBOX,
    clock,
    async fetch(request) {
      const body = new Uint8Array(await request.arrayBuffer());
      const copy = { url: request.url, method: request.method, headers: new Headers(request.headers), body };
      captured.push(copy);
      return holder.bridge!.handler(
        new Request(copy.url, { method: copy.method, headers: copy.headers, body: body as BodyInit }),
        { clientIp: '198.51.100.20' },
      );
    },
  });
  sandbox.cmcic.addTpe({
    tpe: CMCIC_TPE.tpe,
    key: CMCIC_TPE.key,
    societe: CMCIC_TPE.company,
    scheme,
    retourUrl: `${SHOP}/notify/cmcic`,
  });
  const bridge = createPaybridge({
    // Without baseUrl the bridge is still told where the shop serves it (the mount path is never guessed).
    ...(options.noBaseUrl ? { basePath: new URL(SHOP).pathname } : { baseUrl: SHOP }),
    backends: [
      payu({ ...PAYU_POS, endpoint: `${SANDBOX}/payu`, testMode: true }),
      paypal({
        ...PAYPAL_ACCOUNT,
        receiverEmails: [PAYPAL_ACCOUNT.business],
        endpoint: `${SANDBOX}/paypal`,
        testMode: true,
        postbackAttempts: 1,
      }),
      cmcic({
        tpe: CMCIC_TPE.tpe,
        key: CMCIC_TPE.key,
        company: CMCIC_TPE.company,
        macScheme: scheme,
        endpoint: `${SANDBOX}/cmcic/test`,
        testMode: true,
        // Signed buttons carry no billing address, which the current scheme requires: the shop's own.
        orderContext: (payment) => ({
          billing: {
            ...(payment.buyer.email ? { email: payment.buyer.email } : {}),
            addressLine1: '18 rue de la Paix',
            city: 'Paris',
            postalCode: '75002',
            country: 'FR',
          },
        }),
      }),
      dummy({ signingKey: DUMMY_KEY, currencies: ['EUR'] }),
    ],
    store,
    testMode: true,
    secret: BUTTON_SECRET,
    logger: silentLogger,
    fetch: (input, init) => sandbox.handler(new Request(input, init)),
    now: () => new Date(clock.now()),
    orders: { resolve: (orderId) => orderFor(orderId, options.descriptions ?? {}) },
    outboxPollSeconds: 0,
    ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
  });
  holder.bridge = bridge;
  const events: Array<{ name: PaybridgeEventName; paymentId: string | null }> = [];
  for (const name of STATE_EVENTS) {
    bridge.on(name, (event) => {
      const payment = (event as { payment?: Payment | null }).payment;
      events.push({ name, paymentId: payment?.id ?? null });
    });
  }

  /** The bridge's web API, as an adapter calls it (the TCP peer's address beside the request). */
  const send = (request: Request, clientIp: string = PEER) => bridge.handler(request, { clientIp });

  /** POST /start as the payment button does (JSON), answering the payment id and where to go. */
  async function start(backend: string, orderId: string) {
    const response = await send(
      new Request(`${SHOP}/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ backend, orderId }),
      }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { payment: { id: string }; redirect: BrowserRedirect };
    return { paymentId: body.payment.id, redirect: body.redirect };
  }

  /** The buyer opens the broker's hosted page; answers the sandbox session id. */
  async function open(redirect: BrowserRedirect) {
    const page = await sandbox.handler(hostedPageRequest(redirect));
    expect(page.status).toBe(200);
    const session = page.headers.get(SESSION_HEADER);
    if (!session) throw new Error(`no sandbox session: ${await page.text()}`);
    return session;
  }

  /** A payment paid through the broker's hosted page; answers the genuine notifications it caused. */
  async function pay(broker: Broker, orderId = `${broker}-1`) {
    const { paymentId, redirect } = await start(broker, orderId);
    const session = await open(redirect);
    const from = captured.length;
    if (broker === 'paypal') await sandbox.paypal.act(session, 'pay');
    else if (broker === 'payu') await sandbox.payu.act(session, 'pay');
    else await sandbox.cmcic.act(session, 'pay', { card: '4000000000000002', cvv: '123' });
    await sandbox.flush();
    const messages = captured.slice(from).filter((m) => m.url.includes(`/notify/${broker}`));
    expect(messages.length).toBeGreaterThan(0);
    return { paymentId, messages };
  }

  /** Everything an attack could change: payments, transitions, events, the message log. */
  async function snapshot() {
    const payments = (await store.listPayments({ limit: 500 })).items;
    const transitions = await Promise.all(payments.map((p) => store.listTransitions(p.id)));
    const messages: GatewayMessage[] = [];
    let cursor: string | null = null;
    do {
      const page = await store.listMessages({ limit: 500, ...(cursor ? { cursor } : {}) });
      messages.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return {
      payments: JSON.parse(JSON.stringify(payments)) as Payment[],
      transitions: transitions.flat().length,
      events: events.length,
      messages,
    };
  }

  /**
   * What changed since `before`: payments must be byte-identical, no transition, no event but
   * anomalies (and the names in `reports`, e.g. `payment.processed` for a verified duplicate); answers
   * the new message-log entries and those events for the test to check.
   */
  async function expectUnchanged(
    before: Awaited<ReturnType<typeof snapshot>>,
    reports: PaybridgeEventName[] = [],
  ) {
    const after = await snapshot();
    expect(after.payments).toEqual(before.payments);
    expect(after.transitions).toBe(before.transitions);
    const newEvents = events.slice(before.events);
    const allowed = new Set<PaybridgeEventName>(['payment.anomaly', ...reports]);
    expect(newEvents.filter((e) => !allowed.has(e.name))).toEqual([]);
    const known = new Set(before.messages.map((m) => m.id));
    return {
      logged: after.messages.filter((m) => !known.has(m.id)),
      anomalies: newEvents.filter((e) => e.name === 'payment.anomaly'),
      reported: newEvents.filter((e) => e.name !== 'payment.anomaly'),
    };
  }

  return {
    bridge,
    sandbox,
    store,
    clock,
    captured,
    events,
    send,
    start,
    open,
    pay,
    snapshot,
    expectUnchanged,
  };
}

export type World = ReturnType<typeof createWorld>;

/** The same message again, with other bytes or headers when an attack needs them. */
export function replay(message: Captured, change: { body?: Uint8Array | string; headers?: Headers } = {}) {
  const body = typeof change.body === 'string' ? new TextEncoder().encode(change.body) : change.body;
  return new Request(message.url, {
    method: message.method,
    headers: change.headers ?? message.headers,
    body: (body ?? message.body) as BodyInit,
  });
}

export const text = (bytes: Uint8Array) => new TextDecoder('latin1').decode(bytes);
