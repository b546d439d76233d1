import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApplyChangeRequest, Payment } from '@paybridge/core';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresEngine } from '../src/lib/postgres-engine';
import { changedColumns } from '../src/lib/queries';
import { paymentToRow, transitionToRow } from '../src/lib/rows';
import type { PaymentWrite } from '../src/lib/speedups/hot-sql';
import { postgresPaymentWrites, postgresSpeedups } from '../src/lib/speedups/postgres-speedups';
import { plain, type Speedups } from '../src/lib/speedups/speedups';
import { sqliteSpeedups } from '../src/lib/speedups/sqlite-speedups';
import { createSqlStore, type SqlPaymentStore } from '../src/lib/sql-store';
import { sqliteEngine } from '../src/lib/sqlite-engine';
import { capture, makePayment, makeTransition, note } from './support/fixtures';
import { databaseUrl, describePostgres, dropSchema, uniqueSchema } from './support/postgres';

interface Instance {
  speedups: Speedups;
  store: SqlPaymentStore;
}

/** The same checks on each dialect: instances (speed-ups + store) sharing one database. */
function fastPathSuite(open: () => Instance) {
  const instances: Instance[] = [];
  const instance = () => {
    const made = open();
    instances.push(made);
    return made;
  };
  afterAll(async () => {
    for (const made of instances.splice(0)) await made.store.close();
  });

  async function seeded(store: SqlPaymentStore): Promise<Payment> {
    const payment = makePayment({ status: 'pending' });
    await store.createPayment(payment, makeTransition(payment));
    return payment;
  }

  const paid = (paymentId: string, eventId: string): ApplyChangeRequest => ({
    paymentId,
    eventIds: [eventId],
    compute: (current) => capture(current, eventId),
  });

  it('applies on the row it saw in one write: the change, the claim and the transition', async () => {
    const { speedups, store } = instance();
    const payment = await seeded(store);
    const expected = speedups.remember(payment);
    const result = await speedups.applyChange({
      ...paid(payment.id, `e:${payment.id}:paid`),
      expected,
    });
    expect(result).toMatchObject({ outcome: 'applied', payment: { status: 'paid', version: 2 } });
    expect(await store.getPayment(payment.id)).toEqual(result?.payment);
    expect((await store.listTransitions(payment.id)).map((t) => t.eventId)).toEqual([
      null,
      `e:${payment.id}:paid`,
    ]);
    // The claim is real: the same event again is a duplicate for the full path.
    expect(
      await store.applyChange({
        paymentId: payment.id,
        eventIds: [`e:${payment.id}:paid`],
        compute: (current) => note(current, 'again'),
      }),
    ).toMatchObject({ outcome: 'duplicate', payment: { version: 2 } });
  });

  it('writes nothing and steps aside when the row it saw is stale', async () => {
    const { speedups, store } = instance();
    const other = instance().store;
    const payment = await seeded(store);
    const expected = speedups.remember(payment);
    await other.applyChange({
      paymentId: payment.id,
      eventIds: [`e:${payment.id}:note`],
      compute: (current) => note(current, 'elsewhere'),
    });
    expect(await speedups.applyChange({ ...paid(payment.id, `e:${payment.id}:paid`), expected })).toBeNull();
    const stored = await store.getPayment(payment.id);
    expect(stored).toMatchObject({ status: 'pending', version: 2, brokerData: { elsewhere: true } });
    // Its event id was not claimed: the full path applies it on the fresh row.
    expect(await store.applyChange(paid(payment.id, `e:${payment.id}:paid`))).toMatchObject({
      outcome: 'applied',
      payment: { status: 'paid', version: 3, brokerData: { elsewhere: true } },
    });
  });

  it('writes nothing when an event id was claimed before: not the change, not the other ids', async () => {
    const { speedups, store } = instance();
    const payment = await seeded(store);
    await store.applyChange({
      paymentId: payment.id,
      eventIds: [`e:${payment.id}:old`],
      compute: () => null,
    });
    const request: ApplyChangeRequest = {
      paymentId: payment.id,
      eventIds: [`e:${payment.id}:old`, `e:${payment.id}:new`],
      compute: (current, fresh) => note(current, [...fresh].sort().join('+')),
      expected: speedups.remember((await store.getPayment(payment.id)) as Payment),
    };
    expect(await speedups.applyChange(request)).toBeNull();
    expect(await store.getPayment(payment.id)).toMatchObject({ version: 1, brokerData: {} });
    expect(await store.listTransitions(payment.id)).toHaveLength(1);
    // The full path sees the one new id only.
    expect(await store.applyChange(request)).toMatchObject({
      outcome: 'applied',
      payment: { version: 2, brokerData: { [`e:${payment.id}:new`]: true } },
    });
  });

  it('leaves refusals, no-ops, refund rows and payments it did not hand out to the full path', async () => {
    const { speedups, store } = instance();
    const payment = await seeded(store);
    // No payment handed back, or one this store never handed out, or another payment's.
    expect(await speedups.applyChange(paid(payment.id, 'e:unseen'))).toBeNull();
    expect(
      await speedups.applyChange({ ...paid(payment.id, 'e:unseen'), expected: { ...payment } }),
    ).toBeNull();
    const other = speedups.remember(makePayment());
    expect(await speedups.applyChange({ ...paid(payment.id, 'e:unseen'), expected: other })).toBeNull();
    const expected = speedups.remember(payment);
    const throwing: ApplyChangeRequest = {
      paymentId: payment.id,
      expected,
      eventIds: ['e:throws'],
      compute: () => {
        throw new Error('refused');
      },
    };
    expect(await speedups.applyChange(throwing)).toBeNull();
    expect(await speedups.applyChange({ ...throwing, compute: () => null })).toBeNull();
    const refund: ApplyChangeRequest = {
      paymentId: payment.id,
      expected,
      eventIds: ['e:refund'],
      compute: (current) => ({
        payment: {
          ...current,
          refunds: [
            {
              id: 'rf-1',
              kind: 'refund',
              amount: 1,
              status: 'pending',
              createdAt: current.createdAt,
              updatedAt: current.createdAt,
            },
          ],
          version: current.version + 1,
        },
        transitions: [],
      }),
    };
    expect(await speedups.applyChange(refund)).toBeNull();
    expect(await store.getPayment(payment.id)).toMatchObject({ version: 1, status: 'pending' });
  });

  it('through the store: instances that read, then race on the same event, apply it once', async () => {
    const first = instance().store;
    const second = instance().store;
    for (let round = 0; round < 10; round++) {
      const payment = await seeded(first);
      // Both have read the payment and hand it back: both take the fast path.
      const [seenFirst, seenSecond] = await Promise.all([
        first.getPayment(payment.id),
        second.getPayment(payment.id),
      ]);
      const outcomes = await Promise.all([
        first.applyChange({ ...paid(payment.id, `e:${payment.id}:paid`), expected: seenFirst as Payment }),
        second.applyChange({ ...paid(payment.id, `e:${payment.id}:paid`), expected: seenSecond as Payment }),
      ]);
      expect(outcomes.map((o) => o.outcome).sort()).toEqual(['applied', 'duplicate']);
      expect(await first.getPayment(payment.id)).toMatchObject({ status: 'paid', version: 2 });
      expect(await first.listTransitions(payment.id)).toHaveLength(2);
    }
  });
}

