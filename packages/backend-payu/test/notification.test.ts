import { describe, expect, it } from 'vitest';
import { payu } from '../src/payu';
import { fakePayu, inbound, json, makePayment, SETTINGS, signedHeaders } from './support/fixtures';

const ORDER_ID = 'LDLW5N7MF4140324GUEST000P01';

function orderBody(status: string, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    order: {
      orderId: ORDER_ID,
      extOrderId: 'pay_abc123',
      orderCreateDate: '2026-01-01T10:00:00.000+01:00',
      merchantPosId: '300746',
      description: 'Order 42',
      currencyCode: 'PLN',
      totalAmount: '21000',
      status,
      ...extra,
    },
    localReceiptDateTime: '2026-01-01T10:01:00.000+01:00',
    properties: [{ name: 'PAYMENT_ID', value: '151471228' }],
  });
}

function setup(options: Record<string, unknown> = {}, routes = {}) {
  const fake = fakePayu(routes);
  const payment = makePayment();
  fake.ctx.payments.set(payment.id, payment);
  return { fake, payment, backend: payu({ ...SETTINGS, ...options }) };
}

describe('PayU notifications', () => {
  it.each([
    ['PENDING', [{ type: 'pending', eventId: `${ORDER_ID}:PENDING` }]],
    [
      'WAITING_FOR_CONFIRMATION',
      [
        {
          type: 'authorized',
          eventId: `${ORDER_ID}:WAITING_FOR_CONFIRMATION`,
          amount: 21000,
          currency: 'PLN',
        },
      ],
    ],
    [
      'COMPLETED',
      [
        {
          type: 'captured',
          eventId: `${ORDER_ID}:COMPLETED`,
          captureId: ORDER_ID,
          amount: 21000,
          currency: 'PLN',
        },
      ],
    ],
    ['CANCELED', [{ type: 'failed', eventId: `${ORDER_ID}:CANCELED`, reason: 'PayU order CANCELED' }]],
  ])('turns a signed %s into facts and answers 200', async (status, facts) => {
    const { fake, backend, payment } = setup();
    const body = orderBody(status);
    const outcome = await backend.handleNotification(inbound(body, signedHeaders(body)), fake.ctx);
    expect(outcome).toEqual({
      verdict: 'verified',
      updates: [{ paymentId: payment.id, facts, transactionId: ORDER_ID }],
      ack: expect.objectContaining({ status: 200 }),
    });
  });

  it('verifies the bytes as sent, not a re-serialisation', async () => {
    const { fake, backend } = setup();
    // Spacing and an escaped slash that JSON.stringify would not reproduce.
    const body = `{ "order" : {"orderId":"${ORDER_ID}","extOrderId":"pay_abc123","description":"a\\/b \\u017c","currencyCode":"PLN","totalAmount":"21000","status":"COMPLETED"} }`;
    const outcome = await backend.handleNotification(inbound(body, signedHeaders(body)), fake.ctx);
    expect(outcome.verdict).toBe('verified');
  });

  it('accepts SHA-256 and the legacy X-OpenPayU-Signature header name', async () => {
    const { fake, backend } = setup();
    const body = orderBody('COMPLETED');
    const headers = signedHeaders(body, 'SHA-256');
    const legacy = new Headers({ 'X-OpenPayU-Signature': headers.get('openpayu-signature') ?? '' });
    const outcome = await backend.handleNotification(inbound(body, legacy), fake.ctx);
    expect(outcome.verdict).toBe('verified');
  });

  it('rejects unsigned, forged and disallowed-algorithm notifications with a non-2xx answer', async () => {
    const { fake, backend } = setup();
    const body = orderBody('COMPLETED');
    const unsigned = await backend.handleNotification(inbound(body, new Headers()), fake.ctx);
    expect(unsigned).toMatchObject({ verdict: 'rejected', code: 'INVALID_SIGNATURE', ack: { status: 400 } });

    const forged = await backend.handleNotification(
      inbound(body, signedHeaders(body, 'MD5', 'not-the-second-key')),
      fake.ctx,
    );
    expect(forged).toMatchObject({ verdict: 'rejected', code: 'INVALID_SIGNATURE', ack: { status: 400 } });

    const tampered = body.replace('21000', '1');
    const replayed = await backend.handleNotification(inbound(tampered, signedHeaders(body)), fake.ctx);
    expect(replayed).toMatchObject({ verdict: 'rejected', code: 'INVALID_SIGNATURE' });

    const shaOnly = payu({ ...SETTINGS, allowedSignatureAlgorithms: ['SHA-256'] });
    const md5 = await shaOnly.handleNotification(inbound(body, signedHeaders(body)), fake.ctx);
    expect(md5).toMatchObject({ verdict: 'rejected', code: 'INVALID_SIGNATURE' });
    // The rejection text never carries the key.
    for (const outcome of [unsigned, forged, replayed, md5]) {
      expect(JSON.stringify(outcome)).not.toContain(SETTINGS.secondKey);
    }
  });

  it('finds the payment by extOrderId when the externalId is not stored yet', async () => {
    const { fake, backend, payment } = setup();
    fake.ctx.payments.set(payment.id, { ...payment, externalId: null });
    const body = orderBody('PENDING');
    const outcome = await backend.handleNotification(inbound(body, signedHeaders(body)), fake.ctx);
    expect(outcome).toMatchObject({
      verdict: 'verified',
      updates: [{ paymentId: payment.id, externalId: ORDER_ID }],
    });
    // A payment that has PayU's orderId already is not told it again.
    fake.ctx.payments.set(payment.id, payment);
    const again = await backend.handleNotification(inbound(body, signedHeaders(body)), fake.ctx);
    expect(again.verdict === 'verified' && again.updates[0]).not.toHaveProperty('externalId');
  });

  it('issue 14: a signed notification of another order naming a bound payment is refused and changes nothing', async () => {
    const { fake, backend, payment } = setup();
    for (const status of ['CANCELED', 'COMPLETED', 'PENDING']) {
      const other = orderBody(status, { orderId: 'ZZOTHER0000260101GUEST000P01' });
      expect(await backend.handleNotification(inbound(other, signedHeaders(other)), fake.ctx)).toEqual({
        verdict: 'rejected',
        code: 'OTHER_TRANSACTION',
        message: `status ${status} of PayU order ZZOTHER0000260101GUEST000P01 names ${payment.id}, which is bound to order ${ORDER_ID}`,
        paymentId: payment.id,
        ack: expect.objectContaining({ status: 200 }),
      });
    }
    const refund = JSON.stringify({
      orderId: 'ZZOTHER0000260101GUEST000P01',
      extOrderId: payment.id,
      refund: { refundId: '912129', amount: '100', currencyCode: 'PLN', status: 'FINALIZED' },
    });
    expect(await backend.handleNotification(inbound(refund, signedHeaders(refund)), fake.ctx)).toMatchObject({
      verdict: 'rejected',
      code: 'OTHER_TRANSACTION',
    });
  });

  it('answers 200 to a verified notification for an unknown payment, and refuses mismatches', async () => {
    const { fake, backend } = setup();
    const unknown = orderBody('COMPLETED', {
      orderId: 'ZZZZZZZZZZ260101GUEST000P01',
      extOrderId: 'pay_other',
    });
    expect(
      await backend.handleNotification(inbound(unknown, signedHeaders(unknown)), fake.ctx),
    ).toMatchObject({
      verdict: 'rejected',
      code: 'UNKNOWN_PAYMENT',
      ack: { status: 200 },
    });
    const cheaper = orderBody('COMPLETED', { totalAmount: '100' });
    expect(
      await backend.handleNotification(inbound(cheaper, signedHeaders(cheaper)), fake.ctx),
    ).toMatchObject({
      verdict: 'rejected',
      code: 'AMOUNT_MISMATCH',
      paymentId: 'pay_abc123',
    });
    const euros = orderBody('COMPLETED', { currencyCode: 'EUR' });
    expect(await backend.handleNotification(inbound(euros, signedHeaders(euros)), fake.ctx)).toMatchObject({
      verdict: 'rejected',
      code: 'CURRENCY_MISMATCH',
    });
  });

  it('tolerates an undocumented status and refuses a signed but unreadable body', async () => {
    const { fake, backend } = setup();
    const odd = orderBody('SOMETHING_NEW');
    expect(await backend.handleNotification(inbound(odd, signedHeaders(odd)), fake.ctx)).toMatchObject({
      verdict: 'verified',
      updates: [],
      ack: { status: 200 },
    });
    const garbage = '{"order":';
    expect(
      await backend.handleNotification(inbound(garbage, signedHeaders(garbage)), fake.ctx),
    ).toMatchObject({
      verdict: 'rejected',
      code: 'MALFORMED_NOTIFICATION',
      ack: { status: 400 },
    });
  });

  it('asks the core to pull the order when confirmNotifications is on', async () => {
    const { fake, backend } = setup({ confirmNotifications: true });
    const body = orderBody('COMPLETED');
    const outcome = await backend.handleNotification(inbound(body, signedHeaders(body)), fake.ctx);
    expect(outcome).toMatchObject({ verdict: 'verified', updates: [{ pull: true }] });
  });
});

