import { describe, expect, it } from 'vitest';
import { type ContractTarget, expectCode, storesFor } from './store-harness';

/**
 * The paging corners core's conformance suite leaves out, on both dialects: keyset cursors that stay
 * stable on ties (payments by id, the message log by its sequence), foreign cursors, the direction filter.
 */
export function describeSqlStoreListing(label: string, target: ContractTarget): void {
  describe(`${label}: listing and paging`, () => {
    const { open, created } = storesFor(target);

    it('filters messages by direction, refuses cursors it did not hand out and updates of unknown messages', async () => {
      const store = await open();
      const backend = `b${Math.random().toString(36).slice(2)}`;
      const ids: string[] = [];
      for (const direction of ['inbound', 'outbound'] as const) {
        const message = await store.appendMessage({
          direction,
          backend,
          kind: 'notification',
          method: 'POST',
          url: `https://shop.example/notify/${backend}`,
          headers: { 'content-type': 'application/json', 'x-n': direction },
          body: '{}',
          bodyEncoding: 'utf8',
        });
        ids.push(message.id);
      }
      const outbound = await store.listMessages({ backend, direction: 'outbound' });
      expect(outbound.items.map((m) => m.id)).toEqual([ids[1]]);
      expect(outbound.items[0]?.headers).toEqual({ 'content-type': 'application/json', 'x-n': 'outbound' });
      await expectCode(store.updateMessage('msg_missing', { outcome: 'x' }), 'NOT_FOUND');
      await expectCode(store.listMessages({ cursor: 'zzz' }), 'BAD_REQUEST');
      await expectCode(store.listPayments({ cursor: 'not-a-cursor' }), 'BAD_REQUEST');
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

    it('answers an appended message as the log reads it back, every field', async () => {
      const store = await open();
      const backend = `echo${Math.random().toString(36).slice(2)}`;
      const fields = {
        direction: 'outbound',
        backend,
        kind: 'capture',
        method: 'POST',
        url: 'https://broker.example/capture',
        headers: { 'x-odd\u0000name': 'a\u0000b', accept: 'application/json' },
        body: 'with a NUL \u0000 inside',
        bodyEncoding: 'utf8',
        verdict: 'verified',
        outcome: 'applied',
        responseStatus: 201,
        responseBody: 'created',
        paymentId: 'pay_echo',
        detail: 'fine',
        durationMs: 12.6,
      } as const;
      // Only what every message has: the optional fields come back as null.
      const bare = await store.appendMessage({
        direction: 'inbound',
        backend: `${backend}-bare`,
        kind: 'notification',
        method: 'POST',
        url: 'https://shop.example/notify',
        headers: {},
        body: '',
        bodyEncoding: 'utf8',
      });
      const full = await store.appendMessage(fields);
      expect(full).toMatchObject({
        bodyEncoding: 'base64',
        durationMs: 13,
        headers: { 'x-odd\uFFFDname': 'a\uFFFDb' },
      });
      expect(bare).toMatchObject({ verdict: null, outcome: null, responseStatus: null, durationMs: null });
      expect((await store.listMessages({ backend })).items).toEqual([full]);
      expect((await store.listMessages({ backend: `${backend}-bare` })).items).toEqual([bare]);
    });

    it('refuses a message whose status is not a whole number, and writes nothing of it', async () => {
      const store = await open();
      const backend = `odd-${Math.random().toString(36).slice(2)}`;
      const refused = await store
        .appendMessage({
          direction: 'outbound',
          backend,
          kind: 'refund',
          method: 'POST',
          url: 'https://broker.example/refunds',
          headers: {},
          body: '',
          bodyEncoding: 'utf8',
          responseStatus: 200.5,
        })
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(refused).toBeInstanceOf(Error);
      expect((await store.listMessages({ backend })).items).toEqual([]);
    });
  });
}
