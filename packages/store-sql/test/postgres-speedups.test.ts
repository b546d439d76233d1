import type { ApplyChangeRequest, Payment } from '@paybridge/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postgresEngine } from '../src/lib/postgres-engine';
import type { MessageRow } from '../src/lib/queries';
import { postgresSpeedups } from '../src/lib/speedups/postgres-speedups';
import { createSqlStore } from '../src/lib/sql-store';
import { capture, makePayment, makeTransition } from './support/fixtures';
import { databaseUrl, describePostgres, dropSchema, uniqueSchema } from './support/postgres';

describePostgres('statements shared between concurrent callers (PostgreSQL)', () => {
  const schema = uniqueSchema('shared');
  const engine = postgresEngine({ connectionString: databaseUrl as string, schema });
  const speedups = postgresSpeedups(engine);
  const store = createSqlStore('postgres', engine, {}, speedups);
  beforeAll(() => store.migrate());
  afterAll(async () => {
    await store.close();
    await dropSchema(schema);
  });

  const message = (id: string, overrides: Partial<MessageRow> = {}): MessageRow => ({
    id,
    direction: 'inbound',
    backend: 'payu',
    kind: 'notification',
    method: 'POST',
    url: 'https://shop.example/pay/notify/payu',
    headers: JSON.stringify({ 'content-type': 'application/json' }),
    body: `{"n":"${id}"}`,
    body_encoding: 'utf8',
    verdict: 'unverified',
    outcome: null,
    response_status: null,
    response_body: null,
    payment_id: null,
    detail: null,
    duration_ms: null,
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
    ...overrides,
  });
  // On the pool, the queries of one turn share a statement.
  const { db } = engine;
  const shared = {
    insertMessage: (row: MessageRow) => speedups.queries.insertMessage(db, row),
    updateMessage: (id: string, set: Partial<MessageRow>) => speedups.queries.updateMessage(db, id, set),
  };

  it('logs, updates and reads many messages of one turn as through the store API', async () => {
    const ids = Array.from({ length: 30 }, (_, n) => `msg_shared_${n}`);
    await Promise.all(ids.map((id) => shared.insertMessage(message(id))));
    const found = await Promise.all([
      ...ids.map((id, n) =>
        shared.updateMessage(id, { verdict: 'verified', outcome: `applied-${n}`, response_status: 200 }),
      ),
      shared.updateMessage('msg_missing', { verdict: 'verified', outcome: 'x', response_status: 200 }),
    ]);
    expect(found).toEqual([...ids.map(() => true), false]);
    const { items } = await store.listMessages({ limit: 500 });
    const byId = new Map(items.map((item) => [item.id, item]));
    ids.forEach((id, n) => {
      expect(byId.get(id)).toMatchObject({
        verdict: 'verified',
        outcome: `applied-${n}`,
        responseStatus: 200,
      });
    });
    await expect(store.updateMessage('msg_missing', { outcome: 'x' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('applies two updates of one message in one turn in the order they came', async () => {
    await shared.insertMessage(message('msg_twice'));
    await Promise.all([
      shared.updateMessage('msg_twice', { outcome: 'first' }),
      shared.updateMessage('msg_twice', { outcome: 'second' }),
    ]);
    const { items } = await store.listMessages({ limit: 500 });
    expect(items.find((item) => item.id === 'msg_twice')?.outcome).toBe('second');
  });

  it('fails only the item the database refuses; the rest of its turn is written', async () => {
    const outcomes = await Promise.allSettled([
      shared.insertMessage(message('msg_good_1')),
      shared.insertMessage(message('msg_bad', { response_status: 'not a number' as unknown as number })),
      shared.insertMessage(message('msg_good_2')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const ids = new Set((await store.listMessages({ limit: 500 })).items.map((item) => item.id));
    expect(ids.has('msg_good_1') && ids.has('msg_good_2') && !ids.has('msg_bad')).toBe(true);
  });

  it('reads payments of one turn in one statement, each caller its own', async () => {
    const payments = Array.from({ length: 5 }, () => makePayment());
    for (const payment of payments) await store.createPayment(payment, makeTransition(payment));
    const read = await Promise.all([
      ...payments.map((p) => store.getPayment(p.id)),
      store.getPayment('pay_none'),
    ]);
    expect(read.map((p) => p?.id ?? null)).toEqual([...payments.map((p) => p.id), null]);
  });

  it('shares fast writes between payments; an event claimed before fails alone, a payment twice runs in order', async () => {
    const payments: Payment[] = [];
    for (let n = 0; n < 4; n++) {
      const payment = makePayment({ status: 'pending' });
      await store.createPayment(payment, makeTransition(payment));
      payments.push(payment);
    }
    const [a, b, c, d] = payments as [Payment, Payment, Payment, Payment];
    // b's event was claimed already (by an unchanged outcome).
    await store.applyChange({ paymentId: b.id, eventIds: [`e:${b.id}`], compute: () => null });
    const read = new Map<string, Payment>();
    for (const payment of payments) read.set(payment.id, (await store.getPayment(payment.id)) as Payment);
    const paid = (payment: Payment, eventId = `e:${payment.id}`): ApplyChangeRequest => ({
      paymentId: payment.id,
      eventIds: [eventId],
      compute: (current) => capture(current, eventId),
      expected: read.get(payment.id) as Payment,
    });
    const results = await Promise.all([
      speedups.applyChange(paid(a)),
      speedups.applyChange(paid(b)),
      speedups.applyChange(paid(c)),
      speedups.applyChange(paid(d)),
      // d again in the same turn, with another event: the first write makes this row stale.
      speedups.applyChange(paid(d, `e:${d.id}:again`)),
    ]);
    expect(results.map((r) => r?.outcome ?? 'full path')).toEqual([
      'applied',
      'full path',
      'applied',
      'applied',
      'full path',
    ]);
    for (const payment of [a, c, d]) {
      expect(await store.getPayment(payment.id)).toMatchObject({ status: 'paid', version: 2 });
      expect(await store.listTransitions(payment.id)).toHaveLength(2);
    }
    expect(await store.getPayment(b.id)).toMatchObject({ status: 'pending', version: 1 });
    expect(await store.listTransitions(b.id)).toHaveLength(1);
  });
});
