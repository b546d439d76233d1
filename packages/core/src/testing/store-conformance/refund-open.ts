import { expect, it } from 'vitest';
import { applyFacts } from '../../status-machine';
import type { PaymentStore } from '../../store';
import type { LedgerEntry, Payment, PaymentFact } from '../../types';
import { creationTransition, makePayment } from '../fixtures';

/** The change the pipeline would write for these facts, on the payment as the store handed it out. */
async function apply(store: PaymentStore, paymentId: string, facts: PaymentFact[]): Promise<Payment> {
  const expected = (await store.getPayment(paymentId)) ?? undefined;
  const result = await store.applyChange({
    paymentId,
    eventIds: facts.map((fact) => fact.eventId),
    ...(expected ? { expected } : {}),
    compute(current, fresh) {
      const applied = applyFacts(
        current,
        facts.filter((fact) => fresh.has(fact.eventId)),
        { now: new Date().toISOString(), newId: () => `trn_${Math.random().toString(36).slice(2)}` },
      );
      if (!applied.changed) return null;
      return {
        payment: { ...applied.payment, version: current.version + 1 },
        transitions: applied.transitions,
      };
    },
  });
  expect(result.outcome).toBe('applied');
  return result.payment;
}

const uniqueOrder = () => `order-refund-open-${Math.random().toString(36).slice(2)}`;

async function openIds(store: PaymentStore, orderId: string): Promise<string[]> {
  const page = await store.listPayments({ orderId, refundOpen: true });
  return page.items.map((payment) => payment.id).sort();
}

const entry = (id: string, status: LedgerEntry['status']): LedgerEntry => ({
  id,
  kind: 'refund',
  amount: 500,
  status,
  createdAt: '2026-01-01T12:00:00.000Z',
  updatedAt: '2026-01-01T12:00:00.000Z',
});

/** Payments of one order: paid, one with a refund still pending, one whose refund succeeded. */
function refundOpenFixtures(orderId = uniqueOrder()): { open: Payment; settled: Payment[] } {
  const paid = { status: 'paid', amountPaid: 1999, orderId } as const;
  return {
    open: makePayment({ ...paid, refunds: [entry('rfd_open', 'pending')] }),
    settled: [
      makePayment(paid),
      makePayment({
        ...paid,
        status: 'partially_refunded',
        amountRefunded: 500,
        refunds: [entry('rfd_done', 'succeeded')],
      }),
    ],
  };
}

/**
 * `listPayments({ refundOpen: true })`: set by a pending refund on every write, cleared when the
 * refund succeeds or fails. `earlierSchema`, when the store has one, proves rows written before the
 * filter existed are found after its migration.
 */
export function refundOpenChecks(
  store: () => PaymentStore,
  earlierSchema?: (payments: readonly Payment[]) => Promise<PaymentStore>,
): void {
  it('lists payments with a refund still open: set by a pending refund, cleared when it settles', async () => {
    const orderId = uniqueOrder();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const payment = makePayment({ orderId });
      await store().createPayment(payment, creationTransition(payment));
      await apply(store(), payment.id, [
        { type: 'captured', eventId: `cap-${payment.id}`, captureId: 'c1', amount: 1999, currency: 'EUR' },
      ]);
      ids.push(payment.id);
    }
    const [succeeds = '', fails = '', untouched = ''] = ids;
    expect(await openIds(store(), orderId)).toEqual([]);
    for (const id of [succeeds, fails]) {
      const pending = await apply(store(), id, [
        { type: 'refund_pending', eventId: `rp-${id}`, refundId: `r-${id}`, amount: 500, currency: 'EUR' },
      ]);
      expect(pending.refunds[0]?.status).toBe('pending');
    }
    expect(await openIds(store(), orderId)).toEqual([succeeds, fails].sort());
    await apply(store(), succeeds, [
      {
        type: 'refunded',
        eventId: `rd-${succeeds}`,
        refundId: `r-${succeeds}`,
        amount: 500,
        currency: 'EUR',
      },
    ]);
    expect(await openIds(store(), orderId)).toEqual([fails]);
    await apply(store(), fails, [
      { type: 'refund_failed', eventId: `rf-${fails}`, refundId: `r-${fails}`, reason: 'declined' },
    ]);
    expect(await openIds(store(), orderId)).toEqual([]);
    expect((await store().getPayment(untouched))?.refunds).toEqual([]);
  });

  it('a payment created with a refund pending is listed at once, with the other filters', async () => {
    const { open, settled } = refundOpenFixtures();
    for (const payment of [open, ...settled])
      await store().createPayment(payment, creationTransition(payment));
    expect(await openIds(store(), open.orderId)).toEqual([open.id]);
    const page = await store().listPayments({ orderId: open.orderId, refundOpen: true, status: 'new' });
    expect(page.items).toEqual([]);
  });

  if (earlierSchema) {
    it('finds the refunds open in rows an earlier schema wrote (migrated)', async () => {
      const { open, settled } = refundOpenFixtures();
      const migrated = await earlierSchema([open, ...settled]);
      try {
        expect(await openIds(migrated, open.orderId)).toEqual([open.id]);
        expect(await migrated.getPayment(open.id)).toEqual(open);
        await apply(migrated, open.id, [
          { type: 'refunded', eventId: `rd-${open.id}`, refundId: 'rfd_open', amount: 500, currency: 'EUR' },
        ]);
        expect(await openIds(migrated, open.orderId)).toEqual([]);
      } finally {
        await migrated.close?.();
      }
    });
  }
}
