import { paypalTxnOf, SANDBOX, SHOP, startE2e, submitPaypalForm } from '@paybridge/e2e-kit';
import type { PaypalSimulatorOptions } from '@paybridge/sandbox';
import type { PaypalOptions } from '../../src/lib/settings';
import { paypal } from '../../src/paypal';

/**
 * PayPal's end to end through the shared kit: one merchant account, a shop whose order ids say the
 * currency (`jpy-`, `huf-`, else EUR) and the kind (`sub-` is a monthly subscription).
 */
export { SANDBOX, SHOP };
export const MONTH = 31 * 24 * 3600 * 1000;

export function setup(
  options: { simulator?: PaypalSimulatorOptions; backend?: Partial<PaypalOptions> } = {},
) {
  const e2e = startE2e({
    backends: [
      paypal({
        business: 'merchant@example.com',
        receiverId: 'MERCHANT12345',
        receiverEmails: ['merchant@example.com'],
        endpoint: `${SANDBOX}/paypal`,
        postbackTimeoutMs: 200,
        postbackAttempts: 1,
        ...options.backend,
      }),
    ],
    testMode: true,
    startAt: Date.UTC(2026, 10, 20, 12, 0, 0),
    notifierIp: '173.0.82.126',
    ...(options.simulator ? { simulators: { paypal: options.simulator } } : {}),
    orders: {
      resolve: (orderId) => ({
        // 1500 ¥ (no ISO decimals), 1500 Ft (two ISO decimals PayPal refuses), 19.99 €.
        amount: orderId.startsWith('jpy-') ? 1500 : orderId.startsWith('huf-') ? 150000 : 1999,
        currency: orderId.startsWith('jpy-') ? 'JPY' : orderId.startsWith('huf-') ? 'HUF' : 'EUR',
        description: `Order ${orderId}`,
        successUrl: 'https://shop.test/thanks',
        failureUrl: 'https://shop.test/sorry',
        ...(orderId.startsWith('sub-') ? { recurrence: { interval: 'month' as const, every: 1 } } : {}),
      }),
    },
  });

  let orders = 0;
  /**
   * Start a payment, submit the auto-submitted form to PayPal; returns our payment id and the session.
   * `edit` changes the form before it is submitted, as a buyer can do with a plain button form.
   */
  async function start(prefix = 'order-', edit: Record<string, string> = {}) {
    orders += 1;
    return submitPaypalForm(
      e2e,
      await e2e.startResponse({ backend: 'paypal', orderId: `${prefix}${orders}` }),
      edit,
    );
  }

  return {
    ...e2e,
    start,
    notifications: () => e2e.notifications(),
    txnOf: (paymentId: string) => paypalTxnOf(e2e, paymentId),
  };
}

export const zoe = { buyer: { firstName: 'Zoë', lastName: 'Ærøskøbing', email: 'zoe+shop@example.net' } };
