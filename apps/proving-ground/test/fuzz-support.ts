import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { paybridgeApp } from '@paybridge/adapter-hono';
import {
  createPaybridge,
  memoryStore,
  type PaybridgeEventName,
  type Payment,
  type PaymentStore,
  silentLogger,
} from '@paybridge/core';
import { createSandbox, manualClock } from '@paybridge/sandbox';
import fc from 'fast-check';
import { Hono } from 'hono';
import { expect } from 'vitest';
import { type BrokerId, CMCIC_TPE, chaosBackends, orderFor, STRIPE_WEBHOOK_SECRET } from '../chaos/brokers';
import { withoutInjectedFaults } from '../chaos/faulty-store';
import { hostedPageRequest } from '../chaos/hosted-page';

export const SHOP = 'http://127.0.0.1:4100/pay';
const SANDBOX = 'http://127.0.0.1:4200';

/** The signing secret of the merchant's Stripe webhook endpoint (the sandbox signs with it). */
export { STRIPE_WEBHOOK_SECRET };

/** The brokers fuzzed: the chaos mix. */
export type FuzzBroker = BrokerId;

/** Events that tell a payment changed (anomalies are not: they report a rejected message). */
const STATE_EVENTS: PaybridgeEventName[] = [
  'payment.created',
  'payment.statusChanged',
  'payment.processed',
  'payment.accepted',
  'payment.declined',
  'payment.pending',
  'payment.authorized',
  'payment.expired',
  'refund.pending',
  'refund.succeeded',
  'refund.failed',
];

/**
 * A merchant (the bridge mounted with the Hono adapter, as deployed) whose backend has one live payment
 * at its broker (started, hosted page opened), and a snapshot of everything a message could change.
 */
export async function setup(broker: FuzzBroker, wrapStore: (store: PaymentStore) => PaymentStore = (s) => s) {
  const clock = manualClock(Date.UTC(2026, 2, 1, 9, 0, 0));
  const store = memoryStore();
  const handle: { bridge?: ReturnType<typeof createPaybridge> } = {};
  /** While `hold` is set, the sandbox's calls to the shop are kept here instead of delivered (503). */
  const held: { hold: boolean; requests: Request[] } = { hold: false, requests: [] };
  const sandbox = createSandbox({
    baseUrl: SANDBOX,
    clock,
    fetch: async (request) => {
      if (!held.hold) return handle.bridge!.handler(request, { clientIp: '127.0.0.1' });
      held.requests.push(request);
      return new Response('held by the test', { status: 503 });
    },
  });
  sandbox.stripe.addWebhookEndpoint({ url: `${SHOP}/notify/stripe`, secret: STRIPE_WEBHOOK_SECRET });
  sandbox.cmcic.addTpe({
    tpe: CMCIC_TPE.tpe,
    key: CMCIC_TPE.key,
    societe: CMCIC_TPE.company,
    scheme: 'current',
    retourUrl: `${SHOP}/notify/cmcic`,
  });
  const bridge = createPaybridge({
    baseUrl: SHOP,
    backends: chaosBackends(SANDBOX),
    store: wrapStore(store),
    testMode: true,
    logger: silentLogger,
    fetch: (input, init) => sandbox.handler(new Request(input, init)),
    now: () => new Date(clock.now()),
    orders: { resolve: (orderId) => orderFor(orderId) },
    outboxPollSeconds: 0,
  });
  handle.bridge = bridge;
  // The live payment is set up with a sound store; the store's faults are for the fuzzed messages.
  const { payment, redirect } = await withoutInjectedFaults(() =>
    bridge.startPayment({ backend: broker, orderId: `${broker}-1`, clientIp: '127.0.0.1' }),
  );
  const page = await sandbox.handler(hostedPageRequest(redirect));
  expect(page.status).toBe(200);
  const session = page.headers.get('x-sandbox-session');

  let events = 0;
  for (const event of STATE_EVENTS) bridge.on(event, () => void events++);
  const app = new Hono();
  app.route('/pay', paybridgeApp(bridge));
  const peer = { incoming: { socket: { remoteAddress: '127.0.0.1' } } };
  const send = async (request: Request) => {
    const response = await app.fetch(request, peer);
    await response.arrayBuffer();
    return response;
  };
  const snapshot = async () => {
    const current = (await store.getPayment(payment.id)) as Payment;
    return {
      status: current.status,
      version: current.version,
      paid: current.amountPaid,
      refunded: current.amountRefunded,
      brokerData: current.brokerData,
      transitions: (await store.listTransitions(payment.id)).length,
      payments: (await store.listPayments({ limit: 500 })).items.length,
      events,
    };
  };
  return { bridge, sandbox, clock, session, held, payment, send, snapshot, before: await snapshot() };
}

/** Fails the property when a request left a promise rejected with no handler. */
export function watchRejections() {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => void seen.push(reason);
  process.on('unhandledRejection', listener);
  return {
    async expectNone() {
      // Let pending microtasks and the event loop turn, so that a late rejection is reported.
      await new Promise((resolve) => setImmediate(resolve));
      expect(seen).toEqual([]);
    },
    stop: () => void process.off('unhandledRejection', listener),
  };
}

