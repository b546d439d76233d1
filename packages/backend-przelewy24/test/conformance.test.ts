import type { Payment } from '@paybridge/core';
import { runBackendConformance } from '@paybridge/core/testing';
import { createSandbox, P24_SANDBOX_MERCHANT as MERCHANT } from '@paybridge/sandbox';
import { przelewy24 } from '../src/index';
import { signedRequest } from './support/sign';

const SANDBOX = 'http://sandbox.test';
const sandbox = createSandbox({ baseUrl: SANDBOX });
const validSettings = {
  merchantId: MERCHANT.merchantId,
  posId: MERCHANT.posId,
  crc: MERCHANT.crc,
  apiKey: MERCHANT.apiKey,
};

runBackendConformance({
  name: 'przelewy24',
  factory: przelewy24,
  validSettings,
  invalidSettings: { merchantId: 'abc', crc: '', apiKey: 1, currencies: ['pln'] },
  secretFields: ['crc', 'apiKey'],
  currency: 'PLN',
  amount: 4999,
  endpoint: `${SANDBOX}/przelewy24`,
  fetch: (request) => sandbox.handler(request),
  binding: {
    settings: { ...validSettings, endpoint: `${SANDBOX}/przelewy24`, fallbackEmail: 'orders@shop.example' },
    fetch: (request) => sandbox.handler(request),
    // The buyer pays the payment's own registered transaction; its genuine notification names P24's orderId.
    paid: (payment: Payment, notifyUrl: string) => {
      sandbox.przelewy24.act(payment.brokerData.p24Token as string, 'pay');
      const tx = sandbox.przelewy24.transactions().find((t) => t.sessionId === payment.id);
      return signedRequest(
        notifyUrl,
        'notification',
        {
          merchantId: MERCHANT.merchantId,
          posId: MERCHANT.posId,
          sessionId: payment.id,
          amount: payment.amount,
          originAmount: payment.amount,
          currency: payment.currency,
          orderId: tx?.orderId,
          methodId: 154,
          statement: 'p24-314-159-265',
        },
        MERCHANT.crc,
      );
    },
    // P24 sends nothing for a failed payment; the one negative message it signs is a rejected refund,
    // here about another transaction naming the same sessionId.
    otherFailed: (payment: Payment, notifyUrl: string) =>
      signedRequest(
        notifyUrl,
        'refundNotification',
        {
          orderId: 3_000_000_007,
          sessionId: payment.id,
          refundsUuid: 'other-refund-1',
          merchantId: MERCHANT.merchantId,
          amount: payment.amount,
          currency: payment.currency,
          status: 1,
        },
        MERCHANT.crc,
      ),
  },
});
