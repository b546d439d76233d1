import { describe, expect, it } from 'vitest';
import { payu } from '../src/payu';
import { caught, fakePayu, json, makePayment, SETTINGS } from './support/fixtures';

const ORDER_ID = 'WZHF5FFDRJ140731GUEST000P01';
const REDIRECT = 'https://merch-prod.snd.payu.com/pay/?orderId=WZHF5FFDRJ140731GUEST000P01&token=abc';

const created = () =>
  new Response(
    JSON.stringify({
      status: { statusCode: 'SUCCESS' },
      redirectUri: REDIRECT,
      orderId: ORDER_ID,
      extOrderId: 'pay_abc123',
    }),
    { status: 302, headers: { location: REDIRECT, 'content-type': 'application/json' } },
  );

describe('payu() settings', () => {
  it('reports every invalid field at once, naming PayU', () => {
    expect(() =>
      payu({ posId: '', secondKey: '', clientId: '1', clientSecret: 'x', currency: 'JPY' } as never),
    ).toThrow(/PayU: posId: .*PayU: secondKey: .*PayU: currency: is required: the POS currency, one of BGN/);
    expect(() => payu({ ...SETTINGS, bogus: true } as never)).toThrow(/PayU/);
  });

  it('takes only an absolute http(s) URL as endpoint', () => {
    for (const endpoint of ['localhost:4010/payu', 'payu', 'file:///etc/passwd']) {
      expect(() => payu({ ...SETTINGS, endpoint })).toThrow(
        /PayU: endpoint: must be an absolute http\(s\) URL/,
      );
    }
  });

  it('declares endpoints, currencies and secrets', () => {
    const backend = payu({ ...SETTINGS, endpoint: 'http://localhost:4000/payu/' });
    expect(backend.endpoints).toEqual({
      live: 'https://secure.payu.com',
      test: 'https://secure.snd.payu.com',
    });
    expect(backend.endpoint).toBe('http://localhost:4000/payu');
    expect(backend.currencies).toEqual(['PLN']);
    expect(backend.secrets).toEqual([SETTINGS.secondKey, SETTINGS.clientSecret]);
    expect(payu({ ...SETTINGS, clientSecret: 'a+b/c d' }).secrets).toContain('a%2Bb%2Fc+d');
  });
});

