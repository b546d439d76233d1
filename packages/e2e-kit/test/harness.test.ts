import type { PaymentStore } from '@paybridge/core';
import { dummy } from '@paybridge/core/dummy';
import { describe, expect, it } from 'vitest';
import {
  abortable,
  lastSegment,
  openHostedPage,
  paymentTotals,
  SANDBOX,
  SHOP,
  shopOrder,
  startE2e,
  startOnHostedPage,
} from '../src';

const order = { amount: 1999, currency: 'EUR', description: 'Order', successUrl: 'https://shop.test/thanks' };

describe('abortable', () => {
  it('answers like the handler while the signal stays quiet', async () => {
    const fetch = abortable(
      async (request) => new Response(`${request.method} ${new URL(request.url).pathname}`),
    );
    expect(await (await fetch('http://sandbox.test/payu/x', { method: 'POST' })).text()).toBe('POST /payu/x');
  });

  it('rejects with the abort reason, already aborted or aborted while the handler hangs', async () => {
    const fetch = abortable(() => new Promise<Response>(() => {}));
    await expect(
      fetch('http://sandbox.test/', { signal: AbortSignal.abort(new Error('before')) }),
    ).rejects.toThrow('before');
    const controller = new AbortController();
    const pending = fetch('http://sandbox.test/', { signal: controller.signal });
    controller.abort(new Error('during'));
    await expect(pending).rejects.toThrow('during');
  });
});

describe('startE2e', () => {
  it('starts payments through /start and sees them in the store it was given', async () => {
    const writes: string[] = [];
    const e2e = startE2e({
      backends: [dummy({ currencies: ['EUR'] })],
      orders: { resolve: (orderId) => (orderId.startsWith('order-') ? order : null) },
      startAt: Date.UTC(2026, 0, 1),
      notifierIp: '192.0.2.1',
      testMode: true,
      store: (store): PaymentStore => ({
        ...store,
        createPayment: (payment, transition) => {
          writes.push(payment.orderId);
          return store.createPayment(payment, transition);
        },
      }),
    });
    const response = await e2e.startResponse({ backend: 'dummy', orderId: 'order-1' }, '203.0.113.7');
    expect(response.status).toBe(200);
    const { payment } = (await response.json()) as { payment: { id: string } };
    expect(await e2e.get(payment.id)).toMatchObject({ orderId: 'order-1', amount: 1999, status: 'new' });
    expect(writes).toEqual(['order-1']);
    expect(e2e.clock.now()).toBe(Date.UTC(2026, 0, 1));
    expect((await e2e.startResponse({ backend: 'dummy', orderId: 'nope' })).status).toBe(404);
    expect(SHOP).toBe('https://shop.test/pay');
  });
});

describe('the shared steps', () => {
  const start = () =>
    startE2e({
      backends: [dummy({ currencies: ['EUR'] })],
      orders: {
        resolve: (orderId) => (orderId.startsWith('order-') || orderId.startsWith('sub-') ? order : null),
      },
      startAt: Date.UTC(2026, 0, 1),
    });
  const orderOf = async (e2e: ReturnType<typeof start>, response: Response) => {
    const { payment } = (await response.json()) as { payment: { id: string } };
    return (await e2e.get(payment.id)).orderId;
  };

  it('startNextOrder numbers the shop’s orders across prefixes: order-1, sub-2, order-3', async () => {
    const e2e = start();
    expect(await orderOf(e2e, await e2e.startNextOrder('dummy'))).toBe('order-1');
    expect(await orderOf(e2e, await e2e.startNextOrder('dummy', { prefix: 'sub-' }))).toBe('sub-2');
    expect(await orderOf(e2e, await e2e.startNextOrder('dummy', { clientIp: '203.0.113.7' }))).toBe(
      'order-3',
    );
  });

  it('settle runs the step, then delivers what is due, and gives back what the step returned', async () => {
    const e2e = start();
    const seen: string[] = [];
    const flush = e2e.sandbox.flush;
    e2e.sandbox.flush = () => {
      seen.push('flush');
      return flush();
    };
    const step = (name: string, result: number) => {
      seen.push(name);
      return result;
    };
    expect(await e2e.settle(() => step('sync step', 1))).toBe(1);
    expect(
      await e2e.settle(async () => {
        await Promise.resolve();
        return step('async step', 2);
      }),
    ).toBe(2);
    expect(seen).toEqual(['sync step', 'flush', 'async step', 'flush']);
  });

  it('outbound lists the bridge’s calls, of one kind or all', async () => {
    const e2e = start();
    const call = (kind: string) =>
      e2e.store.appendMessage({
        direction: 'outbound',
        backend: 'dummy',
        kind,
        method: 'POST',
        url: `${SANDBOX}/x`,
        headers: {},
        body: '',
        bodyEncoding: 'utf8',
      });
    await call('verify');
    await call('refund');
    await e2e.store.appendMessage({
      direction: 'inbound',
      backend: 'dummy',
      kind: 'notification',
      method: 'POST',
      url: `${SHOP}/notify/dummy`,
      headers: {},
      body: '',
      bodyEncoding: 'utf8',
    });
    expect((await e2e.outbound()).map((m) => m.kind).sort()).toEqual(['refund', 'verify']);
    expect((await e2e.outbound('refund')).map((m) => m.kind)).toEqual(['refund']);
    expect((await e2e.notifications()).map((m) => m.kind)).toEqual(['notification']);
  });

  it('openHostedPage refuses a /start answer that does not lead to the sandbox page named', async () => {
    const e2e = start();
    // The dummy backend's page is the bridge's own, not the sandbox's.
    await expect(startOnHostedPage(e2e, 'dummy', `${SANDBOX}/dummy/`)).rejects.toThrow(
      'expected false to be true',
    );
    await expect(
      openHostedPage(e2e, await e2e.startResponse({ backend: 'dummy', orderId: 'nope' }), SHOP),
    ).rejects.toThrow('expected 404 to be 200');
  });

  it('lastSegment is the last path segment of a page URL', () => {
    expect(lastSegment(`${SANDBOX}/przelewy24/trnRequest/TOKEN-1`)).toBe('TOKEN-1');
    expect(lastSegment(`${SANDBOX}/stripe/c/pay/cs_test_a1?x=1`)).toBe('cs_test_a1');
  });
});

describe('the shop', () => {
  it('shopOrder describes the order and sends the buyer back to the shop, the broker’s fields over it', () => {
    expect(shopOrder('order-7', { amount: 4999, currency: 'PLN' })).toEqual({
      amount: 4999,
      currency: 'PLN',
      description: 'Order order-7',
      successUrl: 'https://shop.test/thanks',
      failureUrl: 'https://shop.test/sorry',
    });
    expect(
      shopOrder('order-7', { amount: 1, currency: 'PLN', description: 'Zamówienie order-7' }).description,
    ).toBe('Zamówienie order-7');
  });

  it('paymentTotals keeps the status and the totals only', async () => {
    const e2e = startE2e({
      backends: [dummy({ currencies: ['EUR'] })],
      orders: { resolve: (orderId) => shopOrder(orderId, { amount: 1999, currency: 'EUR' }) },
      startAt: Date.UTC(2026, 0, 1),
    });
    const { payment } = (await (await e2e.startNextOrder('dummy')).json()) as { payment: { id: string } };
    expect(paymentTotals(await e2e.get(payment.id))).toEqual({
      status: 'new',
      amountPaid: 0,
      amountRefunded: 0,
    });
  });
});
