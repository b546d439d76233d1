import { describe, expect, it } from 'vitest';
import { BASE, BUY_NOW, SHOP, setup } from './support';

describe('issue 21: control routes drive a purchase and a refund over HTTP', () => {
  it('PayPal: pay on the checkout page, deliver, refund from the back office, the Refunded IPN arrives', async () => {
    const { form, control, received, sandbox } = setup();
    const page = await form('/paypal/cgi-bin/webscr', BUY_NOW);
    const action = /action="([^"]+\/checkout\/[^"]+)"/.exec(await page.text())?.[1] as string;
    const paid = await form(action.slice(BASE.length), { action: 'pay' });
    expect(paid.status).toBe(200);
    expect(await control('POST', '/deliver')).toMatchObject({ status: 200, json: { attempts: 1 } });
    expect(received.map((call) => call.url)).toEqual([`${SHOP}/notify/paypal`]);
    const { json } = await control('GET', '/paypal/transactions');
    const txnId = json.transactions[0].txnId as string;
    expect(json.transactions[0]).toMatchObject({ status: 'Completed', amount: '10.00' });

    const refund = await control('POST', '/paypal/refund', { txnId, amount: '4.00' });
    expect(refund.status).toBe(200);
    expect(refund.json.transactions[0]).toMatchObject({
      kind: 'refund',
      amount: '-4.00',
      parentTxnId: txnId,
    });
    await control('POST', '/deliver');
    expect(received[1]?.body).toContain('payment_status=Refunded');
    expect(sandbox.paypal.transactions()[0]?.status).toBe('Partially_Refunded');

    // A partly refunded payment cannot be charged back: the simulator's refusal comes back as JSON.
    expect(await control('POST', '/paypal/reverse', { txnId })).toMatchObject({
      status: 409,
      json: { error: { code: 'CONTROL_REFUSED' } },
    });
    const second = await form('/paypal/cgi-bin/webscr', BUY_NOW);
    const secondAction = /action="([^"]+\/checkout\/[^"]+)"/.exec(await second.text())?.[1] as string;
    await form(secondAction.slice(BASE.length), { action: 'pay' });
    const secondTxn = sandbox.paypal.transactions()[2]?.txnId as string;
    expect((await control('POST', '/paypal/reverse', { txnId: secondTxn })).status).toBe(200);
    await control('POST', '/deliver');
    expect(received[3]?.body).toContain('payment_status=Reversed');
    const deliveries = (await control('GET', '/deliveries')).json.deliveries;
    expect(deliveries.map((d: { state: string }) => d.state)).toEqual([
      'delivered',
      'delivered',
      'delivered',
      'delivered',
    ]);
  });

  it('PayU: the merchant refunds through the API, finalize over HTTP sends the refund notification', async () => {
    const { control, received, payuToken, payuApi, payuOrder, form } = setup();
    const token = await payuToken();
    const { orderId, redirectUri } = await payuOrder(token);
    const paid = await form(redirectUri.slice(BASE.length), { action: 'pay' });
    expect(paid.status).toBe(303);
    await control('POST', '/deliver');
    const refundResponse = await payuApi(`/orders/${orderId}/refunds`, token, {
      method: 'POST',
      body: JSON.stringify({ refund: { description: 'Refund', amount: '5000' } }),
    });
    expect(refundResponse.status).toBe(200);
    const { orders } = (await control('GET', '/payu/orders')).json;
    expect(orders[0].refunds[0]).toMatchObject({ amount: 5000, status: 'PENDING' });

    expect(await control('POST', '/payu/refunds/finalize', {})).toMatchObject({ json: { finalized: 1 } });
    await control('POST', '/deliver');
    const last = JSON.parse(received[received.length - 1]?.body ?? '{}');
    expect(last.refund).toMatchObject({ status: 'FINALIZED', amount: '5000' });
    expect(
      (await control('POST', '/payu/refunds/cancel', { refundId: orders[0].refunds[0].id })).json.error.code,
    ).toBe('CONTROL_REFUSED');
  });

  it('advance moves the clock and delivers what became due; faults are set and cleared over HTTP', async () => {
    const { control, sandbox, form } = setup();
    const before = sandbox.clock.now();
    expect((await control('POST', '/advance', { ms: 60_000 })).status).toBe(200);
    expect(sandbox.clock.now() - before).toBe(60_000);
    expect((await control('GET', '/clock')).json).toMatchObject({ manual: true });

    expect((await control('PUT', '/faults/paypal', { duplicate: 2, postback: 'INVALID' })).status).toBe(200);
    expect(sandbox.paypal.faults).toEqual({ duplicate: 2, postback: 'INVALID' });
    await form('/paypal/cgi-bin/webscr', BUY_NOW).then(async (page) => {
      const action = /action="([^"]+\/checkout\/[^"]+)"/.exec(await page.text())?.[1] as string;
      await form(action.slice(BASE.length), { action: 'pay' });
    });
    expect(sandbox.queue.deliveries).toHaveLength(3);
    await control('PUT', '/faults/paypal', {});
    expect(sandbox.paypal.faults).toEqual({});
    await control('PUT', '/faults/payu', { apiError: { status: 503, remaining: 1 } });
    expect(sandbox.payu.faults).toEqual({ apiError: { status: 503, remaining: 1 } });
    await control('PUT', '/faults/cmcic', { badMac: true, extraFields: { nouveau: 'x' } });
    expect((await control('GET', '/faults')).json.cmcic).toEqual({
      badMac: true,
      extraFields: { nouveau: 'x' },
    });
  });

  it('the index lists credentials, cards and routes', async () => {
    const { control } = setup();
    const { json } = await control('GET', '');
    expect(json.credentials.payu.pos[0]).toMatchObject({ posId: '300746' });
    expect(json.credentials.paypal.accounts[0]).toMatchObject({ business: 'merchant@example.com' });
    expect(json.credentials.cmcic.cards[0]).toMatchObject({ card: '4000000000000002', outcome: 'accepted' });
    expect(json.credentials.stripe.secretKey).toMatch(/^sk_test_/);
    expect(json.credentials.stripe.cards).toContainEqual({
      card: '4000000000009995',
      outcome: 'declined (insufficient_funds)',
    });
    expect(json.routes).toContain('POST /_control/deliver: make every call that is due now');
  });

  it('bad input gets a stable code and the right status, and changes nothing', async () => {
    const { control, sandbox } = setup();
    expect(await control('GET', '/nope')).toMatchObject({
      status: 404,
      json: { error: { code: 'CONTROL_NOT_FOUND' } },
    });
    expect(await control('GET', '/deliver')).toMatchObject({
      status: 405,
      json: { error: { code: 'CONTROL_METHOD_NOT_ALLOWED' } },
    });
    expect(
      await control('POST', '/advance', 'ms=5', { 'content-type': 'application/x-www-form-urlencoded' }),
    ).toMatchObject({
      status: 415,
      json: { error: { code: 'CONTROL_UNSUPPORTED_MEDIA_TYPE' } },
    });
    expect(await control('POST', '/advance', '{"ms":')).toMatchObject({
      status: 400,
      json: { error: { code: 'CONTROL_INVALID_JSON' } },
    });
    expect(await control('POST', '/advance', { ms: -1 })).toMatchObject({
      status: 400,
      json: { error: { code: 'CONTROL_INVALID_INPUT' } },
    });
    expect(await control('POST', '/paypal/refund', { txnId: 'NOPE' })).toMatchObject({
      status: 404,
      json: { error: { code: 'CONTROL_UNKNOWN_TARGET' } },
    });
    expect(await control('POST', '/paypal/refund', { txnId: '<script>' })).toMatchObject({ status: 400 });
    expect(await control('PUT', '/faults/paypal', { dupliate: 1 })).toMatchObject({
      status: 400,
      json: { error: { code: 'CONTROL_INVALID_INPUT' } },
    });
    expect(await control('PUT', '/faults/payu', { apiError: { status: 418, remaining: 1 } })).toMatchObject({
      status: 400,
    });
    expect(sandbox.paypal.faults).toEqual({});
    expect(sandbox.payu.faults).toEqual({});
    expect(await control('POST', '/deliver', {}, { origin: 'https://evil.example' })).toMatchObject({
      status: 403,
      json: { error: { code: 'CONTROL_CROSS_SITE' } },
    });
  });

  it('are off unless enabled', async () => {
    const { sandbox } = setup({ controlRoutes: false });
    expect((await sandbox.handler(new Request(`${BASE}/_control`))).status).toBe(404);
  });

  it('advance on a real clock is refused with a clear code', async () => {
    const { realClock } = await import('../src/index');
    const { control } = setup({ clock: realClock() });
    expect(await control('POST', '/advance', { ms: 1000 })).toMatchObject({
      status: 409,
      json: { error: { code: 'CONTROL_REFUSED' } },
    });
  });
});
