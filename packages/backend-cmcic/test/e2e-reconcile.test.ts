import { describe, expect, it } from 'vitest';
import { formPost } from './support/fixtures';
import { sandboxBridge } from './support/sandbox';

/**
 * What reconciliation can and cannot do for CM-CIC (README "Reconciliation"): the bank has no status
 * inquiry, so a payment whose return never arrived is not pulled, and the sweep expires it unasked.
 */
const TPE = '1234567';
const KEY = '12345678901234567890123456789012345678P0';
const HOUR = 3600_000;

function setup() {
  const t = sandboxBridge({
    bridgeUrl: 'https://shop.example/pay',
    sandboxUrl: 'https://sandbox.example',
    tpes: [{ tpe: TPE, key: KEY, societe: 'monSite1', scheme: 'current' }],
    backends: [{ tpe: TPE, key: KEY, company: 'monSite1', endpoint: 'https://sandbox.example/cmcic/test' }],
    amount: 1999,
  });
  /** The buyer pays at the bank; the bank's return calls never reach the shop. */
  async function paidButLost(orderId: string) {
    const { payment, redirect } = await t.bridge.startPayment({ backend: 'cmcic', orderId });
    if (redirect.method !== 'POST') throw new Error('expected a form');
    const page = await t.sandbox.handler(
      formPost(redirect.url, new URLSearchParams(redirect.fields).toString()),
    );
    await t.sandbox.cmcic.act(page.headers.get('x-sandbox-session') as string, 'pay', {
      card: '4000000000000002',
      cvv: '123',
    });
    const lost = t.sandbox.queue.pending().filter((delivery) => delivery.broker === 'cmcic');
    expect(lost.length).toBeGreaterThan(0);
    for (const delivery of lost) delivery.state = 'gave-up';
    await t.sandbox.flush();
    return payment.id;
  }
  return { ...t, paidButLost };
}

describe('CM-CIC and reconciliation', () => {
  it('a payment whose return was lost is not pullable: reconcile skips it and asks the bank nothing', async () => {
    const t = setup();
    const paymentId = await t.paidButLost('order-1');
    expect(t.sandbox.cmcic.payments()).toHaveLength(1); // the bank has the money
    expect(await t.bridge.reconcile({ olderThan: 0 })).toMatchObject({
      pulled: 0,
      changed: 0,
      failed: [],
      skippedNotPullable: 1,
    });
    expect((await t.bridge.getPayment(paymentId))?.status).toBe('new');
    expect(t.sandbox.cmcic.operations()).toEqual([]);
  });

  it('sweepExpired expires it after the TTL without asking the bank (it cannot be asked)', async () => {
    const t = setup();
    const paymentId = await t.paidButLost('order-2');
    t.clock.advance(25 * HOUR); // past the default paymentTtlSeconds (24 h)
    expect(await t.bridge.sweepExpired()).toBe(1);
    expect((await t.bridge.getPayment(paymentId))?.status).toBe('expired');
    expect(t.sandbox.cmcic.operations()).toEqual([]);
  });
});
