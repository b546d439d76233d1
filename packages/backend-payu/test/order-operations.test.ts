import { describe, expect, it } from 'vitest';
import { payu } from '../src/payu';
import { caught, fakePayu, inbound, json, makePayment, SETTINGS } from './support/fixtures';

const ORDER_ID = 'WZHF5FFDRJ140731GUEST000P01';

const transitionImpossible = () =>
  json(400, {
    status: {
      statusCode: 'ERROR_VALUE_INVALID',
      code: '108',
      codeLiteral: 'ERROR_VALUE_INVALID',
      statusDesc: 'Order has incorrect status. Transition is impossible.',
    },
  });

const orderWithStatus = (status: string) => () =>
  json(200, {
    orders: [{ orderId: ORDER_ID, status, totalAmount: '21000', currencyCode: 'PLN' }],
    status: { statusCode: 'SUCCESS' },
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
      [`POST /api/v2_1/orders/${ORDER_ID}/captures`]: transitionImpossible,
      [`GET /api/v2_1/orders/${ORDER_ID}`]: orderWithStatus('CANCELED'),
    });
    const error = await caught(payu(SETTINGS).capture(payment, 21000, fake.ctx));
    expect(error.code).toBe('BROKER_ERROR');
    expect(error.message).toContain('Transition is impossible');
    expect(fake.apiCalls().map((c) => c.meta.kind)).toEqual(['capture', 'retrieve-order']);
  });

  it('a retried capture or cancel that PayU already carried out reports the order as it is', async () => {
    const fake = fakePayu({
      [`POST /api/v2_1/orders/${ORDER_ID}/captures`]: transitionImpossible,
      [`DELETE /api/v2_1/orders/${ORDER_ID}`]: transitionImpossible,
      [`GET /api/v2_1/orders/${ORDER_ID}`]: orderWithStatus('COMPLETED'),
    });
    const backend = payu(SETTINGS);
    expect((await backend.capture(payment, 21000, fake.ctx)).facts).toEqual([
      {
        type: 'captured',
        eventId: `${ORDER_ID}:COMPLETED`,
        captureId: ORDER_ID,
        amount: 21000,
        currency: 'PLN',
      },
    ]);
    // A cancel refused because the order is COMPLETED is a real refusal.
    expect((await caught(backend.cancel(payment, fake.ctx))).message).toContain('Transition is impossible');
    fake.routes[`GET /api/v2_1/orders/${ORDER_ID}`] = orderWithStatus('CANCELED');
    expect((await backend.cancel(payment, fake.ctx)).facts).toEqual([
      { type: 'failed', eventId: `${ORDER_ID}:CANCELED`, reason: 'PayU order CANCELED' },
    ]);
    // Not an impossible transition (an outage): no lookup, the error as it is.
    fake.routes[`POST /api/v2_1/orders/${ORDER_ID}/captures`] = () =>
      json(503, { status: { statusCode: 'SERVICE_NOT_AVAILABLE' } });
    const before = fake.apiCalls().length;
    expect((await caught(backend.capture(payment, 21000, fake.ctx))).code).toBe('BROKER_UNAVAILABLE');
    expect(
      fake
        .apiCalls()
        .slice(before)
        .map((c) => c.meta.kind),
    ).toEqual(['capture']);
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
