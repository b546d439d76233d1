import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyWith, hasChromium, type Shop, startShop } from './harness';

const WAITING = 'Waiting for the payment confirmation';
const ACCEPTED = 'Payment accepted';

const razorpayPayments = async (shop: Shop) =>
  (await shop.demo.bridge.store.listPayments({ backend: 'razorpay', limit: 100 })).items;

/**
 * The only broker for rupees: the card names it, there is nothing to choose. Lands on the Payment Link
 * and returns the payment the click started.
 */
async function openLink(shop: Shop, page: Page) {
  const before = new Set((await razorpayPayments(shop)).map((p) => p.id));
  await buyWith(shop, page, 'chai', null);
  await page.waitForURL(/\/sandbox\/razorpay\/i\/[A-Za-z0-9]+$/);
  await page.getByText('499.00 INR').waitFor();
  const started = (await razorpayPayments(shop)).filter((p) => !before.has(p.id));
  expect(started).toHaveLength(1);
  return started[0] as NonNullable<(typeof started)[0]>;
}

/** The payment as the shop's store has it now. */
const current = (shop: Shop, id: string) => shop.demo.bridge.getPayment(id);

/** The sandbox's `payment_link.paid` webhooks about one payment (its link's `reference_id`). */
function linkPaid(shop: Shop, paymentId: string) {
  return shop.demo.sandbox.razorpay.deliveries().filter((d) => {
    if (d.label !== 'payment_link.paid') return false;
    const event = JSON.parse(new TextDecoder().decode(d.call.body));
    return event.payload.payment_link.entity.reference_id === paymentId;
  });
}