const knownHeader = fc.constantFrom(
  'content-type',
  'openpayu-signature',
  'x-openpayu-signature',
  'stripe-signature',
  'content-encoding',
  'transfer-encoding',
  'content-length',
  'user-agent',
  'x-forwarded-for',
  'x-fuzz',
);
const headerName = fc.oneof(knownHeader, fc.stringMatching(/^[a-z][a-z0-9-]{0,24}$/));
const contentType = fc.constantFrom(
  'application/json',
  'application/json;charset=UTF-8',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=windows-1252',
  'application/x-www-form-urlencoded; charset=utf-16',
  'text/plain; charset=utf-16',
  'text/plain; charset=bogus-8',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  '',
);
export const payuSignatureHeader = fc
  .tuple(
    fc.constantFrom('MD5', 'SHA-256', 'SHA', 'md5', 'CRC32', ''),
    fc.oneof(
      fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), maxLength: 128 }),
      fc.string({ maxLength: 64 }),
    ),
  )
  .map(
    ([algorithm, signature]) =>
      `sender=checkout;signature=${signature};algorithm=${algorithm};content=DOCUMENT`,
  );

const text = fc.oneof(
  fc.string({ maxLength: 2048 }),
  fc.string({ unit: 'grapheme', maxLength: 512 }),
  fc.json(),
  fc
    .dictionary(fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 40 }), { maxKeys: 30 })
    .map((fields) => new URLSearchParams(fields).toString()),
);

/** A body and the content-encoding it claims (sometimes a lie). */
const encoded: fc.Arbitrary<{ body: Uint8Array; encoding: string | null }> = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((body) => ({ body, encoding: null })),
  fc.tuple(text, fc.constantFrom('utf8', 'utf16le', 'latin1', 'bom-utf8')).map(([value, charset]) => ({
    body: new Uint8Array(
      charset === 'bom-utf8'
        ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(value, 'utf8')])
        : Buffer.from(value, charset as BufferEncoding),
    ),
    encoding: null,
  })),
  fc
    .tuple(text, fc.constantFrom('gzip', 'deflate', 'br'), fc.boolean())
    .map(([value, encoding, truthful]) => {
      const compress = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync }[encoding];
      const bytes = new Uint8Array(compress(Buffer.from(value, 'utf8')));
      return { body: bytes, encoding: truthful ? encoding : 'gzip, identity' };
    }),
  fc.constant({ body: new Uint8Array(0), encoding: null }),
  // Past the 256 KiB body limit, and around it.
  fc
    .integer({ min: 200_000, max: 400_000 })
    .map((size) => ({ body: new Uint8Array(size).fill(0x7b), encoding: null })),
);

/** `Stripe-Signature` look-alikes: timestamps near and far, hex and junk `v1`/`v0` values, stray parts. */
export const stripeSignatureHeader = fc
  .tuple(
    fc.oneof(
      fc.integer({ min: 1_772_000_000, max: 1_773_000_000 }).map(String),
      fc.string({ maxLength: 12 }),
    ),
    fc.array(
      fc.tuple(
        fc.constantFrom('v1', 'v0', 'V1', 'v2', ''),
        fc.oneof(
          fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
          fc.string({ maxLength: 70 }),
        ),
      ),
      { maxLength: 4 },
    ),
  )
  .map(([t, parts]) => [`t=${t}`, ...parts.map(([k, v]) => `${k}=${v}`)].join(','));

export interface FuzzMessage {
  method: string;
  body: Uint8Array;
  encoding: string | null;
  contentType: string;
  headers: Array<[string, string]>;
}

export const message: fc.Arbitrary<FuzzMessage> = fc
  .record({
    method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'HEAD', 'DELETE'),
    encoded,
    contentType,
    headers: fc.array(
      fc.tuple(
        headerName,
        fc.oneof(fc.string({ maxLength: 80 }), payuSignatureHeader, stripeSignatureHeader),
      ),
      {
        maxLength: 6,
      },
    ),
  })
  .map(({ encoded: { body, encoding }, ...rest }) => ({ ...rest, body, encoding }));

export function request(broker: FuzzBroker, input: FuzzMessage): Request {
  const headers = new Headers();
  if (input.contentType) headers.set('content-type', input.contentType);
  if (input.encoding) headers.set('content-encoding', input.encoding);
  for (const [name, value] of input.headers) {
    try {
      headers.append(name, value);
    } catch {
      // A value fetch itself refuses (CR/LF, non-Latin-1) could never arrive over HTTP either.
    }
  }
  const withBody = input.method !== 'GET' && input.method !== 'HEAD';
  return new Request(`${SHOP}/notify/${broker}`, {
    method: input.method,
    headers,
    ...(withBody ? { body: input.body as BodyInit } : {}),
  });
}
