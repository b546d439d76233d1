import { describe, expect, it } from 'vitest';
import { BASE, BGN_POS, orderBody, setup } from '../../src/payu/test-harness';

type StatusBody = {
  status: { statusCode: string; codeLiteral?: string; statusDesc?: string; code?: string };
};

describe('PayU sandbox orders API', () => {
  it('creates an order: 302 + Location + JSON body with a 27-char orderId (never to be followed)', async () => {
    const t = setup();
    const bearer = await t.token();
    const { response, json } = await t.createOrder(bearer, { extOrderId: 'ord-42-try1' });
    expect(response.status).toBe(302);
    expect(response.headers.get('correlation-id')).toBeTruthy();
    expect(json.status).toEqual({ statusCode: 'SUCCESS' });
    expect(json.extOrderId).toBe('ord-42-try1');
    expect(json.orderId).toMatch(/^[A-Z0-9]{10}260115GUEST000P01$/);
    expect(json.orderId).toHaveLength(27);
    expect(response.headers.get('location')).toBe(json.redirectUri);
    const redirect = new URL(json.redirectUri);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(`${BASE}/payu/pay/`);
    expect(redirect.searchParams.get('orderId')).toBe(json.orderId);
    expect(redirect.searchParams.get('token')).toMatch(/^[a-z0-9]{40}$/);
  });

  it('shows the order with GET: orders is an array, amounts are strings, status NEW', async () => {
    const t = setup();
    const bearer = await t.token();
    const { orderId } = await t.createOrder(bearer, { totalAmount: 21000, extOrderId: 'e-1' });
    const response = await t.api(`/orders/${orderId}`, bearer);
    expect(response.status).toBe(200);
    const json = (await response.json()) as { orders: Record<string, unknown>[] } & StatusBody;
    expect(json.status.statusCode).toBe('SUCCESS');
    expect(json.orders).toHaveLength(1);
    expect(json.orders[0]).toMatchObject({
      orderId,
      extOrderId: 'e-1',
      orderCreateDate: '2026-01-15T13:00:00.000+01:00',
      merchantPosId: '300746',
      customerIp: '127.0.0.1',
      currencyCode: 'PLN',
      totalAmount: '21000',
      validityTime: '86400',
      status: 'NEW',
      products: [
        { name: 'Wireless Mouse', unitPrice: '15000', quantity: '1' },
        { name: 'HDMI cable', unitPrice: '6000', quantity: '1' },
      ],
    });
    expect(t.sandbox.payu.orders()).toEqual([
      expect.objectContaining({
        id: orderId,
        extOrderId: 'e-1',
        status: 'NEW',
        amount: 21000,
        currency: 'PLN',
      }),
    ]);
  });

  it('answers 400 ERROR_SYNTAX to a body that is not a JSON object', async () => {
    const t = setup();
    const bearer = await t.token();
    for (const body of ['{not json', '[1,2]', '']) {
      const response = await t.api('/orders', bearer, { method: 'POST', body });
      expect(response.status).toBe(400);
      expect(((await response.json()) as StatusBody).status.statusCode).toBe('ERROR_SYNTAX');
    }
  });

  it.each(['customerIp', 'merchantPosId', 'description', 'currencyCode', 'totalAmount', 'products'])(
    'answers 400 ERROR_VALUE_MISSING without %s',
    async (field) => {
      const t = setup();
      const bearer = await t.token();
      const body = orderBody();
      delete body[field];
      const response = await t.api('/orders', bearer, { method: 'POST', body: JSON.stringify(body) });
      expect(response.status).toBe(400);
      const json = (await response.json()) as StatusBody;
      // PayU's error envelope and nothing else (reference §3.2).
      expect(json).toEqual({
        status: {
          statusCode: 'ERROR_VALUE_MISSING',
          severity: 'ERROR',
          statusDesc: expect.stringContaining(field),
        },
      });
      expect(t.sandbox.payu.orders()).toHaveLength(0);
    },
  );

  it('answers ERROR_VALUE_MISSING for a product without unitPrice, ERROR_VALUE_INVALID for bad values', async () => {
    const t = setup();
    const bearer = await t.token();
    const noPrice = await t.createOrder(bearer, { products: [{ name: 'x', quantity: 1 }] });
    expect((noPrice.json as unknown as StatusBody).status.statusCode).toBe('ERROR_VALUE_MISSING');
    for (const overrides of [
      { customerIp: '0.0.0.0' },
      { customerIp: 'localhost' },
      { totalAmount: '12.50' },
      { totalAmount: -1 },
      { notifyUrl: 'not a url' },
      { continueUrl: `https://shop.test/${'x'.repeat(1024)}` },
    ]) {
      const { response, json } = await t.createOrder(bearer, overrides);
      expect(response.status, JSON.stringify(overrides)).toBe(400);
      expect((json as unknown as StatusBody).status.statusCode).toBe('ERROR_VALUE_INVALID');
    }
    // Another currency than the POS's (PLN): the body observed in PayU's issue threads (payu-recurring.md §7).
    const eur = await t.createOrder(bearer, { currencyCode: 'EUR' });
    expect(eur.response.status).toBe(400);
    expect((eur.json as unknown as StatusBody).status).toEqual({
      statusCode: 'ERROR_INCONSISTENT_CURRENCIES',
      statusDesc: 'Order and pos currencies are inconsistent',
    });
    const ipv6 = await t.createOrder(bearer, { customerIp: '2001:db8::1' });
    expect(ipv6.response.status).toBe(302);
  });

  it('checks products against totalAmount only when validateProductTotal is on', async () => {
    const loose = setup();
    expect((await loose.createOrder(await loose.token(), { totalAmount: '100' })).response.status).toBe(302);
    const strict = setup({ validateProductTotal: true });
    const bearer = await strict.token();
    expect((await strict.createOrder(bearer, { totalAmount: '100' })).response.status).toBe(400);
    expect((await strict.createOrder(bearer)).response.status).toBe(302);
  });

  it('refuses a second order with the same extOrderId on one POS (ERROR_ORDER_NOT_UNIQUE), not across POSes', async () => {
    const t = setup();
    const bearer = await t.token();
    expect((await t.createOrder(bearer, { extOrderId: 'same' })).response.status).toBe(302);
    const again = await t.createOrder(bearer, { extOrderId: 'same' });
    expect(again.response.status).toBe(400);
    expect(again.response.headers.get('correlation-id')).toBeTruthy();
    expect(again.json).toEqual({
      status: { statusCode: 'ERROR_ORDER_NOT_UNIQUE', severity: 'ERROR', statusDesc: 'Order already exists' },
    });
    const bgn = await t.token(BGN_POS);
    const other = await t.createOrder(bgn, {
      extOrderId: 'same',
      merchantPosId: '404815',
      currencyCode: 'BGN',
    });
    expect(other.response.status).toBe(302);
  });

  it('answers 403 INVALID_AUTH_FOR_THIS_ORDER when the token belongs to another POS', async () => {
    const t = setup();
    const bearer = await t.token();
    const mismatch = await t.createOrder(bearer, { merchantPosId: '404815' });
    expect(mismatch.response.status).toBe(403);
    expect((mismatch.json as unknown as StatusBody).status).toMatchObject({
      statusCode: 'ERROR_VALUE_INVALID',
      codeLiteral: 'INVALID_AUTH_FOR_THIS_ORDER',
    });
    const { orderId } = await t.createOrder(bearer);
    const foreign = await t.api(`/orders/${orderId}`, await t.token(BGN_POS));
    expect(foreign.status).toBe(403);
  });

  it('answers 404 DATA_NOT_FOUND for an unknown order', async () => {
    const t = setup();
    const response = await t.api('/orders/NOPE', await t.token());
    expect(response.status).toBe(404);
    expect(((await response.json()) as StatusBody).status.statusCode).toBe('DATA_NOT_FOUND');
  });

  it('captures only a WAITING_FOR_CONFIRMATION order, then notifies COMPLETED', async () => {
    const t = setup();
    const bearer = await t.token();
    const { orderId } = await t.createOrder(bearer);
    const early = await t.api(`/orders/${orderId}/captures`, bearer, { method: 'POST' });
    expect(early.status).toBe(400);
    expect(((await early.json()) as StatusBody).status).toMatchObject({
      statusCode: 'ERROR_VALUE_INVALID',
      code: '108',
      statusDesc: 'Order has incorrect status. Transition is impossible.',
    });
    await t.sandbox.payu.act(orderId, 'pay_wfc');
    await t.sandbox.flush();
    const partial = await t.api(`/orders/${orderId}/captures`, bearer, {
      method: 'POST',
      body: JSON.stringify({ amount: '100', currencyCode: 'PLN' }),
    });
    expect(partial.status).toBe(400);
    const captured = await t.api(`/orders/${orderId}/captures`, bearer, { method: 'POST' });
    expect(captured.status).toBe(200);
    expect(await captured.json()).toEqual({
      status: { statusCode: 'SUCCESS', statusDesc: 'Status was updated' },
    });
    await t.sandbox.flush();
    expect(t.received.map((n) => (n.json.order as { status: string }).status)).toEqual([
      'PENDING',
      'WAITING_FOR_CONFIRMATION',
      'COMPLETED',
    ]);
    expect(t.received[2]?.json.localReceiptDateTime).toBeDefined();
    const again = await t.api(`/orders/${orderId}/captures`, bearer, { method: 'POST' });
    expect(again.status).toBe(400);
  });

  it('also captures through the deprecated PUT /status with orderStatus COMPLETED', async () => {
    const t = setup();
    const bearer = await t.token();
    const orderId = await t.actedOrder(bearer, 'pay_wfc');
    const wrong = await t.api(`/orders/${orderId}/status`, bearer, {
      method: 'PUT',
      body: JSON.stringify({ orderId, orderStatus: 'CANCELED' }),
    });
    expect(wrong.status).toBe(400);
    const put = await t.api(`/orders/${orderId}/status`, bearer, {
      method: 'PUT',
      body: JSON.stringify({ orderId, orderStatus: 'COMPLETED' }),
    });
    expect(put.status).toBe(200);
    expect(t.sandbox.payu.orders()[0]?.status).toBe('COMPLETED');
  });

  it('cancels a WAITING_FOR_CONFIRMATION order with DELETE, then notifies CANCELED', async () => {
    const t = setup();
    const bearer = await t.token();
    const orderId = await t.actedOrder(bearer, 'pay_wfc', { extOrderId: 'wfc-1' });
    const response = await t.api(`/orders/${orderId}`, bearer, { method: 'DELETE' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      orderId,
      extOrderId: 'wfc-1',
      status: { statusCode: 'SUCCESS' },
    });
    await t.sandbox.flush();
    expect(t.received.at(-1)?.json.order).toMatchObject({ status: 'CANCELED' });
    expect((await t.api(`/orders/${orderId}`, bearer, { method: 'DELETE' })).status).toBe(400);
  });

  it('refuses to cancel a COMPLETED order, with the configured HTTP status', async () => {
    const t = setup({ transitionErrorStatus: 422 });
    const bearer = await t.token();
    const orderId = await t.actedOrder(bearer, 'pay');
    const response = await t.api(`/orders/${orderId}`, bearer, { method: 'DELETE' });
    expect(response.status).toBe(422);
    expect(t.sandbox.payu.orders()[0]?.status).toBe('COMPLETED');
  });

  it('cancels a NEW order unless cancelableStatuses says otherwise', async () => {
    const t = setup();
    const bearer = await t.token();
    const { orderId } = await t.createOrder(bearer);
    expect((await t.api(`/orders/${orderId}`, bearer, { method: 'DELETE' })).status).toBe(200);
    const strict = setup({ cancelableStatuses: ['WAITING_FOR_CONFIRMATION'] });
    const strictBearer = await strict.token();
    const created = await strict.createOrder(strictBearer);
    expect((await strict.api(`/orders/${created.orderId}`, strictBearer, { method: 'DELETE' })).status).toBe(
      400,
    );
  });

  it('answers 405 to unsupported methods and 404 to unknown paths', async () => {
    const t = setup();
    const bearer = await t.token();
    expect((await t.api('/orders', bearer)).status).toBe(405);
    expect((await t.api('/paymethods', bearer)).status).toBe(404);
    expect((await t.call('/somewhere')).status).toBe(404);
  });
});