describe('applyChange fast path on SQLite', () => {
  const folder = mkdtempSync(join(tmpdir(), 'paybridge-fast-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  fastPathSuite(() => {
    const engine = sqliteEngine({ filename: join(folder, 'fast.db'), busyTimeoutMs: 5000 });
    const speedups = sqliteSpeedups(engine);
    return { speedups, store: createSqlStore('sqlite', engine, {}, speedups) };
  });
});

describePostgres('applyChange fast path on PostgreSQL', () => {
  const schema = uniqueSchema('fast');
  afterAll(() => dropSchema(schema));
  fastPathSuite(() => {
    const engine = postgresEngine({ connectionString: databaseUrl as string, schema });
    const speedups = postgresSpeedups(engine);
    return { speedups, store: createSqlStore('postgres', engine, {}, speedups) };
  });
});

describePostgres('PostgreSQL fast writer: the writes of one turn in one set-based statement', () => {
  const schema = uniqueSchema('fastw');
  const engine = postgresEngine({ connectionString: databaseUrl as string, schema });
  const store = createSqlStore('postgres', engine, {}, plain(engine));
  const write = postgresPaymentWrites(engine);
  afterAll(async () => {
    await store.close();
    await dropSchema(schema);
  });

  /** A pending payment, and the write that captures it with `transitions` transitions in order. */
  async function pendingWrite(eventId: string, transitions = 1, staleBy = 0): Promise<PaymentWrite> {
    const payment = makePayment({ status: 'pending' });
    await store.createPayment(payment, makeTransition(payment));
    const change = capture(payment, eventId);
    const set = changedColumns(
      paymentToRow(payment, engine.toBool),
      paymentToRow(change.payment, engine.toBool),
    );
    const moved = Array.from({ length: transitions }, (_, index) =>
      makeTransition(change.payment, { eventId: index === 0 ? eventId : null, cause: `step-${index}` }),
    );
    return {
      paymentId: payment.id,
      version: payment.version - staleBy,
      set,
      eventIds: [eventId],
      transitions: moved.map(transitionToRow),
    };
  }

  it('applies every write of a turn, each with its claim and its transitions in order', async () => {
    const writes = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => pendingWrite(`batch:${n}:${Math.random()}`, n)),
    );
    expect(await Promise.all(writes.map(write))).toEqual([true, true, true, true, true]);
    for (const [index, pending] of writes.entries()) {
      expect(await store.getPayment(pending.paymentId)).toMatchObject({ status: 'paid', version: 2 });
      const causes = (await store.listTransitions(pending.paymentId)).map((t) => t.cause);
      expect(causes).toEqual(['created', ...Array.from({ length: index + 1 }, (_, step) => `step-${step}`)]);
    }
  });

  it('a stale write in the turn matches nothing and writes nothing; its neighbours apply', async () => {
    const [fresh, stale, other] = await Promise.all([
      pendingWrite(`fresh:${Math.random()}`),
      pendingWrite(`stale:${Math.random()}`, 1, 1),
      pendingWrite(`other:${Math.random()}`),
    ]);
    expect(await Promise.all([fresh, stale, other].map((p) => write(p as PaymentWrite)))).toEqual([
      true,
      false,
      true,
    ]);
    const staleId = (stale as PaymentWrite).paymentId;
    expect(await store.getPayment(staleId)).toMatchObject({ status: 'pending', version: 1 });
    expect(await store.listTransitions(staleId)).toHaveLength(1);
    // Its event was not claimed either: the full path can still apply it.
    expect(
      await store.applyChange({
        paymentId: staleId,
        eventIds: [(stale as PaymentWrite).eventIds[0] as string],
        compute: (current) => capture(current, 'x'),
      }),
    ).toMatchObject({ outcome: 'applied' });
  });

  it('an event claimed before fails that write alone (the turn is retried one by one)', async () => {
    const claimed = await pendingWrite(`claimed:${Math.random()}`);
    const [eventId] = claimed.eventIds as [string];
    const earlier = await pendingWrite(`earlier:${Math.random()}`);
    await store.applyChange({
      paymentId: earlier.paymentId,
      eventIds: [eventId],
      compute: (current) => note(current, 'claims it'),
    });
    const good = await pendingWrite(`good:${Math.random()}`);
    const [bad, fine] = await Promise.allSettled([write(claimed), write(good)]);
    expect(bad.status).toBe('rejected');
    expect(engine.isUniqueViolation((bad as PromiseRejectedResult).reason)).toBe(true);
    expect(fine).toEqual({ status: 'fulfilled', value: true });
    expect(await store.getPayment(claimed.paymentId)).toMatchObject({ status: 'pending', version: 1 });
    expect(await store.listTransitions(claimed.paymentId)).toHaveLength(1);
  });
});
