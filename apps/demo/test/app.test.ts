import { postgresStore, sqliteStore } from '@paybridge/store-sql';
import { describe, expect, it } from 'vitest';
import { setupDemo } from './support/demo';

const ids = async (t: ReturnType<typeof setupDemo>, query: string) => {
  const response = await t.request(`/payments/methods?${query}`);
  const body = (await response.json()) as { available: Array<{ id: string }> };
  return body.available.map((b) => b.id).sort();
};

describe('demo shop: catalogue and currency filtering', () => {
  it('offers each product only the brokers that take its currency and recurrence', async () => {
    const t = setupDemo();
    expect(await ids(t, 'currency=PLN&amount=7900')).toEqual(['paypal', 'payu', 'przelewy24']);
    expect(await ids(t, 'currency=EUR&amount=1299')).toEqual([
      'cmcic',
      'paypal',
      'payu-eur',
      'stripe',
      'wallet',
    ]);
    expect(await ids(t, 'currency=USD&amount=500')).toEqual(['paypal', 'payu-usd', 'stripe']);
    expect(await ids(t, 'currency=JPY&amount=1500')).toEqual(['paypal', 'stripe']);
    expect(await ids(t, 'currency=EUR&amount=900&recurring=true')).toEqual(['paypal', 'stripe']);
  });

  it('renders a signed button per product, the two-option product and the split form', async () => {
    const t = setupDemo();
    const html = await (await t.request('/')).text();
    for (const name of [
      'paybridge mug',
      'T-shirt',
      'Sticker pack',
      'Tenugui towel',
      'paybridge Pro',
      'Hoodie',
      'Gift box',
    ])
      expect(html).toContain(name);
    expect(html).toContain('<script type="module" src="/assets/main.js">');
    const hoodie = await t.buttonOf('hoodie');
    expect(hoodie.config.options.map((o) => o.id)).toEqual(['hoodie-plain', 'hoodie-embroidered']);
    const verified = await t.bridge.verifyButton(hoodie.token);
    expect(verified.paymentOptions?.backends).not.toContain('wallet');
    expect(html).toContain('action="/split"');
    expect(html).toContain('€10.00');
  });

  it('names the broker of a product only one broker can take', async () => {
    const t = setupDemo();
    const html = await (await t.request('/')).text();
    const only = (id: string) =>
      /data-testid="only-broker">Paid with <strong>([^<]+)</.exec(
        html.split('<article').find((part) => part.includes(`data-product="${id}"`)) ?? '',
      )?.[1] ?? null;
    expect(only('tenugui')).toBeNull();
    expect(only('pro')).toBeNull();
    expect(only('mug')).toBeNull();
    expect(only('tshirt')).toBeNull();
  });

  it('refuses a broker that cannot take the currency', async () => {
    const t = setupDemo();
    const button = await t.buttonOf('tenugui');
    const response = await t.request('/payments/start', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ backend: 'cmcic', button: button.token, option: 'tenugui' }),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('BACKEND_UNAVAILABLE');
  });
});

