import type { Payment } from '@paybridge/core';
import { describe, expect, it } from 'vitest';
import { type ContractTarget, expectCode, storesFor } from './store-harness';

/**
 * The queries the admin pages need, on both dialects: payments newest first and the gateway
 * message log latest first, filtered and paged with keyset cursors that stay stable on ties.
 */
export function describeSqlStoreListing(label: string, target: ContractTarget): void {
  describe(`${label}: listing and paging`, () => {
    const { open, created } = storesFor(target);

    it('lists payments newest first with filters and cursor paging', async () => {
      const store = await open();
      const orderId = `order-${Math.random()}`;
      const made: Payment[] = [];
      for (let index = 0; index < 7; index++) {
        made.push(
          await created(store, {
            orderId,
            createdAt: `2024-01-01T00:00:0${index}.000Z`,
            expiresAt: `2024-01-02T00:00:0${index}.000Z`,
            status: index % 2 ? 'pending' : 'new',
          }),
        );
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listPayments({ orderId, limit: 3, ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items.map((p) => p.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(made.map((p) => p.id).reverse());
      const pending = await store.listPayments({ orderId, status: 'pending' });
      expect(pending.items).toHaveLength(3);
      const expiring = await store.listPayments({ orderId, expiresBefore: '2024-01-02T00:00:02.000Z' });
      expect(expiring.items.map((p) => p.id)).toEqual([made[1]?.id, made[0]?.id]);
      await expectCode(store.listPayments({ cursor: 'not-a-cursor' }), 'BAD_REQUEST');
    });

    it('logs gateway messages, updates them, and pages them latest first by payment and backend', async () => {
      const store = await open();
      const backend = `b${Math.random().toString(36).slice(2)}`;
      const ids: string[] = [];
      for (let index = 0; index < 5; index++) {
        const message = await store.appendMessage({
          direction: index === 4 ? 'outbound' : 'inbound',
          backend,
          kind: 'notification',
          method: 'POST',
          url: `https://shop.example/notify/${backend}?n=${index}`,
          headers: { 'content-type': 'application/json', 'x-n': String(index) },
          body: `{"n":${index}}`,
          bodyEncoding: 'utf8',
          ...(index < 2 ? { paymentId: 'pay_msg' } : {}),
        });
        expect(message.id).toMatch(/^msg_/);
        expect(message.verdict).toBeNull();
        ids.push(message.id);
      }
      await store.updateMessage(ids[0] ?? '', {
        verdict: 'verified',
        outcome: 'applied',
        responseStatus: 200,
        durationMs: 12,
      });
      await store.updateMessage(ids[2] ?? '', { paymentId: 'pay_msg' });
      await expectCode(store.updateMessage('msg_missing', { outcome: 'x' }), 'NOT_FOUND');

      const byPayment = await store.listMessages({ paymentId: 'pay_msg' });
      expect(byPayment.items.map((m) => m.id)).toEqual([ids[2], ids[1], ids[0]]);
      const first = byPayment.items[2];
      expect(first).toMatchObject({
        verdict: 'verified',
        outcome: 'applied',
        responseStatus: 200,
        durationMs: 12,
      });
      expect(first?.headers).toEqual({ 'content-type': 'application/json', 'x-n': '0' });

      const paged: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listMessages({ backend, limit: 2, ...(cursor ? { cursor } : {}) });
        paged.push(...page.items.map((m) => m.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(paged).toEqual([...ids].reverse());
      const outbound = await store.listMessages({ backend, direction: 'outbound' });
      expect(outbound.items.map((m) => m.id)).toEqual([ids[4]]);
      await expectCode(store.listMessages({ cursor: 'zzz' }), 'BAD_REQUEST');
    });

    it('pages payments and messages whose timestamps tie without repeating or skipping one', async () => {
      const store = await open();
      const orderId = `tie-${Math.random()}`;
      const at = '2024-05-05T05:05:05.000Z';
      const ids: string[] = [];
      for (let index = 0; index < 7; index++) ids.push((await created(store, { orderId, createdAt: at })).id);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listPayments({ orderId, limit: 2, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((p) => p.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toHaveLength(7);
      expect(new Set(seen)).toEqual(new Set(ids));
      // Ties are broken by id, in the database's own order, the same on every page.
      const again = await store.listPayments({ orderId, limit: 7 });
      expect(again.items.map((p) => p.id)).toEqual(seen);

      const backend = `tie${Math.random().toString(36).slice(2)}`;
      const messages: string[] = [];
      for (let index = 0; index < 5; index++) {
        const message = await store.appendMessage({
          direction: 'inbound',
          backend,
          kind: 'notification',
          method: 'POST',
          url: 'https://shop.example/notify',
          headers: {},
          body: String(index),
          bodyEncoding: 'utf8',
          createdAt: at,
        });
        messages.push(message.id);
      }
      const logged: string[] = [];
      cursor = undefined;
      do {
        const page = await store.listMessages({ backend, limit: 2, ...(cursor ? { cursor } : {}) });
        logged.push(...page.items.map((m) => m.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(logged).toEqual([...messages].reverse());
    });
  });
}
