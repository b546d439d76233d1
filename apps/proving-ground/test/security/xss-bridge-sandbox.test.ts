import { describe, expect, it } from 'vitest';
import { hostedPageRequest } from '../../chaos/hosted-page';
import { createWorld, SANDBOX, SHOP } from './world';
import { expectInert, PROBE } from './xss-probes';

/**
 * XSS probes on every page the bridge and the sandbox render. The probe reaches them through what an
 * attacker controls: the path and query, form fields of a hand-made broker form, the buyer's name at
 * the broker, and — when a merchant puts customer text there — the order description.
 */
const described = () =>
  createWorld({ descriptions: { 'payu-1': PROBE, 'paypal-1': PROBE, 'cmcic-1': PROBE, 'dummy-1': PROBE } });

const form = (url: string, fields: Record<string, string>) =>
  new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

describe("the bridge's own pages", () => {
  it.each(['paypal', 'cmcic'])('the auto-submitting form to %s (POST /start, no JSON)', async (backend) => {
    const world = described();
    const response = await world.send(form(`${SHOP}/start`, { backend, orderId: `${backend}-1` }));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const html = await expectInert(response, { reached: backend === 'paypal' });
    expect(html).toContain('<form id="paybridge-redirect"');
  });

  it('the dummy broker page, and its answers to a bad action or an unknown payment', async () => {
    const world = described();
    const { paymentId } = await world.start('dummy', 'dummy-1');
    await expectInert(await world.send(new Request(`${SHOP}/backend/dummy/pay/${paymentId}`)), {
      reached: true,
    });
    await expectInert(await world.send(form(`${SHOP}/backend/dummy/pay/${paymentId}`, { action: PROBE })));
    await expectInert(
      await world.send(new Request(`${SHOP}/backend/dummy/pay/${encodeURIComponent(PROBE)}`)),
    );
    expect((await world.store.getPayment(paymentId))?.status).toBe('new');
  });

  it('the status page of the return route (no return URL), with a probe in the query', async () => {
    const world = described();
    const { paymentId } = await world.start('dummy', 'dummy-1');
    const url = `${SHOP}/return/dummy/${paymentId}?cancel=${encodeURIComponent(PROBE)}&${encodeURIComponent(PROBE)}=1`;
    const response = await world.send(new Request(url));
    expect(response.status).toBe(200);
    const html = await expectInert(response);
    // The page's script reads the status URL from a JSON string that cannot close the script.
    expect(html).toContain(`/status/${paymentId}`);
  });

  it.each([
    '/notify/PROBE',
    '/return/payu/PROBE',
    '/return/PROBE/x',
    '/status/PROBE',
    '/backend/PROBE/pay/x',
    '/methods?currency=PROBE',
    '/PROBE',
  ])('error answers are JSON, never HTML: %s', async (path) => {
    const world = createWorld();
    const response = await world.send(
      new Request(`${SHOP}${path.replace('PROBE', encodeURIComponent(PROBE))}`),
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    await expectInert(response);
  });
});

describe("the sandbox's hosted pages (served under the demo's own origin)", () => {
  it('PayU: the hosted payment page shows the description escaped', async () => {
    const world = described();
    const { redirect } = await world.start('payu', 'payu-1');
    await expectInert(await world.sandbox.handler(hostedPageRequest(redirect)), { reached: true });
  });

  it('CM-CIC: the card page, and the error page for a hand-made form', async () => {
    const world = described();
    const { redirect } = await world.start('cmcic', 'cmcic-1');
    await expectInert(await world.sandbox.handler(hostedPageRequest(redirect)));
    const fields = Object.fromEntries(
      ['TPE', 'societe', 'reference', 'texte-libre', 'MAC', PROBE].map((k) => [k, PROBE]),
    );
    const page = await world.sandbox.handler(form(`${SANDBOX}/cmcic/test/paiement.cgi`, fields));
    expect(page.status).toBe(400);
    await expectInert(page);
  });

  it('PayPal: checkout page, and the rm=2 return page echoing the buyer and item the attacker chose', async () => {
    const world = described();
    const { redirect } = await world.start('paypal', 'paypal-1');
    const fields = {
      ...(redirect as { fields: Record<string, string> }).fields,
      rm: '2',
      on0: PROBE,
      os0: PROBE,
    };
    const checkout = await world.sandbox.handler(form(redirect.url, fields));
    const session = checkout.headers.get('x-sandbox-session');
    await expectInert(checkout, { reached: true });
    const back = await world.sandbox.handler(
      form(`${SANDBOX}/paypal/checkout/${session}`, { action: 'pay', first_name: PROBE, last_name: PROBE }),
    );
    expect(back.status).toBe(200);
    const html = await expectInert(back, { reached: true });
    expect(html).toContain('<form id="return" method="post" action="https://shop.test/pay/return/paypal/');
  });

  it.each([
    ['item_name', { item_name: PROBE }],
    ['business', { business: PROBE }],
    ['charset', { charset: PROBE }],
    ['currency_code', { currency_code: PROBE }],
    ['return (javascript:)', { return: 'javascript:alert(1)//', rm: '2' }],
    ['cancel_return (javascript:)', { cancel_return: 'javascript:alert(1)//' }],
    ['notify_url', { notify_url: PROBE }],
    ['amount', { amount: PROBE }],
  ])('PayPal: a hand-made form with %s chosen by the attacker', async (_name, change) => {
    const world = createWorld();
    const fields = {
      cmd: '_xclick',
      business: 'merchant@example.com',
      item_name: 'x',
      amount: '1.00',
      currency_code: 'EUR',
      ...change,
    };
    const response = await world.sandbox.handler(form(`${SANDBOX}/paypal/cgi-bin/webscr`, fields));
    const html = await expectInert(response);
    expect(html).not.toMatch(/action="javascript:/i);
  });

  it('PayPal: an unknown checkout action or session is answered escaped', async () => {
    const world = createWorld();
    await expectInert(
      await world.sandbox.handler(form(`${SANDBOX}/paypal/checkout/EC-NOPE`, { action: PROBE })),
    );
    const { redirect } = await world.start('paypal', 'paypal-1');
    const session = await world.open(redirect);
    await expectInert(
      await world.sandbox.handler(form(`${SANDBOX}/paypal/checkout/${session}`, { action: PROBE })),
      {
        reached: true,
      },
    );
  });
});
