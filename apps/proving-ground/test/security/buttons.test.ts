import { createHmac } from 'node:crypto';
import type { ButtonConfig } from '@paybridge/core';
import { describe, expect, it } from 'vitest';
import { createWorld, SHOP, type World } from './world';

/**
 * Payment-button tampering: the browser holds a token `base64url(config).base64url(HMAC)` signed by
 * the merchant's server and may send back anything. A tampered button is refused (400
 * INVALID_BUTTON, or 422 when it names a broker it does not offer) before any payment exists or any
 * broker is called; amounts never come from the browser.
 */
const BUTTON: ButtonConfig = {
  reference: 'order-77',
  email: 'buyer@example.com',
  options: [
    { id: 'one', description: 'One box', amount: 2500, currency: 'EUR' },
    {
      id: 'monthly',
      description: 'Monthly box',
      amount: 900,
      currency: 'EUR',
      recurrence: { interval: 'month', every: 1 },
    },
  ],
  paymentOptions: { backends: ['cmcic', 'dummy'] },
  acceptedUrl: 'https://shop.test/thanks',
};

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const config = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString());
/** The token's payload replaced, its MAC kept (what an attacker editing the button can do). */
const withPayload = (token: string, payload: unknown) =>
  `${b64(JSON.stringify(payload))}.${token.split('.')[1]}`;

