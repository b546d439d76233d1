import type { Payment } from '@paybridge/core';
import { describe, expect, it } from 'vitest';
import type { paypal } from '../src/paypal';
import { setup } from './support/e2e';

/** Subscriptions with the NVP API end to end: cancel by API, and the recurring_payment_* IPNs. */
const API = {
  username: 'merchant_api1.example.com',
  password: 'SANDBOX3TOKENPWD',
  signature: 'AFcWxV21C7fd0v3bYYYRCpSSRl31A-sandbox-signature-0123456789',
};

async function subscribed(profileCancelIpn?: 'subscr_cancel' | 'recurring_payment_profile_cancel' | 'both') {
  const t = setup({
    backend: { api: API },
    ...(profileCancelIpn ? { simulator: { profileCancelIpn } } : {}),
  });
  const { paymentId, session } = await t.start('sub-');
  await t.sandbox.paypal.act(session, 'pay');
  await t.sandbox.flush();
  const payment = await t.get(paymentId);
  expect(payment.subscription).toMatchObject({ status: 'active' });
  const backend = t.bridge.backend('paypal') as ReturnType<typeof paypal>;
  const ctx = {
    testMode: true,
    fetch: (url: string, init: RequestInit) => t.sandbox.handler(new Request(url, init)),
  };
  const cancel = (p: Payment) => backend.cancelSubscription(p, ctx);
  return { t, paymentId, profileId: payment.subscription?.id as string, cancel };
}

describe('PayPal subscriptions through the NVP API and the sandbox', () => {
  it.each(['subscr_cancel', 'recurring_payment_profile_cancel', 'both'] as const)(
    'cancelSubscription cancels the profile; its IPN (%s) records it; again is already done',
    async (ipn) => {
      const { t, paymentId, profileId, cancel } = await subscribed(ipn);
      expect(profileId).toMatch(/^I-/);
      expect(await cancel(await t.get(paymentId))).toMatchObject({ profileId, alreadyInactive: false });
      await t.sandbox.flush();
      expect((await t.get(paymentId)).subscription).toMatchObject({ id: profileId, status: 'cancelled' });
      expect(await cancel(await t.get(paymentId))).toMatchObject({ profileId, alreadyInactive: true });
      expect(t.sandbox.paypal.subscriptions().find((s) => s.subscrId === profileId)?.status).toBe(
        'cancelled',
      );
      expect(t.anomalies).toEqual([]);
    },
  );

  it('suspended after max failed payments: recorded as suspended, then cancelled by API', async () => {
    const { t, paymentId, profileId, cancel } = await subscribed();
    t.sandbox.paypal.recurringPaymentEvent(profileId, 'suspended_due_to_max_failed_payment');
    await t.sandbox.flush();
    expect((await t.get(paymentId)).subscription).toMatchObject({ status: 'suspended' });
    expect(await cancel(await t.get(paymentId))).toMatchObject({ alreadyInactive: false });
    await t.sandbox.flush();
    expect((await t.get(paymentId)).subscription).toMatchObject({ status: 'cancelled' });
    expect(t.anomalies).toEqual([]);
  });

  it('skipped and failed payments are subscription payment failures; a profile cancel IPN cancels', async () => {
    const { t, paymentId, profileId } = await subscribed();
    const failures: string[] = [];
    t.bridge.on('subscription.paymentFailed', ({ subscription }) => {
      failures.push(subscription.id);
    });
    t.sandbox.paypal.recurringPaymentEvent(profileId, 'skipped');
    t.sandbox.paypal.recurringPaymentEvent(profileId, 'failed');
    await t.sandbox.flush();
    expect((await t.get(paymentId)).subscription).toMatchObject({ status: 'active' });
    expect(failures).toEqual([profileId, profileId]);
    const received = (await t.notifications()).map((m) => /txn_type=(\w+)/.exec(m.body)?.[1]);
    expect(received).toEqual(
      expect.arrayContaining(['recurring_payment_skipped', 'recurring_payment_failed']),
    );
    expect((await t.notifications()).every((m) => m.verdict === 'verified')).toBe(true);
    t.sandbox.paypal.recurringPaymentEvent(profileId, 'profile_cancel');
    await t.sandbox.flush();
    expect((await t.get(paymentId)).subscription).toMatchObject({ status: 'cancelled' });
    expect(t.anomalies).toEqual([]);
  });
});
