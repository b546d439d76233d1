import { describe, expect, it } from 'vitest';
import type { PaymentBackend } from '../src/backend';
import type { ReconcileProgress } from '../src/reconcile';
import { fakeBroker, setup } from './support/pipeline';

describe('reconcile onProgress', () => {
  it('reports each listed payment once, with its backend and what the pass did to it', async () => {
    let now = Date.UTC(2026, 11, 6, 12);
    const backend: PaymentBackend = {
      ...fakeBroker({
        pull: async (paymentId) => {
          if (paymentId === failing) throw new Error('broker down');
          return paymentId === paid
            ? [
                {
                  type: 'captured',
                  eventId: `e-${paymentId}`,
                  captureId: 'c1',
                  amount: 1500,
                  currency: 'EUR',
                },
              ]
            : [];
        },
      }),
      async prepare(payment) {
        return {
          redirect: { method: 'GET', url: 'https://broker.example/pay' },
          externalId: `x-${payment.id}`,
        };
      },
    };
    const { bridge } = setup({ backend, config: { now: () => new Date(now) } });
    const paid = (await bridge.startPayment({ backend: 'fake', orderId: 'order-1' })).payment.id;
    const failing = (await bridge.startPayment({ backend: 'fake', orderId: 'order-2' })).payment.id;
    const quiet = (await bridge.startPayment({ backend: 'fake', orderId: 'order-3' })).payment.id;
    now += 3_600_000;
    const steps: ReconcileProgress[] = [];
    const result = await bridge.reconcile({ onProgress: (step) => steps.push(step) });
    expect(result).toMatchObject({ pulled: 2, changed: 1, unchanged: 1 });
    expect(steps.map((s) => s.done)).toEqual([1, 2, 3]);
    expect(steps.every((s) => s.total === 3 && s.backend === 'fake')).toBe(true);
    const byId = Object.fromEntries(steps.map((s) => [s.paymentId, s.outcome]));
    expect(byId).toEqual({ [paid]: 'changed', [failing]: 'failed', [quiet]: 'unchanged' });
  });
});
