import { describe, expect, it } from 'vitest';
import { STRIPE_SANDBOX_CONNECTED_ACCOUNTS } from '../../src/stripe/index';
import { stripeHarness } from '../stripe-harness';

const SUB =
  'mode=subscription&line_items[0][price_data][currency]=usd&line_items[0][price_data][unit_amount]=900' +
  '&line_items[0][price_data][product_data][name]=Plan&line_items[0][price_data][recurring][interval]=month' +
  '&line_items[0][quantity]=1&success_url=https%3A%2F%2Fshop.test%2Fok&subscription_data[metadata][payment]=pay_9';

async function subscribed(extra = '', card = '4242424242424242') {
  const t = stripeHarness();
  const created = await t.api('POST', '/v1/checkout/sessions', SUB + extra);
  expect(created.status).toBe(200);
  const id = created.json.id as string;
  t.sandbox.stripe.act(id, { card, email: 'sub@example.com' });
  await t.sandbox.flush();
  const session = t.sandbox.stripe.object(id) as Record<string, unknown>;
  return { t, session, subId: session.subscription as string };
}

describe('Stripe subscriptions through Checkout', () => {
  it('creates customer, subscription and a paid first invoice (basil shapes), with their events', async () => {
    const { t, session, subId } = await subscribed();
    expect(session).toMatchObject({ mode: 'subscription', status: 'complete', payment_status: 'paid' });
    expect(session.customer).toMatch(/^cus_/);
    expect(t.types()).toEqual([
      'customer.created',
      'customer.subscription.created',
      'charge.succeeded',
      'payment_intent.succeeded',
      'invoice.finalized',
      'invoice.paid',
      'invoice.payment_succeeded',
      'checkout.session.completed',
    ]);
    const invoice = (await t.api('GET', `/v1/invoices/${session.invoice}`)).json;
    expect(invoice).toMatchObject({
      status: 'paid',
      amount_paid: 900,
      currency: 'usd',
      billing_reason: 'subscription_create',
      parent: { subscription_details: { subscription: subId, metadata: { payment: 'pay_9' } } },
    });
    const sub = (await t.api('GET', `/v1/subscriptions/${subId}`)).json;
    expect(sub).toMatchObject({
      status: 'active',
      customer: session.customer,
      metadata: { payment: 'pay_9' },
    });
    const customer = (await t.api('GET', `/v1/customers/${session.customer}`)).json;
    expect(customer.email).toBe('sub@example.com');
  });

  it('renews each period on the sandbox clock (calendar months), and a declined renewal goes past_due', async () => {
    const { t, subId } = await subscribed();
    t.received.length = 0;
    await t.sandbox.advance(31 * 24 * 3600 * 1000);
    expect(t.types()).toContain('invoice.paid');
    expect(t.types().at(-1)).toBe('customer.subscription.updated');
    const renewal = t.received.find((r) => r.event.type === 'invoice.paid')?.event.data.object;
    expect(renewal).toMatchObject({ billing_reason: 'subscription_cycle', amount_paid: 900 });
    t.sandbox.stripe.failNextRenewal(subId);
    t.received.length = 0;
    await t.sandbox.advance(31 * 24 * 3600 * 1000);
    expect(t.types()).toContain('invoice.payment_failed');
    expect(t.types()).not.toContain('invoice.paid');
    expect((await t.api('GET', `/v1/subscriptions/${subId}`)).json.status).toBe('past_due');
  });

  it('cancels at period end (updated, then deleted at the boundary) and immediately with DELETE', async () => {
    const { t, subId } = await subscribed();
    t.received.length = 0;
    const updated = await t.api('POST', `/v1/subscriptions/${subId}`, 'cancel_at_period_end=true');
    expect(updated.json).toMatchObject({ cancel_at_period_end: true, status: 'active' });
    await t.sandbox.flush();
    expect(t.received[0]?.event).toMatchObject({
      type: 'customer.subscription.updated',
      data: { previous_attributes: { cancel_at_period_end: false } },
    });
    await t.sandbox.advance(31 * 24 * 3600 * 1000);
    expect(t.types().at(-1)).toBe('customer.subscription.deleted');
    expect(t.types()).not.toContain('invoice.paid');

    const other = await subscribed();
    const deleted = await other.t.api('DELETE', `/v1/subscriptions/${other.subId}`);
    expect(deleted.json).toMatchObject({ id: other.subId, status: 'canceled' });
    expect((await other.t.api('DELETE', `/v1/subscriptions/${other.subId}`)).status).toBe(404);
  });

  it('lists invoice payments by PaymentIntent (which invoice it paid), the invoice expandable', async () => {
    const { t, session } = await subscribed();
    const invoice = (await t.api('GET', `/v1/invoices/${session.invoice}`)).json as {
      payments: { data: Array<{ payment: { payment_intent: string } }> };
    };
    const pi = invoice.payments.data[0]?.payment.payment_intent as string;
    const found = await t.api(
      'GET',
      '/v1/invoice_payments',
      `payment[type]=payment_intent&payment[payment_intent]=${pi}&expand[0]=data.invoice&limit=1`,
    );
    expect(found.status).toBe(200);
    expect(found.json).toMatchObject({ object: 'list', has_more: false, url: '/v1/invoice_payments' });
    expect((found.json.data as unknown[])[0]).toMatchObject({
      object: 'invoice_payment',
      status: 'paid',
      invoice: { id: session.invoice, object: 'invoice', billing_reason: 'subscription_create' },
    });
    const byInvoice = await t.api('GET', '/v1/invoice_payments', `invoice=${session.invoice}`);
    expect((byInvoice.json.data as unknown[]).length).toBe(1);
    const none = await t.api(
      'GET',
      '/v1/invoice_payments',
      'payment[type]=payment_intent&payment[payment_intent]=pi_nope',
    );
    expect(none.json.data).toEqual([]);
    const bad = await t.api('GET', '/v1/invoice_payments', 'payment[type]=charge');
    expect(bad.status).toBe(400);
    const unknown = await t.api('GET', '/v1/invoice_payments', 'subscription=sub_1');
    expect(unknown.status).toBe(400);
  });

  it('a subscription with transfer_data and a fee percent: its invoices are destination charges with the fee', async () => {
    const seller = STRIPE_SANDBOX_CONNECTED_ACCOUNTS[0] as string;
    const { t, session } = await subscribed(
      `&subscription_data[transfer_data][destination]=${seller}&subscription_data[application_fee_percent]=10`,
    );
    const invoice = (await t.api('GET', `/v1/invoices/${session.invoice}`)).json as {
      payments: { data: Array<{ payment: { payment_intent: string } }> };
    };
    const pi = invoice.payments.data[0]?.payment.payment_intent as string;
    const intent = (await t.api('GET', `/v1/payment_intents/${pi}`, 'expand[0]=latest_charge')).json;
    expect(intent).toMatchObject({ transfer_data: { destination: seller }, application_fee_amount: 90 });
    expect(intent.latest_charge).toMatchObject({ transfer_data: { destination: seller } });
    const refund = await t.api(
      'POST',
      '/v1/refunds',
      `payment_intent=${pi}&reverse_transfer=true&amount=100`,
    );
    expect(refund.json).toMatchObject({ status: 'succeeded', amount: 100 });
  });

  it('starts a trial with no payment required', async () => {
    const { t, session, subId } = await subscribed('&subscription_data[trial_period_days]=14');
    expect(session.payment_status).toBe('no_payment_required');
    expect((await t.api('GET', `/v1/subscriptions/${subId}`)).json.status).toBe('trialing');
    expect((await t.api('GET', `/v1/invoices/${session.invoice}`)).json.amount_paid).toBe(0);
  });
});

