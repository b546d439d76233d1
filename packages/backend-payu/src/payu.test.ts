import { isPaybridgeError, type PaybridgeError } from '@paybridge/core';
import { describe, expect, it } from 'vitest';
import { fakePayu, inbound, json, makePayment, SETTINGS } from './lib/fake-context';
import { payu } from './payu';

const ORDER_ID = 'WZHF5FFDRJ140731GUEST000P01';
const REDIRECT = 'https://merch-prod.snd.payu.com/pay/?orderId=WZHF5FFDRJ140731GUEST000P01&token=abc';

async function caught(promise: Promise<unknown>): Promise<PaybridgeError> {
  try {
    await promise;
  } catch (error) {
    if (isPaybridgeError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

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
      payu({ posId: '', secondKey: '', clientId: '1', clientSecret: 'x', currencies: ['JPY'] } as never),
    ).toThrow(/PayU: posId: .*PayU: secondKey: .*PayU: currencies\.0/);
    expect(() => payu({ ...SETTINGS, bogus: true } as never)).toThrow(/PayU/);
  });

  it('declares endpoints, currencies and secrets', () => {
    const backend = payu({ ...SETTINGS, currencies: ['PLN'], endpoint: 'http://localhost:4000/payu/' });
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

describe('payu() operations', () => {
  const payment = makePayment({ externalId: ORDER_ID, status: 'authorized', amountAuthorized: 21000 });

  it('captures the whole order and reports the capture under the notification’s event id', async () => {
    const fake = fakePayu({
      [`POST /api/v2_1/orders/${ORDER_ID}/captures`]: () =>
        json(200, { status: { statusCode: 'SUCCESS', statusDesc: 'Status was updated' } }),
    });
    const result = await payu(SETTINGS).capture(payment, 21000, fake.ctx);
    expect(result.facts).toEqual([
      {
        type: 'captured',
        eventId: `${ORDER_ID}:COMPLETED`,
        captureId: ORDER_ID,
        amount: 21000,
        currency: 'PLN',
      },
    ]);
    expect(fake.apiCalls()[0]?.body).toBe('');
    expect((await caught(payu(SETTINGS).capture(payment, 100, fake.ctx))).code).toBe(
      'CAPABILITY_NOT_SUPPORTED',
    );
  });

  it('refuses an impossible capture with PayU’s reason', async () => {
    const fake = fakePayu({
      [`POST /api/v2_1/orders/${ORDER_ID}/captures`]: () =>
        json(400, {
          status: {
            statusCode: 'ERROR_VALUE_INVALID',
            code: '108',
            codeLiteral: 'ERROR_VALUE_INVALID',
            statusDesc: 'Order has incorrect status. Transition is impossible.',
          },
        }),
    });
    const error = await caught(payu(SETTINGS).capture(payment, 21000, fake.ctx));
    expect(error.code).toBe('BROKER_ERROR');
    expect(error.message).toContain('Transition is impossible');
  });

  it('cancels with DELETE', async () => {
    const fake = fakePayu({
      [`DELETE /api/v2_1/orders/${ORDER_ID}`]: () =>
        json(200, { orderId: ORDER_ID, extOrderId: 'pay_abc123', status: { statusCode: 'SUCCESS' } }),
    });
    const result = await payu(SETTINGS).cancel(payment, fake.ctx);
    expect(result.facts).toEqual([
      { type: 'failed', eventId: `${ORDER_ID}:CANCELED`, reason: 'Cancelled by the merchant' },
    ]);
    expect((await caught(payu(SETTINGS).cancel(makePayment({ externalId: null }), fake.ctx))).code).toBe(
      'INVALID_STATE',
    );
  });

  it('refunds with a stable extRefundId and reports the refund pending', async () => {
    const fake = fakePayu({
      [`POST /api/v2_1/orders/${ORDER_ID}/refunds`]: (call) => {
        const { refund } = JSON.parse(call.body);
        return json(200, {
          orderId: ORDER_ID,
          refund: {
            refundId: '5000000142',
            extRefundId: refund.extRefundId,
            amount: refund.amount,
            currencyCode: 'PLN',
            status: 'PENDING',
            statusDatetime: '2026-01-01T10:00:00.000+01:00',
          },
          status: { statusCode: 'SUCCESS', statusDesc: 'Refund queued for processing' },
        });
      },
    });
    const paid = makePayment({ externalId: ORDER_ID, status: 'paid', amountPaid: 21000 });
    const result = await payu(SETTINGS).refund(
      paid,
      { refundId: 'ref_1', amount: 5000, reason: 'damaged' },
      fake.ctx,
    );
    expect(JSON.parse(fake.apiCalls()[0]?.body ?? '')).toEqual({
      refund: { description: 'damaged', amount: '5000', extRefundId: 'ref_1', currencyCode: 'PLN' },
    });
    expect(result).toEqual({
      facts: [
        {
          type: 'refund_pending',
          eventId: '5000000142:PENDING',
          refundId: 'ref_1',
          amount: 5000,
          currency: 'PLN',
        },
      ],
      brokerData: { 'payuRefund:5000000142': 'ref_1' },
    });
  });

  it('pulls the order, and the refunds of a completed order', async () => {
    const fake = fakePayu({
      [`GET /api/v2_1/orders/${ORDER_ID}`]: () =>
        json(200, {
          orders: [
            {
              orderId: ORDER_ID,
              extOrderId: 'pay_abc123',
              status: 'COMPLETED',
              totalAmount: '21000',
              currencyCode: 'PLN',
            },
          ],
          status: { statusCode: 'SUCCESS' },
        }),
      [`GET /api/v2_1/orders/${ORDER_ID}/refunds`]: () =>
        json(200, [
          { refundId: '1', extRefundId: 'ref_1', amount: '5000', currencyCode: 'PLN', status: 'FINALIZED' },
          { refundId: '2', amount: '100', currencyCode: 'PLN', status: 'PENDING' },
        ]),
    });
    const facts = await payu(SETTINGS).fetchStatus(payment, fake.ctx);
    expect(facts).toEqual([
      {
        type: 'captured',
        eventId: `${ORDER_ID}:COMPLETED`,
        captureId: ORDER_ID,
        amount: 21000,
        currency: 'PLN',
      },
      { type: 'refunded', eventId: '1:FINALIZED', refundId: 'ref_1', amount: 5000, currency: 'PLN' },
      { type: 'refund_pending', eventId: '2:PENDING', refundId: '2', amount: 100, currency: 'PLN' },
    ]);
  });

  it('still reports the order status when its refunds cannot be listed', async () => {
    const fake = fakePayu({
      [`GET /api/v2_1/orders/${ORDER_ID}`]: () =>
        json(200, {
          orders: [{ orderId: ORDER_ID, status: 'COMPLETED', totalAmount: '21000', currencyCode: 'PLN' }],
        }),
      [`GET /api/v2_1/orders/${ORDER_ID}/refunds`]: () =>
        json(500, { status: { statusCode: 'GENERAL_ERROR' } }),
    });
    expect(await payu(SETTINGS).fetchStatus(payment, fake.ctx)).toEqual([
      {
        type: 'captured',
        eventId: `${ORDER_ID}:COMPLETED`,
        captureId: ORDER_ID,
        amount: 21000,
        currency: 'PLN',
      },
    ]);
    fake.routes[`GET /api/v2_1/orders/${ORDER_ID}`] = () =>
      json(404, { status: { statusCode: 'DATA_NOT_FOUND' } });
    expect((await caught(payu(SETTINGS).fetchStatus(payment, fake.ctx))).code).toBe('BROKER_ERROR');
  });

  it('reads the return: error=501 is a failure hint, anything else pulls', async () => {
    const backend = payu(SETTINGS);
    const fake = fakePayu();
    const failed = await backend.handleReturn(
      inbound('', new Headers(), 'https://shop.test/pay/return/payu/pay_abc123?error=501'),
    );
    expect(failed).toEqual({ hint: 'failure' });
    expect(await backend.handleReturn(inbound('', new Headers(), fake.ctx.returnUrl('pay_abc123')))).toEqual({
      hint: 'unknown',
      pull: true,
    });
  });

  it('prints setup instructions with the URLs and warnings', () => {
    const backend = payu({ ...SETTINGS, testMode: true });
    const setup = backend.setupInstructions({
      baseUrl: 'http://localhost:3000/pay',
      notifyUrl: 'http://localhost:3000/pay/notify/payu',
      returnUrl: 'http://localhost:3000/pay/return/payu/{paymentId}',
    });
    expect(setup.urls.map((u) => u.url)).toEqual([
      'http://localhost:3000/pay/notify/payu',
      'http://localhost:3000/pay/return/payu/{paymentId}',
    ]);
    expect(setup.warnings.join('\n')).toMatch(/HTTPS[\s\S]*not reachable[\s\S]*Test mode/);
    expect(JSON.stringify(setup)).not.toContain(SETTINGS.clientSecret);
  });
});
