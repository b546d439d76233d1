import type { GatewayMessage, Payment } from '@paybridge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paybridge } from './support/cli';
import { eventually, POS, startWorld } from './support/world';

// The shop runs with a wrong PayU second key: every PayU notification fails verification.
const WRONG_KEY = 'ffffffffffffffffffffffffffffffff';

let world: Awaited<ReturnType<typeof startWorld>>;
beforeAll(async () => {
  world = await startWorld({ payu: { secondKey: WRONG_KEY } });
}, 60_000);
afterAll(() => world?.close());

describe('paybridge replay after fixing a key', { timeout: 120_000 }, () => {
  it('a notification refused under the wrong key is applied once when replayed under the right one', async () => {
    // PayU's API fails from now on, so the bridge's verify-or-pull cannot rescue the payment: only
    // the logged notification can (CM-CIC, or PayPal without its API, never have a pull at all).
    const paymentId = await world.pay('order-key', async () =>
      expect(
        await world.control('PUT', '/faults/payu', { apiError: { status: 503, remaining: 100 } }),
      ).not.toHaveProperty('error'),
    );
    const rejected = await eventually(async () => {
      const page = await world.bridge.store.listMessages({ backend: 'payu', direction: 'inbound' });
      // PayU notifies PENDING, then COMPLETED: the one that would have paid it.
      return page.items.find(
        (m) => m.kind === 'notification' && m.verdict === 'rejected' && m.body.includes('"COMPLETED"'),
      );
    });
    expect((await world.bridge.getPayment(paymentId))?.status).toBe('new');
    // The merchant finds it in the payment's message log.
    const shown = await paybridge(['payments', 'show', paymentId], world.dir);
    expect(shown.stdout).toMatch(
      new RegExp(`${rejected.id}\\s+in\\s+notification\\s+rejected\\s+rejected\\s+400`),
    );

    // Under the config still holding the wrong key, the replay is refused again and changes nothing.
    const still = await paybridge(['replay', rejected.id], world.dir);
    expect(still.code).toBe(1);
    expect(still.stdout).toContain('rejected, rejected: it does not verify');
    expect((await world.bridge.getPayment(paymentId))?.status).toBe('new');

    // The merchant fixes the key (here in another config file on the same store) and replays; PayU's
    // API still fails, so what pays the payment is the replayed notification itself.
    expect(await world.control('GET', '/faults')).toMatchObject({ payu: { apiError: { status: 503 } } });
    world.writeConfig('fixed.config.ts', { secondKey: POS.secondKey });
    const fixed = await paybridge(['replay', rejected.id, '--config', 'fixed.config.ts'], world.dir);
    expect(fixed.stderr).toBe('');
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain(`Replayed ${rejected.id}`);
    expect(fixed.stdout).toContain('verified, applied: the payment changed');
    expect(fixed.stdout).toContain(`payment ${paymentId} is paid`);

    const paid = (await world.bridge.getPayment(paymentId)) as Payment;
    expect(paid).toMatchObject({ status: 'paid', amountPaid: 21000 });

    // Replayed again (or delivered again by PayU): the same events, nothing changes.
    const again = await paybridge(
      ['replay', rejected.id, '--config', 'fixed.config.ts', '--json'],
      world.dir,
    );
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 200, outcome: 'duplicate' });
    expect(await world.bridge.getPayment(paymentId)).toEqual(paid);
    const transitions = await world.bridge.store.listTransitions(paymentId);
    expect(transitions.filter((t) => t.to === 'paid')).toHaveLength(1);

    // The replays are logged, each naming the original.
    const log = await world.bridge.store.listMessages({ backend: 'payu', direction: 'inbound' });
    const replays = log.items.filter((m: GatewayMessage) => m.detail?.includes(`replay of ${rejected.id}`));
    expect(replays.map((m) => m.outcome).sort()).toEqual(['applied', 'duplicate', 'rejected']);
  });
});