describe('PayU refund notifications', () => {
  const refundBody = (refund: Record<string, unknown>) =>
    JSON.stringify({ orderId: ORDER_ID, extOrderId: 'pay_abc123', refund });

  it('keys a documented refund notification by our refund id remembered at refund time', async () => {
    const { fake, backend, payment } = setup();
    fake.ctx.payments.set(payment.id, { ...payment, brokerData: { 'payuRefund:912128': 'ref_ours' } });
    const body = refundBody({
      refundId: '912128',
      amount: '15516',
      currencyCode: 'PLN',
      status: 'FINALIZED',
    });
    const outcome = await backend.handleNotification(inbound(body, signedHeaders(body)), fake.ctx);
    expect(outcome).toEqual({
      verdict: 'verified',
      updates: [
        {
          paymentId: payment.id,
          facts: [
            {
              type: 'refunded',
              eventId: '912128:FINALIZED',
              refundId: 'ref_ours',
              amount: 15516,
              currency: 'PLN',
            },
          ],
          transactionId: ORDER_ID,
        },
      ],
      ack: expect.objectContaining({ status: 200 }),
    });
    expect(fake.apiCalls()).toHaveLength(0);
  });

  it('looks the amount and extRefundId up when the notification lacks them (panel-style)', async () => {
    const { fake, backend, payment } = setup(
      {},
      {
        [`GET /api/v2_1/orders/${ORDER_ID}/refunds`]: () =>
          json(200, {
            refunds: [
              {
                refundId: '5000000142',
                extRefundId: 'ref_ours',
                amount: '10000',
                currencyCode: 'PLN',
                status: 'FINALIZED',
              },
            ],
          }),
      },
    );
    const body = refundBody({ refundId: '5000000142', status: 'FINALIZED', reason: 'refund' });
    const outcome = await backend.handleNotification(inbound(body, signedHeaders(body)), fake.ctx);
    expect(outcome).toMatchObject({
      verdict: 'verified',
      updates: [
        {
          paymentId: payment.id,
          facts: [{ type: 'refunded', refundId: 'ref_ours', amount: 10000, currency: 'PLN' }],
        },
      ],
    });
    expect(fake.apiCalls().map((c) => c.meta.kind)).toEqual(['list-refunds']);
  });

  it('keys a refund made in the PayU panel by PayU’s id, and a cancelled refund as failed', async () => {
    const { fake, backend } = setup(
      {},
      {
        [`GET /api/v2_1/orders/${ORDER_ID}/refunds`]: () =>
          json(200, [{ refundId: '777', amount: '500', currencyCode: 'PLN', status: 'PENDING' }]),
      },
    );
    const pending = refundBody({ refundId: '777', status: 'PENDING' });
    expect(
      await backend.handleNotification(inbound(pending, signedHeaders(pending)), fake.ctx),
    ).toMatchObject({
      updates: [
        { facts: [{ type: 'refund_pending', eventId: '777:PENDING', refundId: '777', amount: 500 }] },
      ],
    });
    const canceled = refundBody({ refundId: '777', status: 'CANCELED', reason: 'bank' });
    expect(
      await backend.handleNotification(inbound(canceled, signedHeaders(canceled)), fake.ctx),
    ).toMatchObject({
      updates: [{ facts: [{ type: 'refund_failed', eventId: '777:CANCELED', refundId: '777' }] }],
    });
  });

  it('asks PayU to retry when the refund cannot be looked up now', async () => {
    const { fake, backend } = setup(
      {},
      {
        [`GET /api/v2_1/orders/${ORDER_ID}/refunds`]: () =>
          json(503, { status: { statusCode: 'SERVICE_NOT_AVAILABLE' } }),
      },
    );
    const body = refundBody({ refundId: '9', status: 'FINALIZED' });
    const outcome = await backend.handleNotification(inbound(body, signedHeaders(body)), fake.ctx);
    expect(outcome).toMatchObject({ verdict: 'retry', ack: { status: 503 } });
  });
});
