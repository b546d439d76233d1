import { describe, expect, it } from 'vitest';
import { payu } from '../src/payu';
import { fakePayu, inbound, makePayment, SETTINGS, signedHeaders } from './support/fixtures';

/** A notification that fails verification names the payment it is about (for a pull), and nothing more. */
const ORDER_ID = 'LDLW5N7MF4140324GUEST000P01';
const forged = (body: string) => inbound(body, signedHeaders(body, 'MD5', 'not-the-second-key'));

function setup() {
  const fake = fakePayu();
  const payment = makePayment();
  fake.ctx.payments.set(payment.id, payment);
  const other = makePayment({
    id: 'pay_other',
    backend: 'payu-eur',
    externalId: 'OTHERPOS000000000000000P01',
  });
  fake.ctx.payments.set(other.id, other);
  return { fake, payment, backend: payu(SETTINGS) };
}

describe('an unverified PayU notification', () => {
  it.each([
    [
      'an order notification by orderId',
      { order: { orderId: ORDER_ID, extOrderId: 'someone-else', status: 'COMPLETED' } },
    ],
    ['an order notification by extOrderId', { order: { orderId: 'UNKNOWN', extOrderId: 'pay_abc123' } }],
    [
      'a refund notification by orderId',
      { orderId: ORDER_ID, refund: { refundId: '1', status: 'FINALIZED' } },
    ],
  ])('names our payment from %s, still rejected 400 with no updates', async (_label, json) => {
    const { fake, backend, payment } = setup();
    const outcome = await backend.handleNotification(forged(JSON.stringify(json)), fake.ctx);
    expect(outcome).toEqual({
      verdict: 'rejected',
      code: 'INVALID_SIGNATURE',
      message: 'OpenPayu-Signature does not match the body',
      paymentId: payment.id,
      ack: expect.objectContaining({ status: 400 }),
    });
    expect(fake.calls).toHaveLength(0); // nothing is asked of PayU here: the core decides on a pull
  });

  it.each([
    ['an unknown order', JSON.stringify({ order: { orderId: 'NOPE', extOrderId: 'pay_nope' } })],
    [
      'another backend’s payment',
      JSON.stringify({ order: { orderId: 'OTHERPOS000000000000000P01', extOrderId: 'pay_other' } }),
    ],
    [
      'an overlong id',
      JSON.stringify({ order: { orderId: 'X'.repeat(101), extOrderId: `pay_abc123${'x'.repeat(100)}` } }),
    ],
    ['ids that are not strings', JSON.stringify({ order: { orderId: 42, extOrderId: ['pay_abc123'] } })],
    ['a body that is not JSON', 'pay_abc123'],
    ['a JSON array', JSON.stringify(['pay_abc123'])],
  ])('names nothing for %s', async (_label, body) => {
    const { fake, backend } = setup();
    const outcome = await backend.handleNotification(forged(body), fake.ctx);
    expect(outcome).toMatchObject({ verdict: 'rejected', code: 'INVALID_SIGNATURE', ack: { status: 400 } });
    expect(outcome).not.toHaveProperty('paymentId');
  });

  it('a store that fails while looking up names nothing and the answer stays 400', async () => {
    const { fake, backend } = setup();
    fake.ctx.findPaymentByExternalId = async () => {
      throw new Error('store down');
    };
    const body = JSON.stringify({ order: { orderId: ORDER_ID } });
    const outcome = await backend.handleNotification(forged(body), fake.ctx);
    expect(outcome).toMatchObject({ verdict: 'rejected', ack: { status: 400 } });
    expect(outcome).not.toHaveProperty('paymentId');
  });
});
