import { describe, expect, it } from 'vitest';
import type { BrowserRedirect } from '../../chaos/hosted-page';
import { type Captured, createWorld, replay, text, type World } from './world';

/**
 * PayPal IPNs an attacker can post to /notify/paypal. An IPN carries no signature: it is genuine only
 * when PayPal answers VERIFIED to the byte-exact postback (protocols/paypal.md §7), and then it must
 * also be about our money, to our account, from the right environment. PayPal's protocol wants 200
 * for a message it need not send again, so refusals are seen in the message log and the store.
 */
interface Scene {
  world: World;
  paid: { paymentId: string; completed: Captured };
  victim: { paymentId: string };
}

async function scene(): Promise<Scene> {
  const world = createWorld();
  const { paymentId, messages } = await world.pay('paypal');
  const completed = messages.find((m) => text(m.body).includes('payment_status=Completed'));
  if (!completed) throw new Error('no Completed IPN');
  const victim = await world.start('paypal', 'paypal-2');
  await world.open(victim.redirect);
  return { world, paid: { paymentId, completed }, victim: { paymentId: victim.paymentId } };
}

const edit = (message: Captured, changes: Record<string, string | null>) => {
  const fields = new URLSearchParams(text(message.body));
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) fields.delete(name);
    else fields.set(name, value);
  }
  return fields.toString();
};

/** Inbound entries of the message log, and the verification postbacks the bridge made. */
const inbound = (logged: Array<{ direction: string; verdict: string | null; detail: string | null }>) =>
  logged.filter((m) => m.direction === 'inbound').map((m) => [m.verdict, m.detail?.split(':')[0]]);

async function expectRefused(s: Scene, request: Request, code: string) {
  const before = await s.world.snapshot();
  const response = await s.world.send(request);
  expect(response.status).toBe(200);
  const { logged, anomalies } = await s.world.expectUnchanged(before);
  expect(inbound(logged)).toEqual([['rejected', code]]);
  expect(anomalies.map((a) => a.name)).toEqual(['payment.anomaly']);
  const victim = await s.world.store.getPayment(s.victim.paymentId);
  expect([victim?.status, victim?.amountPaid, victim?.externalId]).toEqual(['new', 0, null]);
  return logged;
}

describe('PayPal IPNs an attacker posts', () => {
  it('forged: an invented Completed IPN for the victim (postback INVALID)', async () => {
    const s = await scene();
    const body = edit(s.paid.completed, {
      invoice: s.victim.paymentId,
      custom: s.victim.paymentId,
      txn_id: '9AB12345CD678901E',
      ipn_track_id: 'f0f0f0f0f0f0f',
    });
    const logged = await expectRefused(s, replay(s.paid.completed, { body }), 'VERIFICATION_FAILED');
    // The bridge asked PayPal (its configured endpoint, never a URL the message names).
    expect(logged.filter((m) => m.direction === 'outbound').map((m) => m.url)).toEqual([
      'https://sandbox.test/paypal/cgi-bin/webscr',
    ]);
  });

  it('tampered: a genuine IPN re-targeted at the victim', async () => {
    const s = await scene();
    const body = edit(s.paid.completed, { invoice: s.victim.paymentId, custom: s.victim.paymentId });
    await expectRefused(s, replay(s.paid.completed, { body }), 'VERIFICATION_FAILED');
  });

  it('tampered: a genuine IPN with another amount', async () => {
    const s = await scene();
    const body = edit(s.paid.completed, { mc_gross: '1999.00' });
    await expectRefused(s, replay(s.paid.completed, { body }), 'VERIFICATION_FAILED');
  });

  it('unsigned environment: a genuine sandbox IPN stripped of test_ipn', async () => {
    const s = await scene();
    const body = edit(s.paid.completed, { test_ipn: null });
    const logged = await expectRefused(s, replay(s.paid.completed, { body }), 'ENVIRONMENT_MISMATCH');
    expect(logged.filter((m) => m.direction === 'outbound')).toEqual([]);
  });

  it('replayed: the genuine Completed IPN posted again, three times at once, changes nothing', async () => {
    const s = await scene();
    const before = await s.world.snapshot();
    const responses = await Promise.all([1, 2, 3].map(() => s.world.send(replay(s.paid.completed))));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    const { logged, anomalies, reported } = await s.world.expectUnchanged(before, ['payment.processed']);
    expect(anomalies).toEqual([]);
    expect(reported).toHaveLength(3);
    expect(inbound(logged)).toEqual([1, 2, 3].map(() => ['verified', undefined]));
  });

  it('replayed by PayPal itself (IPN history resend): changes nothing', async () => {
    const s = await scene();
    const track = new URLSearchParams(text(s.paid.completed.body)).get('ipn_track_id') as string;
    const before = await s.world.snapshot();
    s.world.sandbox.paypal.resendIpn(track);
    await s.world.sandbox.flush();
    const { reported } = await s.world.expectUnchanged(before, ['payment.processed']);
    expect(reported).toEqual([{ name: 'payment.processed', paymentId: s.paid.paymentId }]);
  });
});

describe('genuine IPNs about other money (the attacker pays through an altered PayPal form)', () => {
  async function payAltered(world: World, change: (fields: Record<string, string>) => void) {
    const started = await world.start('paypal', 'paypal-9');
    const redirect = started.redirect as Extract<BrowserRedirect, { method: 'POST' }>;
    expect(redirect.method).toBe('POST');
    const fields = { ...redirect.fields };
    change(fields);
    const before = await world.snapshot();
    const session = await world.open({ ...redirect, fields });
    await world.sandbox.paypal.act(session, 'pay');
    await world.sandbox.flush();
    const { anomalies, logged } = await world.expectUnchanged(before);
    expect(anomalies.map((a) => [a.name, a.paymentId])).toEqual([['payment.anomaly', started.paymentId]]);
    const payment = await world.store.getPayment(started.paymentId);
    expect([payment?.status, payment?.amountPaid]).toEqual(['new', 0]);
    return logged.filter((m) => m.direction === 'inbound' && m.kind === 'notification');
  }

  it.each([
    ['a smaller amount', { amount: '0.01' }, 'AMOUNT_MISMATCH'],
    ['another currency', { currency_code: 'USD' }, 'CURRENCY_MISMATCH'],
  ])('%s: an anomaly, never paid', async (_name, change, code) => {
    const world = createWorld();
    const logged = await payAltered(world, (fields) => Object.assign(fields, change));
    expect(logged.map((m) => [m.verdict, m.detail?.split(':')[0]])).toEqual([['rejected', code]]);
  });

  it('money sent to another PayPal account (genuine, VERIFIED): an anomaly, never paid', async () => {
    const world = createWorld();
    world.sandbox.paypal.faults.tamper = { receiver_email: 'thief@example.com', receiver_id: 'THIEF0000001' };
    const before = await world.snapshot();
    const started = await world.start('paypal', 'paypal-8');
    const session = await world.open(started.redirect);
    await world.sandbox.paypal.act(session, 'pay');
    await world.sandbox.flush();
    const payment = await world.store.getPayment(started.paymentId);
    expect([payment?.status, payment?.amountPaid]).toEqual(['new', 0]);
    const messages = (await world.snapshot()).messages.filter(
      (m) => m.kind === 'notification' && !before.messages.some((b) => b.id === m.id),
    );
    expect(messages.map((m) => [m.verdict, m.detail?.split(':')[0]])).toEqual([
      ['rejected', 'RECEIVER_MISMATCH'],
    ]);
  });
});
