import { describe, expect, it } from 'vitest';
import {
  BUY_NOW,
  fieldsOf,
  formBody,
  openCheckout,
  SUBSCRIBE,
  setup,
  WEBSCR,
} from '../../src/paypal/test-kit';

describe('PayPal checkout (cgi-bin/webscr)', () => {
  it('answers the hosted page with item, amount and the session header for a POSTed button', async () => {
    const { sandbox } = setup();
    const { response, sessionId, html } = await openCheckout(sandbox, BUY_NOW);
    expect(response.status).toBe(200);
    expect(sessionId).toMatch(/^EC-[0-9A-Z]{17}$/);
    expect(html).toContain('Blue mug');
    expect(html).toContain('10.00 EUR');
    expect(html).toContain(`action="http://sandbox.test/sb/paypal/checkout/${sessionId}"`);
  });

  it('accepts the same variables as a GET link', async () => {
    const { sandbox } = setup();
    const response = await sandbox.handler(new Request(`${WEBSCR}?${formBody(BUY_NOW)}`));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-sandbox-session')).toBeTruthy();
  });

  it('computes the total from quantity, shipping, handling and tax', async () => {
    const { sandbox } = setup();
    const { html } = await openCheckout(sandbox, {
      ...BUY_NOW,
      amount: '2.50',
      quantity: '3',
      shipping: '1.00',
      handling: '0.25',
      tax: '0.10',
    });
    expect(html).toContain('8.85 EUR');
  });

  it.each([
    ['JPY', '1500.00', 'JPY does not support decimal amounts'],
    ['HUF', '990.5', 'HUF does not support decimal amounts'],
    ['TWD', '30.0', 'TWD does not support decimal amounts'],
    ['EUR', '10.001', 'EUR amounts take at most 2 decimals'],
    ['EUR', '1,000.00', 'is not an amount'],
    ['XYZ', '10.00', 'currency_code XYZ is not supported'],
    ['RUB', '10.00', 'currency_code RUB is not supported'],
  ])('rejects %s %s', async (currency, amount, message) => {
    const { sandbox } = setup();
    const { response, html, sessionId } = await openCheckout(sandbox, {
      ...BUY_NOW,
      currency_code: currency,
      amount,
    });
    expect(response.status).toBe(400);
    expect(sessionId).toBe('');
    expect(html).toContain(message);
  });

  it('accepts whole amounts in zero-decimal currencies', async () => {
    const { sandbox } = setup();
    const { response, html } = await openCheckout(sandbox, {
      ...BUY_NOW,
      currency_code: 'JPY',
      amount: '1500',
    });
    expect(response.status).toBe(200);
    expect(html).toContain('1500 JPY');
  });

  it.each([
    [{ business: '' }, 'business is required'],
    [{ business: 'someone@else.test' }, 'is not a PayPal account of this sandbox'],
    [{ notify_url: 'javascript:alert(1)' }, 'notify_url is not an http(s) URL'],
    [{ rm: '3' }, 'rm must be 0, 1 or 2'],
    [{ quantity: '0' }, 'quantity must be a positive integer'],
    [{ invoice: 'x'.repeat(128) }, 'invoice is longer than 127 characters'],
    [{ cmd: '_cart' }, 'cmd _cart is not simulated'],
  ])('rejects a Buy Now button with %o', async (change, message) => {
    const { sandbox } = setup();
    const { response, html } = await openCheckout(sandbox, { ...BUY_NOW, ...change });
    expect(response.status).toBe(400);
    expect(html).toContain(message);
  });

  it.each([
    [{ p3: '25' }, 'p3 must be an integer from 1 to 24 when t3=M'],
    [{ t3: 'Q' }, 't3 must be D, W, M or Y'],
    [{ a3: undefined }, 'a3, p3 and t3 go together'],
    [{ a2: '1.00', p2: '1', t2: 'M' }, 'a2/p2/t2 are only allowed with a1/p1/t1'],
    [{ no_note: undefined }, 'no_note must be 1'],
    [{ src: '0', srt: '3' }, 'srt is only allowed with src=1'],
    [{ amount: '9.99' }, 'amount is not used by Subscribe buttons'],
    [{ currency_code: 'JPY', a3: '9.99' }, 'JPY does not support decimal amounts'],
  ])('rejects a Subscribe button with %o', async (change, message) => {
    const { sandbox } = setup();
    const vars: Record<string, string> = { ...SUBSCRIBE };
    for (const [name, value] of Object.entries(change)) {
      if (value === undefined) delete vars[name];
      else vars[name] = value;
    }
    const { response, html } = await openCheckout(sandbox, vars);
    expect(response.status).toBe(400);
    expect(html).toContain(message);
  });

  it('accepts a secondary email or the merchant id as business, and knows configured accounts', async () => {
    const { sandbox } = setup({
      accounts: [
        { business: 'shop@example.org', receiverId: 'SHOPID1234567', emails: ['sales@example.org'] },
      ],
    });
    expect((await openCheckout(sandbox, { ...BUY_NOW, business: 'sales@example.org' })).response.status).toBe(
      200,
    );
    expect((await openCheckout(sandbox, { ...BUY_NOW, business: 'SHOPID1234567' })).response.status).toBe(
      200,
    );
    expect((await openCheckout(sandbox, BUY_NOW)).response.status).toBe(400);
  });

  it('decodes button values in the button charset', async () => {
    const { sandbox } = setup();
    const response = await sandbox.handler(
      new Request(WEBSCR, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `${formBody({ ...BUY_NOW, charset: 'windows-1252' }).replace('item_name=Blue+mug', 'item_name=Cr%E8me')}`,
      }),
    );
    expect(await response.text()).toContain('Crème');
  });
});

