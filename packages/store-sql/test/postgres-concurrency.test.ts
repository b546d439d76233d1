import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SqlPaymentStore } from '../src/lib/sql-store';
import { bridgeOn, dummyNotification } from './support/bridge';
import { describePostgres, dropSchema, openPostgres, uniqueSchema } from './support/postgres';

const schema = uniqueSchema('concurrency');

/**
 * The acceptance test: two app instances (two bridges, two connection pools) share one
 * PostgreSQL database and receive the same verified notification 50 times at once.
 */
describePostgres('two bridge instances on one PostgreSQL database', () => {
  let storeA: SqlPaymentStore;
  let storeB: SqlPaymentStore;
  beforeAll(async () => {
    storeA = openPostgres(schema, { max: 10 });
    storeB = openPostgres(schema, { max: 10 });
    await Promise.all([storeA.migrate(), storeB.migrate()]);
  });
  afterAll(async () => {
    await storeA?.close();
    await storeB?.close();
    await dropSchema(schema);
  });

  it('50 concurrent deliveries of the same notification: one transition, one accepted event', async () => {
    const a = bridgeOn(storeA);
    const b = bridgeOn(storeB);
    const { payment } = await a.bridge.startPayment({ backend: 'dummy', orderId: 'same-50' });
    const requests = await Promise.all(
      Array.from({ length: 50 }, () => dummyNotification(payment, `dmy_same_${payment.id}`)),
    );
    const responses = await Promise.all(
      requests.map((request, index) => (index % 2 ? b : a).bridge.handler(request)),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));

    const transitions = await storeB.listTransitions(payment.id);
    expect(transitions.map((t) => t.to)).toEqual(['new', 'paid']);
    expect([...a.accepted, ...b.accepted]).toEqual([payment.id]);
    expect(await storeA.getPayment(payment.id)).toMatchObject({
      status: 'paid',
      amountPaid: 2500,
      version: 2,
    });

    const log = await storeA.listMessages({ paymentId: payment.id, limit: 100 });
    const outcomes: Record<string, number> = {};
    for (const message of log.items)
      outcomes[String(message.outcome)] = (outcomes[String(message.outcome)] ?? 0) + 1;
    expect(outcomes).toEqual({ applied: 1, duplicate: 49 });
    const claims = await storeB.db
      .selectFrom('paybridge_processed_events')
      .select('event_id')
      .where('payment_id', '=', payment.id)
      .execute();
    expect(claims).toHaveLength(1);

    // The winner delivered and marked its transition: no outbox drain, on either instance and however
    // late, can deliver `payment.accepted` a second time.
    const late = { now: new Date(Date.now() + 3_600_000).toISOString(), leaseMs: 30_000 };
    const undelivered = [
      ...(await storeA.claimUnemittedTransitions(1000, late)),
      ...(await storeB.claimUnemittedTransitions(1000, late)),
    ].filter((transition) => transition.paymentId === payment.id && transition.to === 'paid');
    expect(undelivered).toEqual([]);
  });

  it('50 different notifications for 50 payments all apply', async () => {
    const a = bridgeOn(storeA);
    const b = bridgeOn(storeB);
    const payments = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        (index % 2 ? b : a).bridge.startPayment({ backend: 'dummy', orderId: `many-${index}` }),
      ),
    );
    const requests = await Promise.all(
      payments.map(({ payment }) => dummyNotification(payment, `dmy_many_${payment.id}`)),
    );
    const responses = await Promise.all(
      requests.map((request, index) => (index % 3 ? a : b).bridge.handler(request)),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));
    for (const { payment } of payments) {
      expect((await storeB.getPayment(payment.id))?.status).toBe('paid');
      expect((await storeA.listTransitions(payment.id)).filter((t) => t.to === 'paid')).toHaveLength(1);
      const log = await storeB.listMessages({ paymentId: payment.id });
      expect(log.items.map((message) => message.outcome)).toEqual(['applied']);
    }
    expect([...a.accepted, ...b.accepted].sort()).toEqual(payments.map(({ payment }) => payment.id).sort());
  });
});
