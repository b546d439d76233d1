import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createPaybridge,
  type PaymentBackend,
  type PaymentFact,
  type PaymentStore,
  silentLogger,
} from '@paybridge/core';
import { dummy } from '@paybridge/core/dummy';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteStore } from '../src/sqlite-store';
import { BASE, SIGNING_KEY } from './support/bridge';
import { describePostgres, dropSchema, openPostgres, uniqueSchema } from './support/postgres';

const root = await mkdtemp(join(tmpdir(), 'paybridge-reconcile-concurrent-'));
afterAll(() => rm(root, { recursive: true, force: true }));

/** The dummy broker with a status API: the payments in `paid` are reported captured. */
function pullableBroker() {
  const paid = new Set<string>();
  const base = dummy({ signingKey: SIGNING_KEY });
  const backend: PaymentBackend = {
    ...base,
    capabilities: { ...base.capabilities, pull: true },
    async fetchStatus(payment): Promise<PaymentFact[]> {
      // Let the two passes interleave between their pulls and their writes.
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (!paid.has(payment.id)) return [];
      return [
        {
          type: 'captured',
          eventId: `dummy:pull:${payment.id}:paid`,
          captureId: `cap-${payment.id}`,
          amount: payment.amount,
          currency: payment.currency,
        },
      ];
    },
  };
  return { backend, paid };
}

function bridgeOn(store: PaymentStore, backend: PaymentBackend) {
  const accepted: string[] = [];
  const bridge = createPaybridge({
    baseUrl: BASE,
    backends: [backend],
    store,
    logger: silentLogger,
    orders: { resolve: (orderId) => ({ amount: 2500, currency: 'EUR', description: `Order ${orderId}` }) },
  });
  bridge.on('payment.accepted', ({ payment }) => {
    accepted.push(payment.id);
  });
  return { bridge, accepted };
}

/** Two instances (two stores on one database) reconcile at once: each change applies and is announced once. */
async function twoPassesAtOnce(first: PaymentStore, second: PaymentStore) {
  const broker = pullableBroker();
  const a = bridgeOn(first, broker.backend);
  const b = bridgeOn(second, broker.backend);
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) {
    const { payment } = await a.bridge.startPayment({ backend: 'dummy', orderId: `order-${i}` });
    ids.push(payment.id);
    if (i % 2 === 0) broker.paid.add(payment.id);
  }
  const [one, two] = await Promise.all([
    a.bridge.reconcile({ olderThan: 0 }),
    b.bridge.reconcile({ olderThan: 0 }),
  ]);
  expect(one.failed).toEqual([]);
  expect(two.failed).toEqual([]);
  // Both passes asked about the same payments (they overlapped), yet each change applied once.
  expect(one.pulled + two.pulled).toBeGreaterThan(12);
  expect(one.changed + two.changed).toBe(6);
  expect([...a.accepted, ...b.accepted].sort()).toEqual([...broker.paid].sort());
  for (const id of ids) {
    const transitions = (await first.listTransitions(id)).filter((t) => t.to === 'paid');
    expect(transitions).toHaveLength(broker.paid.has(id) ? 1 : 0);
    expect((await first.getPayment(id))?.amountPaid).toBe(broker.paid.has(id) ? 2500 : 0);
  }
}

describe('two reconcile passes at once on the SQL stores (two instances, one database)', () => {
  it('SQLite', async () => {
    const filename = join(root, 'payments.db');
    const first = sqliteStore({ filename });
    const second = sqliteStore({ filename });
    try {
      await twoPassesAtOnce(first, second);
    } finally {
      await first.close();
      await second.close();
    }
  });

  const schema = uniqueSchema('reconcile_concurrent');
  describePostgres('PostgreSQL', () => {
    it('PostgreSQL', async () => {
      const first = openPostgres(schema);
      const second = openPostgres(schema);
      try {
        await twoPassesAtOnce(first, second);
      } finally {
        await first.close();
        await second.close();
        await dropSchema(schema);
      }
    });
  });
});