function post(world: World, body: Record<string, unknown>) {
  return world.send(
    new Request(`${SHOP}/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    }),
  );
}

async function expectRefused(world: World, body: Record<string, unknown>, status: number, code: string) {
  const before = await world.snapshot();
  const response = await post(world, body);
  expect(response.status).toBe(status);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
  const { logged, anomalies } = await world.expectUnchanged(before);
  expect(logged).toEqual([]);
  expect(anomalies).toEqual([]);
  // No broker was asked for anything.
  expect(world.sandbox.payu.orders()).toEqual([]);
  expect(before.payments).toEqual([]);
}

describe('signed payment buttons an attacker edits', () => {
  it('the untouched button starts a payment at its own price (the control)', async () => {
    const world = createWorld();
    const token = await world.bridge.signButton(BUTTON);
    const response = await post(world, { backend: 'cmcic', button: token, option: 'one', amount: 1 });
    expect(response.status).toBe(200);
    const [payment] = (await world.store.listPayments({ limit: 10 })).items;
    expect([payment?.amount, payment?.currency, payment?.orderId]).toEqual([2500, 'EUR', 'order-77']);
  });

  it.each([
    ['amount', (c: ButtonConfig) => ({ ...c, options: [{ ...c.options[0], amount: 1 }, c.options[1]] })],
    [
      'currency',
      (c: ButtonConfig) => ({ ...c, options: [{ ...c.options[0], currency: 'HUF' }, c.options[1]] }),
    ],
    [
      'recurrence',
      (c: ButtonConfig) => ({ ...c, options: [c.options[0], { ...c.options[1], recurrence: null }] }),
    ],
    ['reference', (c: ButtonConfig) => ({ ...c, reference: 'someone-elses-order' })],
    ['backends', (c: ButtonConfig) => ({ ...c, paymentOptions: { backends: ['paypal', 'payu'] } })],
    ['expiry', (c: ButtonConfig) => ({ ...c, expiresAt: '2099-01-01T00:00:00Z' })],
    ['return URL', (c: ButtonConfig) => ({ ...c, acceptedUrl: 'https://evil.test/' })],
  ])('%s changed, MAC kept', async (_field, change) => {
    const world = createWorld();
    const token = await world.bridge.signButton({ ...BUTTON, expiresAt: '2027-01-01T00:00:00Z' });
    const tampered = withPayload(token, change(config(token)));
    await expectRefused(world, { backend: 'cmcic', button: tampered, option: 'one' }, 400, 'INVALID_BUTTON');
  });

  it('expiry removed from the payload, MAC kept', async () => {
    const world = createWorld();
    const token = await world.bridge.signButton({ ...BUTTON, expiresAt: '2026-03-01T08:00:00Z' });
    const { expiresAt: _gone, ...rest } = config(token);
    await expectRefused(world, { backend: 'cmcic', button: withPayload(token, rest) }, 400, 'INVALID_BUTTON');
  });

  it('an expired button, untouched', async () => {
    const world = createWorld();
    const token = await world.bridge.signButton({ ...BUTTON, expiresAt: '2026-03-01T08:59:59Z' });
    await expectRefused(world, { backend: 'cmcic', button: token, option: 'one' }, 400, 'INVALID_BUTTON');
  });

  it('a broker the button does not offer', async () => {
    const world = createWorld();
    const token = await world.bridge.signButton(BUTTON);
    // PayPal takes EUR: only the button's own list of brokers leaves it out.
    await expectRefused(
      world,
      { backend: 'paypal', button: token, option: 'one' },
      422,
      'BACKEND_UNAVAILABLE',
    );
  });

  it('an option the button does not have', async () => {
    const world = createWorld();
    const token = await world.bridge.signButton(BUTTON);
    await expectRefused(world, { backend: 'cmcic', button: token, option: 7 }, 400, 'INVALID_BUTTON');
    await expectRefused(world, { backend: 'cmcic', button: token, option: 'free' }, 400, 'INVALID_BUTTON');
  });

  it('a button signed with another secret, or with none', async () => {
    const world = createWorld();
    const payload = b64(JSON.stringify(BUTTON));
    const mac = (key: string) => createHmac('sha256', key).update(`pb1.${payload}`).digest('base64url');
    for (const token of [
      `${payload}.${mac('another-secret-of-at-least-32-characters')}`,
      `${payload}.${mac('')}`,
      `${payload}.`,
      payload,
    ]) {
      await expectRefused(world, { backend: 'cmcic', button: token }, 400, 'INVALID_BUTTON');
    }
  });

  it('the MAC of one button on the payload of another', async () => {
    const world = createWorld();
    const cheap = await world.bridge.signButton({
      ...BUTTON,
      options: [{ description: 'Sticker', amount: 1, currency: 'EUR' }],
    });
    const dear = await world.bridge.signButton(BUTTON);
    const swapped = `${dear.split('.')[0]}.${cheap.split('.')[1]}`;
    await expectRefused(world, { backend: 'cmcic', button: swapped }, 400, 'INVALID_BUTTON');
  });

  it('the genuine MAC in a non-canonical base64url spelling', async () => {
    const world = createWorld();
    const token = await world.bridge.signButton(BUTTON);
    const [payload, mac] = token.split('.') as [string, string];
    // 32 bytes are 43 base64url characters: the last one carries 2 unused bits an attacker can flip.
    const last = mac.at(-1) as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = alphabet[alphabet.indexOf(last) ^ 1] as string;
    await expectRefused(
      world,
      { backend: 'cmcic', button: `${payload}.${mac.slice(0, -1)}${twin}` },
      400,
      'INVALID_BUTTON',
    );
  });

  it('a price in the request is never taken: by order id or by button', async () => {
    const world = createWorld();
    const token = await world.bridge.signButton(BUTTON);
    for (const body of [
      { backend: 'cmcic', orderId: 'cmcic-5', amount: 1, currency: 'EUR' },
      {
        backend: 'cmcic',
        button: token,
        option: 'one',
        amount: 1,
        currency: 'HUF',
        options: [{ amount: 1 }],
      },
    ]) {
      expect((await post(world, body)).status).toBe(200);
    }
    const amounts = (await world.store.listPayments({ limit: 10 })).items.map((p) => [p.amount, p.currency]);
    expect(amounts.sort()).toEqual([
      [1999, 'EUR'],
      [2500, 'EUR'],
    ]);
  });
});
