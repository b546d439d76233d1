import { describe, expect, it } from 'vitest';
import { manualClock } from '../../src/lib/clock';
import { DeliveryQueue, type OutboundCall } from '../../src/lib/delivery';

const MINUTE = 60_000;
const call: OutboundCall = {
  url: 'http://merchant.test/notify',
  method: 'POST',
  headers: {},
  body: new Uint8Array(),
};

function queueAnswering(statuses: number[]) {
  const clock = manualClock(0);
  const seenAt: number[] = [];
  const queue = new DeliveryQueue(clock, async () => {
    seenAt.push(clock.now());
    return new Response('', { status: statuses.shift() ?? 500 });
  });
  const delivery = queue.schedule('payu', call, {
    label: 'test',
    retryDelays: [MINUTE, 2 * MINUTE, 5 * MINUTE],
    accept: (status) => status === 200,
  });
  return { clock, queue, delivery, seenAt };
}

describe('DeliveryQueue retry schedule', () => {
  it('makes each retry when it falls due and stops at the first accepted answer', async () => {
    const { clock, queue, delivery } = queueAnswering([500, 503, 200]);
    await queue.flush();
    expect(delivery.attempts).toHaveLength(1);
    clock.advance(MINUTE - 1);
    await queue.flush();
    expect(delivery.attempts).toHaveLength(1);
    clock.advance(1);
    await queue.flush();
    expect(delivery.attempts).toHaveLength(2);
    clock.advance(2 * MINUTE);
    await queue.flush();
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
    expect(delivery.state).toBe('delivered');
  });

  it('catches up on every retry the broker would have made while the clock jumped ahead', async () => {
    const { clock, queue, delivery } = queueAnswering([]);
    await queue.flush();
    clock.advance(100 * MINUTE);
    await queue.flush();
    // 1 first attempt + 3 retries, all overdue after the jump, then the broker gives up.
    expect(delivery.attempts).toHaveLength(4);
    expect(delivery.state).toBe('gave-up');
  });

  it('keeps the schedule anchored to due times, not to when an attempt ran', async () => {
    const { clock, queue, delivery } = queueAnswering([500, 500, 200]);
    clock.advance(30_000); // the first attempt runs 30 s late
    await queue.flush();
    expect(delivery.dueAt).toBe(MINUTE);
  });
});
