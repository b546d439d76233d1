import type { GatewayMessage, Payment, Transition } from '@paybridge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paybridge, paybridgeOnTerminal } from './support/cli';
import { eventually, POS, startWorld } from './support/world';

let world: Awaited<ReturnType<typeof startWorld>>;
beforeAll(async () => {
  world = await startWorld();
}, 60_000);
afterAll(() => world?.close());

type Shown = { payment: Payment; transitions: Transition[]; messages: GatewayMessage[] };
const show = async (id: string): Promise<Shown> => {
  const run = await paybridge(['payments', 'show', id, '--json'], world.dir);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Shown;
};

describe('payments, reconcile and replay against a payment made through the sandbox', {
  timeout: 120_000,
}, () => {
  let paidId = '';

  it('payments list and show: the payment, its transitions and its message log, secrets never printed', async () => {
    paidId = await world.pay('order-1');
    await eventually(async () => (await world.bridge.getPayment(paidId))?.status === 'paid');

    const list = await paybridge(['payments', 'list'], world.dir);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${paidId}\\s+payu\\s+order-1\\s+paid\\s+210\\.00 PLN`));

    const text = await paybridge(['payments', 'show', paidId, '--bodies'], world.dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Payment ${paidId}`);
    expect(text.stdout).toMatch(/status {5}paid/);
    expect(text.stdout).toContain('Message log (redacted)');
    expect(text.stdout).toMatch(/in\s+notification\s+verified\s+applied\s+200/);
    for (const secret of [POS.clientSecret, POS.secondKey]) expect(text.stdout).not.toContain(secret);

    const shown = await show(paidId);
    expect(shown.payment.status).toBe('paid');
    expect(shown.transitions.map((t) => t.to)).toContain('paid');
    expect(shown.messages.some((m) => m.direction === 'outbound')).toBe(true);
    expect(JSON.stringify(shown)).not.toContain(POS.clientSecret);

    // A row written unredacted (by an older version, or a store filled by other code): the CLI
    // replaces every configured secret, raw, URL- and JSON-escaped, before printing anything.
    await world.bridge.store.appendMessage({
      direction: 'outbound',
      backend: 'payu',
      kind: 'authorize',
      method: 'POST',
      url: `${world.sandboxUrl}/payu/pl/standard/user/oauth/authorize?client_secret=${encodeURIComponent(POS.clientSecret)}`,
      headers: { 'x-second-key': POS.secondKey },
      body: JSON.stringify({ client_secret: POS.clientSecret }),
      bodyEncoding: 'utf8',
      paymentId: paidId,
      createdAt: new Date().toISOString(),
    });
    for (const args of [['--bodies'], ['--json']]) {
      const raw = await paybridge(['payments', 'show', paidId, ...args], world.dir);
      expect(raw.code).toBe(0);
      for (const secret of [POS.clientSecret, POS.secondKey]) expect(raw.stdout).not.toContain(secret);
      expect(raw.stdout).toContain('[REDACTED]');
    }

    const filtered = await paybridge(['payments', 'list', '--status', 'refunded'], world.dir);
    expect(filtered.stdout.trim()).toBe('No payments.');
    const unknown = await paybridge(['payments', 'show', 'pay_nope'], world.dir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('paybridge payments: no payment pay_nope\n  fix: list payment ids');
  });

  it('reconcile recovers a payment whose notification was lost, with a summary table', async () => {
    world.shop.down = true;
    const lostId = await world.pay('order-2');
    // The sandbox tried to notify and the shop was down: the bridge never heard of the payment again.
    await eventually(async () => {
      const deliveries = (await world.control('GET', '/deliveries')) as {
        deliveries?: Array<{ attempts: unknown[] }>;
      };
      return JSON.stringify(deliveries).includes('503');
    });
    // The shop stays down until reconcile has run: a redelivery landing first would leave nothing to find.
    expect((await world.bridge.getPayment(lostId))?.status).toBe('new');

    const run = await paybridge(['reconcile', '--older-than', '0'], world.dir);
    world.shop.down = false;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/backend\s+changed\s+unchanged\s+failed\s+cannot pull\s+settled meanwhile/);
    expect(run.stdout).toMatch(/payu\s+1\s+0\s+0\s+0\s+0/);
    expect(run.stdout).toContain('reconcile: 1 pulled, 1 changed, 0 unchanged, 0 failed');
    expect(run.stdout).toContain('0 of the pulled for a refund still open');
    expect((await show(lostId)).payment.status).toBe('paid');

    // On a terminal: a progress bar rewritten in place (carriage returns), cleared, then the same table.
    const refusals = async () =>
      JSON.stringify(await world.control('GET', '/deliveries')).split('503').length;
    const refusedBefore = await refusals();
    world.shop.down = true;
    const onTerminalId = await world.pay('order-3');
    await eventually(async () => (await refusals()) > refusedBefore);
    expect((await world.bridge.getPayment(onTerminalId))?.status).toBe('new');
    const terminal = await paybridgeOnTerminal(['reconcile', '--older-than', '0'], world.dir);
    world.shop.down = false;
    expect(terminal.code).toBe(0);
    const clearLine = '\u001b[K';
    expect(terminal.stdout).toContain(`\rreconciling [${'#'.repeat(30)}] 1/1${clearLine}`);
    const afterBar = terminal.stdout.slice(terminal.stdout.lastIndexOf(`\r${clearLine}`));
    expect(afterBar).toMatch(/payu\s+1\s+0\s+0\s+0\s+0/);
    expect(terminal.stdout).toContain('reconcile: 1 pulled, 1 changed');
    expect((await world.bridge.getPayment(onTerminalId))?.status).toBe('paid');

    const nothing = await paybridge(['reconcile', '--older-than', '0', '--json'], world.dir);
    expect(JSON.parse(nothing.stdout)).toMatchObject({ pulled: 0, changed: 0, failed: [] });
    const bad = await paybridge(['reconcile', '--older-than', 'soon'], world.dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--older-than soon is not a duration');
  });

  it('replay re-runs a logged notification: a duplicate that changes nothing, however often', async () => {
    const before = await show(paidId);
    const notification = before.messages.find((m) => m.kind === 'notification' && m.outcome === 'applied');
    expect(notification).toBeDefined();
    for (let i = 0; i < 2; i++) {
      const run = await paybridge(['replay', notification?.id as string], world.dir);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Replayed ${notification?.id}`);
      expect(run.stdout).toContain(
        'verified, duplicate: every event in it was applied before, nothing changed',
      );
      expect(run.stdout).toContain(`payment ${paidId} is paid`);
    }
    const after = await show(paidId);
    expect(after.payment).toEqual(before.payment);
    expect(after.transitions).toEqual(before.transitions);
    const replays = after.messages.filter((m) => m.detail?.includes(`replay of ${notification?.id}`));
    expect(replays.map((m) => m.outcome)).toEqual(['duplicate', 'duplicate']);

    const missing = await paybridge(['replay', 'msg_nope'], world.dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /UNKNOWN_MESSAGE: no inbound message msg_nope .*\n {2}fix: find message ids/,
    );
  });
});
