import { describe, expect, it } from 'vitest';
import { backendView, namespacedBrokerData } from '../src/lib/broker-data';
import { currentShape } from '../src/lib/current-shape';
import { silentLogger } from '../src/logger';
import { memoryStore } from '../src/memory-store';
import { createPaybridge } from '../src/paybridge';
import { makePayment } from '../src/testing/fixtures';
import type { Payment } from '../src/types';
import { bookkeepingBackend } from './support/bookkeeping-backend';

const BASE = 'https://shop.example/payments';

function twoBackends() {
  const a = bookkeepingBackend('alpha', { x: 1 });
  const b = bookkeepingBackend('beta', { x: 2 });
  const store = memoryStore();
  const bridge = createPaybridge({
    baseUrl: BASE,
    backends: [a.backend, b.backend],
    store,
    logger: silentLogger,
    outboxPollSeconds: 0,
    orders: { resolve: (id) => ({ amount: 1000, currency: 'EUR', description: `Order ${id}` }) },
  });
  const notify = (backendId: string, body: unknown) =>
    bridge.handler(
      new Request(`${BASE}/notify/${backendId}`, { method: 'POST', body: JSON.stringify(body) }),
    );
  return { a, b, store, bridge, notify };
}

/** Rewrites a stored payment as the previous version stored it: its backend's keys flat in brokerData. */
async function storeFlat(
  store: ReturnType<typeof memoryStore>,
  paymentId: string,
  flat: Payment['brokerData'],
) {
  await store.applyChange({
    paymentId,
    eventIds: [`test:flat:${paymentId}`],
    compute: (current) => ({
      payment: { ...current, brokerData: flat, version: current.version + 1 },
      transitions: [],
    }),
  });
}

const seenBy = (seen: Array<{ call: string; payment: Payment }>, call: string) =>
  seen.filter((s) => s.call === call).map((s) => s.payment.brokerData);

describe('backend bookkeeping under brokerData[backend.id]', () => {
  it('files what a backend returns under its id and shows it back as its own brokerData', async () => {
    const { a, store, bridge, notify } = twoBackends();
    const { payment } = await bridge.startPayment({ backend: 'alpha', orderId: 'o-1' });
    expect(seenBy(a.seen, 'prepare')).toEqual([{}]);
    expect((await store.getPayment(payment.id))?.brokerData).toEqual({ alpha: { x: 1 } });

    expect((await notify('alpha', { paymentId: payment.id, data: { y: 'n' }, authorize: true })).status).toBe(
      200,
    );
    expect(seenBy(a.seen, 'notification')).toEqual([{ x: 1 }]);
    await bridge.capture(payment.id);
    expect(seenBy(a.seen, 'capture')).toEqual([{ x: 1, y: 'n' }]);
    const synced = await bridge.sync(payment.id);
    expect(seenBy(a.seen, 'fetchStatus')).toEqual([{ x: 1, y: 'n', captured: 1000 }]);
    expect(synced.brokerData).toEqual({
      alpha: { x: 1, y: 'n', captured: 1000, pulled: synced.version - 1 },
    });
    expect(synced.status).toBe('paid');
  });

  it('lets no other backend on the bridge see or overwrite it', async () => {
    const { a, b, store, bridge, notify } = twoBackends();
    const { payment: ours } = await bridge.startPayment({ backend: 'alpha', orderId: 'o-1' });
    const { payment: theirs } = await bridge.startPayment({ backend: 'beta', orderId: 'o-2' });
    expect((await store.getPayment(theirs.id))?.brokerData).toEqual({ beta: { x: 2 } });

    // beta reads alpha's payment while verifying, and reports data about it: it sees nothing, changes nothing.
    await notify('beta', { paymentId: ours.id, data: { x: 'clobbered' } });
    expect(seenBy(b.seen, 'notification')).toEqual([{}]);
    expect((await store.getPayment(ours.id))?.brokerData).toEqual({ alpha: { x: 1 } });

    await bridge.sync(ours.id);
    expect(seenBy(a.seen, 'fetchStatus')).toEqual([{ x: 1 }]);
    expect((await store.getPayment(theirs.id))?.brokerData).toEqual({ beta: { x: 2 } });
  });

  it('reads a record of the previous version (flat keys) and writes it back in the new shape', async () => {
    const { a, store, bridge } = twoBackends();
    const { payment } = await bridge.startPayment({ backend: 'alpha', orderId: 'o-1' });
    await storeFlat(store, payment.id, { x: 1, legacy: { nested: true } });

    expect((await bridge.getPayment(payment.id))?.brokerData).toEqual({
      alpha: { x: 1, legacy: { nested: true } },
    });
    const synced = await bridge.sync(payment.id);
    expect(seenBy(a.seen, 'fetchStatus')).toEqual([{ x: 1, legacy: { nested: true } }]);
    const stored = await store.getPayment(payment.id);
    expect(stored?.brokerData).toEqual({
      alpha: { x: 1, legacy: { nested: true }, pulled: synced.version - 1 },
    });
  });
});

describe('the shapes', () => {
  it('leaves a payment in the current shape as the same object', () => {
    const empty = makePayment();
    expect(currentShape(empty)).toBe(empty);
    const namespaced = makePayment({ brokerData: { dummy: { a: 1 } } });
    expect(currentShape(namespaced)).toBe(namespaced);
  });

  it("moves flat keys under the payment's backend, including one named like a backend", () => {
    const flat = makePayment({
      brokerData: { cmcic: { code: 'payetest' }, cmcicRequest: { reference: 'R' } },
    });
    expect(namespacedBrokerData(flat).brokerData).toEqual({
      dummy: { cmcic: { code: 'payetest' }, cmcicRequest: { reference: 'R' } },
    });
    expect(namespacedBrokerData(makePayment({ brokerData: { dummy: 'flat string' } })).brokerData).toEqual({
      dummy: { dummy: 'flat string' },
    });
  });

  it('shows a backend a copy of its own part, another backend nothing', () => {
    const payment = makePayment({ brokerData: { dummy: { a: 1 } } });
    const view = backendView(payment, 'dummy');
    view.brokerData.a = 2;
    expect(payment.brokerData).toEqual({ dummy: { a: 1 } });
    expect(backendView(payment, 'other').brokerData).toEqual({});
    expect(backendView(makePayment({ brokerData: { a: 1 } }), 'dummy').brokerData).toEqual({ a: 1 });
  });
});
