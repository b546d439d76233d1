import { describe, expect, it } from 'vitest';
import { paypal } from '../src/paypal';
import { encodeIpn, ipnRequest, testContext, testPayment, webAcceptIpn } from './support/fixtures';

/** An IPN PayPal answers INVALID names the payment it is about (for the bridge's pull), and nothing more. */
const backend = paypal({
  business: 'merchant@example.com',
  receiverId: 'MERCHANT12345',
  receiverEmails: ['merchant@example.com'],
});
const ours = testPayment();
const bound = testPayment({ id: 'pay_bound', externalId: '61E67681CH3238416' });
const stranger = testPayment({
  id: 'pay_stranger',
  backend: 'paypal-other',
  externalId: '0STRANGER000000000',
});

async function refused(overrides: Record<string, string | null>, payments = [ours, bound, stranger]) {
  const ctx = testContext(payments, () => new Response('INVALID'));
  return backend.handleNotification(ipnRequest(encodeIpn(webAcceptIpn(overrides))), ctx);
}

describe('an IPN PayPal answers INVALID', () => {
  it.each([
    ['by the txn_id the payment is bound to', { invoice: 'someone-else' }, 'pay_bound'],
    [
      'by parent_txn_id (a refund of the bound transaction)',
      { txn_id: '9REFUND0000000000', parent_txn_id: '61E67681CH3238416', invoice: null },
      'pay_bound',
    ],
    ['by invoice (our payment id) when no transaction is bound', { txn_id: '0UNKNOWN000000000' }, ours.id],
  ])(
    'names our payment %s, still rejected and acknowledged 200, no updates',
    async (_label, overrides, id) => {
      expect(await refused(overrides)).toEqual({
        verdict: 'rejected',
        code: 'VERIFICATION_FAILED',
        message: 'PayPal answered INVALID to the postback',
        paymentId: id,
        ack: expect.objectContaining({ status: 200 }),
      });
    },
  );

  it.each([
    ['an unknown invoice and transaction', { txn_id: '0UNKNOWN000000000', invoice: 'pay_nope' }],
    ['another backend’s payment', { txn_id: '0STRANGER000000000', invoice: 'pay_stranger' }],
    ['overlong values', { txn_id: 'X'.repeat(101), invoice: `${ours.id}${'x'.repeat(100)}` }],
    ['no transaction and no invoice', { txn_id: null, invoice: null }],
  ])('names nothing for %s', async (_label, overrides) => {
    const outcome = await refused(overrides);
    expect(outcome).toMatchObject({ verdict: 'rejected', code: 'VERIFICATION_FAILED', ack: { status: 200 } });
    expect(outcome).not.toHaveProperty('paymentId');
  });

  it('a store that fails while looking up names nothing; the answer is unchanged', async () => {
    const ctx = testContext([ours], () => new Response('INVALID'), {
      findPaymentByExternalId: async () => {
        throw new Error('store down');
      },
    });
    const outcome = await backend.handleNotification(ipnRequest(encodeIpn(webAcceptIpn())), ctx);
    expect(outcome).toMatchObject({ verdict: 'rejected', code: 'VERIFICATION_FAILED', ack: { status: 200 } });
    expect(outcome).not.toHaveProperty('paymentId');
  });
});
