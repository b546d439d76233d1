import { expect, it } from 'vitest';
import { applyFacts } from '../../status-machine';
import type { PaymentStore } from '../../store';
import type { Payment, PaymentFact } from '../../types';
import { creationTransition, makePayment } from '../fixtures';

/** What the pipeline would compute for these facts: only the fresh ones applied, the version bumped by one. */
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
 * `applyChange`, the one way a payment changes: event ids claimed once (and only with the change),
 * compare-and-set under concurrent deliveries, nothing claimed when compute throws or cheats.
 */
export function changeChecks(store: () => PaymentStore): void {
  it('applies a change, claims its event id once, and reports duplicates', async () => {
    const payment = makePayment();
    await store().createPayment(payment, creationTransition(payment));
    const facts: PaymentFact[] = [
      { type: 'captured', eventId: `ev-${payment.id}`, captureId: 'c1', amount: 1999, currency: 'EUR' },
    ];
    const request = {
      paymentId: payment.id,
      eventIds: [`ev-${payment.id}`],
      compute: (current: Payment, fresh: ReadonlySet<string>) => captureChange(current, fresh, facts),
    };
    const first = await store().applyChange(request);
    expect(first.outcome).toBe('applied');
    expect(first.payment).toMatchObject({ status: 'paid', amountPaid: 1999, version: 2 });
    expect(first.transitions).toHaveLength(1);
    const second = await store().applyChange(request);
    expect(second.outcome).toBe('duplicate');
    expect(second.payment.version).toBe(2);
    expect(await store().getPayment(payment.id)).toEqual(first.payment);
    expect((await store().listTransitions(payment.id)).map((t) => t.cause)).toEqual(['created', 'captured']);
  });

  it('claims event ids even when the change is a no-op, and writes nothing', async () => {
    const payment = makePayment();
    await store().createPayment(payment, creationTransition(payment));
    const result = await store().applyChange({
      paymentId: payment.id,
      eventIds: ['noop-1'],
      compute: () => null,
    });
    expect(result.outcome).toBe('unchanged');
    expect((await store().getPayment(payment.id))?.version).toBe(1);
    const again = await store().applyChange({
      paymentId: payment.id,
      eventIds: ['noop-1'],
      compute: () => null,
    });
    expect(again.outcome).toBe('duplicate');
  });

  it('hands compute only the event ids claimed for the first time when some were seen', async () => {
    const payment = makePayment();
    await store().createPayment(payment, creationTransition(payment));
    const seen = `seen-${payment.id}`;
    const fresh = `fresh-${payment.id}`;
    await store().applyChange({ paymentId: payment.id, eventIds: [seen], compute: () => null });
    const given: string[][] = [];
    const result = await store().applyChange({
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
    const again = await store().applyChange({
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
    await store().createPayment(payment, creationTransition(payment));
    const facts: PaymentFact[] = [
      { type: 'captured', eventId: `same-${payment.id}`, captureId: 'c1', amount: 1999, currency: 'EUR' },
    ];
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        store().applyChange({
          paymentId: payment.id,
          eventIds: [`same-${payment.id}`],
          compute: (current, fresh) => captureChange(current, fresh, facts),
        }),
      ),
    );
    expect(results.filter((r) => r.outcome === 'applied')).toHaveLength(1);
    expect((await store().listTransitions(payment.id)).filter((t) => t.cause === 'captured')).toHaveLength(1);
    expect((await store().getPayment(payment.id))?.version).toBe(2);
  });

  it('serializes different concurrent facts on one payment with compare-and-set (none lost)', async () => {
    const payment = makePayment({ amount: 1000, order: { amount: 1000 } });
    await store().createPayment(payment, creationTransition(payment));
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
        return store().applyChange({
          paymentId: payment.id,
          eventIds: [`part-${i}`],
          compute: (current, fresh) => captureChange(current, fresh, facts),
        });
      }),
    );
    const stored = await store().getPayment(payment.id);
    expect(stored).toMatchObject({ amountPaid: 1000, status: 'paid', version: 11 });
    expect(stored?.captures).toHaveLength(10);
  });

  it('rolls back the event-id claim when compute throws', async () => {
    const payment = makePayment();
    await store().createPayment(payment, creationTransition(payment));
    await expect(
      store().applyChange({
        paymentId: payment.id,
        eventIds: ['boom-1'],
        compute: () => {
          throw new Error('boom');
        },
      }),
    ).rejects.toThrow('boom');
    const retry = await store().applyChange({
      paymentId: payment.id,
      eventIds: ['boom-1'],
      compute: () => null,
    });
    expect(retry.outcome).toBe('unchanged');
  });

  it('refuses a change that does not bump the version by one, and claims nothing', async () => {
    const payment = makePayment();
    await store().createPayment(payment, creationTransition(payment));
    const eventIds = [`bad-version-${payment.id}`];
    await expect(
      store().applyChange({
        paymentId: payment.id,
        eventIds,
        compute: (current) => ({ payment: { ...current, description: 'x' }, transitions: [] }),
      }),
    ).rejects.toThrow();
    expect((await store().getPayment(payment.id))?.version).toBe(1);
    const retry = await store().applyChange({
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
}
