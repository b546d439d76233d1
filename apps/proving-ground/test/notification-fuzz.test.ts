import { createHash } from 'node:crypto';
import { createPaybridge, memoryStore, type Payment, silentLogger } from '@paybridge/core';
import { createSandbox, manualClock } from '@paybridge/sandbox';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BrokerId, CMCIC_TPE, chaosBackends, orderFor, PAYU_POS } from '../chaos/brokers';

/**
 * Property: whatever reaches /notify/:backend — any bytes, headers, encodings, sizes, or a well-formed
 * message signed with the right key about an order we do not have — never answers 5xx, never rejects,
 * and never changes a payment. Each backend has a live payment at its broker (started, page opened).
 */
const SHOP = 'http://127.0.0.1:4100/pay';
const SANDBOX = 'http://127.0.0.1:4200';
const RUNS = 300;

async function setup(broker: BrokerId) {
  const clock = manualClock(Date.UTC(2026, 2, 1, 9, 0, 0));
  const store = memoryStore();
  const handle: { bridge?: ReturnType<typeof createPaybridge> } = {};
  const sandbox = createSandbox({
    baseUrl: SANDBOX,
    clock,
    fetch: (request) => handle.bridge!.handler(request, { clientIp: '127.0.0.1' }),
  });
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
    store,
    testMode: true,
    logger: silentLogger,
    fetch: (input, init) => sandbox.handler(new Request(input, init)),
    now: () => new Date(clock.now()),
    orders: { resolve: (orderId) => orderFor(orderId) },
  });
  handle.bridge = bridge;
  const { payment, redirect } = await bridge.startPayment({
    backend: broker,
    orderId: `${broker}-1`,
    clientIp: '127.0.0.1',
  });
  const page = await sandbox.handler(
    redirect.method === 'GET'
      ? new Request(redirect.url)
      : new Request(redirect.url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(redirect.fields).toString(),
        }),
  );
  expect(page.status).toBe(200);
  const snapshot = async () => {
    const current = (await store.getPayment(payment.id)) as Payment;
    return { status: current.status, version: current.version, paid: current.amountPaid };
  };
  return { bridge, payment, snapshot, before: await snapshot() };
}

const headerName = fc.constantFrom(
  'content-type',
  'openpayu-signature',
  'x-openpayu-signature',
  'content-encoding',
  'user-agent',
  'x-forwarded-for',
  'x-fuzz',
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json;charset=UTF-8',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=windows-1252',
  'text/plain; charset=utf-16',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
);
const payuSignatureHeader = fc
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

/** Any bytes in any shape: raw, text, JSON, forms; sometimes past the 256 KiB body limit. */
const body = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }),
  fc.string({ maxLength: 2048 }).map((text) => new TextEncoder().encode(text)),
  fc.json().map((text) => new TextEncoder().encode(text)),
  fc
    .dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 40 }), { maxKeys: 30 })
    .map((fields) => new TextEncoder().encode(new URLSearchParams(fields).toString())),
  fc.integer({ min: 200_000, max: 400_000 }).map((size) => new Uint8Array(size).fill(0x7b)),
);

const message: fc.Arbitrary<FuzzMessage> = fc.record({
  method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT'),
  body,
  contentType,
  headers: fc.array(fc.tuple(headerName, fc.oneof(fc.string({ maxLength: 80 }), payuSignatureHeader)), {
    maxLength: 6,
  }),
});

interface FuzzMessage {
  method: string;
  body: Uint8Array;
  contentType: string;
  headers: Array<[string, string]>;
}

function request(broker: BrokerId, input: FuzzMessage) {
  const headers = new Headers();
  headers.set('content-type', input.contentType);
  for (const [name, value] of input.headers) {
    try {
      headers.append(name, value);
    } catch {
      // A value fetch itself refuses (CR/LF, non-Latin-1) could never arrive over HTTP either.
    }
  }
  const withBody = input.method !== 'GET';
  return new Request(`${SHOP}/notify/${broker}`, {
    method: input.method,
    headers,
    ...(withBody ? { body: input.body as BodyInit } : {}),
  });
}

describe.each(['payu', 'paypal', 'cmcic'] as const)('fuzzing /notify/%s', (broker) => {
  it('arbitrary bodies, headers, encodings and sizes: no 5xx, no rejection, no state change', async () => {
    const t = await setup(broker);
    await fc.assert(
      fc.asyncProperty(message, async (input) => {
        const response = await t.bridge.handler(request(broker, input), { clientIp: '127.0.0.1' });
        await response.arrayBuffer();
        expect(response.status).toBeLessThan(500);
        expect(await t.snapshot()).toEqual(t.before);
      }),
      { numRuns: RUNS },
    );
  }, 60_000);
});

describe('fuzzing /notify/payu past the signature', () => {
  it('validly signed arbitrary JSON about an order we do not have: no 5xx, no state change', async () => {
    const t = await setup('payu');
    const order = fc.record(
      {
        orderId: fc.oneof(fc.string({ maxLength: 30 }), fc.integer()),
        extOrderId: fc.oneof(fc.string({ maxLength: 30 }), fc.constant(null)),
        status: fc.oneof(
          fc.constantFrom('COMPLETED', 'PENDING', 'CANCELED', 'WAITING_FOR_CONFIRMATION'),
          fc.string(),
        ),
        totalAmount: fc.oneof(fc.integer().map(String), fc.string(), fc.integer()),
        currencyCode: fc.oneof(fc.constantFrom('PLN', 'EUR'), fc.string({ maxLength: 5 })),
      },
      { requiredKeys: [] },
    );
    const document = fc.oneof(
      fc.record({ order, localReceiptDateTime: fc.string() }, { requiredKeys: ['order'] }),
      fc.record({ orderId: fc.string(), refund: fc.object() }),
      fc.jsonValue(),
    );
    await fc.assert(
      fc.asyncProperty(document, async (json) => {
        const bytes = new TextEncoder().encode(JSON.stringify(json) ?? 'null');
        const signature = createHash('md5').update(bytes).update(PAYU_POS.secondKey).digest('hex');
        const response = await t.bridge.handler(
          new Request(`${SHOP}/notify/payu`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json;charset=UTF-8',
              'openpayu-signature': `sender=checkout;signature=${signature};algorithm=MD5;content=DOCUMENT`,
            },
            body: bytes,
          }),
          { clientIp: '127.0.0.1' },
        );
        await response.arrayBuffer();
        expect(response.status).toBeLessThan(500);
        expect(await t.snapshot()).toEqual(t.before);
      }),
      { numRuns: RUNS },
    );
  }, 60_000);
});
