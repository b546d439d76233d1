import { describe, expect, it } from 'vitest';
import { capture, makePayment, makeTransition, note } from './fixtures';
import { type ContractTarget, codeOf, storesFor } from './store-harness';

/**
 * What a real deployment meets beyond the happy path, on both dialects: a write failing half-way
 * through a change, values PostgreSQL's text types refuse, ties in the paging keys, many writers.
 */
export function describeSqlStoreRobustness(label: string, target: ContractTarget): void {
  describe(`${label}: robustness`, () => {
    const { open, sibling, created } = storesFor(target);

    it('rolls back the claim and the compare-and-set when the transition insert fails after them', async () => {
      const store = await open();
      const payment = makePayment();
      const creation = makeTransition(payment);
      await store.createPayment(payment, creation);
      // The transition reuses an existing id: its INSERT, the last write of the attempt, violates UNIQUE.
      const failing = await codeOf(
        store.applyChange({
          paymentId: payment.id,
          eventIds: ['atomic:1'],
          compute: (current) => {
            const change = capture(current, 'atomic:1');
            return { ...change, transitions: change.transitions.map((t) => ({ ...t, id: creation.id })) };
          },
        }),
      );
      expect(failing).toBe('STORE_UNAVAILABLE');
      expect(await store.getPayment(payment.id)).toEqual(payment);
      expect(await store.listTransitions(payment.id)).toHaveLength(1);
      const retried = await store.applyChange({
        paymentId: payment.id,
        eventIds: ['atomic:1'],
        compute: (current) => capture(current, 'atomic:1'),
      });
      expect(retried.outcome).toBe('applied');
      expect((await store.listTransitions(payment.id)).map((t) => t.to)).toEqual(['new', 'paid']);
    });

    it('refuses to write non-integer money, storing nothing', async () => {
      const store = await open();
      const payment = makePayment({ amount: 19.99 });
      expect(await codeOf(store.createPayment(payment, makeTransition(payment)))).toBe('INTERNAL');
      expect(await store.getPayment(payment.id)).toBeNull();
      const good = await created(store);
      const bad = await codeOf(
        store.applyChange({
          paymentId: good.id,
          eventIds: ['float:1'],
          compute: (current) => {
            const change = capture(current, 'float:1');
            return { ...change, payment: { ...change.payment, amountPaid: 0.5 } };
          },
        }),
      );
      expect(bad).toBe('INTERNAL');
      expect(await store.getPayment(good.id)).toEqual(good);
    });

    it('stores buyer text holding U+0000 (which PostgreSQL refuses) instead of failing every retry', async () => {
      const store = await open();
      const payment = await created(store, {
        description: 'Mug for A\u0000B',
        buyer: { email: 'buyer@example.com', lastName: 'A\u0000B' },
        brokerData: { 'key\u0000': ['x\u0000y', { deep: '\u0000' }], plain: 'back\\u0000slash' },
      });
      const stored = await store.getPayment(payment.id);
      expect(stored?.description).toBe('Mug for A\uFFFDB');
      expect(stored?.buyer).toEqual({ email: 'buyer@example.com', lastName: 'A\uFFFDB' });
      // A literal backslash before "u0000" is text, not a NUL, and is kept as it was.
      expect(stored?.brokerData).toEqual({
        'key\uFFFD': ['x\uFFFDy', { deep: '\uFFFD' }],
        plain: 'back\\u0000slash',
      });
      const result = await store.applyChange({
        paymentId: payment.id,
        eventIds: ['nul:1'],
        compute: (current) => note(current, 'nul\u0000evt'),
      });
      expect(result.outcome).toBe('applied');
      expect((await store.getPayment(payment.id))?.brokerData).toHaveProperty('nul\uFFFDevt', true);

      const body = '{"name":"A\u0000B","amount":"12.00"}';
      const message = await store.appendMessage({
        direction: 'inbound',
        backend: 'nul',
        kind: 'notification',
        method: 'POST',
        url: 'https://shop.example/notify/nul?x=\u0000',
        headers: { 'x-odd': 'a\u0000b' },
        body,
        bodyEncoding: 'utf8',
        detail: 'bad\u0000detail',
      });
      await store.updateMessage(message.id, {
        outcome: 'applied',
        responseBody: 'ok\u0000',
        paymentId: payment.id,
      });
      const [logged] = (await store.listMessages({ paymentId: payment.id })).items;
      // The body's bytes are all there, as base64.
      expect(logged?.bodyEncoding).toBe('base64');
      expect(Buffer.from(logged?.body ?? '', 'base64').toString('utf8')).toBe(body);
      expect(logged).toMatchObject({
        id: message.id,
        url: 'https://shop.example/notify/nul?x=\uFFFD',
        headers: { 'x-odd': 'a\uFFFDb' },
        detail: 'bad\uFFFDdetail',
        responseBody: 'ok\uFFFD',
        outcome: 'applied',
      });
      expect(message).toMatchObject({ body: logged?.body, bodyEncoding: 'base64' });
    });

    it('two warmed-up instances write at once (facts, log, outbox) without stalling or failing', async () => {
      const store = await open();
      const other = await sibling(store);
      const payment = await created(store);
      // Both instances have their connection open and the schema checked before the burst.
      expect(await other.getPayment(payment.id)).toEqual(payment);
      const started = Date.now();
      const work = Array.from({ length: 20 }, (_, index) => {
        const instance = index % 2 ? other : store;
        return Promise.all([
          instance.applyChange({
            paymentId: payment.id,
            eventIds: [`burst:${index}`],
            compute: (current) => note(current, `burst:${index}`),
          }),
          instance.appendMessage({
            direction: 'inbound',
            backend: 'burst',
            kind: 'notification',
            method: 'POST',
            url: 'https://shop.example/notify',
            headers: {},
            body: String(index),
            bodyEncoding: 'utf8',
            paymentId: payment.id,
          }),
          instance.markTransitionsEmitted([`tr_none_${index}`]),
        ]);
      });
      await Promise.all(work);
      expect(Date.now() - started).toBeLessThan(target.burstMs ?? 5000);
      expect((await store.getPayment(payment.id))?.version).toBe(21);
      expect((await other.listMessages({ paymentId: payment.id, limit: 100 })).items).toHaveLength(20);
    });
  });
}
