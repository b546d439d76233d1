import { describe, expect, it } from 'vitest';
import { SHOP, setup } from './support/e2e';
import { encodeIpn } from './support/fixtures';

/**
 * Verify-or-pull with PayPal (issue 15): an IPN PayPal answers INVALID is acknowledged 200, so PayPal
 * never sends it again. With API credentials, the bridge asks PayPal about the payment it names.
 */
const API = {
  username: 'merchant_api1.example.com',
  password: 'SANDBOX3TOKENPWD',
  signature: 'AFcWxV21C7fd0v3bYYYRCpSSRl31A-sandbox-signature-0123456789',
};

/** An IPN PayPal never sent, naming `invoice`: the postback answers INVALID. */
function forgedIpn(t: ReturnType<typeof setup>, invoice: string) {
  const body = encodeIpn([
    ['txn_type', 'web_accept'],
    ['payment_status', 'Completed'],
    ['mc_gross', '19.99'],
    ['mc_currency', 'EUR'],
    ['invoice', invoice],
    ['txn_id', '0FORGED0000000000'],
    ['receiver_id', 'MERCHANT12345'],
    ['business', 'merchant@example.com'],
    ['charset', 'UTF-8'],
    ['test_ipn', '1'],
  ]);
  return t.bridge.handler(
    new Request(`${SHOP}/notify/paypal`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body as Uint8Array<ArrayBuffer>,
    }),
    { clientIp: '173.0.82.126' },
  );
}

describe('PayPal verify-or-pull through the sandbox', () => {
  it('a genuine IPN answered INVALID: acknowledged, changes nothing itself, and the pull makes the payment paid once', async () => {
    const t = setup({ backend: { api: API } });
    t.sandbox.paypal.faults.postback = 'INVALID';
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    const [inbound] = await t.notifications();
    expect(inbound).toMatchObject({ verdict: 'rejected', responseStatus: 200, paymentId });
    expect(t.anomalies).toEqual(['VERIFICATION_FAILED']);
    expect(t.sandbox.paypal.apiCalls().map((c) => c.method)).toEqual([
      'TransactionSearch',
      'GetTransactionDetails',
    ]);
    expect(await t.get(paymentId)).toMatchObject({
      status: 'paid',
      amountPaid: 1999,
      externalId: t.txnOf(paymentId),
    });
    expect((await t.store.listTransitions(paymentId)).map((tr) => tr.to)).toEqual(['new', 'paid']);
  });

  it('forged IPNs naming an unpaid payment change nothing and cost one pull per interval', async () => {
    const t = setup({ backend: { api: API } });
    const { paymentId } = await t.start();
    for (let i = 0; i < 5; i++) expect((await forgedIpn(t, paymentId)).status).toBe(200);
    expect((await t.notifications()).map((m) => m.verdict)).toEqual(Array(5).fill('rejected'));
    expect(t.anomalies).toEqual(Array(5).fill('VERIFICATION_FAILED'));
    // Unpaid at PayPal: the one search finds no transaction, so nothing else is asked.
    expect(t.sandbox.paypal.apiCalls().map((c) => c.method)).toEqual(['TransactionSearch']);
    expect((await t.get(paymentId)).status).toBe('new');
    expect((await t.store.listTransitions(paymentId)).map((tr) => tr.to)).toEqual(['new']);
  });

  it('without API credentials the INVALID IPN is refused as before and PayPal is not asked', async () => {
    const t = setup();
    t.sandbox.paypal.faults.postback = 'INVALID';
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    expect(t.sandbox.paypal.apiCalls()).toEqual([]);
    expect((await t.get(paymentId)).status).toBe('new');
  });
});
