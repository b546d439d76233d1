import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/lib/migrations';
import { makePayment, makeTransition, note } from './fixtures';
import { type ContractTarget, expectCode, storesFor } from './store-harness';

const ALL_VERSIONS = MIGRATIONS.map((m) => m.version);
const LATEST = Math.max(...ALL_VERSIONS);

export type { ContractTarget } from './store-harness';

/**
 * What core's `runStoreConformance` (conformance.test.ts) does not check, on both dialects: what
 * only a SQL store has (big money and JSON columns, the refunds table, migrations, several instances
 * on one database) and the corners of applyChange it leaves out (no event ids, an unknown payment,
 * the caller's own error passed through as it was).
 */
export function describeSqlStoreContract(label: string, target: ContractTarget): void {
  describe(`${label}: PaymentStore contract`, () => {
    const { open, sibling, created } = storesFor(target);

    it('round-trips a payment exactly, JSON columns and big money included', async () => {
      const store = await open();
      const payment = makePayment({
        amount: 9_007_199_254_740_000,
        currency: 'KWD',
        recurrence: { interval: 'month', every: 1, cycles: 12 },
        subscription: {
          id: 'sub-1',
          status: 'active',
          updatedAt: '2024-01-01T00:00:00.000Z',
          data: { a: [1, 2] },
        },
        brokerData: { card: { masked: '4970********1234' }, list: ['x', 'y'] },
        parentPaymentId: 'pay_parent',
        expiresAt: '2030-01-01T00:00:00.000Z',
        testMode: false,
        externalId: 'EXT-1',
      });
      await store.createPayment(payment, makeTransition(payment));
      expect(await store.getPayment(payment.id)).toEqual(payment);
      expect(await store.getPayment('pay_missing')).toBeNull();
      expect(await store.findPaymentByExternalId('dummy', 'EXT-1')).toEqual(payment);
      expect(await store.findPaymentByExternalId('other', 'EXT-1')).toBeNull();
    });

    it('runs compute with no event ids (operations such as sweep)', async () => {
      const store = await open();
      const payment = await created(store);
      const result = await store.applyChange({
        paymentId: payment.id,
        eventIds: [],
        compute: (p) => note(p, 'op'),
      });
      expect(result.outcome).toBe('applied');
      expect((await store.getPayment(payment.id))?.version).toBe(2);
    });

    it('rejects an unknown payment and passes compute errors through as they were, claiming nothing', async () => {
      const store = await open();
      await expectCode(
        store.applyChange({ paymentId: 'pay_nope', eventIds: ['x:1'], compute: (p) => note(p, 'x') }),
        'UNKNOWN_PAYMENT',
      );
      const payment = await created(store);
      const boom = new Error('compute failed');
      await expect(
        store.applyChange({
          paymentId: payment.id,
          eventIds: ['x:3'],
          compute: () => {
            throw boom;
          },
        }),
      ).rejects.toBe(boom);
      // The failed attempts rolled back their claims: the same ids apply now.
      for (const eventId of ['x:1', 'x:3']) {
        const result = await store.applyChange({
          paymentId: payment.id,
          eventIds: [eventId],
          compute: (p) => note(p, eventId),
        });
        expect(result.outcome).toBe('applied');
      }
      expect((await store.getPayment(payment.id))?.version).toBe(3);
    });

    it('compare-and-sets: concurrent different facts through two instances all apply, none lost', async () => {
      const store = await open();
      const other = await sibling(store);
      const payment = await created(store);
      // Both instances connected before the burst, so their writes really overlap.
      expect(await other.getPayment(payment.id)).toEqual(payment);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          (index % 2 ? other : store).applyChange({
            paymentId: payment.id,
            eventIds: [`cas:${index}`],
            compute: (current) => note(current, `cas:${index}`),
          }),
        ),
      );
      expect(results.every((result) => result.outcome === 'applied')).toBe(true);
      const final = await other.getPayment(payment.id);
      expect(final?.version).toBe(21);
      expect(Object.keys(final?.brokerData ?? {})).toHaveLength(20);
    });

    it('projects refunds into the refunds table in the same transaction', async () => {
      const store = await open();
      const payment = await created(store, { status: 'paid', amountPaid: 1999 });
      const at = new Date().toISOString();
      await store.applyChange({
        paymentId: payment.id,
        eventIds: ['r:1'],
        compute: (current) => ({
          payment: {
            ...current,
            status: 'partially_refunded',
            amountRefunded: 500,
            refunds: [
              { id: 'ref-1', kind: 'refund', amount: 500, status: 'succeeded', createdAt: at, updatedAt: at },
            ],
            version: current.version + 1,
          },
          transitions: [
            makeTransition(current, { from: 'paid', to: 'partially_refunded', cause: 'refunded' }),
          ],
        }),
      });
      const rows = await store.db
        .selectFrom('paybridge_refunds')
        .selectAll()
        .where('payment_id', '=', payment.id)
        .execute();
      expect(rows.map((row) => [row.refund_id, Number(row.amount), row.status])).toEqual([
        ['ref-1', 500, 'succeeded'],
      ]);
    });

    it('migrates once: a second migrate() applies nothing and data survives a new instance', async () => {
      const store = await open();
      const payment = await created(store);
      expect(await store.migrate()).toEqual({ applied: [], version: LATEST });
      const other = await sibling(store);
      expect(await other.getPayment(payment.id)).toEqual(payment);
    });
  });
}
