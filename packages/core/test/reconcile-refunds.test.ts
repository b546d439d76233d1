import { describe, expect, it } from 'vitest';
import type { PaymentBackend } from '../src/backend';
import { PaybridgeError } from '../src/errors';
import type { ReconcileProgress } from '../src/reconcile';
import type { PaymentFact } from '../src/types';
import { fakeBroker, setup } from './support/pipeline';

const MINUTE = 60_000;

/**
 * A broker that answers a refund "pending" (as Flutterwave does) and whose notification of the
 * outcome never reaches us: only its status API knows. `refunds` is what that API reports per
 * refund id; `refundCall` decides how the refund request itself ends.
 */
function refundBroker() {
  const refunds = new Map<string, 'pending' | 'done' | 'failed'>();
  const calls: string[] = [];
  let refundCall: 'pending' | 'lost' = 'pending';
  const captured = (paymentId: string): PaymentFact => ({
    type: 'captured',
    eventId: `ord-${paymentId}:PAID`,
    captureId: `ord-${paymentId}`,
    amount: 1500,
    currency: 'EUR',
  });
  const refundFacts = (refundId: string, amount: number): PaymentFact[] => {
    const state = refunds.get(refundId);
    if (state === 'done')
      return [{ type: 'refunded', eventId: `rf-${refundId}:DONE`, refundId, amount, currency: 'EUR' }];
    if (state === 'failed')
      return [{ type: 'refund_failed', eventId: `rf-${refundId}:FAILED`, refundId, reason: 'declined' }];
    return [];
  };
  const backend: PaymentBackend = {
    ...fakeBroker({ pull: async () => [] }),
    capabilities: {
      capture: false,
      cancel: false,
      refund: true,
      partialRefund: true,
      recurring: false,
      pull: true,
    },
    async prepare(payment) {
      return {
        redirect: { method: 'GET', url: 'https://broker.example/pay' },
        externalId: `ord-${payment.id}`,
      };
    },
    async fetchStatus(payment) {
      calls.push(payment.id);
      return [
        captured(payment.id),
        ...payment.refunds.flatMap((entry) => refundFacts(entry.id, entry.amount)),
      ];
    },
    async refund(_payment, request) {
      refunds.set(request.refundId, 'pending');
      // The broker took it, but our connection dropped before its answer: the outcome is unknown.
      if (refundCall === 'lost') throw new PaybridgeError('BROKER_UNAVAILABLE', 'timeout');
      const { refundId, amount } = request;
      return {
        facts: [
          { type: 'refund_pending', eventId: `rf-${refundId}:PENDING`, refundId, amount, currency: 'EUR' },
        ],
      };
    },
  };
  return {
    backend,
    refunds,
    calls,
    answerLost: () => {
      refundCall = 'lost';
    },
  };
}

function world() {
  const broker = refundBroker();
  let t = Date.UTC(2026, 11, 6, 12);
  const { bridge, events } = setup({ backend: broker.backend, config: { now: () => new Date(t) } });
  const paidPayment = async (orderId: string) => {
    const { payment } = await bridge.startPayment({ backend: 'fake', orderId });
    return (await bridge.sync(payment.id)).id;
  };
  return { broker, bridge, events, paidPayment, advance: (ms: number) => (t += ms) };
}

const refundId = (payment: { refunds: { id: string }[] } | null) => payment?.refunds[0]?.id ?? '';