describe('PayPal hosted page: buyer return', () => {
  it('rm=2: pay sends the browser back with a POST of the payment variables', async () => {
    const { sandbox } = setup();
    const { sessionId } = await openCheckout(sandbox, BUY_NOW);
    const step = await sandbox.paypal.act(sessionId, 'pay');
    expect(step.method).toBe('POST');
    if (step.method !== 'POST') return;
    expect(step.url).toBe(BUY_NOW.return);
    expect(step.fields).toMatchObject({
      payment_status: 'Completed',
      mc_gross: '10.00',
      mc_currency: 'EUR',
      invoice: 'INV-1',
      custom: 'pay_123',
      txn_type: 'web_accept',
    });
  });

  it.each(['0', '1'])('rm=%s: pay sends the browser back with a GET and no payment variables', async (rm) => {
    const { sandbox } = setup();
    const { sessionId } = await openCheckout(sandbox, { ...BUY_NOW, rm });
    expect(await sandbox.paypal.act(sessionId, 'pay')).toEqual({ method: 'GET', url: BUY_NOW.return });
  });

  it('without return: the buyer stays on a PayPal receipt', async () => {
    const { sandbox } = setup();
    const { return: _ignored, ...vars } = BUY_NOW;
    const { sessionId } = await openCheckout(sandbox, vars);
    expect((await sandbox.paypal.act(sessionId, 'pay')).method).toBe('NONE');
  });

  it('cancel: GET cancel_return, no transaction, no IPN', async () => {
    const { sandbox, received } = setup();
    const { sessionId } = await openCheckout(sandbox, BUY_NOW);
    expect(await sandbox.paypal.act(sessionId, 'cancel')).toEqual({
      method: 'GET',
      url: BUY_NOW.cancel_return,
    });
    await sandbox.flush();
    expect(received).toHaveLength(0);
    expect(sandbox.paypal.transactions()).toHaveLength(0);
  });

  it('a session can be acted on only once', async () => {
    const { sandbox } = setup();
    const { sessionId } = await openCheckout(sandbox, BUY_NOW);
    await sandbox.paypal.act(sessionId, 'pay');
    await expect(sandbox.paypal.act(sessionId, 'pay')).rejects.toThrow(/already ended/);
    await expect(sandbox.paypal.act('EC-NOPE', 'pay')).rejects.toThrow(/No PayPal checkout session/);
  });

  it('the hosted page form does what act() does: auto-submitting POST back to the merchant', async () => {
    const { sandbox, received } = setup();
    const { sessionId } = await openCheckout(sandbox, BUY_NOW);
    const response = await sandbox.handler(
      new Request(`http://sandbox.test/sb/paypal/checkout/${sessionId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: formBody({
          action: 'pay',
          first_name: 'Zoë',
          last_name: 'Ærøskøbing',
          email: 'zoe@example.dk',
        }),
      }),
    );
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain(`action="${BUY_NOW.return}"`);
    expect(html).toContain('name="payment_status" value="Completed"');
    expect(html).toContain('Zoë');
    await sandbox.flush();
    expect(fieldsOf(received[0]?.text ?? '').payer_email).toBe('zoe@example.dk');
    const again = await sandbox.handler(
      new Request(`http://sandbox.test/sb/paypal/checkout/${sessionId}`, {
        method: 'POST',
        body: formBody({ action: 'pay' }),
      }),
    );
    expect(again.status).toBe(409);
  });

  it('the hosted page cancel button redirects with 303', async () => {
    const { sandbox } = setup();
    const { sessionId } = await openCheckout(sandbox, BUY_NOW);
    const response = await sandbox.handler(
      new Request(`http://sandbox.test/sb/paypal/checkout/${sessionId}`, {
        method: 'POST',
        body: formBody({ action: 'cancel' }),
      }),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(BUY_NOW.cancel_return);
  });

  it('escapes button values in the hosted page', async () => {
    const { sandbox } = setup();
    const { html } = await openCheckout(sandbox, { ...BUY_NOW, item_name: '<script>x</script>' });
    expect(html).not.toContain('<script>x');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
  });
});
