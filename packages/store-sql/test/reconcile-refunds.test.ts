import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPaybridge, type PaymentBackend, type PaymentStore, silentLogger } from '@paybridge/core';
import { dummy } from '@paybridge/core/dummy';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteStore } from '../src/sqlite-store';
import { BASE, dummyNotification, SIGNING_KEY } from './support/bridge';
import { describePostgres, dropSchema, openPostgres, uniqueSchema } from './support/postgres';

const root = await mkdtemp(join(tmpdir(), 'paybridge-reconcile-refunds-'));
afterAll(() => rm(root, { recursive: true, force: true }));

/** The dummy broker, answering refunds "pending" and reporting them done on its status API once told. */
function pendingRefundBroker() {
  const done = new Set<string>();
  const base = dummy({ signingKey: SIGNING_KEY });
  const backend: PaymentBackend = {
    ...base,
    capabilities: { ...base.capabilities, pull: true, refund: true, partialRefund: true },
    async fetchStatus(payment) {
      return payment.refunds
        .filter((entry) => done.has(entry.id))
        .map((entry) => ({
          type: 'refunded' as const,
          eventId: `dummy:refund:${entry.id}:done`,
          refundId: entry.id,
          amount: entry.amount,
          currency: payment.currency,
        }));
    },
    async refund(payment, { refundId, amount }) {
      return {
        facts: [
          {
            type: 'refund_pending',
            eventId: `dummy:refund:${refundId}`,
            refundId,
            amount,
            currency: payment.currency,
          },
        ],
      };
    },
  };
  return { backend, done };
}

/** Through the bridge on `store`: a refund whose notification never comes is settled by reconcile. */
async function lostRefundNotification(store: PaymentStore) {
  const broker = pendingRefundBroker();
  const bridge = createPaybridge({
    baseUrl: BASE,
    backends: [broker.backend],
    store,
    logger: silentLogger,
    orders: { resolve: (orderId) => ({ amount: 2500, currency: 'EUR', description: `Order ${orderId}` }) },
  });
  const refundOpen = async () => (await store.listPayments({ refundOpen: true })).items.map((p) => p.id);
  const { payment } = await bridge.startPayment({ backend: 'dummy', orderId: 'order-refund' });
  expect((await bridge.handler(await dummyNotification(payment, `ev-${payment.id}`))).status).toBe(200);
  const refunding = await bridge.refund(payment.id, { amount: 1000 });
  expect(refunding).toMatchObject({ status: 'paid', amountRefunded: 0 });
  expect(await refundOpen()).toEqual([payment.id]);

  expect(await bridge.reconcile({ olderThan: 0 })).toMatchObject({
    pulled: 1,
    refundsPulled: 1,
    unchanged: 1,
  });
  broker.done.add(refunding.refunds[0]?.id ?? '');
  expect(await bridge.reconcile({ olderThan: 0 })).toMatchObject({ pulled: 1, refundsPulled: 1, changed: 1 });
  expect(await bridge.getPayment(payment.id)).toMatchObject({
    status: 'partially_refunded',
    amountRefunded: 1000,
  });
  expect(await refundOpen()).toEqual([]);
  expect(await bridge.reconcile({ olderThan: 0 })).toMatchObject({ pulled: 0, refundsPulled: 0 });
}

describe('reconcile finds a refund whose notification was lost, on the SQL stores', () => {
  it('SQLite', async () => {
    const store = sqliteStore({ filename: join(root, 'payments.db') });
    try {
      await lostRefundNotification(store);
    } finally {
      await store.close();
    }
  });

  const schema = uniqueSchema('reconcile_refunds');
  describePostgres('PostgreSQL', () => {
    it('PostgreSQL', async () => {
      const store = openPostgres(schema);
      try {
        await lostRefundNotification(store);
      } finally {
        await store.close();
        await dropSchema(schema);
      }
    });
  });
});
