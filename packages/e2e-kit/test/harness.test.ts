import type { PaymentStore } from '@paybridge/core';
import { dummy } from '@paybridge/core/dummy';
import { describe, expect, it } from 'vitest';
import { abortable, SHOP, startE2e } from '../src';

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
