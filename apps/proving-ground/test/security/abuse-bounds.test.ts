import { describe, expect, it } from 'vitest';
import { createWorld, SHOP, type World } from './world';

/**
 * Issue 14 items 4 and 5, as an unauthenticated client would abuse them: returns that make the server
 * call the broker, a flood of large forged notifications filling the message log, and a payment
 * button kept (or stolen) long after the page that showed it.
 */
const outbound = async (world: World, paymentId: string) =>
  (await world.snapshot()).messages.filter((m) => m.direction === 'outbound' && m.paymentId === paymentId);

async function openPayu(world: World) {
  const { paymentId, redirect } = await world.start('payu', 'payu-1');
  await world.open(redirect);
  return paymentId;
}

describe('issue 14 item 4: return-triggered pulls and the message log are bounded', () => {
  it('issue 14 item 4: twenty returns in a burst make at most one broker lookup per payment and interval', async () => {
    const world = createWorld();
    const paymentId = await openPayu(world);
    const before = (await outbound(world, paymentId)).length;
    const back = () => world.send(new Request(`${SHOP}/return/payu/${paymentId}`));
    for (const response of await Promise.all(Array.from({ length: 20 }, back)))
      expect(response.status).toBe(200);
    const pulls = (await outbound(world, paymentId)).length - before;
    // One lookup happens (the control: returns do pull), never twenty.
    expect(pulls).toBe(1);
    world.clock.advance(31_000);
    await back();
    await back();
    expect((await outbound(world, paymentId)).length - before).toBe(2);
  });

  it('issue 14 item 4: a settled payment is never pulled on return', async () => {
    const world = createWorld();
    const { paymentId } = await world.pay('payu');
    const before = (await outbound(world, paymentId)).length;
    for (let i = 0; i < 5; i++) {
      world.clock.advance(60_000);
      await world.send(new Request(`${SHOP}/return/payu/${paymentId}`));
    }
    expect((await outbound(world, paymentId)).length).toBe(before);
  });

  it('issue 14 item 4: a flood of large forged notifications writes a bounded log, the cut counted', async () => {
    const world = createWorld();
    const paymentId = await openPayu(world);
    const forged = (i: number) =>
      JSON.stringify({
        order: { orderId: `X${i}`, extOrderId: paymentId, status: 'COMPLETED' },
        pad: 'p'.repeat(200_000),
      });
    const before = await world.snapshot();
    for (let i = 0; i < 30; i++) {
      const response = await world.send(
        new Request(`${SHOP}/notify/payu`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'openpayu-signature': `sender=checkout;signature=${'0'.repeat(32)};algorithm=MD5;content=DOCUMENT`,
          },
          body: forged(i),
        }),
      );
      expect(response.status).toBe(400);
    }
    const { logged } = await world.expectUnchanged(before);
    const inbound = logged.filter((m) => m.direction === 'inbound');
    expect(inbound).toHaveLength(30);
    for (const message of inbound) {
      expect(message.body.length).toBeLessThanOrEqual(8 * 1024);
      expect(message.detail).toMatch(/body truncated: \d+ of \d+ bytes kept/);
    }
    // A customer's return posting a large body is cut the same way.
    await world.send(
      new Request(`${SHOP}/return/payu/${paymentId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `x=${'r'.repeat(200_000)}`,
      }),
    );
    const returns = (await world.snapshot()).messages.filter((m) => m.kind === 'return');
    expect(returns.map((m) => m.body.length <= 8 * 1024)).toEqual([true]);
  });

  it('issue 14 item 4: a genuine notification is still logged byte for byte (the control)', async () => {
    const world = createWorld();
    const { paymentId, messages } = await world.pay('payu');
    const logged = (await world.snapshot()).messages.filter(
      (m) => m.direction === 'inbound' && m.kind === 'notification' && m.paymentId === paymentId,
    );
    expect(logged.map((m) => m.body).sort()).toEqual(
      messages.map((m) => new TextDecoder().decode(m.body)).sort(),
    );
    expect(logged.every((m) => !m.detail?.includes('truncated'))).toBe(true);
  });
});

describe('issue 14 item 5: button tokens expire by default', () => {
  const start = (world: World, button: string) =>
    world.send(
      new Request(`${SHOP}/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ backend: 'cmcic', button }),
      }),
    );
  const config = { reference: 'order-5', options: [{ description: 'Box', amount: 2500, currency: 'EUR' }] };

  it('issue 14 item 5: a button without expiresAt, replayed a day later, is refused and starts nothing', async () => {
    const world = createWorld();
    const token = await world.bridge.signButton(config);
    world.clock.advance(24 * 3600 * 1000 + 1000);
    const before = await world.snapshot();
    const response = await start(world, token);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('INVALID_BUTTON');
    const { logged } = await world.expectUnchanged(before);
    expect(logged).toEqual([]);
  });

  it('issue 14 item 5: within its lifetime the same button works (the control)', async () => {
    const world = createWorld();
    const token = await world.bridge.signButton(config);
    world.clock.advance(23 * 3600 * 1000);
    expect((await start(world, token)).status).toBe(200);
  });
});