describe('bridge.reconcile: refunds still open', () => {
  it('finds a refund whose notification was lost: refunded once, through the status machine', async () => {
    const { broker, bridge, events, paidPayment, advance } = world();
    const id = await paidPayment('order-1');
    const quiet = await paidPayment('order-2');
    const refunded = await bridge.refund(id);
    expect(refunded.status).toBe('paid');
    broker.refunds.set(refundId(refunded), 'done');
    advance(10 * MINUTE);
    broker.calls.length = 0;

    const steps: ReconcileProgress[] = [];
    const result = await bridge.reconcile({ onProgress: (step) => steps.push(step) });
    expect(steps).toEqual([{ done: 1, total: 1, paymentId: id, backend: 'fake', outcome: 'changed' }]);
    expect(result).toEqual({
      pulled: 1,
      refundsPulled: 1,
      changed: 1,
      unchanged: 0,
      failed: [],
      skippedNotPullable: 0,
      incomplete: false,
    });
    // A paid payment with no refund open is never asked about.
    expect(broker.calls).toEqual([id]);
    const after = await bridge.getPayment(id);
    expect(after).toMatchObject({ status: 'refunded', amountRefunded: 1500 });
    expect(after?.refunds[0]?.status).toBe('succeeded');
    expect(events.filter((e) => e === 'refund.succeeded')).toHaveLength(1);
    expect((await bridge.getPayment(quiet))?.status).toBe('paid');

    // Settled: the next pass has nothing to ask.
    broker.calls.length = 0;
    expect(await bridge.reconcile()).toMatchObject({ pulled: 0, refundsPulled: 0 });
    expect(broker.calls).toEqual([]);
    expect(events.filter((e) => e === 'refund.succeeded')).toHaveLength(1);
  });

  it('a refund request whose answer was lost is found too; one the broker still holds stays open', async () => {
    const { broker, bridge, paidPayment, advance } = world();
    const id = await paidPayment('order-1');
    broker.answerLost();
    await expect(bridge.refund(id, { amount: 500 })).rejects.toMatchObject({ code: 'BROKER_UNAVAILABLE' });
    const reserved = await bridge.getPayment(id);
    expect(reserved?.refunds[0]).toMatchObject({ status: 'pending', request: 'requested', amount: 500 });
    advance(10 * MINUTE);

    // The broker still holds it pending: asked, nothing changes, asked again next pass.
    expect(await bridge.reconcile()).toMatchObject({ pulled: 1, refundsPulled: 1, unchanged: 1 });
    expect((await bridge.getPayment(id))?.refunds[0]?.status).toBe('pending');
    broker.refunds.set(refundId(reserved), 'done');
    expect(await bridge.reconcile()).toMatchObject({ pulled: 1, refundsPulled: 1, changed: 1 });
    expect(await bridge.getPayment(id)).toMatchObject({ status: 'partially_refunded', amountRefunded: 500 });
    expect(await bridge.reconcile()).toMatchObject({ pulled: 0 });
  });

  it('a refund the broker reports failed gives the money back to refund, and closes', async () => {
    const { broker, bridge, paidPayment, advance } = world();
    const id = await paidPayment('order-1');
    const asked = await bridge.refund(id);
    broker.refunds.set(refundId(asked), 'failed');
    advance(10 * MINUTE);
    expect(await bridge.reconcile()).toMatchObject({ pulled: 1, refundsPulled: 1, changed: 1 });
    const after = await bridge.getPayment(id);
    expect(after).toMatchObject({ status: 'paid', amountRefunded: 0 });
    expect(after?.refunds[0]?.status).toBe('failed');
    expect(await bridge.reconcile()).toMatchObject({ pulled: 0 });
  });

  it("applies olderThan to the refund's last change, oldest refund first, within limit", async () => {
    const { broker, bridge, paidPayment, advance } = world();
    // Created first, refunded last: the refund's time decides, not the payment's.
    const early = await paidPayment('order-early');
    const late = await paidPayment('order-late');
    await bridge.refund(late);
    advance(4 * MINUTE);
    await bridge.refund(early);
    advance(2 * MINUTE);

    broker.calls.length = 0;
    expect(await bridge.reconcile({ olderThan: 300 })).toMatchObject({ pulled: 1, refundsPulled: 1 });
    expect(broker.calls).toEqual([late]);
    advance(5 * MINUTE);
    broker.calls.length = 0;
    expect(await bridge.reconcile({ limit: 1 })).toMatchObject({ pulled: 1, incomplete: true });
    expect(broker.calls).toEqual([late]);
    broker.calls.length = 0;
    expect(await bridge.reconcile({ olderThan: 0 })).toMatchObject({ pulled: 2, refundsPulled: 2 });
    expect(broker.calls).toEqual([late, early]);
  });

  it('openRefunds: false leaves them out; a backend that cannot pull is skipped', async () => {
    const { bridge, paidPayment, advance } = world();
    const id = await paidPayment('order-1');
    await bridge.refund(id);
    advance(10 * MINUTE);
    expect(await bridge.reconcile({ openRefunds: false })).toMatchObject({
      pulled: 0,
      skippedNotPullable: 0,
    });
    const stopped = new AbortController();
    stopped.abort();
    expect(await bridge.reconcile({ signal: stopped.signal })).toMatchObject({ pulled: 0, incomplete: true });

    const broker = refundBroker();
    const { bridge: noPull } = setup({
      store: bridge.store,
      backend: { ...broker.backend, canPull: () => false },
    });
    expect(await noPull.reconcile()).toMatchObject({ pulled: 0, refundsPulled: 0, skippedNotPullable: 1 });
  });
});
