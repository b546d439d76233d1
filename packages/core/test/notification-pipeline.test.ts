import { describe, expect, it } from 'vitest';
import { memoryStore } from '../src/memory-store';
import type { PaymentStore } from '../src/store';
import { BASE, fakeBroker, KEY, notification, setup } from './support/pipeline';

describe('notification pipeline', () => {
  it('applies a verified notification once, even delivered five times at once', async () => {
    const { bridge, store, events } = setup();
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-1' });
    const responses = await Promise.all(
      Array.from({ length: 5 }, async () =>
        bridge.handler(
          await notification({
            paymentId: payment.id,
            id: 'T1',
            status: 'PAID',
            amount: 1500,
            currency: 'EUR',
          }),
        ),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await Promise.all(responses.map((r) => r.text()))).toEqual(['OK', 'OK', 'OK', 'OK', 'OK']);
    expect(await store.getPayment(payment.id)).toMatchObject({
      status: 'paid',
      externalId: 'T1',
      version: 2,
    });
    expect((await store.findPaymentByExternalId('fake', 'T1'))?.id).toBe(payment.id);
    expect((await store.listTransitions(payment.id)).filter((t) => t.cause === 'captured')).toHaveLength(1);
    expect(events.filter((e) => e === 'payment.accepted')).toHaveLength(1);
    expect(events.filter((e) => e === 'payment.processed')).toHaveLength(5);
    const log = await store.listMessages({ backend: 'fake', direction: 'inbound' });
    expect(log.items.map((m) => m.outcome).sort()).toEqual([
      'applied',
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
    ]);
  });

  it('a stale failure after payment (reordered delivery) changes nothing', async () => {
    const { bridge, store, events } = setup();
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-2' });
    await bridge.handler(
      await notification({ paymentId: payment.id, id: 'T1', status: 'PAID', amount: 1500, currency: 'EUR' }),
    );
    await bridge.handler(
      await notification({
        paymentId: payment.id,
        id: 'T1',
        status: 'PENDING',
        amount: 1500,
        currency: 'EUR',
      }),
    );
    const late = await bridge.handler(
      await notification({
        paymentId: payment.id,
        id: 'T1',
        status: 'FAILED',
        amount: 1500,
        currency: 'EUR',
      }),
    );
    expect(late.status).toBe(200);
    expect((await store.getPayment(payment.id))?.status).toBe('paid');
    expect(events).not.toContain('payment.declined');
  });

  it('a forged notification is logged, answered as the backend says, and changes nothing', async () => {
    const { bridge, store, events } = setup();
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-3' });
    const response = await bridge.handler(
      await notification(
        { paymentId: payment.id, id: 'T1', status: 'PAID', amount: 1500, currency: 'EUR' },
        false,
      ),
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('BAD SIGNATURE');
    expect(await store.getPayment(payment.id)).toMatchObject({ status: 'new', version: 1 });
    expect(events).toEqual(['payment.anomaly']);
    const [logged] = (await store.listMessages({ backend: 'fake', direction: 'inbound' })).items;
    expect(logged).toMatchObject({ verdict: 'rejected', outcome: 'rejected', responseStatus: 400 });
    expect(logged?.body).toContain('"status":"PAID"');
  });

  it('an amount or currency mismatch is an anomaly, never paid', async () => {
    const { bridge, store, events } = setup();
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-4' });
    const tampered = await bridge.handler(
      await notification({ paymentId: payment.id, id: 'T1', status: 'PAID', amount: 1, currency: 'EUR' }),
    );
    expect(tampered.status).toBe(200);
    const wrongCurrency = await bridge.handler(
      await notification({ paymentId: payment.id, id: 'T2', status: 'PAID', amount: 1500, currency: 'USD' }),
    );
    expect(wrongCurrency.status).toBe(200);
    expect(await store.getPayment(payment.id)).toMatchObject({ status: 'new', amountPaid: 0 });
    expect(events.filter((e) => e === 'payment.anomaly')).toHaveLength(2);
    const outcomes = (await store.listMessages({ backend: 'fake', direction: 'inbound' })).items.map(
      (m) => m.detail,
    );
    expect(outcomes.join(' ')).toContain('AMOUNT_MISMATCH');
    expect(outcomes.join(' ')).toContain('CURRENCY_MISMATCH');
  });

  it('a throwing listener is logged and never breaks the acknowledgement', async () => {
    const { bridge, store } = setup();
    bridge.on('payment.accepted', () => {
      throw new Error('fulfilment service down');
    });
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-5' });
    const response = await bridge.handler(
      await notification({ paymentId: payment.id, id: 'T1', status: 'PAID', amount: 1500, currency: 'EUR' }),
    );
    expect(response.status).toBe(200);
    expect((await store.getPayment(payment.id))?.status).toBe('paid');
  });

  it('answers 503 so the broker retries when the store fails, and applies the retry', async () => {
    const inner = memoryStore();
    let failing = false;
    const store: PaymentStore = {
      ...inner,
      applyChange: (request) =>
        failing ? Promise.reject(new Error('database is down')) : inner.applyChange(request),
    };
    const { bridge } = setup({ store });
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-6' });
    failing = true;
    const body = { paymentId: payment.id, id: 'T1', status: 'PAID', amount: 1500, currency: 'EUR' };
    const failed = await bridge.handler(await notification(body));
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({ error: { code: 'STORE_UNAVAILABLE' } });
    expect((await inner.getPayment(payment.id))?.status).toBe('new');
    failing = false;
    const retried = await bridge.handler(await notification(body));
    expect(retried.status).toBe(200);
    expect((await inner.getPayment(payment.id))?.status).toBe('paid');
  });

  it('answers 503 when the message cannot even be logged (nothing is processed unlogged)', async () => {
    const inner = memoryStore();
    const store: PaymentStore = { ...inner, appendMessage: () => Promise.reject(new Error('disk full')) };
    const { bridge } = setup({ store });
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-7' });
    const response = await bridge.handler(
      await notification({ paymentId: payment.id, id: 'T1', status: 'PAID', amount: 1500, currency: 'EUR' }),
    );
    expect(response.status).toBe(503);
    expect((await inner.getPayment(payment.id))?.status).toBe('new');
  });

  it('answers 503 when verification must be retried or the backend crashes', async () => {
    for (const backend of [fakeBroker({ verifyRetry: true }), fakeBroker({ throwOnVerify: true })]) {
      const { bridge, store } = setup({ backend });
      const response = await bridge.handler(
        await notification({ paymentId: 'x', id: 'T', status: 'PAID', amount: 1, currency: 'EUR' }),
      );
      expect(response.status).toBe(503);
      const [logged] = (await store.listMessages({ backend: 'fake' })).items;
      expect(logged?.verdict).toBe('retry');
    }
  });

  it('a verified notification about an unknown payment is an anomaly acknowledged without change', async () => {
    const { bridge, events } = setup();
    const response = await bridge.handler(
      await notification({
        paymentId: 'pay_unknown',
        id: 'T1',
        status: 'PAID',
        amount: 1500,
        currency: 'EUR',
      }),
    );
    expect(response.status).toBe(200);
    expect(events).toEqual(['payment.anomaly']);
  });

  it('refuses bodies over the limit with 413 and unknown backends with 404, as JSON errors', async () => {
    const { bridge } = setup();
    const big = await bridge.handler(
      new Request(`${BASE}/notify/fake`, { method: 'POST', body: 'x'.repeat(300 * 1024) }),
    );
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    const unknown = await bridge.handler(new Request(`${BASE}/notify/nope`, { method: 'POST', body: '{}' }));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'UNKNOWN_BACKEND' } });
  });

  it('never writes a configured secret into the message log', async () => {
    const { bridge, store } = setup();
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-8' });
    await bridge.handler(
      new Request(`${BASE}/notify/fake?key=${KEY}`, {
        method: 'POST',
        headers: { 'x-signature': 'zz', authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ paymentId: payment.id, echo: KEY }),
      }),
    );
    const rows = JSON.stringify((await store.listMessages({ backend: 'fake' })).items);
    expect(rows).not.toContain(KEY);
    expect(rows).toContain('[REDACTED]');
  });
});
