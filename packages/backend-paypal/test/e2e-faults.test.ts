import { describe, expect, it } from 'vitest';
import { MONTH, setup } from './support/e2e';

describe('PayPal faults end to end', () => {
  it('duplicates apply once', async () => {
    const t = setup();
    t.sandbox.paypal.faults.duplicate = 2;
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });
    expect((await t.notifications()).length).toBeGreaterThanOrEqual(3);
    expect((await t.store.listTransitions(paymentId)).map((tr) => tr.to)).toEqual(['new', 'paid']);
  });

  it('a late Pending after Completed (reorder) does not downgrade', async () => {
    const t = setup();
    t.sandbox.paypal.faults.reorder = true;
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pending');
    t.sandbox.paypal.completePending(t.txnOf(paymentId));
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });
  });

  it('a subscr_payment before its subscr_signup (reorder) still makes one linked payment', async () => {
    const t = setup();
    t.sandbox.paypal.faults.reorder = true;
    const { paymentId, session } = await t.start('sub-');
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    const received = (await t.notifications()).reverse().map((m) => /txn_type=(\w+)/.exec(m.body)?.[1]);
    expect(received).toEqual(['subscr_payment', 'subscr_signup']);
    expect((await t.get(paymentId)).subscription).toMatchObject({ status: 'active' });
    const renewals = (await t.store.listPayments({ limit: 50 })).items.filter(
      (p) => p.parentPaymentId === paymentId,
    );
    expect(renewals).toMatchObject([{ status: 'paid', amountPaid: 1999 }]);
  });

  it('a slow postback answered within postbackTimeoutMs still pays', async () => {
    const t = setup();
    t.sandbox.paypal.faults.postbackDelayMs = 50;
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });
  });

  it('a missing subscr_eot after a cancellation leaves the subscription cancelled, nothing more', async () => {
    const t = setup();
    t.sandbox.paypal.faults.omitEot = true;
    const { paymentId, session } = await t.start('sub-');
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    t.sandbox.paypal.cancelSubscription((await t.get(paymentId)).subscription?.id as string);
    await t.sandbox.advance(MONTH);
    await t.sandbox.advance(MONTH);
    expect(t.sandbox.paypal.ipns().map((ipn) => ipn.txnType)).not.toContain('subscr_eot');
    expect((await t.get(paymentId)).subscription).toMatchObject({ status: 'cancelled' });
    expect(t.anomalies).toEqual([]);
  });

  it('a delayed IPN arrives when the clock reaches it', async () => {
    const t = setup();
    t.sandbox.paypal.faults.delayMs = 60_000;
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    expect((await t.get(paymentId)).status).toBe('new');
    await t.sandbox.advance(60_000);
    expect((await t.get(paymentId)).status).toBe('paid');
  });

  it('a manual re-send from IPN History (resend=true) applies once', async () => {
    const t = setup();
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    t.sandbox.paypal.resendIpn(t.sandbox.paypal.ipns()[0]?.ipnTrackId as string);
    await t.sandbox.flush();
    expect(t.sandbox.paypal.ipns()).toHaveLength(2);
    expect(t.sandbox.paypal.ipns()[1]?.fields).toContainEqual(['resend', 'true']);
    expect((await t.notifications()).map((m) => m.verdict)).toEqual(['verified', 'verified']);
    expect((await t.store.listTransitions(paymentId)).map((tr) => tr.to)).toEqual(['new', 'paid']);
  });

  it('an INVALID postback changes nothing, is an anomaly and is acknowledged', async () => {
    const t = setup();
    t.sandbox.paypal.faults.postback = 'INVALID';
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    expect((await t.get(paymentId)).status).toBe('new');
    const [inbound] = await t.notifications();
    expect(inbound).toMatchObject({ verdict: 'rejected', responseStatus: 200 });
    expect(t.anomalies).toEqual(['VERIFICATION_FAILED']);
    // A 200 stops PayPal: re-sending an INVALID message cannot make it right.
    expect(t.sandbox.paypal.ipns()[0]?.state).toBe('delivered');
  });

  it.each(['timeout', 'error500', 'error400', 'fatal-html'] as const)(
    'a %s postback answers non-200, and PayPal’s retry is verified later',
    async (fault) => {
      const t = setup();
      t.sandbox.paypal.faults.postback = fault;
      t.sandbox.paypal.faults.postbackHangMs = 2_000;
      const { paymentId, session } = await t.start();
      await t.sandbox.paypal.act(session, 'pay');
      await t.sandbox.flush();
      expect((await t.get(paymentId)).status).toBe('new');
      const [first] = await t.notifications();
      expect(first).toMatchObject({ verdict: 'retry' });
      expect(first?.responseStatus).not.toBe(200);
      t.sandbox.paypal.faults.postback = 'normal';
      await t.sandbox.advance(10_000);
      expect(await t.get(paymentId)).toMatchObject({ status: 'paid', amountPaid: 1999 });
    },
  );

  it.each([
    [{ mc_gross: '0.01' }, 'AMOUNT_MISMATCH'],
    [{ mc_currency: 'USD' }, 'CURRENCY_MISMATCH'],
    [{ receiver_email: 'thief@example.com' }, 'RECEIVER_MISMATCH'],
    [{ receiver_id: 'THIEF12345678' }, 'RECEIVER_MISMATCH'],
  ])('a VERIFIED IPN tampered with %o is an anomaly (%s), never paid', async (tamper, code) => {
    const t = setup();
    t.sandbox.paypal.faults.tamper = tamper;
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    expect((await t.get(paymentId)).status).toBe('new');
    expect(t.anomalies).toContain(code);
    const [inbound] = await t.notifications();
    expect(inbound).toMatchObject({ verdict: 'rejected', responseStatus: 200 });
  });

  it('a sandbox IPN (test_ipn=1) on a live configuration is refused without a postback', async () => {
    const t = setup({ backend: { testMode: false } });
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    expect(t.sandbox.paypal.ipns()[0]?.fields).toContainEqual(['test_ipn', '1']);
    expect((await t.get(paymentId)).status).toBe('new');
    expect(t.anomalies).toEqual(['ENVIRONMENT_MISMATCH']);
    const outbound = (await t.store.listMessages({ direction: 'outbound', limit: 50 })).items;
    expect(outbound.filter((m) => m.kind === 'ipn-postback')).toHaveLength(0);
  });

  it('a live IPN on a test configuration is refused', async () => {
    const t = setup({ simulator: { mode: 'live' } });
    const { paymentId, session } = await t.start();
    await t.sandbox.paypal.act(session, 'pay');
    await t.sandbox.flush();
    expect((await t.get(paymentId)).status).toBe('new');
    expect(t.anomalies).toContain('ENVIRONMENT_MISMATCH');
  });
});
