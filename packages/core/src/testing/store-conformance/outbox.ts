import { expect, it } from 'vitest';
import type { PaymentStore } from '../../store';
import { creationTransition, makePayment } from '../fixtures';

/** The transition outbox: each undelivered transition leased to one claimer until marked emitted. */
export function outboxChecks(store: () => PaymentStore): void {
  it('hands each undelivered transition to one claimer at a time, until it is marked emitted', async () => {
    const payment = makePayment();
    const transition = creationTransition(payment);
    await store().createPayment(payment, transition);
    const at = Date.parse(transition.at);
    const claim = (offsetMs: number) =>
      store().claimUnemittedTransitions(10_000, {
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
    await store().markTransitionsEmitted([transition.id]);
    expect(await ids(200_000)).not.toContain(transition.id);
  });
}
