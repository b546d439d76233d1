import { describe, expect, it } from 'vitest';
import { paypal } from '../src/paypal';
import { setup } from './support/e2e';

/** sweepExpired asks PayPal first where it can (issue 15): end to end through the sandbox's NVP API. */
const API = {
  username: 'merchant_api1.example.com',
  password: 'SANDBOX3TOKENPWD',
  signature: 'AFcWxV21C7fd0v3bYYYRCpSSRl31A-sandbox-signature-0123456789',
};
const DAY = 24 * 3600 * 1000;

describe('PayPal sweepExpired', () => {
  it('with API credentials: a payment PayPal reports completed (its IPN lost) becomes paid, never expired', async () => {
    const t = setup({ backend: { api: API } });
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    // The IPN never arrives (queued, never delivered): only PayPal's API knows.
    const open = await t.start();
    t.clock.advance(3 * DAY);
    expect(await t.bridge.sweepExpired()).toBe(1);
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });
    expect((await t.store.listTransitions(paymentId)).map((tr) => tr.to)).toEqual(['new', 'paid']);
    // PayPal knows nothing of the abandoned one: it expires.
    expect((await t.get(open.paymentId)).status).toBe('expired');
    expect(t.sandbox.paypal.apiCalls().map((c) => c.method)).toContain('TransactionSearch');
    // The IPN arriving late changes nothing more.
    await t.sandbox.flush();
    expect((await t.get(paymentId)).captures).toHaveLength(1);
  });

  it('with API credentials and PayPal down: nothing expires on a guess, the next sweep settles it', async () => {
    const t = setup({ backend: { api: API } });
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    t.clock.advance(3 * DAY);
    t.sandbox.paypal.faults.apiError = { status: 503, remaining: 100 };
    await t.bridge.sweepExpired();
    expect((await t.get(paymentId)).status).not.toBe('expired');
    delete t.sandbox.paypal.faults.apiError;
    await t.bridge.sweepExpired();
    expect((await t.get(paymentId)).status).toBe('paid');
  });

  it('without API credentials: expired as before (PayPal cannot be asked), and availability says why', async () => {
    const t = setup();
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    t.clock.advance(3 * DAY);
    expect(await t.bridge.sweepExpired()).toBe(1);
    expect((await t.get(paymentId)).status).toBe('expired');
    expect(t.sandbox.paypal.apiCalls()).toEqual([]);
    const [available] = t.bridge.availableBackends({ currency: 'EUR' }).available;
    expect(available?.missingCredentials).toEqual([
      expect.objectContaining({ setting: 'api', operations: ['pull', 'refund', 'partialRefund'] }),
    ]);
    expect(available?.missingCredentials?.[0]?.message).toMatch(/sweepExpired expires without asking/);
  });

  it('with API credentials, nothing is reported missing', () => {
    expect(paypal({ business: 'merchant@example.com', api: API }).missingCredentials).toBeUndefined();
  });
});
