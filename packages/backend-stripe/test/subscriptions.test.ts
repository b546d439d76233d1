import { describe, expect, it } from 'vitest';
import { stripeEvent } from './support/fake-stripe';
import { bridgeWithFake } from './support/harness';

const monthly = { recurrence: { interval: 'month' as const, every: 1 } };

describe('webhooks: subscriptions', () => {
  async function subscribed() {
    const t = bridgeWithFake({}, monthly);
    const { paymentId, sessionId } = await t.start();
    const paid = t.fake.pay(sessionId);
    return { t, paymentId, ...paid };
  }

  it('checkout.session.completed signs up and pays; the first invoice.paid is the same money', async () => {
    const { t, paymentId, session, subscription, invoice } = await subscribed();
    await t.deliver(stripeEvent('checkout.session.completed', session));
    await t.deliver(stripeEvent('invoice.paid', invoice));
    const payment = await t.get(paymentId);
    expect(payment).toMatchObject({ status: 'paid', amountPaid: 1999 });
    expect(payment.subscription).toMatchObject({ id: subscription?.id, status: 'active' });
    expect(payment.captures.map((c) => c.id)).toEqual([invoice?.id]);
  });

  it('the first invoice.paid before the session event pays through the bound session', async () => {
    const { t, paymentId, session, invoice } = await subscribed();
    await t.deliver(stripeEvent('invoice.paid', invoice));
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });
    await t.deliver(stripeEvent('checkout.session.completed', session));
    expect((await t.get(paymentId)).captures).toHaveLength(1);
  });

  it('a renewal invoice becomes a paid child payment, once however often it is delivered', async () => {
    const { t, paymentId, session, subscription, invoice } = await subscribed();
    await t.deliver(stripeEvent('checkout.session.completed', session));
    const renewal = { ...invoice, id: 'in_test_renewal1', billing_reason: 'subscription_cycle' };
    const body = stripeEvent('invoice.paid', renewal);
    await t.deliver(body);
    await t.deliver(stripeEvent('invoice.paid', renewal));
    const children = (await t.store.listPayments({ limit: 50 })).items.filter(
      (p) => p.parentPaymentId === paymentId,
    );
    expect(children).toHaveLength(1);
    expect(children[0]).toMatchObject({ status: 'paid', amountPaid: 1999, externalId: 'in_test_renewal1' });
    expect((await t.get(paymentId)).subscription?.id).toBe(subscription?.id);
  });

  it('payment failures suspend, deletion cancels for good (a late update does not revive it)', async () => {
    const { t, paymentId, session, subscription, invoice } = await subscribed();
    await t.deliver(stripeEvent('checkout.session.completed', session));
    await t.deliver(
      stripeEvent('invoice.payment_failed', {
        ...invoice,
        id: 'in_test_r2',
        billing_reason: 'subscription_cycle',
        attempt_count: 1,
      }),
    );
    Object.assign(subscription as object, { status: 'past_due' });
    await t.deliver(stripeEvent('customer.subscription.updated', { ...subscription }));
    expect((await t.get(paymentId)).subscription?.status).toBe('suspended');
    Object.assign(subscription as object, { status: 'canceled' });
    await t.deliver(stripeEvent('customer.subscription.deleted', { ...subscription }));
    await t.deliver(stripeEvent('customer.subscription.updated', { ...subscription, status: 'active' }));
    const payment = await t.get(paymentId);
    expect(payment.subscription?.status).toBe('cancelled');
    expect(payment.status).toBe('paid');
  });

  it('an older update delivered after a newer one does not undo it: the subscription is as Stripe has it now', async () => {
    const { t, paymentId, session, subscription } = await subscribed();
    await t.deliver(stripeEvent('checkout.session.completed', session));
    // The renewal failed (past_due), then Stripe's retry paid it (active): the two updates arrive swapped.
    const older = stripeEvent('customer.subscription.updated', { ...subscription, status: 'past_due' });
    const newer = stripeEvent('customer.subscription.updated', { ...subscription, status: 'active' });
    await t.deliver(newer);
    await t.deliver(older);
    expect((await t.get(paymentId)).subscription?.status).toBe('active');
    expect(t.fake.apiRequests(/^\/v1\/subscriptions\//).map((r) => r.method)).toEqual(['GET', 'GET']);
  });

  it('a pull finds a status the subscription came back to (active → past_due → active, the last webhook lost)', async () => {
    const { t, paymentId, session, subscription } = await subscribed();
    await t.deliver(stripeEvent('checkout.session.completed', session));
    for (let cycle = 1; cycle <= 2; cycle++) {
      await t.bridge.sync(paymentId);
      Object.assign(subscription as object, { status: 'past_due' });
      await t.deliver(stripeEvent('customer.subscription.updated', { ...subscription }));
      expect({ cycle, status: (await t.get(paymentId)).subscription?.status }).toEqual({
        cycle,
        status: 'suspended',
      });
      Object.assign(subscription as object, { status: 'active' });
      await t.bridge.sync(paymentId);
      expect({ cycle, status: (await t.get(paymentId)).subscription?.status }).toEqual({
        cycle,
        status: 'active',
      });
    }
  });

  it('events of another subscription naming the payment change nothing', async () => {
    const { t, paymentId, session, subscription } = await subscribed();
    await t.deliver(stripeEvent('checkout.session.completed', session));
    const other = { ...subscription, id: 'sub_test_other', status: 'canceled' };
    await t.deliver(stripeEvent('customer.subscription.deleted', other));
    const invoice = {
      id: 'in_test_other',
      object: 'invoice',
      amount_paid: 1999,
      currency: 'eur',
      billing_reason: 'subscription_cycle',
      parent: {
        subscription_details: {
          subscription: 'sub_test_other',
          metadata: { paybridge_payment_id: paymentId },
        },
      },
    };
    await t.deliver(stripeEvent('invoice.paid', invoice));
    const payment = await t.get(paymentId);
    expect(payment.subscription).toMatchObject({ id: subscription?.id, status: 'active' });
    const children = (await t.store.listPayments({ limit: 50 })).items.filter(
      (p) => p.parentPaymentId === paymentId,
    );
    expect(children).toHaveLength(0);
  });
});
