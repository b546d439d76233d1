import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPaybridgeError } from '../errors';
import { applyFacts } from '../status-machine';
import type { PaymentStore } from '../store';
import type { Payment, PaymentFact } from '../types';
import { creationTransition, makePayment } from './fixtures';

export interface StoreConformanceOptions {
  name: string;
  create: () => Promise<PaymentStore>;
  cleanup?: (store: PaymentStore) => Promise<void>;
}

function captureChange(current: Payment, fresh: ReadonlySet<string>, facts: PaymentFact[]) {
  const result = applyFacts(
    current,
    facts.filter((f) => fresh.has(f.eventId)),
    { now: new Date().toISOString(), newId: () => `trn_${Math.random().toString(36).slice(2)}` },
  );
  if (!result.changed) return null;
  return { payment: { ...result.payment, version: current.version + 1 }, transitions: result.transitions };
}

/**
 * The behaviour every PaymentStore must have. Run it from a store package's tests:
 * `runStoreConformance({ name: 'sqlite', create: async () => sqliteStore({ filename }) })`.
 */
export function runStoreConformance(options: StoreConformanceOptions): void {
  describe(`PaymentStore conformance: ${options.name}`, () => {
    let store: PaymentStore;
    beforeAll(async () => {
      store = await options.create();
    });
    afterAll(async () => {
      if (options.cleanup) await options.cleanup(store);
      else await store.close?.();
    });

    it('creates and reads back a payment exactly', async () => {
      const payment = makePayment({
        externalId: `ext-${Math.random()}`,
        recurrence: { interval: 'month', every: 1 },
      });
      await store.createPayment(payment, creationTransition(payment));
      expect(await store.getPayment(payment.id)).toEqual(payment);
      expect(await store.findPaymentByExternalId(payment.backend, payment.externalId as string)).toEqual(
        payment,
      );
      expect(await store.findPaymentByExternalId('other-backend', payment.externalId as string)).toBeNull();
      expect(await store.getPayment('pay_missing')).toBeNull();
      expect(await store.listTransitions(payment.id)).toEqual([creationTransition(payment)]);
    });

    it('refuses a second payment with the same id (CONFLICT)', async () => {
      const payment = makePayment();
      await store.createPayment(payment, creationTransition(payment));
      const error = await store.createPayment(payment, creationTransition(payment)).catch((e: unknown) => e);
      expect(isPaybridgeError(error) && error.code).toBe('CONFLICT');
    });

    it('applies a change, claims its event id once, and reports duplicates', async () => {
      const payment = makePayment();
      await store.createPayment(payment, creationTransition(payment));
      const facts: PaymentFact[] = [
        { type: 'captured', eventId: `ev-${payment.id}`, captureId: 'c1', amount: 1999, currency: 'EUR' },
      ];
      const request = {
        paymentId: payment.id,
        eventIds: [`ev-${payment.id}`],
        compute: (current: Payment, fresh: ReadonlySet<string>) => captureChange(current, fresh, facts),
      };
      const first = await store.applyChange(request);
      expect(first.outcome).toBe('applied');
      expect(first.payment).toMatchObject({ status: 'paid', amountPaid: 1999, version: 2 });
      expect(first.transitions).toHaveLength(1);
      const second = await store.applyChange(request);
      expect(second.outcome).toBe('duplicate');
      expect(second.payment.version).toBe(2);
      expect(await store.getPayment(payment.id)).toEqual(first.payment);
      expect((await store.listTransitions(payment.id)).map((t) => t.cause)).toEqual(['created', 'captured']);
    });

    it('claims event ids even when the change is a no-op, and writes nothing', async () => {
      const payment = makePayment();
      await store.createPayment(payment, creationTransition(payment));
      const result = await store.applyChange({
        paymentId: payment.id,
        eventIds: ['noop-1'],
        compute: () => null,
      });
      expect(result.outcome).toBe('unchanged');
      expect((await store.getPayment(payment.id))?.version).toBe(1);
      const again = await store.applyChange({
        paymentId: payment.id,
        eventIds: ['noop-1'],
        compute: () => null,
      });
      expect(again.outcome).toBe('duplicate');
    });

    it('hands compute only the event ids claimed for the first time when some were seen', async () => {
      const payment = makePayment();
      await store.createPayment(payment, creationTransition(payment));
      const seen = `seen-${payment.id}`;
      const fresh = `fresh-${payment.id}`;
      await store.applyChange({ paymentId: payment.id, eventIds: [seen], compute: () => null });
      const given: string[][] = [];
      const result = await store.applyChange({
        paymentId: payment.id,
        eventIds: [seen, fresh],
        compute: (current, ids) => {
          given.push([...ids].sort());
          return {
            payment: { ...current, description: 'changed', version: current.version + 1 },
            transitions: [],
          };
        },
      });
      expect(result.outcome).toBe('applied');
      expect(given.at(-1)).toEqual([fresh]);
      const again = await store.applyChange({
        paymentId: payment.id,
        eventIds: [fresh, seen],
        compute: () => {
          throw new Error('must not run: every id was claimed');
        },
      });
      expect(again.outcome).toBe('duplicate');
    });

    it('applies a fact exactly once under 20 concurrent deliveries', async () => {
      const payment = makePayment();
      await store.createPayment(payment, creationTransition(payment));
      const facts: PaymentFact[] = [
        { type: 'captured', eventId: `same-${payment.id}`, captureId: 'c1', amount: 1999, currency: 'EUR' },
      ];
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          store.applyChange({
            paymentId: payment.id,
            eventIds: [`same-${payment.id}`],
            compute: (current, fresh) => captureChange(current, fresh, facts),
          }),
        ),
      );
      expect(results.filter((r) => r.outcome === 'applied')).toHaveLength(1);
      expect((await store.listTransitions(payment.id)).filter((t) => t.cause === 'captured')).toHaveLength(1);
      expect((await store.getPayment(payment.id))?.version).toBe(2);
    });

    it('serializes different concurrent facts on one payment with compare-and-set (none lost)', async () => {
      const payment = makePayment({ amount: 1000, order: { amount: 1000 } });
      await store.createPayment(payment, creationTransition(payment));
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => {
          const facts: PaymentFact[] = [
            {
              type: 'captured',
              eventId: `part-${i}`,
              captureId: `c${i}`,
              amount: 100,
              currency: 'EUR',
              partial: true,
            },
          ];
          return store.applyChange({
            paymentId: payment.id,
            eventIds: [`part-${i}`],
            compute: (current, fresh) => captureChange(current, fresh, facts),
          });
        }),
      );
      const stored = await store.getPayment(payment.id);
      expect(stored).toMatchObject({ amountPaid: 1000, status: 'paid', version: 11 });
      expect(stored?.captures).toHaveLength(10);
    });

    it('rolls back the event-id claim when compute throws', async () => {
      const payment = makePayment();
      await store.createPayment(payment, creationTransition(payment));
      await expect(
        store.applyChange({
          paymentId: payment.id,
          eventIds: ['boom-1'],
          compute: () => {
            throw new Error('boom');
          },
        }),
      ).rejects.toThrow('boom');
      const retry = await store.applyChange({
        paymentId: payment.id,
        eventIds: ['boom-1'],
        compute: () => null,
      });
      expect(retry.outcome).toBe('unchanged');
    });

    it('refuses a change that does not bump the version by one, and claims nothing', async () => {
      const payment = makePayment();
      await store.createPayment(payment, creationTransition(payment));
      const eventIds = [`bad-version-${payment.id}`];
      await expect(
        store.applyChange({
          paymentId: payment.id,
          eventIds,
          compute: (current) => ({ payment: { ...current, description: 'x' }, transitions: [] }),
        }),
      ).rejects.toThrow();
      expect((await store.getPayment(payment.id))?.version).toBe(1);
      const retry = await store.applyChange({
        paymentId: payment.id,
        eventIds,
        compute: (current) => ({
          payment: { ...current, description: 'y', version: current.version + 1 },
          transitions: [],
        }),
      });
      expect(retry.outcome).toBe('applied');
      expect(retry.payment).toMatchObject({ description: 'y', version: 2 });
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
        await store.createPayment(payment, creationTransition(payment));
        created.push(payment);
      }
      const first = await store.listPayments({ orderId, limit: 2 });
      expect(first.items.map((p) => p.id)).toEqual([created[4]?.id, created[3]?.id]);
      expect(first.nextCursor).not.toBeNull();
      const second = await store.listPayments({ orderId, limit: 2, cursor: first.nextCursor as string });
      expect(second.items.map((p) => p.id)).toEqual([created[2]?.id, created[1]?.id]);
      const expiring = await store.listPayments({
        orderId,
        status: 'new',
        expiresBefore: new Date(Date.UTC(2026, 1, 2, 0, 0, 2)).toISOString(),
      });
      expect(expiring.items.map((p) => p.id).sort()).toEqual([created[0]?.id, created[1]?.id].sort());
      // Reconciliation's "older than": created strictly before the instant, with the other filters.
      const older = await store.listPayments({
        orderId,
        status: 'new',
        createdBefore: new Date(Date.UTC(2026, 1, 1, 0, 0, 3)).toISOString(),
        limit: 2,
      });
      expect(older.items.map((p) => p.id)).toEqual([created[2]?.id, created[1]?.id]);
      const rest = await store.listPayments({
        orderId,
        createdBefore: new Date(Date.UTC(2026, 1, 1, 0, 0, 3)).toISOString(),
        cursor: older.nextCursor as string,
      });
      expect(rest.items.map((p) => p.id)).toEqual([created[0]?.id]);
    });

    it('hands each undelivered transition to one claimer at a time, until it is marked emitted', async () => {
      const payment = makePayment();
      const transition = creationTransition(payment);
      await store.createPayment(payment, transition);
      const at = Date.parse(transition.at);
      const claim = (offsetMs: number) =>
        store.claimUnemittedTransitions(10_000, {
          now: new Date(at + offsetMs).toISOString(),
          leaseMs: 30_000,
        });
      const ids = async (offsetMs: number) => (await claim(offsetMs)).map((t) => t.id);
      // Too recent: its writer is delivering it.
      expect(await ids(10_000)).not.toContain(transition.id);
      const [first, second] = await Promise.all([claim(31_000), claim(31_000)]);
      const winners = [first, second].filter((batch) => batch.some((t) => t.id === transition.id));
      expect(winners).toHaveLength(1);
      expect(winners[0]?.find((t) => t.id === transition.id)).toEqual(transition);
      // Claimed: nobody else gets it until the lease runs out…
      expect(await ids(40_000)).not.toContain(transition.id);
      // …then it is offered again (the claimer may have crashed before delivering).
      expect(await ids(62_000)).toContain(transition.id);
      await store.markTransitionsEmitted([transition.id]);
      expect(await ids(200_000)).not.toContain(transition.id);
    });

    it('logs gateway messages, updates them, and pages them latest first by payment and backend', async () => {
      const backend = `b${Math.random().toString(36).slice(2, 8)}`;
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const message = await store.appendMessage({
          direction: 'inbound',
          backend,
          kind: 'notification',
          method: 'POST',
          url: 'https://shop.example/payments/notify/x',
          headers: { 'content-type': 'application/json' },
          body: `{"n":${i},"text":"Zoë"}`,
          bodyEncoding: 'utf8',
          verdict: 'unverified',
          createdAt: new Date(Date.UTC(2026, 2, 1, 0, 0, i)).toISOString(),
        });
        expect(message.id).toBeTruthy();
        ids.push(message.id);
      }
      await store.updateMessage(ids[1] as string, {
        verdict: 'verified',
        outcome: 'applied',
        paymentId: 'pay_x',
        responseStatus: 200,
        responseBody: 'OK',
        durationMs: 5,
        detail: 'fine',
      });
      const page1 = await store.listMessages({ backend, limit: 2 });
      expect(page1.items.map((m) => m.id)).toEqual([ids[2], ids[1]]);
      expect(page1.items[1]).toMatchObject({
        verdict: 'verified',
        outcome: 'applied',
        paymentId: 'pay_x',
        responseStatus: 200,
        body: '{"n":1,"text":"Zoë"}',
      });
      const page2 = await store.listMessages({ backend, limit: 2, cursor: page1.nextCursor as string });
      expect(page2.items.map((m) => m.id)).toEqual([ids[0]]);
      expect(page2.nextCursor).toBeNull();
      const byPayment = await store.listMessages({ paymentId: 'pay_x' });
      expect(byPayment.items.map((m) => m.id)).toContain(ids[1]);
    });
  });
}
