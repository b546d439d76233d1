import { describe, expect, it } from 'vitest';
import { setup } from './support/e2e';

/** The NVP API operations end to end through the sandbox's PayPal NVP simulator and the bridge. */
const SIGNATURE_API = {
  username: 'merchant_api1.example.com',
  password: 'SANDBOX3TOKENPWD',
  signature: 'AFcWxV21C7fd0v3bYYYRCpSSRl31A-sandbox-signature-0123456789',
};
const CERTIFICATE_API = {
  username: 'merchant-cert_api1.example.com',
  password: 'SANDBOXCERTPWD',
  certificate: true,
};

const withApi = (api: typeof SIGNATURE_API | typeof CERTIFICATE_API = SIGNATURE_API) =>
  setup({ backend: { api } });

describe('PayPal NVP API end to end through the sandbox', () => {
  it('a lost IPN: the pull finds the payment by invoice, binds it; the late IPN counts nothing more', async () => {
    const t = withApi();
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    // The IPN is queued, never delivered: only the pull can learn it.
    expect((await t.get(paymentId)).status).toBe('new');
    const synced = await t.bridge.sync(paymentId);
    expect(synced).toMatchObject({ status: 'paid', amountPaid: 1999, externalId: t.txnOf(paymentId) });
    expect(t.sandbox.paypal.apiCalls().map((c) => [c.method, c.ack])).toEqual([
      ['TransactionSearch', 'Success'],
      ['GetTransactionDetails', 'Success'],
    ]);
    await t.sandbox.flush();
    const after = await t.get(paymentId);
    expect(after).toMatchObject({ status: 'paid', amountPaid: 1999 });
    expect(after.captures).toHaveLength(1);
    expect((await t.store.listTransitions(paymentId)).map((tr) => tr.to)).toEqual(['new', 'paid']);
    // A second pull of the bound transaction: GetTransactionDetails only, nothing changes.
    await t.bridge.sync(paymentId);
    expect(t.sandbox.paypal.apiCalls().at(-1)?.method).toBe('GetTransactionDetails');
    expect((await t.store.listTransitions(paymentId)).map((tr) => tr.to)).toEqual(['new', 'paid']);
    expect(t.anomalies).toEqual([]);
  });

  it('a pending payment whose completion IPN is lost becomes paid by pull', async () => {
    const t = withApi();
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pending');
    await t.sandbox.flush();
    expect((await t.get(paymentId)).status).toBe('pending');
    t.sandbox.paypal.completePending(t.txnOf(paymentId));
    expect(await t.bridge.sync(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });
    await t.sandbox.flush();
    expect((await t.get(paymentId)).captures).toHaveLength(1);
    expect(t.anomalies).toEqual([]);
  });

  it('partial and full refunds from bridge.refund; their IPNs count once; a retried key refunds once', async () => {
    const t = withApi();
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    const partial = await t.bridge.refund(paymentId, { amount: 500, idempotencyKey: 'rma-1' });
    expect(partial).toMatchObject({ status: 'partially_refunded', amountRefunded: 500 });
    // The same key again is answered from the record, PayPal is not asked twice.
    await t.bridge.refund(paymentId, { amount: 500, idempotencyKey: 'rma-1' });
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({ status: 'partially_refunded', amountRefunded: 500 });
    expect(await t.bridge.refund(paymentId)).toMatchObject({ status: 'refunded', amountRefunded: 1999 });
    await t.sandbox.flush();
    const done = await t.get(paymentId);
    expect(done).toMatchObject({ status: 'refunded', amountPaid: 1999, amountRefunded: 1999 });
    expect(done.refunds.map((r) => [r.amount, r.status])).toEqual([
      [500, 'succeeded'],
      [1499, 'succeeded'],
    ]);
    const refundIpns = t.sandbox.paypal
      .ipns()
      .filter((ipn) => ipn.fields.some(([k, v]) => k === 'payment_status' && v === 'Refunded'));
    expect(refundIpns).toHaveLength(2);
    expect(t.sandbox.paypal.apiCalls().map((c) => [c.method, c.ack])).toEqual([
      ['RefundTransaction', 'Success'],
      ['RefundTransaction', 'Success'],
    ]);
    // The pull now sees Refunded on the parent: still paid once, refunds unchanged.
    expect(await t.bridge.sync(paymentId)).toMatchObject({ amountPaid: 1999, amountRefunded: 1999 });
    expect(t.anomalies).toEqual([]);
    // Secrets never reach the message log.
    const logged = JSON.stringify((await t.store.listMessages({ limit: 500 })).items);
    expect(logged).toContain('RefundTransaction');
    expect(logged).not.toContain(SIGNATURE_API.password);
    expect(logged).not.toContain(SIGNATURE_API.signature);
  });

  it('an unknown outcome (10001) keeps the refund pending; the same key sends it again, once', async () => {
    const t = withApi();
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    t.sandbox.paypal.faults.apiFailure = { code: '10001', remaining: 1 };
    await expect(t.bridge.refund(paymentId, { idempotencyKey: 'k' })).rejects.toMatchObject({
      code: 'BROKER_UNAVAILABLE',
    });
    expect((await t.get(paymentId)).refunds.map((r) => r.status)).toEqual(['pending']);
    expect(await t.bridge.refund(paymentId, { idempotencyKey: 'k' })).toMatchObject({
      status: 'refunded',
      amountRefunded: 1999,
    });
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({ amountRefunded: 1999 });
    expect((await t.get(paymentId)).refunds).toHaveLength(1);
  });

  it('a refusal (10009: Full after a partial made in the back office) releases the amount', async () => {
    const t = withApi();
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    t.sandbox.paypal.faults.apiFailure = { code: '10009', remaining: 1 };
    await expect(t.bridge.refund(paymentId)).rejects.toMatchObject({
      code: 'BROKER_ERROR',
      details: { errorCodes: ['10009'] },
    });
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountRefunded: 0 });
    expect(await t.bridge.refund(paymentId, { amount: 999 })).toMatchObject({ amountRefunded: 999 });
  });

  it('certificate credentials go to the certificate endpoint without SIGNATURE', async () => {
    const t = withApi(CERTIFICATE_API);
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    expect(await t.bridge.sync(paymentId)).toMatchObject({ status: 'paid' });
    expect(
      t.sandbox.paypal.apiCalls().every((c) => c.endpoint === 'certificate' && c.ack === 'Success'),
    ).toBe(true);
  });

  it('wrong credentials: a clear error with the code, nothing changes', async () => {
    const t = setup({ backend: { api: { ...SIGNATURE_API, password: 'WRONGPWD' } } });
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    await expect(t.bridge.sync(paymentId)).rejects.toMatchObject({
      code: 'BROKER_ERROR',
      details: { errorCodes: ['10002'] },
    });
    expect((await t.get(paymentId)).status).toBe('new');
  });

  it('bridge.reconcile() recovers a lost IPN; unpaid and subscription signup payments stay as they are', async () => {
    const t = withApi();
    const lost = await t.start();
    await t.sandbox.paypal.act(lost.session, 'pay');
    const unpaid = await t.start();
    const subscription = await t.start('sub-');
    const result = await t.bridge.reconcile({ olderThan: 0 });
    expect(result).toMatchObject({ pulled: 2, changed: 1, unchanged: 1, failed: [], skippedNotPullable: 1 });
    expect(await t.get(lost.paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });
    expect((await t.get(unpaid.paymentId)).status).toBe('new');
    expect((await t.get(subscription.paymentId)).status).toBe('new');
    await t.sandbox.flush();
    expect((await t.get(lost.paymentId)).captures).toHaveLength(1);
    expect(t.anomalies).toEqual([]);
  });

  it('a back-office refund whose IPN is lost is found by the pull; its late IPN and our own refunds count once', async () => {
    const t = withApi();
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    await t.bridge.refund(paymentId, { amount: 300 });
    t.sandbox.paypal.refund(t.txnOf(paymentId), '5.00');
    // Neither refund IPN delivered yet: the pull finds the back-office one, knows ours.
    const synced = await t.bridge.sync(paymentId);
    expect(synced).toMatchObject({ status: 'partially_refunded', amountRefunded: 800 });
    expect(synced.refunds).toHaveLength(2);
    await t.sandbox.flush();
    await t.bridge.sync(paymentId);
    const after = await t.get(paymentId);
    expect(after).toMatchObject({ status: 'partially_refunded', amountPaid: 1999, amountRefunded: 800 });
    expect(after.refunds.map((r) => [r.amount, r.status])).toEqual([
      [300, 'succeeded'],
      [500, 'succeeded'],
    ]);
    expect(t.anomalies).toEqual([]);
  });
});
