import type { Payment } from '@paybridge/core';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../migrations';
import { capture, makePayment, makeTransition, note } from './fixtures';
import { type ContractTarget, expectCode, storesFor } from './store-harness';

const ALL_VERSIONS = MIGRATIONS.map((m) => m.version);
const LATEST = Math.max(...ALL_VERSIONS);

export type { ContractTarget } from './store-harness';

/**
 * This package's own checks of the PaymentStore contract, run on both dialects: what core's
 * `runStoreConformance` covers plus what only a SQL store has (persistence, the refunds table,
 * several instances on one database).
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

    it('refuses a second payment with the same id (CONFLICT) and keeps the first', async () => {
      const store = await open();
      const payment = await created(store);
      const clash = makePayment({ id: payment.id, amount: 1 });
      await expectCode(store.createPayment(clash, makeTransition(clash)), 'CONFLICT');
      expect((await store.getPayment(payment.id))?.amount).toBe(payment.amount);
      expect(await store.listTransitions(payment.id)).toHaveLength(1);
    });

    it('applies a fact once: applied, then duplicate for the same event id', async () => {
      const store = await open();
      const payment = await created(store);
      const request = {
        paymentId: payment.id,
        eventIds: ['dummy:evt-1'],
        compute: (current: Payment) => capture(current, 'dummy:evt-1'),
      };
      const first = await store.applyChange(request);
      expect(first.outcome).toBe('applied');
      expect(first.payment.version).toBe(2);
      const second = await store.applyChange(request);
      expect(second.outcome).toBe('duplicate');
      expect(second.payment).toEqual(first.payment);
      const stored = await store.getPayment(payment.id);
      expect(stored).toEqual(first.payment);
      const transitions = await store.listTransitions(payment.id);
      expect(transitions.map((t) => [t.from, t.to, t.eventId])).toEqual([
        ['new', 'new', null],
        ['new', 'paid', 'dummy:evt-1'],
      ]);
      expect(transitions[1]?.effects).toEqual([{ event: 'payment.accepted' }]);
    });

    it('keeps the claim of an unchanged fact, passes only fresh ids to compute', async () => {
      const store = await open();
      const payment = await created(store);
      const unchanged = await store.applyChange({
        paymentId: payment.id,
        eventIds: ['e:a'],
        compute: () => null,
      });
      expect(unchanged.outcome).toBe('unchanged');
      expect(unchanged.payment).toEqual(payment);
      const again = await store.applyChange({
        paymentId: payment.id,
        eventIds: ['e:a'],
        compute: () => {
          throw new Error('must not run for a duplicate');
        },
      });
      expect(again.outcome).toBe('duplicate');
      let seen: string[] = [];
      const mixed = await store.applyChange({
        paymentId: payment.id,
        eventIds: ['e:a', 'e:b', 'e:b'],
        compute: (current, fresh) => {
          seen = [...fresh];
          return note(current, 'e:b');
        },
      });
      expect(seen).toEqual(['e:b']);
      expect(mixed.outcome).toBe('applied');
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

    it('rejects an unknown payment, a bad version, and passes compute errors through, claiming nothing', async () => {
      const store = await open();
      await expectCode(
        store.applyChange({ paymentId: 'pay_nope', eventIds: ['x:1'], compute: (p) => note(p, 'x') }),
        'UNKNOWN_PAYMENT',
      );
      const payment = await created(store);
      await expectCode(
        store.applyChange({
          paymentId: payment.id,
          eventIds: ['x:2'],
          compute: (p) => ({ payment: { ...p, version: p.version + 5 }, transitions: [] }),
        }),
        'CONFLICT',
      );
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
      for (const eventId of ['x:1', 'x:2', 'x:3']) {
        const result = await store.applyChange({
          paymentId: payment.id,
          eventIds: [eventId],
          compute: (p) => note(p, eventId),
        });
        expect(result.outcome).toBe('applied');
      }
      expect((await store.getPayment(payment.id))?.version).toBe(4);
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

    it('claims undelivered transitions with a lease until they are marked emitted', async () => {
      const store = await open();
      const payment = await created(store);
      await store.applyChange({
        paymentId: payment.id,
        eventIds: ['o:1'],
        compute: (p) => capture(p, 'o:1'),
      });
      const later = (ms: number) => ({ now: new Date(Date.now() + ms).toISOString(), leaseMs: 30_000 });
      const mine = async (ms: number) =>
        (await store.claimUnemittedTransitions(1000, later(ms))).filter((t) => t.paymentId === payment.id);
      expect(await mine(0)).toEqual([]);
      const pending = await mine(31_000);
      expect(pending.map((t) => t.to)).toEqual(['new', 'paid']);
      expect(await mine(32_000)).toEqual([]);
      await store.markTransitionsEmitted([pending[0]?.id ?? '']);
      const left = await mine(70_000);
      expect(left.map((t) => t.to)).toEqual(['paid']);
      await store.markTransitionsEmitted(left.map((t) => t.id));
      expect(await mine(200_000)).toEqual([]);
      expect(await store.listTransitions(payment.id)).toHaveLength(2);
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
