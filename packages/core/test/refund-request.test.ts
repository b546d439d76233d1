import { describe, expect, it } from 'vitest';
import type { InboundMessage, NotificationContext, PaymentBackend } from '../src/backend';
import { dummy } from '../src/dummy-backend';
import { PaybridgeError } from '../src/errors';
import { movedRefundRequests } from '../src/lib/refund-request';
import { silentLogger } from '../src/logger';
import { memoryStore } from '../src/memory-store';
import { createPaybridge } from '../src/paybridge';
import { creationTransition, makePayment } from '../src/testing/fixtures';
import type { LedgerEntry, Payment } from '../src/types';

const BASE = 'https://shop.example/payments';
/** Where the version before this one kept core's refund-request bookkeeping. */
const legacyKey = (refundId: string) => `paybridgeRefund:${refundId}`;

/** A bridge on the dummy broker whose first refund answer is lost (the broker did refund), over a paid payment. */
async function paidWithLostRefundAnswer() {
  const inner = dummy({ signingKey: 'k'.repeat(32) });
  const sent: string[] = [];
  let lose = true;
  const backend = {
    ...inner,
    refund: async (...args: Parameters<NonNullable<typeof inner.refund>>) => {
      sent.push(args[1].refundId);
      const result = await inner.refund(...args);
      if (lose) {
        lose = false;
        throw new PaybridgeError('BROKER_UNAVAILABLE', 'timed out after 10000 ms');
      }
      return result;
    },
  } satisfies PaymentBackend;
  const store = memoryStore();
  const bridge = createPaybridge({
    baseUrl: BASE,
    backends: [backend],
    store,
    logger: silentLogger,
    outboxPollSeconds: 0,
    orders: { resolve: (id) => ({ amount: 1000, currency: 'EUR', description: `Order ${id}` }) },
  });
  const { payment } = await bridge.startPayment({ backend: 'dummy', orderId: 'o-1' });
  const paid = await bridge.handler(
    new Request(`${BASE}/backend/dummy/pay/${payment.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=pay',
    }),
  );
  expect(paid.status).toBe(303);
  return { bridge, store, paymentId: payment.id, sent };
}

/** Rewrites the stored payment as the previous version stored it: the request marks in `brokerData`. */
async function storeInPreviousShape(store: ReturnType<typeof memoryStore>, paymentId: string) {
  await store.applyChange({
    paymentId,
    eventIds: [`test:downgrade:${paymentId}`],
    compute(current) {
      const brokerData = { ...current.brokerData };
      const refunds = current.refunds.map(({ request, ...entry }) => {
        if (request) brokerData[legacyKey(entry.id)] = request;
        return entry;
      });
      return { payment: { ...current, brokerData, refunds, version: current.version + 1 }, transitions: [] };
    },
  });
  const stored = (await store.getPayment(paymentId)) as Payment;
  expect(stored.refunds.some((entry) => 'request' in entry)).toBe(false);
  return stored;
}

describe('refund requests on the ledger entry', () => {
  it('keeps the request on the refund entry, not in brokerData', async () => {
    const { bridge, paymentId } = await paidWithLostRefundAnswer();
    await expect(bridge.refund(paymentId, { idempotencyKey: 'rma-1' })).rejects.toMatchObject({
      code: 'BROKER_UNAVAILABLE',
    });
    const reserved = (await bridge.getPayment(paymentId)) as Payment;
    expect(reserved.refunds).toMatchObject([{ kind: 'refund', status: 'pending', request: 'requested' }]);
    expect(Object.keys(reserved.brokerData).filter((key) => key.startsWith('paybridgeRefund:'))).toEqual([]);
    const done = await bridge.refund(paymentId, { idempotencyKey: 'rma-1' });
    expect(done.refunds).toMatchObject([{ status: 'succeeded', request: 'accepted' }]);
  });

  it('sends again a refund a payment stored by the previous version marks as requested', async () => {
    const { bridge, store, paymentId, sent } = await paidWithLostRefundAnswer();
    await expect(bridge.refund(paymentId, { idempotencyKey: 'rma-2' })).rejects.toMatchObject({
      code: 'BROKER_UNAVAILABLE',
    });
    const old = await storeInPreviousShape(store, paymentId);
    const refundId = (old.refunds[0] as LedgerEntry).id;
    expect(old.brokerData[legacyKey(refundId)]).toBe('requested');

    const done = await bridge.refund(paymentId, { idempotencyKey: 'rma-2' });
    expect(done).toMatchObject({ status: 'refunded', amountRefunded: 1000 });
    expect(sent).toEqual([refundId, refundId]);
    // Written back in this version's shape.
    const stored = (await store.getPayment(paymentId)) as Payment;
    expect(stored.refunds).toMatchObject([{ id: refundId, status: 'succeeded', request: 'accepted' }]);
    expect(stored.brokerData).not.toHaveProperty(legacyKey(refundId));
  });

  it('answers from the record a refund the previous version marks as accepted', async () => {
    const { bridge, store, paymentId, sent } = await paidWithLostRefundAnswer();
    await expect(bridge.refund(paymentId, { idempotencyKey: 'rma-3' })).rejects.toThrow();
    await bridge.refund(paymentId, { idempotencyKey: 'rma-3' });
    const old = await storeInPreviousShape(store, paymentId);
    expect(old.brokerData[legacyKey(sent[0] as string)]).toBe('accepted');
    await bridge.refund(paymentId, { idempotencyKey: 'rma-3' });
    expect(sent).toHaveLength(2);
  });

  it('shows a backend the current shape of a payment stored by the previous version', async () => {
    const inner = dummy({ signingKey: 'k'.repeat(32) });
    const seen: Array<Payment | null> = [];
    const backend = {
      ...inner,
      handleNotification: async (message: InboundMessage, ctx: NotificationContext) => {
        seen.push(await ctx.getPayment(legacy.id));
        return inner.handleNotification(message);
      },
    } satisfies PaymentBackend;
    const store = memoryStore();
    const legacy = makePayment({
      status: 'paid',
      amountPaid: 1999,
      amountAuthorized: 1999,
      captures: [entry('cap_1', 'capture', 'succeeded')],
      refunds: [entry('rfd_1', 'refund', 'pending')],
      brokerData: { [legacyKey('rfd_1')]: 'requested', card: 'visa' },
    });
    await store.createPayment(legacy, creationTransition(legacy));
    const bridge = createPaybridge({
      baseUrl: BASE,
      backends: [backend],
      store,
      logger: silentLogger,
      outboxPollSeconds: 0,
      secret: 's'.repeat(32),
    });
    await bridge.handler(new Request(`${BASE}/notify/dummy`, { method: 'POST', body: 'not signed' }));
    expect(seen[0]?.refunds).toMatchObject([{ id: 'rfd_1', request: 'requested' }]);
    expect(seen[0]?.brokerData).toEqual({ card: 'visa' });
  });
});

describe('movedRefundRequests', () => {
  it('is the same object when nothing was stored the previous way', () => {
    const payment = makePayment({ refunds: [entry('rfd_1', 'refund', 'pending')], brokerData: { a: 1 } });
    expect(movedRefundRequests(payment)).toBe(payment);
  });

  it('leaves a mark no refund entry can carry where it is', () => {
    const payment = makePayment({
      refunds: [entry('rfd_1', 'reversal', 'succeeded')],
      brokerData: { [legacyKey('rfd_1')]: 'requested', [legacyKey('rfd_2')]: 'accepted' },
    });
    expect(movedRefundRequests(payment)).toBe(payment);
  });

  it('keeps a request already on the entry over an older mark', () => {
    const payment = makePayment({
      refunds: [{ ...entry('rfd_1', 'refund', 'succeeded'), request: 'accepted' }],
      brokerData: { [legacyKey('rfd_1')]: 'requested' },
    });
    const shaped = movedRefundRequests(payment);
    expect(shaped.refunds).toMatchObject([{ request: 'accepted' }]);
    expect(shaped.brokerData).toEqual({});
  });
});

function entry(id: string, kind: LedgerEntry['kind'], status: LedgerEntry['status']): LedgerEntry {
  const at = '2026-01-01T12:00:00.000Z';
  return { id, kind, amount: kind === 'capture' ? 1999 : 500, status, createdAt: at, updatedAt: at };
}
