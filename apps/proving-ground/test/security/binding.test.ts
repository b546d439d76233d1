import { describe, expect, it } from 'vitest';
import type { BrowserRedirect } from '../../chaos/hosted-page';
import { createWorld, text, type World } from './world';

/**
 * Issue 14 items 1 and 2, replayed as the attacker did: genuine PayPal messages about the attacker's
 * *own* transaction — built from their own checkout or subscription form naming the victim's payment
 * id in `invoice`/`custom` — must never fail, end, re-term or overwrite the victim's payment.
 */
type PostRedirect = Extract<BrowserRedirect, { method: 'POST' }>;

/** The attacker's own PayPal form (from a payment of theirs) rewritten to name the victim's payment. */
async function attackerForm(
  world: World,
  orderId: string,
  victimId: string,
  extra: Record<string, string> = {},
) {
  const { redirect } = await world.start('paypal', orderId);
  const form = redirect as PostRedirect;
  expect(form.method).toBe('POST');
  return { ...form, fields: { ...form.fields, invoice: victimId, custom: victimId, ...extra } };
}

const ipnsFor = (world: World, from: number) =>
  world.captured.slice(from).map((m) => new URLSearchParams(text(m.body)));

describe('issue 14 item 2: a PayPal failure from another transaction', () => {
  it.each(['fail', 'deny'] as const)(
    'issue 14 item 2: the attacker %ss their own checkout naming the victim: the victim stays payable',
    async (action) => {
      const world = createWorld();
      const victim = await world.start('paypal', 'paypal-2');
      const victimSession = await world.open(victim.redirect);
      const form = await attackerForm(world, 'paypal-9', victim.paymentId);
      const before = await world.snapshot();
      const from = world.captured.length;
      await world.sandbox.paypal.act(await world.open(form), action);
      await world.sandbox.flush();
      // The attacker's messages were genuine (VERIFIED) and named the victim.
      const sent = ipnsFor(world, from);
      expect(sent.map((f) => f.get('payment_status'))).toEqual([
        'Pending',
        action === 'fail' ? 'Failed' : 'Denied',
      ]);
      expect(sent.every((f) => f.get('invoice') === victim.paymentId)).toBe(true);
      const declined = world.events.slice(before.events).filter((e) => e.name === 'payment.declined');
      expect(declined).toEqual([]);
      const payment = await world.store.getPayment(victim.paymentId);
      expect(payment?.status).not.toBe('failed');
      expect(payment?.amountPaid).toBe(0);
      // Still payable: the victim's own checkout pays it.
      await world.sandbox.paypal.act(victimSession, 'pay');
      await world.sandbox.flush();
      const paid = await world.store.getPayment(victim.paymentId);
      expect([paid?.status, paid?.amountPaid]).toEqual(['paid', 1999]);
    },
  );
});

describe('issue 14 item 1: PayPal subscription poisoning', () => {
  /** Each period of a subscription is a payment of its own under the signup's payment. */
  const periods = async (world: World, parentId: string) =>
    (await world.store.listPayments({ limit: 50 })).items
      .filter((p) => p.parentPaymentId === parentId)
      .map((p) => [p.status, p.amountPaid]);

  async function subscribedVictim() {
    const world = createWorld();
    const victim = await world.start('paypal', 'sub-1');
    await world.sandbox.paypal.act(await world.open(victim.redirect), 'pay');
    await world.sandbox.flush();
    const payment = await world.store.getPayment(victim.paymentId);
    expect(payment?.subscription?.status).toBe('active');
    expect(await periods(world, victim.paymentId)).toEqual([['paid', 1999]]);
    return { world, victimId: victim.paymentId, subscrId: payment?.subscription?.id as string };
  }

  it.each([
    ['a €0.00 trial', { a1: '0.00', p1: '1', t1: 'M' }],
    ['src=0 (one payment)', { src: '0' }],
  ])(
    'issue 14 item 1: a second subscription with %s naming the victim changes nothing, nor does its end',
    async (_name, terms) => {
      const { world, victimId, subscrId } = await subscribedVictim();
      const form = await attackerForm(world, 'sub-9', victimId, terms);
      const before = await world.snapshot();
      const victimBefore = before.payments.find((p) => p.id === victimId);
      const from = world.captured.length;
      await world.sandbox.paypal.act(await world.open(form), 'pay');
      await world.sandbox.flush();
      const attacker = ipnsFor(world, from).find((f) => f.get('txn_type') === 'subscr_signup');
      const attackerSubscr = attacker?.get('subscr_id') as string;
      expect(attackerSubscr).toBeTruthy();
      expect(attackerSubscr).not.toBe(subscrId);
      world.sandbox.paypal.cancelSubscription(attackerSubscr);
      world.sandbox.paypal.endSubscription(attackerSubscr);
      await world.sandbox.flush();

      const victim = await world.store.getPayment(victimId);
      expect(victim?.subscription).toEqual(victimBefore?.subscription);
      expect(victim?.brokerData).toEqual(victimBefore?.brokerData);
      expect(victim?.externalId).toBe(victimBefore?.externalId);
      expect(victim?.status).not.toBe('failed');
      const subscriptionEvents = world.events
        .slice(before.events)
        .filter((e) => e.name.startsWith('subscription.') && e.paymentId === victimId);
      expect(subscriptionEvents).toEqual([]);
      expect(world.events.slice(before.events).some((e) => e.name === 'payment.anomaly')).toBe(true);

      // No period of the attacker's subscription hangs under the victim's; the victim's renewal is accepted.
      expect(await periods(world, victimId)).toEqual([['paid', 1999]]);
      await world.sandbox.advance(32 * 24 * 3600 * 1000);
      expect(await periods(world, victimId)).toEqual([
        ['paid', 1999],
        ['paid', 1999],
      ]);
      expect((await world.store.getPayment(victimId))?.subscription?.status).toBe('active');
    },
  );
});