describe('payu().prepare', () => {
  it('creates the order without following the 302 and redirects to redirectUri', async () => {
    const fake = fakePayu({ 'POST /api/v2_1/orders': created });
    const backend = payu(SETTINGS);
    const payment = makePayment({
      externalId: null,
      order: {
        items: [
          { name: 'Mouse', unitPrice: 15000, quantity: 1 },
          { name: 'Cable', unitPrice: 3000, quantity: 2 },
        ],
      },
    });
    const result = await backend.prepare(payment, fake.ctx);
    expect(result).toEqual({
      redirect: { method: 'GET', url: REDIRECT },
      externalId: ORDER_ID,
      brokerData: { payuOrderId: ORDER_ID, extOrderId: 'pay_abc123' },
    });
    const [call] = fake.apiCalls();
    expect(call?.redirect).toBe('manual');
    expect(call?.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(call?.body ?? '')).toEqual({
      notifyUrl: 'https://shop.test/pay/notify/payu',
      continueUrl: 'https://shop.test/pay/return/payu/pay_abc123',
      customerIp: '203.0.113.7',
      merchantPosId: '300746',
      description: 'Order 42',
      currencyCode: 'PLN',
      totalAmount: '21000',
      extOrderId: 'pay_abc123',
      buyer: { email: 'john.doe@example.com', firstName: 'John', lastName: 'Doe', language: 'pl' },
      products: [
        { name: 'Mouse', unitPrice: '15000', quantity: '1' },
        { name: 'Cable', unitPrice: '3000', quantity: '2' },
      ],
    });
  });

  it('sends one product line when the items do not add up to the payment', async () => {
    const fake = fakePayu({ 'POST /api/v2_1/orders': created });
    await payu(SETTINGS).prepare(
      makePayment({ amount: 500, order: { items: [{ name: 'Mouse', unitPrice: 15000, quantity: 1 }] } }),
      fake.ctx,
    );
    expect(JSON.parse(fake.apiCalls()[0]?.body ?? '').products).toEqual([
      { name: 'Order 42', unitPrice: '500', quantity: '1' },
    ]);
  });

  it('needs the customer IP, or a configured fallback', async () => {
    const fake = fakePayu({ 'POST /api/v2_1/orders': created });
    fake.ctx.clientIp = null;
    expect((await caught(payu(SETTINGS).prepare(makePayment(), fake.ctx))).code).toBe('BAD_REQUEST');
    await payu({ ...SETTINGS, fallbackCustomerIp: '127.0.0.1' }).prepare(makePayment(), fake.ctx);
    expect(JSON.parse(fake.apiCalls()[0]?.body ?? '').customerIp).toBe('127.0.0.1');
  });

  it('maps PayU errors to clear errors with PayU’s codes', async () => {
    const fake = fakePayu({
      'POST /api/v2_1/orders': () =>
        json(400, { status: { statusCode: 'ERROR_ORDER_NOT_UNIQUE', statusDesc: 'Order already exists' } }),
    });
    const notUnique = await caught(payu(SETTINGS).prepare(makePayment(), fake.ctx));
    expect(notUnique.code).toBe('BROKER_ERROR');
    expect(notUnique.message).toContain('ERROR_ORDER_NOT_UNIQUE');
    expect(notUnique.details).toMatchObject({
      httpStatus: 400,
      statusCode: 'ERROR_ORDER_NOT_UNIQUE',
      correlationId: 'corr-1',
    });

    fake.routes['POST /api/v2_1/orders'] = () =>
      json(403, {
        status: { statusCode: 'ERROR_VALUE_INVALID', codeLiteral: 'INVALID_AUTH_FOR_THIS_ORDER' },
      });
    expect((await caught(payu(SETTINGS).prepare(makePayment(), fake.ctx))).message).toContain(
      'posId must be',
    );

    fake.routes['POST /api/v2_1/orders'] = () =>
      json(503, { status: { statusCode: 'SERVICE_NOT_AVAILABLE' } });
    expect((await caught(payu(SETTINGS).prepare(makePayment(), fake.ctx))).code).toBe('BROKER_UNAVAILABLE');

    fake.routes['POST /api/v2_1/orders'] = () =>
      json(200, { status: { statusCode: 'SUCCESS' }, orderId: ORDER_ID });
    expect((await caught(payu(SETTINGS).prepare(makePayment(), fake.ctx))).message).toContain(
      'no redirectUri',
    );
  });

  it('decides by status.statusCode, whatever the HTTP status', async () => {
    const answer = (status: number, statusCode: string) => () =>
      json(status, { status: { statusCode }, redirectUri: REDIRECT, orderId: ORDER_ID });
    const fake = fakePayu();
    for (const [status, statusCode] of [
      [302, 'WARNING_CONTINUE_REDIRECT'],
      [302, 'WARNING_CONTINUE_3DS'],
      [201, 'SUCCESS'],
      [200, 'SUCCESS'],
    ] as const) {
      fake.routes['POST /api/v2_1/orders'] = answer(status, statusCode);
      const result = await payu(SETTINGS).prepare(makePayment(), fake.ctx);
      expect(result.redirect, statusCode).toEqual({ method: 'GET', url: REDIRECT });
    }
    // A 302 or 200 whose statusCode is not a success or a redirect warning is an error.
    for (const status of [200, 302]) {
      fake.routes['POST /api/v2_1/orders'] = answer(status, 'ERROR_VALUE_INVALID');
      expect((await caught(payu(SETTINGS).prepare(makePayment(), fake.ctx))).code).toBe('BROKER_ERROR');
    }
  });

  it('creates the order with a fresh token after a 401', async () => {
    let rejected = false;
    const fake = fakePayu({
      'POST /api/v2_1/orders': () => {
        if (rejected) return created();
        rejected = true;
        return json(401, { status: { statusCode: 'UNAUTHORIZED' } });
      },
    });
    const result = await payu(SETTINGS).prepare(makePayment(), fake.ctx);
    expect(result.externalId).toBe(ORDER_ID);
    expect(fake.oauthCalls()).toHaveLength(2);
  });
});