describe('demo shop: each broker through the mounted sandbox', () => {
  it('PayU: pays the PLN T-shirt, the return is only a hint, the notification makes it paid', async () => {
    const t = setupDemo();
    const { paymentId, orderId, redirect } = await t.startButton('tshirt', 'payu');
    expect(redirect.url.startsWith('http://demo.test/sandbox/payu/')).toBe(true);
    const { session } = await t.openHostedPage(redirect);
    const step = await t.sandbox.payu.act(session, 'pay');
    expect((await t.payment(paymentId)).status).toBe('new');
    await t.sandbox.flush();
    const orderUrl = await t.comeBack(step);
    expect(orderUrl).toBe(`http://demo.test/orders/${orderId}?payment=${paymentId}`);
    expect(await t.payment(paymentId)).toMatchObject({ status: 'paid', amountPaid: 7900, currency: 'PLN' });
    const page = await (await t.request(orderUrl)).text();
    expect(page).toContain('data-testid="order-status">Paid<');
    expect(page).toContain(`data-payment-id="${paymentId}"`);
  });

  it('PayPal: pays the JPY towel with an IPN verified by postback', async () => {
    const t = setupDemo();
    const { paymentId, redirect } = await t.startButton('tenugui', 'paypal');
    expect(redirect.method).toBe('POST');
    const { session } = await t.openHostedPage(redirect);
    await t.comeBack(await t.sandbox.paypal.act(session, 'pay'));
    await t.sandbox.flush();
    expect(await t.payment(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1500, currency: 'JPY' });
    const log = await t.bridge.store.listMessages({ paymentId, limit: 50 });
    expect(log.items.map((m) => m.kind)).toEqual(expect.arrayContaining(['notification', 'ipn-postback']));
  });

  it('CM-CIC: the second purchase uses the saved card with only the CVV', async () => {
    const t = setupDemo();
    const first = await t.startButton('mug', 'cmcic');
    const page1 = await t.openHostedPage(first.redirect);
    await t.comeBack(
      await t.sandbox.cmcic.act(page1.session, 'pay', { card: '4000000000000002', remember: true }),
    );
    await t.sandbox.flush();
    expect(await t.payment(first.paymentId)).toMatchObject({
      status: 'paid',
      brokerData: { cmcic: { cmcic: { express: { cardStored: true } } } },
    });

    const second = await t.startButton('mug', 'cmcic');
    const page2 = await t.openHostedPage(second.redirect);
    expect(page2.html).toContain('Carte enregistrée');
    await t.comeBack(await t.sandbox.cmcic.act(page2.session, 'pay', { cvv: '123' }));
    await t.sandbox.flush();
    const paid = await t.payment(second.paymentId);
    expect(paid.status).toBe('paid');
    // Paid with the card on file (no card number typed): the alias and its masked card come back.
    expect(paid.brokerData).toMatchObject({
      cmcic: {
        cmcic: { cvvEntered: true, express: { alias: 'buyerexamplecom', maskedCard: '40000000******02' } },
      },
    });
  });

  it('a declined PayU payment leaves the order unpaid and offers to pay again', async () => {
    const t = setupDemo();
    const { paymentId, orderId, redirect } = await t.startButton('stickers', 'payu-usd');
    const { session } = await t.openHostedPage(redirect);
    const orderUrl = await t.comeBack(await t.sandbox.payu.act(session, 'decline'));
    await t.sandbox.flush();
    expect((await t.payment(paymentId)).status).toBe('failed');
    const page = await (await t.request(orderUrl)).text();
    expect(page).toContain('Not paid');
    expect(page).toContain(`action="/orders/${orderId}/pay-rest"`);
  });

  it('paying again after a decline keeps the option the buyer chose on the button', async () => {
    const t = setupDemo();
    const { paymentId, orderId, redirect } = await t.startButton('hoodie', 'payu-eur', 'hoodie-embroidered');
    const { session } = await t.openHostedPage(redirect);
    await t.sandbox.payu.act(session, 'decline');
    await t.sandbox.flush();
    expect((await t.payment(paymentId)).status).toBe('failed');
    const page = await (await t.request(`/orders/${orderId}`)).text();
    expect(page).toContain('Pay €59.00 with');
    const again = await t.postForm(`/orders/${orderId}/pay-rest`, { backend: 'cmcic' });
    expect(again.status).toBe(200);
    const retry = (await t.bridge.getOrder(orderId)).payments.find((p) => p.id !== paymentId);
    expect(retry).toMatchObject({
      backend: 'cmcic',
      amount: 5900,
      order: { option: 'hoodie-embroidered', customFields: { embroidery: 'yes' } },
    });
  });

  it('keeps payments in a SQLite store', async () => {
    const store = sqliteStore({ filename: ':memory:' });
    const t = setupDemo(store);
    const { paymentId, redirect } = await t.startButton('hoodie', 'payu-eur', 'hoodie-embroidered');
    const { session } = await t.openHostedPage(redirect);
    await t.sandbox.payu.act(session, 'pay');
    await t.sandbox.flush();
    expect(await store.getPayment(paymentId)).toMatchObject({
      status: 'paid',
      amountPaid: 5900,
      order: { option: 'hoodie-embroidered' },
    });
    await store.close?.();
  });

  it.runIf(Boolean(process.env.DATABASE_URL))(
    'keeps payments in PostgreSQL when DATABASE_URL is set',
    async () => {
      const schema = `demo_test_${Date.now().toString(36)}`;
      const store = postgresStore({ connectionString: process.env.DATABASE_URL as string, schema });
      try {
        const t = setupDemo(store);
        const { paymentId, redirect } = await t.startButton('tshirt', 'payu');
        const { session } = await t.openHostedPage(redirect);
        await t.sandbox.payu.act(session, 'pay');
        await t.sandbox.flush();
        expect(await store.getPayment(paymentId)).toMatchObject({ status: 'paid', amountPaid: 7900 });
      } finally {
        await store.db.schema.dropSchema(schema).ifExists().cascade().execute();
        await store.close();
      }
    },
  );
});
