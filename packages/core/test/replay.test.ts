import { describe, expect, it } from 'vitest';
import type { PaymentBackend } from '../src/backend';
import { isPaybridgeError } from '../src/errors';
import { fakeBroker, notification, setup } from './support/pipeline';

describe('bridge.replayMessage', () => {
  it('re-runs a logged notification: a message already applied is a duplicate and changes nothing', async () => {
    const { bridge, store } = setup();
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-1' });
    const paid = { paymentId: payment.id, id: 'T1', status: 'PAID', amount: 1500, currency: 'EUR' };
    expect((await bridge.handler(await notification(paid))).status).toBe(200);
    const [logged] = (await store.listMessages({ backend: 'fake', direction: 'inbound' })).items;
    expect(logged?.outcome).toBe('applied');
    const before = await store.getPayment(payment.id);

    for (let i = 0; i < 2; i++) {
      const result = await bridge.replayMessage(logged?.id as string);
      expect(result).toMatchObject({
        replayedMessageId: logged?.id,
        status: 200,
        verdict: 'verified',
        outcome: 'duplicate',
        paymentId: payment.id,
      });
      expect(result.messageId).not.toBe(logged?.id);
    }
    expect(await store.getPayment(payment.id)).toEqual(before);
    const log = (await store.listMessages({ backend: 'fake', direction: 'inbound' })).items;
    expect(log).toHaveLength(3);
    expect(log[0]?.detail).toContain(`replay of ${logged?.id}`);
  });

  it('applies a message the store failed on before (answered 503): the pipeline runs it again', async () => {
    const { bridge, store } = setup();
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-2' });
    const paid = { paymentId: payment.id, id: 'T2', status: 'PAID', amount: 1500, currency: 'EUR' };
    // A notification the store failed on (our own failure): logged, answered 503, nothing applied.
    const failing = store.applyChange;
    store.applyChange = async () => {
      throw new Error('store down');
    };
    expect((await bridge.handler(await notification(paid))).status).toBe(503);
    store.applyChange = failing;
    const [logged] = (await store.listMessages({ backend: 'fake', direction: 'inbound' })).items;
    expect((await store.getPayment(payment.id))?.status).not.toBe('paid');

    const result = await bridge.replayMessage(logged?.id as string);
    expect(result).toMatchObject({ status: 200, outcome: 'applied' });
    expect((await store.getPayment(payment.id))?.status).toBe('paid');
  });

  it('reports the re-run itself, not the broker calls it caused (a refused message pulled the payment)', async () => {
    const signed = fakeBroker();
    // A broker that refuses the message's signature, names its payment, and can be asked about it.
    const backend: PaymentBackend = {
      ...signed,
      capabilities: { ...signed.capabilities, pull: true },
      async handleNotification(message, ctx) {
        const outcome = await signed.handleNotification(message, ctx);
        if (outcome.verdict !== 'rejected') return outcome;
        const { paymentId } = JSON.parse(new TextDecoder().decode(message.body)) as { paymentId: string };
        return { ...outcome, paymentId };
      },
      async fetchStatus(payment, ctx) {
        await ctx.fetch(
          `${ctx.endpoint}/status/${payment.id}`,
          { method: 'GET' },
          {
            kind: 'retrieve-status',
            paymentId: payment.id,
          },
        );
        return [];
      },
    };
    const { bridge, store } = setup({
      backend,
      config: { fetch: async () => new Response('{}', { status: 503 }), pullIntervalSeconds: 0 },
    });
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId: 'order-3' });
    const forged = { paymentId: payment.id, id: 'T3', status: 'PAID', amount: 1500, currency: 'EUR' };
    expect((await bridge.handler(await notification(forged, false))).status).toBe(400);
    const [logged] = (await store.listMessages({ backend: 'fake', direction: 'inbound' })).items;
    const pullsBefore = (await store.listMessages({ backend: 'fake', direction: 'outbound' })).items.length;
    expect(pullsBefore).toBeGreaterThan(0);

    const result = await bridge.replayMessage(logged?.id as string);
    // The re-run pulled the payment again (an outbound record), and the result still names the re-run.
    const outbound = (await store.listMessages({ backend: 'fake', direction: 'outbound' })).items;
    expect(outbound.length).toBeGreaterThan(pullsBefore);
    expect(result).toMatchObject({ status: 400, verdict: 'rejected', outcome: 'rejected' });
    const inbound = (await store.listMessages({ backend: 'fake', direction: 'inbound' })).items;
    const rerun = inbound.find((m) => m.id === result.messageId);
    expect(rerun?.detail).toContain(`replay of ${logged?.id}`);
    expect(outbound.some((m) => m.detail?.includes('replay of'))).toBe(false);
    expect((await store.getPayment(payment.id))?.status).toBe('new');
  });

  it('refuses an id that is not in the log, with a stable code', async () => {
    const { bridge } = setup();
    const error = await bridge.replayMessage('msg_missing').catch((e: unknown) => e);
    expect(isPaybridgeError(error) && error.code).toBe('UNKNOWN_MESSAGE');
  });
});

describe('bridge.backends() and bridge.baseUrl', () => {
  it('list each backend with the test mode in force, and the configured base URL', () => {
    const { bridge } = setup();
    expect(bridge.backends().map(({ backend, testMode }) => [backend.id, testMode])).toEqual([
      ['fake', expect.any(Boolean)],
    ]);
    expect(bridge.baseUrl).toBe('https://shop.example/payments');
  });
});