describe.runIf(hasChromium)('the demo shop with Razorpay in a real browser', { timeout: 60_000 }, () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await startShop();
  }, 120_000);
  afterAll(async () => {
    await shop?.close();
  });

  it('Razorpay: pays the rupee chai tin on the Payment Link; confirmed from Razorpay, never from the return URL', async () => {
    const page = await shop.page();
    const payment = await openLink(shop, page);
    expect(payment).toMatchObject({ status: 'new', amount: 49_900, currency: 'INR' });
    await page.getByRole('button', { name: 'Pay (Success)', exact: true }).click();
    await page.waitForURL(/\/orders\//);
    // Before any webhook: the return asked Razorpay's API (an authenticated pull), which says paid.
    expect(await current(shop, payment.id)).toMatchObject({
      status: 'paid',
      amountPaid: 49_900,
      currency: 'INR',
    });
    await page.getByText(ACCEPTED).waitFor();
    await page.getByTestId('order-status').getByText('Paid').waitFor();
    // The signed webhooks then land, are verified (2xx) and change nothing: the money is counted once.
    await shop.demo.sandbox.flush();
    const [delivered] = linkPaid(shop, payment.id);
    expect(delivered?.state).toBe('delivered');
    expect(delivered?.call.headers['x-razorpay-signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(delivered?.attempts.at(-1)?.status).toBe(200);
    expect(await current(shop, payment.id)).toMatchObject({
      status: 'paid',
      amountPaid: 49_900,
    });
    await shop.screenshot(page, 'razorpay-accepted');
  });

  it('Razorpay: the signed callback on return does not make it paid; the webhook held back does', async () => {
    const page = await shop.page();
    const held = await openLink(shop, page);
    // Razorpay's API is down while the buyer comes back, so the return's status pull finds nothing,
    // and the webhooks wait in the sandbox until flushed: only the signed callback query is there.
    const returns: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/payments/return/razorpay/')) returns.push(request.url());
    });
    shop.demo.sandbox.razorpay.faults.apiError = { status: 503, remaining: 1 };
    await page.getByRole('button', { name: 'Pay (Success)', exact: true }).click();
    await page.waitForURL(/\/orders\//);
    expect(shop.demo.sandbox.razorpay.faults.apiError.remaining).toBe(0);
    shop.demo.sandbox.razorpay.faults.apiError = undefined;
    expect(returns).toHaveLength(1);
    const callback = new URL(returns[0] as string).searchParams;
    expect(callback.get('razorpay_payment_link_status')).toBe('paid');
    expect(callback.get('razorpay_signature')).toMatch(/^[0-9a-f]{64}$/);
    // Two polls of the status later the order page still waits, and so does the payment.
    await page.getByText(WAITING).waitFor();
    for (let poll = 0; poll < 2; poll++)
      await page.waitForResponse((response) => response.url().includes('/payments/status/'));
    await page.getByText(WAITING).waitFor();
    expect(await page.getByText(ACCEPTED).count()).toBe(0);
    expect((await current(shop, held.id))?.status).toBe('new');
    await page.getByTestId('order-status').getByText('Not paid').waitFor();
    await shop.screenshot(page, 'razorpay-callback-waiting');
    // Only payment_link.paid is let through (payment.* and order.paid stay held): the page turns to
    // accepted by itself, without a reload.
    const others = shop.demo.sandbox.razorpay
      .deliveries()
      .filter((d) => d.state === 'scheduled' && d.label !== 'payment_link.paid');
    expect(others.map((d) => d.label)).toEqual(['payment.authorized', 'payment.captured', 'order.paid']);
    for (const delivery of others) delivery.held = true;
    await shop.demo.sandbox.flush();
    expect(linkPaid(shop, held.id).map((d) => [d.state, d.attempts.at(-1)?.status])).toEqual([
      ['delivered', 200],
    ]);
    await page.getByText(ACCEPTED).waitFor();
    await page.getByTestId('order-status').getByText('Paid').waitFor();
    expect(await current(shop, held.id)).toMatchObject({ status: 'paid', amountPaid: 49_900 });
    await shop.screenshot(page, 'razorpay-webhook-accepted');
    // The rest arrive later and change nothing.
    for (const delivery of others) shop.demo.sandbox.queue.release(delivery);
    await shop.demo.sandbox.flush();
    expect(others.map((d) => d.state)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(await current(shop, held.id)).toMatchObject({ status: 'paid', amountPaid: 49_900 });
  });

  it('Razorpay: a declined attempt leaves the order unpaid; the same link then pays', async () => {
    const page = await shop.page();
    const declined = await openLink(shop, page);
    const link = page.url();
    await page.getByRole('button', { name: 'Decline (Failure)', exact: true }).click();
    // Razorpay does not send the buyer back after a failure: its page offers another try.
    await page.getByText('Payment failed. You can try again.').waitFor();
    await shop.screenshot(page, 'razorpay-declined-on-link');
    await shop.demo.sandbox.flush();
    expect((await current(shop, declined.id))?.status).toBe('new');
    // The shop, in another tab: the order is not paid.
    const order = await shop.page();
    await order.goto(`${shop.url}/orders/${declined.orderId}`);
    await order.getByTestId('order-status').getByText('Not paid').waitFor();
    await shop.screenshot(order, 'razorpay-declined');
    await page.getByRole('link', { name: 'Try again', exact: true }).click();
    await page.waitForURL(link);
    await page.getByRole('button', { name: 'Pay (Success)', exact: true }).click();
    await page.waitForURL(new RegExp(`/orders/${declined.orderId}\\?payment=${declined.id}$`));
    await shop.demo.sandbox.flush();
    await page.getByText(ACCEPTED).waitFor();
    const snapshot = shop.demo.sandbox.razorpay.links().find((l) => l.referenceId === declined.id);
    expect(snapshot?.payments.map((p) => p.status)).toEqual(['failed', 'captured']);
  });

  it('Razorpay: leaving the Payment Link without paying changes nothing', async () => {
    const page = await shop.page();
    const left = await openLink(shop, page);
    await page.getByRole('button', { name: 'Leave without paying', exact: true }).click();
    await page.getByText('You left the payment page.').waitFor();
    await shop.demo.sandbox.flush();
    expect((await current(shop, left.id))?.status).toBe('new');
    await page.goto(`${shop.url}/orders/${left.orderId}`);
    await page.getByTestId('order-status').getByText('Not paid').waitFor();
    const snapshot = shop.demo.sandbox.razorpay.links().find((l) => l.referenceId === left.id);
    expect(snapshot).toMatchObject({ status: 'created', payments: [] });
  });

  it('admin: refunds part of a Razorpay payment; it is refunded once Razorpay processes it', async () => {
    const page = await shop.page();
    const paid = (await shop.demo.bridge.store.listPayments({ backend: 'razorpay', status: 'paid' }))
      .items[0];
    expect(paid).toBeDefined();
    await page.goto(`${shop.url}/admin/payments/${paid?.id}`);
    await page.getByLabel(/Amount/).fill('100.00');
    await page.getByRole('button', { name: 'Refund part' }).click();
    await page.getByText('refund done').waitFor();
    // A Razorpay refund is pending until processed (the sandbox's processing time, then refund.processed).
    await page.getByText('of refunds wait for the broker').waitFor();
    await shop.screenshot(page, 'razorpay-admin-refund-pending');
    shop.demo.clock.advance(shop.demo.sandbox.razorpay.config.refundProcessingMs + 1000);
    await shop.demo.sandbox.flush();
    await page.goto(`${shop.url}/admin/payments/${paid?.id}`);
    await page.getByText('partially_refunded').first().waitFor();
    expect(await current(shop, paid?.id as string)).toMatchObject({
      status: 'partially_refunded',
      amountRefunded: 10_000,
    });
    const refunded = shop.demo.sandbox.razorpay.links().find((l) => l.referenceId === paid?.id);
    expect(refunded?.refunds).toEqual([expect.objectContaining({ amount: 10_000, status: 'processed' })]);
    await shop.screenshot(page, 'razorpay-admin-refund');
  });
});
