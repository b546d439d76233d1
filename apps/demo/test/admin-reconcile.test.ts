import { describe, expect, it } from 'vitest';
import { setupDemo } from './support/demo';

/** A PayU payment the buyer paid at the broker, whose notifications never reach the shop. */
async function paidButLost(t: ReturnType<typeof setupDemo>) {
  const { paymentId, redirect } = await t.startButton('tshirt', 'payu');
  const { session } = await t.openHostedPage(redirect);
  await t.sandbox.payu.act(session, 'pay');
  // Lost on the way (a firewall, a deploy answering 500 for PayU's whole retry window): PayU gave up.
  const lost = t.sandbox.queue.pending().filter((delivery) => delivery.broker === 'payu');
  expect(lost.length).toBeGreaterThan(0);
  for (const delivery of lost) delivery.state = 'gave-up';
  await t.sandbox.flush();
  expect((await t.payment(paymentId)).status).toBe('new');
  return paymentId;
}

describe('demo admin: Reconcile now', () => {
  it('recovers a PayU payment whose notification was lost, and shows the counts', async () => {
    const t = setupDemo();
    const paymentId = await paidButLost(t);
    const page = await (await t.request('/admin')).text();
    expect(page).toContain('action="/admin/reconcile"');
    expect(page).toContain('>Reconcile now<');

    const response = await t.postForm('/admin/reconcile', {});
    expect(response.status).toBe(303);
    const location = decodeURIComponent(response.headers.get('location') ?? '');
    expect(location).toContain('ok=reconciled: 1 pulled, 1 changed, 0 unchanged, 0 failed');
    expect(location).toContain('0 of the pulled for a refund still open');
    expect((await t.payment(paymentId)).status).toBe('paid');
    const shown = await (await t.request(location.replace(/ /g, '%20'))).text();
    expect(shown).toContain('reconciled: 1 pulled, 1 changed');

    // A second pass finds nothing open any more.
    const again = decodeURIComponent(
      (await t.postForm('/admin/reconcile', {})).headers.get('location') ?? '',
    );
    expect(again).toContain('ok=reconciled: 0 pulled, 0 changed');
  });

  it('refuses a Reconcile now posted from another site, and pulls nothing', async () => {
    const t = setupDemo();
    const paymentId = await paidButLost(t);
    const response = await t.request('/admin/reconcile', {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('CROSS_ORIGIN_REQUEST');
    expect((await t.payment(paymentId)).status).toBe('new');
  });
});
