import { describe, expect, it } from 'vitest';
import type { PaymentBackend } from '../src/backend';
import { dummy } from '../src/dummy-backend';
import { silentLogger } from '../src/logger';
import { memoryStore } from '../src/memory-store';
import { createPaybridge } from '../src/paybridge';
import type { PaymentStore } from '../src/store';

const BASE = 'https://shop.example/payments';

/** A memory store that records which of its writes were called, in order. */
function recordingStore() {
  const inner = memoryStore();
  const calls: string[] = [];
  const store: PaymentStore = {
    ...inner,
    createPayment: (payment, transition) => {
      calls.push('createPayment');
      return inner.createPayment(payment, transition);
    },
    applyChange: (request) => {
      calls.push('applyChange');
      return inner.applyChange(request);
    },
  };
  return { store, calls, inner };
}

/** A backend whose prepare says whether the payment was stored when it was asked. */
function reference(offline: boolean, fail = false) {
  const seenStored: boolean[] = [];
  const make = (store: PaymentStore): PaymentBackend => ({
    ...dummy({ signingKey: 'k'.repeat(32) }),
    prepareOffline: offline,
    async prepare(payment) {
      seenStored.push((await store.getPayment(payment.id)) !== null);
      if (fail) throw new Error('no terminal for this shop');
      return {
        redirect: { method: 'GET', url: `https://broker.example/pay/${payment.id}` },
        externalId: `REF-${payment.id.slice(-6)}`,
        brokerData: { terminal: 'T1' },
      };
    },
  });
  return { make, seenStored };
}

function bridgeWith(backend: (store: PaymentStore) => PaymentBackend) {
  const recorded = recordingStore();
  const bridge = createPaybridge({
    baseUrl: BASE,
    backends: [backend(recorded.store)],
    store: recorded.store,
    logger: silentLogger,
    outboxPollSeconds: 0,
    orders: { resolve: (id) => ({ amount: 1000, currency: 'EUR', description: `Order ${id}` }) },
  });
  return { bridge, ...recorded };
}

describe('startPayment and prepare', () => {
  it('asks an offline backend first and stores the payment with what it returned, in one write', async () => {
    const backend = reference(true);
    const { bridge, calls, inner } = bridgeWith(backend.make);
    const { payment, redirect } = await bridge.startPayment({ backend: 'dummy', orderId: 'o-1' });
    expect(backend.seenStored).toEqual([false]);
    expect(calls).toEqual(['createPayment']);
    expect(redirect.url).toBe(`https://broker.example/pay/${payment.id}`);
    const stored = await inner.getPayment(payment.id);
    expect(stored).toMatchObject({
      externalId: `REF-${payment.id.slice(-6)}`,
      brokerData: { dummy: { terminal: 'T1' } },
      version: 1,
      status: 'new',
    });
    expect(payment).toEqual(stored);
  });

  it('asks a backend that calls its broker only once the payment is stored, then records what it said', async () => {
    const backend = reference(false);
    const { bridge, calls, inner } = bridgeWith(backend.make);
    const { payment } = await bridge.startPayment({ backend: 'dummy', orderId: 'o-2' });
    expect(backend.seenStored).toEqual([true]);
    expect(calls).toEqual(['createPayment', 'applyChange']);
    expect(await inner.getPayment(payment.id)).toMatchObject({
      externalId: `REF-${payment.id.slice(-6)}`,
      brokerData: { dummy: { terminal: 'T1' } },
      version: 2,
    });
  });

  it.each([true, false])(
    'leaves the payment failed, with the reason, when prepare fails (offline: %s)',
    async (offline) => {
      const backend = reference(offline, true);
      const { bridge, inner } = bridgeWith(backend.make);
      await expect(bridge.startPayment({ backend: 'dummy', orderId: 'o-3' })).rejects.toMatchObject({
        code: 'BROKER_ERROR',
      });
      const [failed] = (await inner.listPayments({ orderId: 'o-3' })).items;
      expect(failed).toMatchObject({ status: 'failed', externalId: null });
      const transitions = await inner.listTransitions(failed?.id ?? '');
      expect(transitions.map((t) => t.cause)).toEqual(['created', 'failed']);
    },
  );
});