describe('Stripe refunds', () => {
  async function paid(card = '4242424242424242', iban?: string) {
    const t = stripeHarness();
    const s = await t.session();
    t.sandbox.stripe.act(s.id as string, iban ? { iban } : { card });
    if (iban) await t.sandbox.advance(3 * 60_000);
    await t.sandbox.flush();
    t.received.length = 0;
    return { t, pi: t.sandbox.stripe.object(s.id as string)?.payment_intent as string };
  }

  it('refunds partially until the captured sum, then charge_already_refunded', async () => {
    const { t, pi } = await paid();
    const first = await t.api(
      'POST',
      '/v1/refunds',
      `payment_intent=${pi}&amount=999&reason=requested_by_customer&metadata[n]=1`,
    );
    expect(first.json).toMatchObject({
      object: 'refund',
      status: 'succeeded',
      amount: 999,
      metadata: { n: '1' },
    });
    const rest = await t.api('POST', '/v1/refunds', `payment_intent=${pi}`);
    expect(rest.json.amount).toBe(1000);
    const none = await t.api('POST', '/v1/refunds', `payment_intent=${pi}&amount=1`);
    expect((none.json.error as { code: string }).code).toBe('charge_already_refunded');
    await t.sandbox.flush();
    expect(t.types()).toEqual(['refund.created', 'charge.refunded', 'refund.created', 'charge.refunded']);
    expect(t.received[3]?.event.data.object).toMatchObject({ amount_refunded: 1999, refunded: true });
  });

  it('a refund on the 4000…5126 card fails asynchronously: refund.failed and the charge gets the money back', async () => {
    const { t, pi } = await paid('4000000000005126');
    const refund = await t.api('POST', '/v1/refunds', `payment_intent=${pi}&amount=500`);
    expect(refund.json.status).toBe('succeeded');
    await t.sandbox.advance(10 * 60_000);
    expect(t.types()).toEqual([
      'refund.created',
      'charge.refunded',
      'refund.updated',
      'charge.refund.updated',
      'refund.failed',
    ]);
    expect((await t.api('GET', `/v1/refunds/${refund.json.id}`)).json).toMatchObject({
      status: 'failed',
      failure_reason: 'expired_or_canceled_card',
    });
    const charge = (await t.api('GET', `/v1/payment_intents/${pi}`, 'expand[0]=latest_charge')).json
      .latest_charge as Record<string, unknown>;
    expect(charge.amount_refunded).toBe(0);
  });

  it("a subscription paid with the 4000…5126 card: its first invoice's refund fails asynchronously too", async () => {
    const { t, session } = await subscribed('', '4000000000005126');
    const invoice = (await t.api('GET', `/v1/invoices/${session.invoice}`, 'expand[0]=payments')).json as {
      payments: { data: Array<{ payment: { payment_intent: string } }> };
    };
    const pi = invoice.payments.data[0]?.payment.payment_intent;
    expect(pi).toMatch(/^pi_/);
    const refund = await t.api('POST', '/v1/refunds', `payment_intent=${pi}`);
    expect(refund.json).toMatchObject({ status: 'succeeded', amount: 900 });
    await t.sandbox.advance(10 * 60_000);
    expect((await t.api('GET', `/v1/refunds/${refund.json.id}`)).json).toMatchObject({ status: 'failed' });
  });

  it('a SEPA refund is pending first, then succeeds on the clock (or by control)', async () => {
    const { t, pi } = await paid('', 'DE89370400440532013000');
    const refund = await t.api('POST', '/v1/refunds', `payment_intent=${pi}`);
    expect(refund.json.status).toBe('pending');
    await t.sandbox.advance(3 * 60_000);
    expect((await t.api('GET', `/v1/refunds/${refund.json.id}`)).json.status).toBe('succeeded');
    expect(t.types()).toEqual([
      'refund.created',
      'refund.updated',
      'charge.refund.updated',
      'charge.refunded',
    ]);
  });
});
