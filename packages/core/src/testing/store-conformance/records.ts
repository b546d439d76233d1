import { expect, it } from 'vitest';
import { isPaybridgeError } from '../../errors';
import type { PaymentStore } from '../../store';
import type { Payment } from '../../types';
import { creationTransition, makePayment } from '../fixtures';

/** Payments as records: created once, read back exactly, found by external id, listed and paged. */
export function recordChecks(store: () => PaymentStore): void {
  it('creates and reads back a payment exactly', async () => {
    const payment = makePayment({
      externalId: `ext-${Math.random()}`,
      recurrence: { interval: 'month', every: 1 },
    });
    await store().createPayment(payment, creationTransition(payment));
    expect(await store().getPayment(payment.id)).toEqual(payment);
    expect(await store().findPaymentByExternalId(payment.backend, payment.externalId as string)).toEqual(
      payment,
    );
    expect(await store().findPaymentByExternalId('other-backend', payment.externalId as string)).toBeNull();
    expect(await store().getPayment('pay_missing')).toBeNull();
    expect(await store().listTransitions(payment.id)).toEqual([creationTransition(payment)]);
  });

  it('refuses a second payment with the same id (CONFLICT)', async () => {
    const payment = makePayment();
    await store().createPayment(payment, creationTransition(payment));
    const error = await store()
      .createPayment(payment, creationTransition(payment))
      .catch((e: unknown) => e);
    expect(isPaybridgeError(error) && error.code).toBe('CONFLICT');
  });

  it('lists payments by order, status and expiry, newest first, paged', async () => {
    const orderId = `order-${Math.random().toString(36).slice(2)}`;
    const created: Payment[] = [];
    for (let i = 0; i < 5; i++) {
      const payment = makePayment({
        orderId,
        createdAt: new Date(Date.UTC(2026, 1, 1, 0, 0, i)).toISOString(),
        expiresAt: new Date(Date.UTC(2026, 1, 2, 0, 0, i)).toISOString(),
      });
      await store().createPayment(payment, creationTransition(payment));
      created.push(payment);
    }
    const first = await store().listPayments({ orderId, limit: 2 });
    expect(first.items.map((p) => p.id)).toEqual([created[4]?.id, created[3]?.id]);
    expect(first.nextCursor).not.toBeNull();
    const second = await store().listPayments({ orderId, limit: 2, cursor: first.nextCursor as string });
    expect(second.items.map((p) => p.id)).toEqual([created[2]?.id, created[1]?.id]);
    const expiring = await store().listPayments({
      orderId,
      status: 'new',
      expiresBefore: new Date(Date.UTC(2026, 1, 2, 0, 0, 2)).toISOString(),
    });
    expect(expiring.items.map((p) => p.id).sort()).toEqual([created[0]?.id, created[1]?.id].sort());
    // Reconciliation's "older than": created strictly before the instant, with the other filters.
    const older = await store().listPayments({
      orderId,
      status: 'new',
      createdBefore: new Date(Date.UTC(2026, 1, 1, 0, 0, 3)).toISOString(),
      limit: 2,
    });
    expect(older.items.map((p) => p.id)).toEqual([created[2]?.id, created[1]?.id]);
    const rest = await store().listPayments({
      orderId,
      createdBefore: new Date(Date.UTC(2026, 1, 1, 0, 0, 3)).toISOString(),
      cursor: older.nextCursor as string,
    });
    expect(rest.items.map((p) => p.id)).toEqual([created[0]?.id]);
  });
}
