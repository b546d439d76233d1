import { createPaybridge, memoryStore, type Payment, silentLogger } from '@paybridge/core';
import { createSandbox, manualClock } from '@paybridge/sandbox';
import { describe, expect, it } from 'vitest';
import { payu } from './payu';

/**
 * End to end, in process: the bridge's outbound fetch goes to the sandbox's handler, the sandbox's
 * notifications go to the bridge's handler. The PayU simulator is a black box driven through its
 * test contract (hosted page session header, act(), faults, controls).
 */
const SHOP = 'https://shop.test/pay';
const SANDBOX = 'http://sandbox.test';
const BUYER_IP = '203.0.113.7';
const POS = {
  posId: '300746',
  clientId: '300746',
  clientSecret: '2ee86a66e5d97e3fadc400c9f19b065d',
  secondKey: 'b6ca15b0d1020e8094d9b5f8d163db54',
};

/** Like a real fetch: the call is abandoned when its signal aborts (the in-process handler would not). */
function abortable(handler: (request: Request) => Promise<Response>): typeof fetch {
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

function setup(
  backendOptions: Record<string, unknown> = {},
  tokenTtlSeconds?: number,
  simulator: Record<string, unknown> = {},
) {
  const clock = manualClock(Date.UTC(2026, 0, 15, 12, 0, 0));
  const store = memoryStore();
  const handle: { bridge?: ReturnType<typeof createPaybridge> } = {};
  const sandbox = createSandbox({
    baseUrl: SANDBOX,
    clock,
    fetch: (request) => handle.bridge!.handler(request, { clientIp: '185.68.14.10' }),
    payu: { ...(tokenTtlSeconds ? { tokenTtlSeconds } : {}), ...simulator },
  });
  const backend = payu({ ...POS, endpoint: `${SANDBOX}/payu`, testMode: true, ...backendOptions });
  const bridge = createPaybridge({
    baseUrl: SHOP,
    backends: [backend],
    store,
    logger: silentLogger,
    fetch: abortable((request) => sandbox.handler(request)),
    now: () => new Date(clock.now()),
    orders: {
      resolve: (orderId) =>
        orderId.startsWith('order-')
          ? {
              amount: 21000,
              currency: 'PLN',
              description: `Order ${orderId}`,
              buyer: { email: 'john.doe@example.com', firstName: 'John', lastName: 'Doe', language: 'pl' },
              successUrl: 'https://shop.test/thanks',
              failureUrl: 'https://shop.test/sorry',
              items: [
                { name: 'Wireless Mouse', unitPrice: 15000, quantity: 1 },
                { name: 'HDMI cable', unitPrice: 6000, quantity: 1 },
              ],
            }
          : null,
    },
  });
  handle.bridge = bridge;

  let orders = 0;
  async function startResponse() {
    orders += 1;
    return bridge.handler(
      new Request(`${SHOP}/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ backend: 'payu', orderId: `order-${orders}` }),
      }),
      { clientIp: BUYER_IP },
    );
  }

  /** Start a payment and open PayU's hosted page; returns our payment id and PayU's order id. */
  async function start() {
    const response = await startResponse();
    expect(response.status).toBe(200);
    const { payment, redirect } = (await response.json()) as {
      payment: { id: string };
      redirect: { method: string; url: string };
    };
    expect(redirect.method).toBe('GET');
    expect(redirect.url.startsWith(`${SANDBOX}/payu/pay/`)).toBe(true);
    const page = await sandbox.handler(new Request(redirect.url));
    expect(page.status).toBe(200);
    const orderId = page.headers.get('x-sandbox-session');
    expect(orderId).toBeTruthy();
    const stored = await bridge.getPayment(payment.id);
    expect(stored?.externalId).toBe(orderId);
    return { paymentId: payment.id, orderId: orderId as string };
  }

  const get = async (id: string) => (await bridge.getPayment(id)) as Payment;
  const messages = async (paymentId: string, direction?: 'inbound' | 'outbound') =>
    (await store.listMessages({ paymentId, limit: 500, ...(direction ? { direction } : {}) })).items;
  const allMessages = async () => (await store.listMessages({ limit: 500 })).items;

  return { sandbox, bridge, store, clock, start, startResponse, get, messages, allMessages };
}

describe('PayU end to end through the sandbox', () => {
  it('pays: notifications PENDING then COMPLETED make the payment paid, the return goes to the success URL', async () => {
    const t = setup();
    const { paymentId, orderId } = await t.start();
    const step = await t.sandbox.payu.act(orderId, 'pay');
    expect(step.method).toBe('GET');
    await t.sandbox.flush();

    const payment = await t.get(paymentId);
    expect(payment).toMatchObject({ status: 'paid', amountPaid: 21000, externalId: orderId });
    const transitions = await t.store.listTransitions(paymentId);
    expect(transitions.map((tr) => tr.to)).toEqual(['new', 'pending', 'paid']);
    const inbound = (await t.messages(paymentId, 'inbound')).filter((m) => m.kind === 'notification');
    expect(inbound.length).toBeGreaterThanOrEqual(2);
    expect(inbound.every((m) => m.verdict === 'verified' && m.responseStatus === 200)).toBe(true);

    if (step.method !== 'GET') throw new Error('expected a GET step');
    expect(step.url.startsWith(`${SHOP}/return/payu/${paymentId}`)).toBe(true);
    const back = await t.bridge.handler(new Request(step.url), { clientIp: BUYER_IP });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe(`https://shop.test/thanks?payment=${paymentId}`);

    // What PayU received: the order as the protocol wants it.
    const created = (await t.messages(paymentId, 'outbound')).find((m) => m.kind === 'create-order');
    expect(JSON.parse(created?.body ?? '{}')).toMatchObject({
      customerIp: BUYER_IP,
      merchantPosId: '300746',
      currencyCode: 'PLN',
      totalAmount: '21000',
      extOrderId: paymentId,
      notifyUrl: `${SHOP}/notify/payu`,
    });
  });

  it('declines: CANCELED makes the payment failed, the return carries error=501 to the failure URL', async () => {
    const t = setup();
    const { paymentId, orderId } = await t.start();
    const step = await t.sandbox.payu.act(orderId, 'decline');
    if (step.method !== 'GET') throw new Error('expected a GET step');
    expect(new URL(step.url).searchParams.get('error')).toBe('501');
    await t.sandbox.flush();
    expect((await t.get(paymentId)).status).toBe('failed');
    const back = await t.bridge.handler(new Request(step.url), { clientIp: BUYER_IP });
    expect(back.headers.get('location')).toBe(`https://shop.test/sorry?payment=${paymentId}`);
  });

  it('authorizes (WAITING_FOR_CONFIRMATION), then captures', async () => {
    const t = setup();
    const { paymentId, orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pay_wfc');
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({
      status: 'authorized',
      amountAuthorized: 21000,
      amountPaid: 0,
    });

    const captured = await t.bridge.capture(paymentId);
    expect(captured).toMatchObject({ status: 'paid', amountPaid: 21000 });
    await t.sandbox.flush();
    // The COMPLETED notification that follows is the same event: nothing changes.
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 21000 });
    expect((await t.store.listTransitions(paymentId)).map((tr) => tr.to)).toEqual([
      'new',
      'pending',
      'authorized',
      'paid',
    ]);
    expect(t.sandbox.payu.orders().find((o) => o.id === orderId)?.status).toBe('COMPLETED');
  });

  it('authorizes, then cancels', async () => {
    const t = setup();
    const { paymentId, orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pay_wfc');
    await t.sandbox.flush();
    expect((await t.bridge.cancel(paymentId)).status).toBe('failed');
    await t.sandbox.flush();
    expect((await t.get(paymentId)).status).toBe('failed');
    expect(t.sandbox.payu.orders().find((o) => o.id === orderId)?.status).toBe('CANCELED');
  });

  it('refunds partly, then fully; refunds finalise later with their own notification', async () => {
    const t = setup();
    const { paymentId, orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pay');
    await t.sandbox.flush();

    const afterRequest = await t.bridge.refund(paymentId, { amount: 5000, reason: 'damaged' });
    expect(afterRequest).toMatchObject({ status: 'paid', amountRefunded: 0 });
    expect(afterRequest.refunds).toMatchObject([{ kind: 'refund', amount: 5000, status: 'pending' }]);
    await t.sandbox.flush();
    t.sandbox.payu.finalizeRefunds();
    await t.sandbox.flush();
    const partly = await t.get(paymentId);
    expect(partly).toMatchObject({ status: 'partially_refunded', amountRefunded: 5000 });
    expect(partly.refunds).toHaveLength(1);
    expect(partly.refunds[0]).toMatchObject({ status: 'succeeded', amount: 5000 });

    await t.bridge.refund(paymentId);
    t.sandbox.payu.finalizeRefunds();
    await t.sandbox.flush();
    const full = await t.get(paymentId);
    expect(full).toMatchObject({ status: 'refunded', amountRefunded: 21000 });
    expect(full.refunds.map((r) => [r.amount, r.status])).toEqual([
      [5000, 'succeeded'],
      [16000, 'succeeded'],
    ]);
    const refunds = t.sandbox.payu.orders().find((o) => o.id === orderId)?.refunds ?? [];
    expect(refunds).toHaveLength(2);

    // sync pulls the same state again without changing anything.
    expect(await t.bridge.sync(paymentId)).toMatchObject({ status: 'refunded', amountRefunded: 21000 });
  });

  it('a refund PayU cancels is recorded failed and the money stays paid; a new refund then works', async () => {
    const t = setup({}, undefined, { notifyPendingRefunds: true, refundListShape: 'array' });
    const { paymentId, orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pay');
    await t.sandbox.flush();
    await t.bridge.refund(paymentId, { amount: 1000 });
    await t.sandbox.flush();
    const [refund] = t.sandbox.payu.orders().find((o) => o.id === orderId)?.refunds ?? [];
    expect(refund).toMatchObject({ amount: 1000, status: 'PENDING' });
    t.sandbox.payu.cancelRefund(refund?.id ?? '');
    await t.sandbox.flush();
    const after = await t.get(paymentId);
    expect(after).toMatchObject({ status: 'paid', amountPaid: 21000, amountRefunded: 0 });
    expect(after.refunds).toMatchObject([{ amount: 1000, status: 'failed' }]);

    await t.bridge.refund(paymentId, { amount: 2000 });
    t.sandbox.payu.finalizeRefunds();
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({ status: 'partially_refunded', amountRefunded: 2000 });
    const inbound = (await t.messages(paymentId, 'inbound')).filter((m) => m.kind === 'notification');
    expect(inbound.every((m) => m.verdict === 'verified' && m.responseStatus === 200)).toBe(true);
  });

  it('survives token expiry mid-flow with one retry on a fresh token', async () => {
    const t = setup();
    const { paymentId, orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pay_wfc');
    await t.sandbox.flush();
    t.sandbox.payu.expireTokens();
    expect((await t.bridge.capture(paymentId)).status).toBe('paid');
    const outbound = (await t.allMessages()).filter((m) => m.direction === 'outbound');
    expect(outbound.filter((m) => m.kind === 'oauth')).toHaveLength(2);
    // The message log lists newest first: the refused call, then the retry with the fresh token.
    const captures = outbound.filter((m) => m.kind === 'capture').map((m) => m.responseStatus);
    expect(captures.sort()).toEqual([200, 401]);
  });

  it('refreshes a token that is about to expire before using it', async () => {
    const t = setup({ tokenRefreshMarginSeconds: 60 }, 600);
    await t.start();
    await t.sandbox.advance(541_000);
    await t.start();
    const outbound = (await t.allMessages()).filter((m) => m.direction === 'outbound');
    expect(outbound.filter((m) => m.kind === 'oauth')).toHaveLength(2);
    expect(outbound.filter((m) => m.responseStatus === 401)).toHaveLength(0);
  });

  it('never writes the configured secrets to the message log', async () => {
    const t = setup();
    const { orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pay');
    await t.sandbox.flush();
    const text = JSON.stringify(await t.allMessages());
    expect(text).not.toContain(POS.secondKey);
    expect(text).not.toContain(POS.clientSecret);
    expect(text).toContain('[REDACTED]');
  });
});

describe('PayU faults through the sandbox', () => {
  it('duplicates: every notification delivered several times is applied once and answered 200', async () => {
    const t = setup();
    t.sandbox.payu.faults.duplicate = 2;
    const { paymentId, orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pay');
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 21000 });
    expect((await t.store.listTransitions(paymentId)).map((tr) => tr.to)).toEqual(['new', 'pending', 'paid']);
    const inbound = (await t.messages(paymentId, 'inbound')).filter((m) => m.kind === 'notification');
    expect(inbound.length).toBeGreaterThanOrEqual(4);
    expect(inbound.every((m) => m.responseStatus === 200)).toBe(true);
  });

  it('reordering: a stale CANCELED after COMPLETED never takes a paid payment back', async () => {
    const t = setup();
    t.sandbox.payu.faults.staleCanceledAfterCompleted = true;
    const { paymentId, orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pay');
    await t.sandbox.flush();
    await t.sandbox.advance(3_600_000);
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 21000 });
    const inbound = (await t.messages(paymentId, 'inbound')).filter((m) => m.kind === 'notification');
    expect(inbound.some((m) => m.body.includes('"CANCELED"'))).toBe(true);
    expect(inbound.every((m) => m.responseStatus === 200)).toBe(true);
  });

  it.each(['forged', 'missing'] as const)(
    'a %s signature is logged, rejected non-200 and changes nothing; a pull then finds the truth',
    async (signature) => {
      const t = setup();
      t.sandbox.payu.faults.signature = signature;
      const { paymentId, orderId } = await t.start();
      await t.sandbox.payu.act(orderId, 'pay');
      await t.sandbox.flush();
      const before = await t.get(paymentId);
      expect(before.status).toBe('new');
      expect(before.amountPaid).toBe(0);
      const inbound = (await t.messages(paymentId, 'inbound')).filter((m) => m.kind === 'notification');
      const rejected = (await t.allMessages()).filter(
        (m) => m.kind === 'notification' && m.verdict === 'rejected',
      );
      expect(inbound.filter((m) => m.verdict === 'verified')).toHaveLength(0);
      expect(rejected.length).toBeGreaterThanOrEqual(2);
      expect(rejected.every((m) => m.responseStatus === 400)).toBe(true);

      // PayU keeps retrying on its schedule; they are still refused.
      const count = rejected.length;
      await t.sandbox.advance(60_000);
      const later = (await t.allMessages()).filter(
        (m) => m.kind === 'notification' && m.verdict === 'rejected',
      );
      expect(later.length).toBeGreaterThan(count);
      expect((await t.get(paymentId)).status).toBe('new');

      expect((await t.bridge.sync(paymentId)).status).toBe('paid');
    },
  );

  it('SHA-256 signatures are verified like MD5 ones', async () => {
    const t = setup();
    t.sandbox.payu.faults.signature = 'sha256';
    const { paymentId, orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pay');
    await t.sandbox.flush();
    expect((await t.get(paymentId)).status).toBe('paid');
    const inbound = (await t.messages(paymentId, 'inbound')).filter((m) => m.kind === 'notification');
    expect(inbound.some((m) => /algorithm=SHA-256/i.test(JSON.stringify(m.headers)))).toBe(true);
  });

  it('an API 5xx fails the start with BROKER_UNAVAILABLE; the next attempt works', async () => {
    const t = setup();
    t.sandbox.payu.faults.apiError = { status: 503, remaining: 1 };
    const failed = await t.startResponse();
    expect(failed.status).toBe(503);
    expect(((await failed.json()) as { error: { code: string } }).error.code).toBe('BROKER_UNAVAILABLE');
    const { paymentId, orderId } = await t.start();
    await t.sandbox.payu.act(orderId, 'pay');
    await t.sandbox.flush();
    expect((await t.get(paymentId)).status).toBe('paid');
  });

  it('an API that does not answer in time fails with BROKER_UNAVAILABLE', async () => {
    const t = setup({ timeoutMs: 100 });
    t.sandbox.payu.faults.apiTimeoutMs = 2_000;
    const started = Date.now();
    const failed = await t.startResponse();
    expect(failed.status).toBe(503);
    expect(((await failed.json()) as { error: { code: string } }).error.code).toBe('BROKER_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(1_900);
  });
});
